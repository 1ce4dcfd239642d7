package web

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"time"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
)

const requestIDKey = "request_id"

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID takes a well-formed X-Request-ID from the client or proxy, else makes one.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !validRequestID.MatchString(id) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Set(requestIDKey, id)
	c.Header("X-Request-ID", id)
	c.Next()
}

// logRequests writes one structured line per request. It logs the path without
// its query string, which may carry calendar-feed or verification secrets.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	status := c.Writer.Status()
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	attrs := []slog.Attr{
		slog.String("request_id", c.GetString(requestIDKey)),
		slog.String("method", c.Request.Method),
		slog.String("route", c.FullPath()),
		slog.String("path", redactPath(c)),
		slog.Int("status", status),
		slog.Duration("duration", time.Since(start)),
		slog.String("ip", c.ClientIP()),
	}
	if me := viewer(c); me != nil {
		attrs = append(attrs, slog.String("user_id", me.ID))
	}
	s.Logger.LogAttrs(c.Request.Context(), level, "request", attrs...)
}

// redactPath hides path parameters that are secrets (feed tokens, verification codes).
func redactPath(c *gin.Context) string {
	for _, p := range c.Params {
		if p.Key == "token" || p.Key == "code" {
			return c.FullPath()
		}
	}
	return c.Request.URL.Path
}

// recover turns a panic into a logged error and a generic answer.
func (s *Server) recover(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if err, ok := v.(error); ok && err == http.ErrAbortHandler {
				panic(v) // the client went away mid-stream; let net/http handle it
			}
			s.Logger.Error("panic", "request_id", c.GetString(requestIDKey), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				s.fail(c, fmt.Errorf("panic: %v", v))
			}
			c.Abort()
		}
	}()
	c.Next()
}

// largeBodyRoutes may receive files bigger than the default limit.
var largeBodyRoutes = map[string]int64{
	"/api/v1/users/import": maxImportBytes,
	"/manage/users/import": maxImportBytes,
}

// bodyLimit is the largest body the route (as registered) accepts.
func (s *Server) bodyLimit(route string) int64 {
	if l, ok := largeBodyRoutes[route]; ok {
		return l
	}
	return s.Config.MaxBodyBytes
}

// limitBody caps request bodies; reading past the cap fails with *http.MaxBytesError.
func (s *Server) limitBody(c *gin.Context) {
	limit := s.bodyLimit(c.FullPath())
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	}
	c.Next()
}

// securityHeaders sets the headers every answer carries.
func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	if s.Config.SecureCookies() {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	c.Next()
}

func (s *Server) notFound(c *gin.Context) { s.fail(c, apperr.NotFound()) }

func (s *Server) methodNotAllowed(c *gin.Context) {
	s.fail(c, apperr.New(codeMethodNotAllowed))
}
