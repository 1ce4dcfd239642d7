package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
)

// credentialSuffix asks /certificates/{number} for the signed credential.
const credentialSuffix = ".vc.json"

// credentialMediaType is the W3C media type of a credential with an embedded proof.
const credentialMediaType = "application/vc"

// didMediaType is the media type of a DID document in JSON-LD.
const didMediaType = "application/did+ld+json"

func (s *Server) issuerDocument(c *gin.Context) {
	d, err := s.Certify.IssuerDocument(c.Request.Context())
	// Briefly cached: after a key rotation, verifiers must soon see the new key.
	s.publicDocument(c, didMediaType, "public, max-age=60", d, err)
}

func (s *Server) revocationList(c *gin.Context) {
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		s.publicDocument(c, "", "", nil, apperr.NotFound())
		return
	}
	l, err := s.Certify.RevocationList(c.Request.Context(), year)
	s.publicDocument(c, credentialMediaType, "public, max-age=60", l, err)
}

// publicDocument answers a document anyone, from any origin, may read; or
// the problem of err.
func (s *Server) publicDocument(c *gin.Context, mediaType, cache string, v any, err error) {
	c.Header("Access-Control-Allow-Origin", "*")
	if err != nil {
		writeProblem(c, s.problemFor(c, s.toAppErr(c, err)))
		return
	}
	b, err := credentialJSON(v)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", cache)
	c.Data(http.StatusOK, mediaType, b)
}

// certificateCredential sends a certificate the viewer may see as a signed
// credential download.
func (s *Server) certificateCredential(c *gin.Context, number string) {
	cred, err := s.Certify.DownloadCredential(c.Request.Context(), actor(c), number)
	if err != nil {
		s.fail(c, err)
		return
	}
	b, err := credentialJSON(cred)
	if err != nil {
		s.fail(c, err)
		return
	}
	// The number matched a certificate, so it is safe in a file name.
	c.Header("Content-Disposition", `attachment; filename="`+strings.ToUpper(strings.TrimSpace(number))+credentialSuffix+`"`)
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, credentialMediaType, b)
}

// credentialJSON writes a document indented and without HTML escaping, as
// people read these files too; the signature does not depend on the layout.
func credentialJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
