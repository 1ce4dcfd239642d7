package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/notify"
	"muster/internal/paging"
)

func (s *Server) apiNotificationList(c *gin.Context) {
	var p paging.Params
	if err := bindQuery(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.Notices.List(c.Request.Context(), actor(c), localizer(c).Lang, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (s *Server) apiNotificationsRead(c *gin.Context) {
	n, err := s.Notices.MarkRead(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"marked": n})
}

func (s *Server) apiNotificationSettings(c *gin.Context) {
	st, err := s.Notices.Settings(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"settings": st})
}

func (s *Server) apiNotificationSettingsPut(c *gin.Context) {
	var req notify.SettingsInput
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	st, err := s.Notices.SetSettings(c.Request.Context(), actor(c), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"settings": st})
}
