package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// transcriptPage shows a person's transcript; /transcripts/{id}.pdf prints it.
func (s *Server) transcriptPage(c *gin.Context) {
	ctx, a := c.Request.Context(), actor(c)
	if id, ok := strings.CutSuffix(c.Param("id"), ".pdf"); ok {
		pdf, err := s.Certify.TranscriptPDF(ctx, a, id, localizer(c).Lang)
		if err != nil {
			s.fail(c, err)
			return
		}
		certifySendPDF(c, "transcript-"+id+".pdf", pdf)
		return
	}
	t, err := s.Certify.Transcript(ctx, a, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "certify.transcript.title")
	v.Data = t
	s.html(c, http.StatusOK, "certify_transcript", v)
}
