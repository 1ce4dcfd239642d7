package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/identity"
)

// preferencesForm is the /me form: every field is sent, so an empty time
// zone or calendar means "the default".
type preferencesForm struct {
	TimeZone string `form:"time_zone"`
	Calendar string `form:"calendar"`
}

// preferencesSubmit sets the viewer's time zone and calendar.
func (s *Server) preferencesSubmit(c *gin.Context) {
	var f preferencesForm
	err := bindForm(c, &f)
	if err == nil {
		_, err = s.Identity.SetPreferences(c.Request.Context(), actor(c), identity.Preferences{TimeZone: &f.TimeZone, Calendar: &f.Calendar})
	}
	if errs, ok := formErrors(c, err); ok {
		s.renderMe(c, http.StatusUnprocessableEntity, nil, f, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "me.preferences_saved")
	c.Redirect(http.StatusSeeOther, "/me")
}
