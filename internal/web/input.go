package web

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"muster/internal/apperr"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/plaintext"
)

// paramFormats say what each path parameter may hold, by its name. A value
// of the wrong shape cannot name a record, so it answers 404 before any
// handler or query runs. Every parameter a route declares must be listed
// (a test walks the routes).
var paramFormats = map[string]func(c *gin.Context, v string) bool{
	"id":            func(_ *gin.Context, v string) bool { return isID(strings.TrimSuffix(v, ".pdf")) }, // transcripts add .pdf
	"instructor_id": func(_ *gin.Context, v string) bool { return isID(v) },
	"period_id":     func(_ *gin.Context, v string) bool { return isID(v) },
	"number": func(_ *gin.Context, v string) bool {
		v = strings.TrimSuffix(strings.TrimSuffix(v, ".pdf"), credentialSuffix)
		return certify.ValidNumber(v)
	},
	"code": func(c *gin.Context, v string) bool {
		if strings.Contains(c.FullPath(), "/courses/") {
			return catalog.ValidCode(v)
		}
		return urlToken.MatchString(v) // a verification code, checked further by certify
	},
	"token":    func(_ *gin.Context, v string) bool { return urlToken.MatchString(strings.TrimSuffix(v, ".ics")) },
	"year":     func(_ *gin.Context, v string) bool { return len(v) <= 8 }, // parsed by the handler, which answers in the credential format
	"filepath": func(_ *gin.Context, v string) bool { return len(v) <= 256 },
}

var (
	urlToken = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
)

// idQueryParams name records by id in list filters.
var idQueryParams = map[string]bool{"actor": true, "agency": true, "holder": true, "host": true, "cohort": true, "subject": true}

func isID(s string) bool { return len(s) == 36 && uuid.Validate(s) == nil }

// checkInput keeps malformed text out of every handler: path parameters of
// the wrong shape answer 404; a query parameter with NUL or invalid UTF-8,
// or a filter id that is no id, answers 422 naming it; form fields lose NUL
// and invalid UTF-8, as JSON bodies do in bindJSON. PostgreSQL refuses such
// text with an error, SQLite stores it: neither may happen.
func (s *Server) checkInput(c *gin.Context) {
	for _, p := range c.Params {
		ok := plaintext.Storable(p.Value)
		if check, known := paramFormats[p.Key]; ok && known {
			ok = check(c, p.Value)
		}
		if !ok {
			s.fail(c, apperr.NotFound())
			return
		}
	}
	if err := checkQuery(c.Request); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.cleanForm(c); err != nil {
		if e, ok := apperr.As(err); ok && e.Code == apperr.CodeTooLarge && !isAPI(c) {
			// A page tells it once the person is known, in their language: see checkCSRF.
			c.Set(tooLargeKey, e)
			c.Next()
			return
		}
		s.fail(c, err)
		return
	}
	c.Next()
}

// tooLargeKey holds a page's form refused for its size until checkCSRF answers it.
const tooLargeKey = "too_large"

// checkQuery refuses query parameters a service could not store or match.
func checkQuery(r *http.Request) error {
	var fields []apperr.FieldError
	for key, values := range r.URL.Query() {
		for _, v := range values {
			switch {
			case !plaintext.Storable(key) || !plaintext.Storable(v):
				fields = append(fields, apperr.Field(plaintext.Clean(key), "validation.text"))
			case v != "" && (idQueryParams[key] || strings.HasSuffix(key, "_id")) && !isID(v):
				fields = append(fields, apperr.Field(key, "validation.id"))
			default:
				continue
			}
			break
		}
	}
	if len(fields) > 0 {
		return apperr.Invalid(fields...)
	}
	return nil
}

// cleanForm parses a form body once and cleans every value in place, so
// handlers reading c.PostForm get storable text like those that bind.
func (s *Server) cleanForm(c *gin.Context) error {
	var err error
	switch c.ContentType() {
	case "application/x-www-form-urlencoded":
		err = c.Request.ParseForm()
	case "multipart/form-data":
		err = c.Request.ParseMultipartForm(s.engine.MaxMultipartMemory)
	default:
		return nil
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge(mbe.Limit)
		}
		return apperr.New(apperr.CodeMalformed).WithArgs("Reason", "unreadable form")
	}
	cleanValues(c.Request.Form)
	cleanValues(c.Request.PostForm)
	if mf := c.Request.MultipartForm; mf != nil {
		cleanValues(mf.Value)
	}
	return nil
}

func cleanValues(values map[string][]string) {
	for _, vs := range values {
		for i, v := range vs {
			vs[i] = plaintext.Clean(v)
		}
	}
}
