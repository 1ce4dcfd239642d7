package web

import (
	"context"
	"errors"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/export"
)

// exporters may export personnel records (DESIGN.md: hr, admin).
var exporters = []string{access.Admin, access.HR}

// bindExport reads an export request from the query string.
func bindExport(c *gin.Context) (export.Request, error) {
	var req export.Request
	if err := c.ShouldBindQuery(&req); err != nil {
		return req, apperr.Invalid(apperr.Field(formFieldOf(err), "validation.invalid"))
	}
	if loc := localizer(c); loc != nil {
		req.Language = loc.Lang // for headers=localized
	}
	return req, nil
}

// apiExport streams an export, or with ?preview=1 answers {"rows": N}.
func (s *Server) apiExport(kind, format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		req, err := bindExport(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		req.Kind = kind
		if format != "" {
			req.Format = format
		}
		if c.Query("preview") != "" {
			n, err := s.Exports.Count(c.Request.Context(), actor(c), req)
			if err != nil {
				s.fail(c, err)
				return
			}
			c.JSON(http.StatusOK, gin.H{"kind": kind, "rows": n})
			return
		}
		exp, err := s.Exports.Prepare(actor(c), req)
		if err != nil {
			s.fail(c, err)
			return
		}
		s.streamExport(c, exp)
	}
}

// streamExport sends a prepared export as a download. Rows go out as they
// are read; a failure after the first byte cannot become an error answer, so
// the connection is dropped and the client sees a truncated download rather
// than a short file that looks complete.
func (s *Server) streamExport(c *gin.Context, exp *export.Export) {
	h := c.Writer.Header()
	h.Set("Content-Type", exp.ContentType())
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": exp.FileName()}))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // reverse proxies pass rows on as they come
	ctx := c.Request.Context()
	res, err := exp.Stream(ctx, c.Writer)
	switch {
	case err == nil:
		return
	case errors.Is(err, context.Canceled):
		s.Logger.Info("export cancelled by the client", "request_id", c.GetString(requestIDKey), "kind", res.Kind, "rows", res.Rows)
		return
	case !c.Writer.Written():
		h.Del("Content-Disposition")
		s.fail(c, err)
		return
	}
	s.Logger.Error("export failed mid-stream", "request_id", c.GetString(requestIDKey), "kind", res.Kind, "rows", res.Rows, "err", err)
	panic(http.ErrAbortHandler)
}
