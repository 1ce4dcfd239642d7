package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/paging"
	"muster/internal/webhook"
)

func (s *Server) apiWebhookList(c *gin.Context) {
	var p paging.Params
	if err := bindQuery(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.Webhooks.List(c.Request.Context(), actor(c), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// apiWebhookCreate answers the secret, which is never shown again.
func (s *Server) apiWebhookCreate(c *gin.Context) {
	var req webhook.Input
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.Webhooks.Create(c.Request.Context(), actor(c), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, v)
}

// apiWebhookGet answers the webhook with its latest deliveries and their last status.
func (s *Server) apiWebhookGet(c *gin.Context) {
	v, ds, err := s.Webhooks.Get(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": v.ID, "url": v.URL, "events": v.Events, "agency_id": v.AgencyID, "created_at": v.CreatedAt, "deliveries": ds})
}

func (s *Server) apiWebhookDelete(c *gin.Context) {
	if err := s.Webhooks.Delete(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
