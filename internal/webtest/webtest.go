// Package webtest starts a real muster server on a free port over a test
// database, with a movable clock, and gives tests HTTP clients that sign in
// as the seeded people of two agencies.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/app"
	"muster/internal/clock"
	"muster/internal/config"
	"muster/internal/identity"
)

// Password signs in every seeded user.
const Password = "correct horse battery"

// Env is a running server and the people it knows.
type Env struct {
	T      testing.TB
	App    *app.App
	Server *httptest.Server
	URL    string
	Clock  *clock.Fixed
	// Users by "<agency>/<role>": "a/admin", "a/agency_admin", "b/hr", ...
	Users    map[string]*identity.User
	Agencies map[string]*identity.Agency // "a" and "b"
	// totpSecrets are the authenticator secrets the harness set up, by e-mail.
	totpSecrets map[string]string
}

// Start serves muster over gdb until the test ends. The database gets two
// agencies, "a" (IR) and "b" (TJ), each with one user of every role.
func Start(t testing.TB, gdb *gorm.DB) *Env {
	t.Helper()
	env := Serve(t, gdb, clock.NewFixed(startTime(t)))
	env.seed()
	return env
}

// startTime is when a test's clock starts: now, or MUSTER_TEST_NOW (RFC 3339)
// to replay a suite at a given instant, such as late in the UTC day when
// Dushanbe and Tehran are already on the next date.
func startTime(t testing.TB) time.Time {
	v := os.Getenv("MUSTER_TEST_NOW")
	if v == "" {
		return time.Now()
	}
	at, err := time.Parse(time.RFC3339, v)
	if err != nil {
		t.Fatalf("MUSTER_TEST_NOW: %v", err)
	}
	return at
}

// Serve starts a server over gdb without seeding, sharing clk.
func Serve(t testing.TB, gdb *gorm.DB, clk *clock.Fixed) *Env {
	t.Helper()
	cfg, err := config.LoadFrom(nil)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(&testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv := httptest.NewUnstartedServer(nil)
	cfg.BaseURL = "http://" + srv.Listener.Addr().String()
	cfg.WebhookAllowPrivate = true // receivers in tests listen on loopback
	a, err := app.New(cfg, gdb, clk, logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Certify.Close() }) // the PDF printer's Chromium, if started
	h, err := a.Web()
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	return &Env{T: t, App: a, Server: srv, URL: srv.URL, Clock: clk, Users: map[string]*identity.User{}, Agencies: map[string]*identity.Agency{},
		totpSecrets: map[string]string{}}
}

type testWriter struct{ t testing.TB }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (e *Env) seed() {
	ctx := context.Background()
	ids := e.App.Identity
	for key, country := range map[string]string{"a": "IR", "b": "TJ"} {
		ag, err := ids.CreateAgency(ctx, access.System(), identity.AgencyInput{Name: "Agency " + key, ShortName: strings.ToUpper(key) + "-AG", Country: country, Kind: "police"})
		if err != nil {
			e.T.Fatal(err)
		}
		e.Agencies[key] = ag
		for _, role := range access.AllRoles {
			cu, err := ids.Bootstrap(ctx, identity.UserInput{Email: role + "@" + key + ".example", FullName: strings.ToUpper(key) + " " + role,
				AgencyID: ag.ID, Roles: []string{role}, Password: Password, ServiceNumber: key + "-" + role})
			if err != nil {
				e.T.Fatal(err)
			}
			e.Users[key+"/"+role] = cu.User
		}
	}
}

// Client is an HTTP client with its own cookies and, once signed in, the CSRF token.
type Client struct {
	env   *Env
	HTTP  *http.Client
	CSRF  string
	Token string // bearer token, when set used instead of cookies
}

