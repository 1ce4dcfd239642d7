package webtest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// recorder keeps the errors a contract check reports instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Helper() {}

// TestContractCheckNamesRouteFieldAndRule runs the client's OpenAPI check
// against a server that breaks the document in each way it can be broken.
func TestContractCheckNamesRouteFieldAndRule(t *testing.T) {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/me":
			fmt.Fprint(w, `{"id": 5, "email": "x@a.example"}`)
		case "/api/v1/tokens/x":
			w.WriteHeader(http.StatusNoContent)
		case "/api/v1/agencies":
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusUnprocessableEntity)
			fmt.Fprint(w, `{"type":"/problems/invalid","title":"Unprocessable Entity","status":422,"code":"invalid","errors":[{"field":"name"}]}`)
		default:
			fmt.Fprint(w, `{}`)
		}
	}))
	defer fake.Close()
	cases := []struct {
		name, method, path, body string
		want                     []string
	}{
		{"answer breaks its schema", "GET", "/api/v1/me", "", []string{"GET /api/v1/me answered 200", "/id", `"type"`, "/full_name", `"required"`}},
		{"accepted a forbidden request", "POST", "/api/v1/agencies/x/seal", "", []string{"POST /api/v1/agencies/x/seal answered 200 but the document has no such route"}},
		{"request breaks the document yet succeeds", "DELETE", "/api/v1/tokens/x", "", []string{"DELETE /api/v1/tokens/{id} was answered 204, yet its request breaks the document", "security"}},
		{"problem document lacks a field's message", "POST", "/api/v1/agencies", `{}`, []string{"POST /api/v1/agencies answered 422", "/errors/0/message", `"required"`}},
		{"a valid exchange", "GET", "/api/v1/openapi.json", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			env := &Env{T: rec, URL: fake.URL}
			c := env.Anonymous()
			c.CSRF = "token"
			var body any
			if tc.body != "" {
				body = tc.body
			}
			c.Do(tc.method, tc.path, body)
			got := strings.Join(rec.errs, "\n")
			if len(tc.want) == 0 && got != "" {
				t.Fatalf("a valid exchange was reported:\n%s", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("report lacks %q:\n%s", w, got)
				}
			}
		})
	}
}
