package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/notify"
	"muster/internal/paging"
)

// notificationsData is the notifications page: the latest notifications and
// the optional kinds with the person's choice.
type notificationsData struct {
	Items    []notify.Item
	Settings []notify.Setting
}

func (s *Server) notificationsPage(c *gin.Context) {
	s.renderNotifications(c, http.StatusOK)
}

func (s *Server) renderNotifications(c *gin.Context, status int) {
	ctx, who := c.Request.Context(), actor(c)
	page, err := s.Notices.List(ctx, who, localizer(c).Lang, paging.Params{PerPage: 50})
	if err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.Notices.Settings(ctx, who)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "notifications.title")
	v.Data = notificationsData{Items: page.Items, Settings: st}
	s.html(c, status, "notifications", v)
}

// notificationSettingsSubmit saves the checkboxes: a kind left unticked is turned off.
func (s *Server) notificationSettingsSubmit(c *gin.Context) {
	var in notify.SettingsInput
	for _, k := range notify.Optional {
		in.Settings = append(in.Settings, notify.Setting{Kind: k, Enabled: c.PostForm(k) == "on"})
	}
	if _, err := s.Notices.SetSettings(c.Request.Context(), actor(c), in); err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "notifications.saved")
	c.Redirect(http.StatusSeeOther, "/me/notifications")
}
