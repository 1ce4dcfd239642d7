// Package web serves muster's pages and JSON API with Gin. Handlers bind a
// request, call one capability service, and render HTML or JSON; business
// rules live in the capability packages.
package web

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/alexedwards/scs/v2"
	"github.com/gin-contrib/gzip"
	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"muster/internal/audit"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/config"
	"muster/internal/enrollment"
	"muster/internal/export"
	"muster/internal/i18n"
	"muster/internal/identity"
	"muster/internal/notify"
	"muster/internal/roster"
	"muster/internal/webhook"
)

// Deps is everything the web layer needs, built by the caller.
type Deps struct {
	Config   config.Config
	DB       *gorm.DB      // only for readiness and pool metrics; handlers use services
	Messages *i18n.Catalog // translated messages of every language (not the course catalogue)
	Clock    clock.Clock
	Logger   *slog.Logger

	Identity *identity.Service
	Audit    *audit.Service
	Courses  *catalog.Service
	Cohorts  *cohort.Service
	Roster   *roster.Service
	Enroll   *enrollment.Service
	Certify  *certify.Service
	Exports  *export.Service
	Webhooks *webhook.Service
	Notices  *notify.Inbox
}

// Server is muster's HTTP handler.
type Server struct {
	Deps
	engine   *gin.Engine
	render   *renderer
	registry *prometheus.Registry
	sessions *scs.SessionManager
	handler  http.Handler
}

func init() {
	gin.SetMode(gin.ReleaseMode)
	// Services validate their inputs, so HTML forms and the JSON API share one
	// set of rules; Gin's binding only maps form fields to structs.
	binding.Validator = nil
}

// New builds the router with every middleware and route.
func New(d Deps) (*Server, error) {
	if d.Clock == nil {
		d.Clock = clock.System{}
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	r, err := newRenderer()
	if err != nil {
		return nil, err
	}
	s := &Server{Deps: d, render: r, registry: prometheus.NewRegistry()}
	s.sessions = newSessions(d, identity.SessionStore{DB: d.DB})
	e := gin.New()
	e.ContextWithFallback = true // c.Done() and c.Value() follow the request's context
	if err := e.SetTrustedProxies(d.Config.TrustedProxies); err != nil {
		return nil, err
	}
	e.HandleMethodNotAllowed = true
	metrics := s.newMetrics()
	e.Use(s.requestID, s.logRequests, s.recover, metrics.observe, s.limitBody, s.securityHeaders, s.language)
	e.Use(gzip.Gzip(gzip.DefaultCompression, gzip.WithExcludedPaths([]string{"/metrics", "/static/img", "/api/v1/exports/", "/manage/exports/download"}),
		gzip.WithExcludedExtensions([]string{".pdf", ".zip", ".png", ".xlsx"})))
	e.Use(s.checkInput)
	e.NoRoute(s.notFound)
	e.NoMethod(s.methodNotAllowed)
	s.engine = e
	s.routes()
	// Sessions wrap the whole engine (per-route adapters lose the cookie), and
	// the standard library refuses cross-origin state-changing requests first.
	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin(strings.TrimRight(d.Config.BaseURL, "/")); err != nil {
		return nil, err
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"type":"/problems/csrf_failed","title":"Forbidden","status":403,"code":"csrf_failed","detail":"Cross-origin request refused."}`))
	}))
	s.handler = cop.Handler(s.sessions.LoadAndSave(e))
	return s, nil
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// isAPI reports whether a request is for the JSON API, which answers problem documents.
func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// Route is one registered method and path pattern.
type Route struct{ Method, Path string }

// Routes lists every registered route, for the access matrix test.
func (s *Server) Routes() []Route {
	var out []Route
	for _, r := range s.engine.Routes() {
		out = append(out, Route{Method: r.Method, Path: r.Path})
	}
	return out
}
