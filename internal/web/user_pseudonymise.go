package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
)

// userPseudonymiseSubmit replaces a disabled person's identifying details
// with a pseudonym, as `muster user pseudonymise` does, once the form's
// confirmation is ticked. Another agency's person answers 404 before
// anything else is looked at.
func (s *Server) userPseudonymiseSubmit(c *gin.Context) {
	u, err := s.Identity.GetUser(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	// The service refuses an active person whatever the form says.
	if u.Disabled() && c.PostForm("confirm") != "yes" {
		err = apperr.Invalid(apperr.Field("confirm", "users.pseudonymise_unconfirmed"))
	} else {
		_, err = s.Identity.Pseudonymise(c.Request.Context(), actor(c), u.ID)
	}
	if errs, ok := formErrors(c, err); ok {
		v, verr := s.userFormView(c, "users.edit", u)
		if verr != nil {
			s.fail(c, verr)
			return
		}
		v.Form, v.Errors = userFormOf(u), errs
		s.html(c, http.StatusUnprocessableEntity, "user_form", v)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "users.pseudonymised_done")
	c.Redirect(http.StatusSeeOther, "/manage/users/"+u.ID)
}
