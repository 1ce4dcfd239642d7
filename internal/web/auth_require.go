package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/identity"
)

const (
	bearerKey       = "bearer"
	userKey         = "user"
	secondFactorKey = "second_factor" // the session or token passed a second factor
	heldKey         = "held"          // the roles need a second factor the session has not passed
)

// authenticate identifies the caller by bearer token or session cookie. A
// bad token is refused; an expired, outdated or disabled session is ended and
// the visitor continues anonymously.
func (s *Server) authenticate(c *gin.Context) {
	if h := c.GetHeader("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			s.fail(c, apperr.New(apperr.CodeUnauthorized))
			return
		}
		u, t, err := s.Identity.Authenticate(c.Request.Context(), strings.TrimSpace(secret))
		if err != nil {
			s.fail(c, err)
			return
		}
		if t.ReadOnly && !safeMethod(c.Request.Method) {
			s.fail(c, &apperr.Error{Code: apperr.CodeForbidden, Key: "token.read_only_refused"})
			return
		}
		c.Set(bearerKey, true)
		c.Set(secondFactorKey, true) // tokens are made only from sessions that passed one
		s.setUser(c, u)
		c.Header("Cache-Control", "no-store")
		c.Next()
		return
	}
	ctx := c.Request.Context()
	id := s.sessions.GetString(ctx, sessUserID)
	if id == "" {
		c.Next()
		return
	}
	u, err := s.Identity.UserByID(ctx, id)
	switch {
	case err != nil && apperr.CodeOf(err) != apperr.CodeNotFound:
		s.fail(c, err)
		return
	case err != nil, u.Disabled(), u.SessionEpoch != s.sessions.GetInt(ctx, sessEpoch), s.sessionExpired(c):
		_ = s.endSession(c)
		if !isAPI(c) {
			s.flash(c, "info", "auth.session_ended")
		}
		c.Next()
		return
	}
	// Refreshing the idle mark writes the session row, so do it at most once a minute.
	if now := s.Clock.Now().Unix(); now-s.sessions.GetInt64(ctx, sessLastSeen) >= 60 {
		s.sessions.Put(ctx, sessLastSeen, now)
	}
	passed := s.sessions.GetBool(ctx, sessSecondFactor)
	c.Set(secondFactorKey, passed)
	c.Set(heldKey, !passed && s.Identity.RequiresSecondFactor(u))
	s.setUser(c, u)
	c.Header("Cache-Control", "no-store") // personal pages and answers stay out of shared caches
	c.Next()
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func (s *Server) setUser(c *gin.Context, u *identity.User) {
	me := &Viewer{ID: u.ID, Name: u.FullName, Email: u.Email, AgencyID: u.AgencyID, Roles: u.RoleNames(), Language: u.Language,
		Calendar: u.Calendar}
	if u.ZoneName() != "" { // else pages show each record's own zone
		me.Zone = u.Zone()
	}
	if u.Agency != nil {
		me.AgencyName = u.Agency.ShortName
	}
	c.Set(viewerKey, me)
	c.Set(userKey, u)
	c.Set(localizerKey, s.Messages.For(u.Language)) // the user's preference wins
}

func currentUser(c *gin.Context) *identity.User {
	u, _ := c.Get(userKey)
	cu, _ := u.(*identity.User)
	return cu
}

// actor is who the request acts as, for the services.
func actor(c *gin.Context) access.Actor {
	if u := currentUser(c); u != nil {
		a := u.Actor(c.ClientIP())
		a.SecondFactor = c.GetBool(secondFactorKey)
		if c.GetBool(heldKey) {
			a.Roles = nil // until the factor is set up, the roles that need it give nothing
		}
		return a
	}
	return access.Anonymous(c.ClientIP())
}

// require lets through signed-in users holding any of roles (any user when
// none are named). A user who must change their password is held at the
// change form until they do; then one whose roles need a second factor is
// held at its set-up until it is confirmed.
func (s *Server) require(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil {
			s.fail(c, apperr.New(apperr.CodeUnauthorized))
			return
		}
		if u.MustChangePassword && !passwordChangeAllowed(c) {
			s.holdAt(c, apperr.CodePasswordChange, "/me/password")
			return
		}
		if !c.GetBool(secondFactorKey) && s.Identity.RequiresSecondFactor(u) && !mfaSetupAllowed(c) {
			s.holdAt(c, identity.CodeMFASetupRequired, "/me/mfa")
			return
		}
		if len(roles) > 0 && !actor(c).HasAny(roles...) {
			s.fail(c, apperr.New(apperr.CodeForbidden))
			return
		}
		c.Next()
	}
}

// holdAt refuses an API call with code, or sends a page visitor to path.
func (s *Server) holdAt(c *gin.Context, code, path string) {
	if isAPI(c) {
		s.fail(c, apperr.New(code))
		return
	}
	c.Redirect(http.StatusSeeOther, path)
	c.Abort()
}

// mfaSetupAllowed lists what a session that must set up a second factor may
// still do: read itself, change its password, set up the factor, sign out.
func mfaSetupAllowed(c *gin.Context) bool {
	switch c.FullPath() {
	case "/api/v1/me":
		return c.Request.Method == http.MethodGet
	case "/api/v1/me/password", "/api/v1/me/mfa/totp", "/api/v1/me/mfa/totp/confirm":
		return c.Request.Method == http.MethodPost
	case "/me/password", "/me/mfa", "/me/mfa/totp", "/me/mfa/totp/confirm", "/logout", "/api/v1/auth/logout":
		return true
	}
	return false
}

// passwordChangeAllowed lists what a user with a forced password change may still do.
func passwordChangeAllowed(c *gin.Context) bool {
	switch c.FullPath() {
	case "/api/v1/me/password":
		return c.Request.Method == http.MethodPost
	case "/me/password", "/logout", "/api/v1/auth/logout":
		return true
	}
	return false
}
