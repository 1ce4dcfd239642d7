package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/certify"
	"muster/internal/cohort"
	"muster/internal/db"
	"muster/internal/enrollment"
	"muster/internal/identity"
	"muster/internal/roster"
)

const (
	codeMethodNotAllowed = "method_not_allowed"
	codeUnsupportedMedia = "unsupported_media_type"
	codeCSRF             = "csrf_failed"
)

// statusOf maps every error code to its HTTP status: the one table for
// pages and API. Each rule code is listed by decision; TestEveryCodeHasAStatus
// fails when a capability declares a code this table does not name.
var statusOf = map[string]int{
	apperr.CodeInvalid:        http.StatusUnprocessableEntity,
	apperr.CodeMalformed:      http.StatusBadRequest,
	apperr.CodeTooLarge:       http.StatusRequestEntityTooLarge,
	apperr.CodeNotFound:       http.StatusNotFound,
	apperr.CodeConflict:       http.StatusConflict,
	apperr.CodeForbidden:      http.StatusForbidden,
	apperr.CodeUnauthorized:   http.StatusUnauthorized,
	apperr.CodeRateLimited:    http.StatusTooManyRequests,
	apperr.CodePasswordChange: http.StatusForbidden,
	apperr.CodeInternal:       http.StatusInternalServerError,
	apperr.CodeUnavailable:    http.StatusServiceUnavailable, // the database is down or full: try again
	codeMethodNotAllowed:      http.StatusMethodNotAllowed,
	codeUnsupportedMedia:      http.StatusUnsupportedMediaType,
	codeCSRF:                  http.StatusForbidden,

	// Second factor: a wrong code is a failed sign-in, 401; a session that
	// still owes a factor, or owes setting one up, may not proceed, 403.
	identity.CodeMFAInvalid:       http.StatusUnauthorized,
	identity.CodeMFASetupRequired: http.StatusForbidden,
	identity.CodeMFARequired:      http.StatusForbidden,

	// Cohorts: refusals that depend on stored state answer 409; quotas that
	// add up to more than the capacity are bad input, 422.
	cohort.CodeStatusTransition:     http.StatusConflict,
	cohort.CodeNotEditable:          http.StatusConflict,
	cohort.CodeQuotaBelowTaken:      http.StatusConflict,
	cohort.CodeQuotaHoldsSeats:      http.StatusConflict,
	cohort.CodeQuotasOverCapacity:   http.StatusUnprocessableEntity,
	cohort.CodeCapacityBelowTaken:   http.StatusConflict,
	cohort.CodeVenueConflict:        http.StatusConflict,
	cohort.CodeSessionsOutsideDates: http.StatusConflict,
	cohort.CodeSessionHasAttendance: http.StatusConflict,
	cohort.CodeScheduleNotEmpty:     http.StatusConflict,

	// Roster: clashes with other assignments and with the instructor's record.
	roster.CodeInstructorConflict: http.StatusConflict,
	roster.CodeUnavailable:        http.StatusConflict,
	roster.CodeNotQualified:       http.StatusConflict,
	roster.CodeAlreadyAssigned:    http.StatusConflict,
	roster.CodeLeadTaken:          http.StatusConflict,

	// Enrollment: the cohort's or the request's state, 409; missing
	// prerequisites are the trainee's to fix first, 422.
	enrollment.CodeCohortNotOpen:          http.StatusConflict,
	enrollment.CodeAgencyNotParticipating: http.StatusConflict,
	enrollment.CodeAlreadyEnrolled:        http.StatusConflict,
	enrollment.CodeAlreadyCertified:       http.StatusConflict,
	enrollment.CodeCohortStarted:          http.StatusConflict,
	enrollment.CodeCohortNotStarted:       http.StatusConflict,
	enrollment.CodeWrongStatus:            http.StatusConflict,
	enrollment.CodePrerequisitesMissing:   http.StatusUnprocessableEntity,

	// Certify: completion, records and revocation against stored state, 409;
	// no Chromium to print with is the server's, 503.
	certify.CodeNotCompletable:   http.StatusConflict,
	certify.CodeAlreadyCompleted: http.StatusConflict,
	certify.CodeRecordsClosed:    http.StatusConflict,
	certify.CodeNotAssessable:    http.StatusConflict,
	certify.CodeAlreadyRevoked:   http.StatusConflict,
	certify.CodePDFUnavailable:   http.StatusServiceUnavailable, // export.CodePDFUnavailable is the same code
}

