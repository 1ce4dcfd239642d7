package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"muster/internal/certify"
)

func (s *Server) apiAttendance(c *gin.Context) {
	sheet, err := s.Certify.Attendance(c.Request.Context(), actor(c), c.Param("id"))
	s.certifyAnswer(c, sheet, err)
}

func (s *Server) apiAttendanceRecord(c *gin.Context) {
	var in certify.AttendanceInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	sheet, err := s.Certify.RecordAttendance(c.Request.Context(), actor(c), c.Param("id"), in)
	s.certifyAnswer(c, sheet, err)
}

func (s *Server) apiResults(c *gin.Context) {
	sheet, err := s.Certify.Results(c.Request.Context(), actor(c), c.Param("id"))
	s.certifyAnswer(c, sheet, err)
}

func (s *Server) apiResultRecord(c *gin.Context) {
	var in certify.ResultInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	r, err := s.Certify.RecordResult(c.Request.Context(), actor(c), c.Param("id"), in)
	s.certifyAnswer(c, r, err)
}

func (s *Server) apiCompletionPreview(c *gin.Context) {
	p, err := s.Certify.Preview(c.Request.Context(), actor(c), c.Param("id"))
	s.certifyAnswer(c, p, err)
}

func (s *Server) apiComplete(c *gin.Context) {
	p, err := s.Certify.Complete(c.Request.Context(), actor(c), c.Param("id"))
	s.certifyAnswer(c, p, err)
}

func (s *Server) apiCertificateList(c *gin.Context) {
	var f certify.Filter
	if err := bindQuery(c, &f); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.Certify.List(c.Request.Context(), actor(c), f)
	s.certifyAnswer(c, page, err)
}

// apiCertificateGet answers /certificates/{number} as JSON,
// /certificates/{number}.pdf as the printed certificate and
// /certificates/{number}.vc.json as the signed credential.
func (s *Server) apiCertificateGet(c *gin.Context) {
	if number, ok := strings.CutSuffix(c.Param("number"), ".pdf"); ok {
		s.certificatePDF(c, number)
		return
	}
	if number, ok := strings.CutSuffix(c.Param("number"), credentialSuffix); ok {
		s.certificateCredential(c, number)
		return
	}
	d, err := s.Certify.Get(c.Request.Context(), actor(c), c.Param("number"))
	s.certifyAnswer(c, d, err)
}

func (s *Server) apiCertificateRevoke(c *gin.Context) {
	var in certify.RevokeInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.Certify.Revoke(c.Request.Context(), actor(c), c.Param("number"), in)
	s.certifyAnswer(c, d, err)
}

func (s *Server) apiTranscript(c *gin.Context) {
	t, err := s.Certify.Transcript(c.Request.Context(), actor(c), c.Param("id"))
	s.certifyAnswer(c, t, err)
}

func (s *Server) apiVerify(c *gin.Context) {
	v, err := s.Certify.Verify(c.Request.Context(), c.Param("code"))
	c.Header("Cache-Control", "no-store")
	s.certifyAnswer(c, v, err)
}

// certifyAnswer sends v as JSON, or the problem of err.
func (s *Server) certifyAnswer(c *gin.Context, v any, err error) {
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, v)
}

// certificatePDF sends a certificate the viewer may see as a PDF download.
func (s *Server) certificatePDF(c *gin.Context, number string) {
	number, pdf, err := s.Certify.CertificatePDF(c.Request.Context(), actor(c), number)
	if err != nil {
		s.fail(c, err)
		return
	}
	certifySendPDF(c, number+".pdf", pdf)
}

// certifySendPDF answers a PDF as a download named name.
func certifySendPDF(c *gin.Context, name string, pdf []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "application/pdf", pdf)
}
