package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/web/apidoc"
)

// apiReferencePage renders the API reference from the OpenAPI document; the
// page's own words are translated, the document's are in English.
func (s *Server) apiReferencePage(c *gin.Context) {
	ref, err := apidoc.BuildReference()
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "apiref.title")
	v.Data = ref
	s.html(c, http.StatusOK, "api_reference", v)
}