// Anonymous returns a client that has not signed in.
func (e *Env) Anonymous() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{env: e, HTTP: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// As signs in the user at key ("a/coordinator") through the API.
func (e *Env) As(key string) *Client {
	e.T.Helper()
	u, ok := e.Users[key]
	if !ok {
		e.T.Fatalf("no seeded user %q", key)
	}
	c := e.Anonymous()
	c.Login(u.Email, Password)
	return c
}

// Login signs in and keeps the CSRF token. It answers the second factor the
// way a person with an authenticator app would: it sets one up when the
// user's roles require it and none exists, and types the current code when
// one is set up.
func (c *Client) Login(email, password string) {
	c.env.T.Helper()
	res := c.Do("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": password})
	if res.Status != http.StatusOK {
		c.env.T.Fatalf("login %s: %d %s", email, res.Status, res.Body)
	}
	var body struct {
		CSRF             string `json:"csrf_token"`
		MFARequired      bool   `json:"mfa_required"`
		MFASetupRequired bool   `json:"mfa_setup_required"`
	}
	res.JSON(&body)
	c.CSRF = body.CSRF
	switch {
	case body.MFARequired:
		res = c.Do("POST", "/api/v1/auth/mfa", map[string]string{"code": c.env.TOTPCode(email)})
		if res.Status != http.StatusOK {
			c.env.T.Fatalf("second factor of %s: %d %s", email, res.Status, res.Body)
		}
		res.JSON(&body)
		c.CSRF = body.CSRF
	case body.MFASetupRequired:
		c.SetUpSecondFactor(email)
	}
}

// SetUpSecondFactor sets up an authenticator for the signed-in email, as
// the set-up pages would, and returns the recovery codes.
func (c *Client) SetUpSecondFactor(email string) []string {
	c.env.T.Helper()
	res := c.Do("POST", "/api/v1/me/mfa/totp", nil)
	if res.Status != http.StatusOK {
		c.env.T.Fatalf("begin second factor of %s: %d %s", email, res.Status, res.Body)
	}
	var setup struct {
		Secret string `json:"secret"`
	}
	res.JSON(&setup)
	c.env.totpSecrets[strings.ToLower(email)] = setup.Secret
	res = c.Do("POST", "/api/v1/me/mfa/totp/confirm", map[string]string{"code": c.env.TOTPCode(email)})
	if res.Status != http.StatusOK {
		c.env.T.Fatalf("confirm second factor of %s: %d %s", email, res.Status, res.Body)
	}
	var done struct {
		CSRF  string   `json:"csrf_token"`
		Codes []string `json:"recovery_codes"`
	}
	res.JSON(&done)
	c.CSRF = done.CSRF
	return done.Codes
}

// TOTPCode is the authenticator code for email now. The test clock stands
// still, so before each code the harness clears the account's replay guard
// (the last step accepted); the guard itself has tests of its own.
func (e *Env) TOTPCode(email string) string {
	e.T.Helper()
	secret, ok := e.totpSecrets[strings.ToLower(email)]
	if !ok {
		e.T.Fatalf("no authenticator was set up for %s by this harness", email)
	}
	err := e.App.DB.Exec(`UPDATE user_totp SET last_step = 0 WHERE user_id = (SELECT id FROM users WHERE email_key = ?)`, strings.ToLower(email)).Error
	if err != nil {
		e.T.Fatal(err)
	}
	code, err := totp.GenerateCodeCustom(secret, e.Clock.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		e.T.Fatal(err)
	}
	return code
}

// KnowsSecondFactor reports whether the harness holds email's authenticator.
func (e *Env) KnowsSecondFactor(email string) bool {
	_, ok := e.totpSecrets[strings.ToLower(email)]
	return ok
}

// Response is a finished request.
type Response struct {
	t      testing.TB
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r *Response) JSON(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		r.t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as a JSON object.
func (r *Response) Map() map[string]any {
	var m map[string]any
	r.JSON(&m)
	return m
}

// Do sends a request; a non-nil body that is not []byte or string is sent as JSON.
func (c *Client) Do(method, path string, body any, headers ...string) *Response {
	c.env.T.Helper()
	var raw []byte
	ct := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		raw, ct = b, "application/json"
	case string:
		raw, ct = []byte(b), "application/json"
	default:
		raw, _ = json.Marshal(b)
		ct = "application/json"
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.env.URL+path, rd)
	if err != nil {
		c.env.T.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if c.CSRF != "" {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	contract := c.beginContract(req, raw)
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.env.T.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	contract.check(c, res.StatusCode, res.Header, b)
	return &Response{t: c.env.T, Status: res.StatusCode, Header: res.Header, Body: b}
}

// RememberSecondFactor keeps a secret that a test set up through the pages.
func (e *Env) RememberSecondFactor(email, secret string) {
	e.totpSecrets[strings.ToLower(email)] = secret
}
