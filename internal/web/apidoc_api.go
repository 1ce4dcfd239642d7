package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/web/apidoc"
)

// apiOpenAPI serves the API's OpenAPI 3.1 document.
func (s *Server) apiOpenAPI(c *gin.Context) {
	b, err := apidoc.JSON()
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=3600")
	c.Data(http.StatusOK, "application/json", b)
}
