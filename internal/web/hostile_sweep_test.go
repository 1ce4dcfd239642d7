package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/db/dbtest"
	"muster/internal/identity"
	"muster/internal/web"
	"muster/internal/webtest"
)

// TestNoServerErrorOnHostileInput walks every registered route, as anonymous
// and as each role, with malformed path parameters, NUL, invalid UTF-8 and
// non-ids in every query parameter, and malformed, mistyped, NUL-laden, huge
// and bidi-laden bodies, on both databases. No input may answer 5xx.
func TestNoServerErrorOnHostileInput(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		sw := newSweep(t, webtest.Start(t, gdb))
		sw.clients = append(sw.clients, sweepClient{"anonymous", sw.env.Anonymous()})
		for _, role := range access.AllRoles {
			sw.clients = append(sw.clients, sweepClient{role, sw.env.As("a/" + role)})
		}
		// Each client walks the routes on its own, all at once: the server is
		// shared, and a 5xx under concurrency counts as much as any other.
		var wg sync.WaitGroup
		for _, c := range sw.clients {
			wg.Go(func() {
				for _, r := range sw.routes() {
					sw.route(c, r)
				}
			})
		}
		wg.Wait()
	})
}

type sweepClient struct {
	name string
	*webtest.Client
}

// sweep holds one server, real records to name in paths, and the body
// fields each route was found to take.
type sweep struct {
	t       *testing.T
	env     *webtest.Env
	srv     *web.Server
	clients []sweepClient
	real    map[string]string // "segment/:param" or ":param" -> a real value
	fields  map[string]map[string]bool
	mu      sync.Mutex // guards fields
}

func newSweep(t *testing.T, env *webtest.Env) *sweep {
	sc := newCertifyScene(t, env, "a")
	// A person of agency a whose password resets and updates do not lock
	// out the signed-in clients.
	extra, err := env.App.Identity.Bootstrap(context.Background(), identity.UserInput{Email: "extra@a.example", FullName: "Extra Person",
		AgencyID: env.Agencies["a"].ID, Roles: []string{access.Trainee}, Password: webtest.Password, ServiceNumber: "a-extra"})
	if err != nil {
		t.Fatal(err)
	}
	var venue struct{ ID string }
	env.As("a/admin").Do("POST", "/api/v1/venues", map[string]any{"name": "Hall", "city": "Tehran", "country": "IR",
		"capacity": 20, "time_zone": "Asia/Tehran"}).JSON(&venue)
	instructor := env.Users["a/instructor"].ID
	return &sweep{t: t, env: env, srv: env.Server.Config.Handler.(*web.Server), fields: map[string]map[string]bool{},
		real: map[string]string{
			"cohorts/:id": sc.running.ID, "sessions/:id": sc.session.ID, "enrollments/:id": sc.enrollment.ID,
			"instructors/:id": instructor, "users/:id": extra.ID, "agencies/:id": env.Agencies["a"].ID, "venues/:id": venue.ID,
			"transcripts/:id": env.Users["a/trainee"].ID, "courses/:code": sc.course.Code, "verify/:code": sc.certificate.VerificationCode,
			":number": sc.certificate.Number, ":instructor_id": instructor, ":year": "2026", ":token": "feedtoken.ics",
			"*filepath": "/css/muster.css", ":id": "0193a3c0-0000-7000-8000-000000000000", ":period_id": "0193a3c0-0000-7000-8000-000000000002",
		}}
}

// routes lists every route; those that destroy what others use come last,
// and sign-out is left out so the clients stay signed in.
func (sw *sweep) routes() []web.Route {
	var out []web.Route
	for _, r := range sw.srv.Routes() {
		if !strings.HasSuffix(r.Path, "logout") {
			out = append(out, r)
		}
	}
	last := func(r web.Route) bool {
		return r.Method == "DELETE" || strings.HasSuffix(r.Path, "/complete") || strings.Contains(r.Path, "/delete")
	}
	sort.SliceStable(out, func(i, j int) bool { return !last(out[i]) && last(out[j]) })
	return out
}

// path fills a route pattern with real values, or with bad at parameter number which.
func (sw *sweep) path(pattern string, which int, bad string) string {
	segs := strings.Split(pattern, "/")
	n := 0
	for i, seg := range segs {
		if seg == "" || (seg[0] != ':' && seg[0] != '*') {
			continue
		}
		v, ok := sw.real[segs[i-1]+"/"+seg]
		if !ok {
			v = sw.real[seg]
		}
		if n == which {
			v = bad
		}
		segs[i] = strings.TrimPrefix(v, "/")
		n++
	}
	return strings.Join(segs, "/")
}

