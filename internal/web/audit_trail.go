package web

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/audit"
)

// personalRecords maps the first path segment (after /api/v1 or /manage) of
// the routes that serve personal records to the subject type a refusal on
// them is recorded under.
var personalRecords = map[string]string{
	"users": "user", "enrollments": "enrollment", "certificates": "certificate", "transcripts": "transcript",
	"audit-events": "audit", "audit": "audit", "exports": "export",
}

// auditWriteTimeout bounds an audit write made on the way out of a request.
const auditWriteTimeout = 5 * time.Second

// recordRefusal audits a 403 or 404 answered to a signed-in user on a route
// of personal records. It never changes the answer: a failed write is logged.
// Anonymous callers and unknown URLs are not recorded (they get 401 and 404
// without a route, and would let anyone fill the trail).
func (s *Server) recordRefusal(c *gin.Context, code string) {
	if code != apperr.CodeNotFound && code != apperr.CodeForbidden || s.Audit == nil {
		return
	}
	route := c.FullPath()
	subjectType, ok := personalRecords[firstSegment(route)]
	a := actor(c)
	if !ok || a.UserID == "" {
		return
	}
	id := c.Param("id")
	if id == "" {
		id = c.Param("number")
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request.Context()), auditWriteTimeout)
	defer cancel()
	err := s.Audit.Log(ctx, a, audit.Entry{Action: audit.ActionAccessDenied, SubjectType: subjectType, SubjectID: cleanSubject(id),
		AgencyID: a.AgencyID, Details: map[string]any{"route": c.Request.Method + " " + route, "status": statusFor(code)}})
	if err != nil {
		s.Logger.Error("audit of a refused access failed", "request_id", c.GetString(requestIDKey), "route", route, "err", err)
	}
}

// firstSegment is "users" for "/api/v1/users/:id" and "/manage/users/:id".
func firstSegment(route string) string {
	route = strings.TrimPrefix(route, "/api/v1")
	route = strings.TrimPrefix(route, "/manage")
	seg, _, _ := strings.Cut(strings.TrimPrefix(route, "/"), "/")
	return seg
}

// cleanSubject keeps a hostile path parameter storable: valid UTF-8, no NUL,
// at most 100 bytes.
func cleanSubject(id string) string {
	id = strings.ReplaceAll(strings.ToValidUTF8(id, "\uFFFD"), "\x00", "")
	for len(id) > 100 {
		_, size := utf8.DecodeLastRuneInString(id)
		id = id[:len(id)-size]
	}
	return id
}