// statusFor is the status of code; a code missing from statusOf (which a
// test forbids) is treated as a refusal of the request's state.
func statusFor(code string) int {
	if s, ok := statusOf[code]; ok {
		return s
	}
	return http.StatusConflict
}

// Problem is an RFC 9457 problem document with muster's code and field errors.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Code      string         `json:"code"`
	Errors    []ProblemField `json:"errors,omitempty"`
	Details   map[string]any `json:"details,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
}

// ProblemField is one field's message.
type ProblemField struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// toAppErr returns err as an *apperr.Error, logging and hiding anything else.
func (s *Server) toAppErr(c *gin.Context, err error) *apperr.Error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(mbe.Limit)
	}
	if e, ok := apperr.As(err); ok && e.Code != apperr.CodeInternal {
		return e
	}
	if db.Unavailable(err) { // the database restarts, is unreachable or full: nothing was decided
		s.Logger.Warn("database unavailable", "request_id", c.GetString(requestIDKey), "route", c.FullPath(), "err", err)
		return apperr.New(apperr.CodeUnavailable)
	}
	if code := db.DataError(err); code != "" { // input validation missed a value the database refuses
		// The SQLSTATE only: PostgreSQL's message quotes the value.
		s.Logger.Warn("database refused a value", "request_id", c.GetString(requestIDKey), "route", c.FullPath(), "sqlstate", code)
		return apperr.New(apperr.CodeInvalid)
	}
	s.Logger.Error("internal error", "request_id", c.GetString(requestIDKey), "route", c.FullPath(), "err", err)
	return apperr.New(apperr.CodeInternal)
}

// problemFor builds the translated problem document of err.
func (s *Server) problemFor(c *gin.Context, e *apperr.Error) Problem {
	loc := localizer(c)
	status := statusFor(e.Code)
	p := Problem{
		Type:      "/problems/" + e.Code,
		Title:     loc.T(statusTitleKey(status)), // the type and code stay the stable names
		Status:    status,
		Detail:    loc.TMap(e.MessageKey(), localArgs(loc, e.Args), nil),
		Code:      e.Code,
		Details:   e.Details,
		RequestID: c.GetString(requestIDKey),
	}
	for _, f := range e.Fields {
		p.Errors = append(p.Errors, ProblemField{Field: f.Field, Message: loc.TMap(f.Key, localArgs(loc, f.Args), nil)})
	}
	return p
}

// errorPage is an error page's problem and, when the request came from a
// page of this site, the way back to it.
type errorPage struct {
	Problem
	Back string
}

// fail answers err: a problem document on the API, an error page elsewhere.
func (s *Server) fail(c *gin.Context, err error) {
	e := s.toAppErr(c, err)
	s.recordRefusal(c, e.Code)
	p := s.problemFor(c, e)
	if isAPI(c) {
		writeProblem(c, p)
		return
	}
	if p.Status == http.StatusUnauthorized {
		c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(safeNext(c.Request.URL.RequestURI())))
		c.Abort()
		return
	}
	v := s.view(c, statusTitleKey(p.Status))
	v.Data = errorPage{Problem: p, Back: sameOriginReferer(c)}
	s.html(c, p.Status, "error", v)
	c.Abort()
}

// statusTitleKey is the translated heading of an error page: the status's
// own ("Not found" in the reader's language), else a general one.
func statusTitleKey(status int) string {
	switch status {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusConflict,
		http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity,
		http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusServiceUnavailable:
		return "error.status." + strconv.Itoa(status)
	}
	return "error.title"
}

// writeProblem sends p as application/problem+json.
func writeProblem(c *gin.Context, p Problem) {
	b, err := json.Marshal(p)
	if err != nil {
		b = []byte(`{"status":500,"code":"internal"}`)
	}
	if p.Code == apperr.CodeUnavailable {
		c.Header("Retry-After", "5")
	}
	c.Data(p.Status, "application/problem+json", b)
	c.Abort()
}

// tooLarge refuses a body over limit, naming the limit as people read sizes.
func errForbidden() error { return apperr.New(apperr.CodeForbidden) }
