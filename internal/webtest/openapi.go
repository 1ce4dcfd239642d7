package webtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"muster/internal/web/apidoc"
)

// The API's document checks every request a Client sends under /api/v1 and
// every answer: an answer must match what the document says of its route
// and status, and a request the document forbids must be refused with a
// 4xx (tests send bad input on purpose; the server must not accept it).

var apiRouter = sync.OnceValues(func() (routers.Router, error) {
	// Bodies the API sends or takes besides JSON and CSV.
	for _, ct := range []string{"application/pdf", "application/zip", "image/png",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	openapi3filter.RegisterBodyDecoder("text/calendar", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("application/vc", openapi3filter.JSONBodyDecoder)
	doc, err := apidoc.Document()
	if err != nil {
		return nil, err
	}
	return gorillamux.NewRouter(doc)
})

// validating serialises the checks: kin-openapi's validators share the
// loaded schemas, and parallel tests checking at once read one another's
// half-built state (the same answer failed and passed by turns).
var validating sync.Mutex

// contractCheck is one request on its way, kept to be checked with its answer.
type contractCheck struct {
	req   *http.Request // a copy with the cookies the client sends
	body  []byte
	route *routers.Route
	args  map[string]string
}

// beginContract notes req, with body, for checking once it is answered;
// nil when req is not an API call.
func (c *Client) beginContract(req *http.Request, body []byte) *contractCheck {
	c.env.T.Helper()
	if !strings.HasPrefix(req.URL.Path, apidoc.Prefix+"/") {
		return nil
	}
	router, err := apiRouter()
	if err != nil {
		c.env.T.Fatalf("the API's OpenAPI document: %v", err)
	}
	cp := req.Clone(context.Background())
	if c.HTTP.Jar != nil {
		for _, ck := range c.HTTP.Jar.Cookies(req.URL) {
			cp.AddCookie(ck)
		}
	}
	chk := &contractCheck{req: cp, body: body}
	chk.route, chk.args, _ = router.FindRoute(cp)
	return chk
}

// check reports every way the exchange departs from the document.
func (chk *contractCheck) check(c *Client, status int, header http.Header, body []byte) {
	if chk == nil {
		return
	}
	t := c.env.T
	t.Helper()
	name := chk.req.Method + " " + chk.req.URL.Path
	if chk.route == nil {
		// Only a refusal may come from a route the document does not name.
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			t.Errorf("OpenAPI: %s answered %d but the document has no such route", name, status)
		}
		return
	}
	name = chk.req.Method + " " + apidoc.Prefix + chk.route.Path
	validating.Lock()
	defer validating.Unlock()
	ctx := context.Background()
	in := &openapi3filter.RequestValidationInput{
		Request: chk.req, PathParams: chk.args, Route: chk.route,
		Options: &openapi3filter.Options{MultiError: true, AuthenticationFunc: presentCredentials},
	}
	chk.req.Body = io.NopCloser(bytes.NewReader(chk.body))
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil && status < 400 {
		t.Errorf("OpenAPI: %s was answered %d, yet its request breaks the document:\n%s", name, status, describe(err))
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header,
		Options: &openapi3filter.Options{MultiError: true, IncludeResponseStatus: true},
	}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		t.Errorf("OpenAPI: %s answered %d against the document:\n%s\nbody: %.400s", name, status, describe(err), body)
	}
}

// presentCredentials accepts a security scheme whose credential the request
// carries; whether the server accepts that credential is the server's test.
func presentCredentials(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	r, s := in.RequestValidationInput.Request, in.SecurityScheme
	switch {
	case s.Type == "http" && s.Scheme == "bearer":
		if strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			return nil
		}
	case s.In == "header":
		if r.Header.Get(s.Name) != "" {
			return nil
		}
	case s.In == "cookie":
		if ck, err := r.Cookie(s.Name); err == nil && ck.Value != "" {
			return nil
		}
	}
	return fmt.Errorf("no %s credential", in.SecuritySchemeName)
}

// describe lists each failure with the field (a JSON pointer or parameter)
// and the rule of the document it breaks.
func describe(err error) string {
	var lines []string
	var walk func(error)
	walk = func(err error) {
		var multi openapi3.MultiError
		var se *openapi3.SchemaError
		var re *openapi3filter.RequestError
		var rse *openapi3filter.ResponseError
		switch {
		case errors.As(err, &multi):
			for _, e := range multi {
				walk(e)
			}
		case errors.As(err, &se):
			where := "body"
			if errors.As(err, &re) && re.Parameter != nil {
				where = re.Parameter.In + " parameter " + re.Parameter.Name
			}
			field := "/" + strings.Join(se.JSONPointer(), "/")
			lines = append(lines, fmt.Sprintf("  %s field %s: rule %q: %s", where, field, se.SchemaField, se.Reason))
		case errors.As(err, &re) && re.Err != nil:
			if re.Parameter != nil {
				lines = append(lines, fmt.Sprintf("  %s parameter %s: %s", re.Parameter.In, re.Parameter.Name, re.Err))
			} else {
				walk(re.Err)
			}
		case errors.As(err, &rse) && rse.Err != nil:
			lines = append(lines, fmt.Sprintf("  %s: %v", rse.Reason, rse.Err))
		default:
			lines = append(lines, "  "+err.Error())
		}
	}
	walk(err)
	return strings.Join(lines, "\n")
}