// route sends every hostile input to r as client c.
func (sw *sweep) route(c sweepClient, r web.Route) {
	params := strings.Count(r.Path, "/:") + strings.Count(r.Path, "/*")
	for i := 0; i < params; i++ {
		for _, bad := range badPathValues {
			sw.send(c, r, sw.path(r.Path, i, bad), nil)
		}
		if c.name == access.Admin {
			sw.send(c, r, sw.path(r.Path, i, strings.Repeat("7", 3000)), nil)
		}
	}
	path := sw.path(r.Path, -1, "")
	base := sw.send(c, r, path, nil)
	if base.Status == http.StatusUnauthorized || strings.HasPrefix(base.Header.Get("Location"), "/login") {
		return // refused before any input is read
	}
	switch {
	case r.Method == "GET" || r.Method == "HEAD":
		if base.Status != http.StatusForbidden { // a role refused by the route's guard
			sw.query(c, r, path)
		}
	case strings.HasPrefix(r.Path, "/api/"):
		for _, b := range malformedBodies {
			sw.send(c, r, path, b)
		}
		keep := sw.learn(c, r, path)
		for _, s := range badTexts {
			sw.send(c, r, path, hostileBody(s, keep))
		}
		sw.send(c, r, path+"?agency=not-a-uuid&dry_run=1", hostileBody(badTexts[0], keep))
	default:
		for _, s := range append([]string{"x\xffy"}, badTexts...) {
			sw.send(c, r, path, hostileForm(s), "Content-Type", "application/x-www-form-urlencoded")
		}
	}
}

// oneByOne are the roles whose lists filter by agency, actor and dates: they
// get each typed query parameter on its own.
var oneByOne = map[string]bool{access.Admin: true, access.Coordinator: true, access.HR: true}

// query sends NUL and invalid UTF-8 in every query parameter at once, then,
// for the roles in oneByOne, a well-formed non-id, non-date, non-number in
// each parameter that takes one, and out-of-range numbers.
func (sw *sweep) query(c sweepClient, r web.Route, path string) {
	all := make([]string, len(queryParams))
	for i, q := range queryParams {
		all[i] = q + "=x%FF%00"
	}
	sw.send(c, r, path+"?"+strings.Join(all, "&"), nil)
	if strings.HasSuffix(r.Path, ".zip") || !oneByOne[c.name] {
		return // a zip of PDFs takes seconds; its filters are those of the plain export
	}
	for _, q := range typedQueryParams {
		sw.send(c, r, path+"?"+q+"=not-a-uuid", nil)
	}
	for _, q := range numberQueryParams {
		for _, n := range badNumbers {
			sw.send(c, r, path+"?"+q+"="+n, nil)
		}
	}
}

// send makes one request and fails the test on a 5xx, naming route and input.
func (sw *sweep) send(c sweepClient, r web.Route, path string, body any, headers ...string) *webtest.Response {
	sw.t.Helper()
	res := c.Do(r.Method, path, body, append(headers, "Accept-Language", "en")...)
	if res.Status >= 500 {
		in, _ := body.(string)
		if len(in) > 200 {
			in = in[:200] + "..."
		}
		if len(path) > 200 {
			path = path[:200] + "..."
		}
		sw.t.Errorf("%s %s as %s: %s %q with body %q: %d %s", r.Method, r.Path, c.name, r.Method, path, in, res.Status, res.Body)
	}
	return res
}

// learn finds the body fields r takes by dropping those it calls unknown or
// mistyped, so hostile values reach the route's validation and storage.
func (sw *sweep) learn(c sweepClient, r web.Route, path string) map[string]bool {
	key := r.Method + " " + r.Path
	sw.mu.Lock()
	keep, ok := sw.fields[key]
	sw.mu.Unlock()
	if ok {
		return keep
	}
	var all map[string]any
	_ = json.Unmarshal([]byte(hostileBody("learn", nil)), &all)
	keep = map[string]bool{}
	for k := range all {
		keep[k] = true
	}
	for range len(all) + 1 {
		res := sw.send(c, r, path, hostileBody("learn", keep))
		if res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden {
			return keep // learn again as a client the route lets in
		}
		if !dropFieldOf(res, keep) {
			break
		}
	}
	sw.mu.Lock()
	sw.fields[key] = keep
	sw.mu.Unlock()
	return keep
}

// dropFieldOf removes from keep the field a 422 calls unknown or mistyped.
func dropFieldOf(res *webtest.Response, keep map[string]bool) bool {
	if res.Status != http.StatusUnprocessableEntity {
		return false
	}
	var p web.Problem
	if json.Unmarshal(res.Body, &p) != nil {
		return false
	}
	for _, f := range p.Errors {
		name, _, _ := strings.Cut(f.Field, ".")
		name, _, _ = strings.Cut(name, "[")
		if keep[name] && (f.Message == "Unknown field." || strings.HasPrefix(f.Message, "Must be a")) {
			delete(keep, name)
			return true
		}
	}
	return false
}
