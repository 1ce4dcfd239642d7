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
	bearerKey = "bearer"
	userKey   = "user"
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
		u, err := s.Identity.Authenticate(c.Request.Context(), strings.TrimSpace(secret))
		if err != nil {
			s.fail(c, err)
			return
		}
		c.Set(bearerKey, true)
		s.setUser(c, u)
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
	s.setUser(c, u)
	c.Next()
}

func (s *Server) setUser(c *gin.Context, u *identity.User) {
	me := &Viewer{ID: u.ID, Name: u.FullName, Email: u.Email, AgencyID: u.AgencyID, Roles: u.RoleNames(), Language: u.Language}
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
		return u.Actor(c.ClientIP())
	}
	return access.Anonymous(c.ClientIP())
}

// require lets through signed-in users holding any of roles (any user when
// none are named). A user who must change their password is held at the
// change form until they do.
func (s *Server) require(roles ...string) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := currentUser(c)
		if u == nil {
			s.fail(c, apperr.New(apperr.CodeUnauthorized))
			return
		}
		if u.MustChangePassword && !passwordChangeAllowed(c) {
			if isAPI(c) {
				s.fail(c, apperr.New(apperr.CodePasswordChange))
			} else {
				c.Redirect(http.StatusSeeOther, "/me/password")
				c.Abort()
			}
			return
		}
		if len(roles) > 0 && !actor(c).HasAny(roles...) {
			s.fail(c, apperr.New(apperr.CodeForbidden))
			return
		}
		c.Next()
	}
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
