package web

import (
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/certify"
)

// verifyData feeds the verification page: the answer, or the typed number
// and why it found nothing.
type verifyData struct {
	Result       *certify.Verification
	CourseTitle  string // in the viewer's language when translated
	CanonicalURL string
	QR           template.URL
	Number       string // as typed
	Example      string
	NotFound     bool
}

// verifyPage is the public answer to a verification code: the certificate
// and its holder's name, nothing else about the person.
func (s *Server) verifyPage(c *gin.Context) {
	ver, err := s.Certify.Verify(c.Request.Context(), c.Param("code"))
	s.renderVerification(c, "", ver, err)
}

// verifyLookupPage is the form a checker types a certificate number into,
// and with ?number= its answer, as by code.
func (s *Server) verifyLookupPage(c *gin.Context) {
	number, asked := c.GetQuery("number")
	if !asked {
		s.renderVerification(c, "", nil, nil)
		return
	}
	ver, err := s.Certify.VerifyNumber(c.Request.Context(), number)
	s.renderVerification(c, number, ver, err)
}

func (s *Server) renderVerification(c *gin.Context, number string, ver *certify.Verification, err error) {
	c.Header("Cache-Control", "no-store")
	d := verifyData{Result: ver, Number: number, Example: s.Certify.ExampleNumber()}
	status := http.StatusOK
	errs, invalid := formErrors(c, err)
	switch {
	case invalid:
		status = http.StatusUnprocessableEntity
	case apperr.CodeOf(err) == apperr.CodeNotFound:
		status, d.NotFound = http.StatusNotFound, true
	case err != nil:
		s.fail(c, err)
		return
	}
	if ver != nil {
		d.CourseTitle = ver.TitleIn(localizer(c).Lang)
		d.CanonicalURL = s.Certify.CanonicalURL(ver)
		if d.QR, err = certify.QRDataURI(d.CanonicalURL); err != nil {
			s.fail(c, err)
			return
		}
	}
	v := s.view(c, "certify.verify.title")
	v.Data, v.Errors = d, errs
	s.html(c, status, "certify_verify", v)
}

// apiVerifyNumber answers GET /api/v1/verify?number= as a code is answered.
func (s *Server) apiVerifyNumber(c *gin.Context) {
	v, err := s.Certify.VerifyNumber(c.Request.Context(), c.Query("number"))
	c.Header("Cache-Control", "no-store")
	s.certifyAnswer(c, v, err)
}
