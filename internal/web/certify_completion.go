package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// completionPage shows, before anything changes, who will complete, who will
// fail and why, with the button that completes the cohort.
func (s *Server) completionPage(c *gin.Context) {
	p, err := s.Certify.Preview(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "certify.complete.title")
	v.Data = p
	s.html(c, http.StatusOK, "certify_complete", v)
}

func (s *Server) completionSubmit(c *gin.Context) {
	if _, err := s.Certify.Complete(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "certify.complete.done")
	c.Redirect(http.StatusSeeOther, c.Request.URL.Path)
}
