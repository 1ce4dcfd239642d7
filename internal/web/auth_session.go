package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/identity"
)

// Session keys.
const (
	sessUserID   = "user_id"
	sessEpoch    = "epoch"
	sessCSRF     = "csrf"
	sessSignedIn = "signed_in_at" // unix seconds, for the absolute timeout
	sessLastSeen = "last_seen"    // unix seconds, for the idle timeout; refreshed at most once a minute
	sessFlash    = "flash"
	// sessSecondFactor is true once the session passed a second factor.
	sessSecondFactor = "second_factor"
	// sessPending holds the user who gave the right password and still owes
	// the second factor; the session is not signed in until they give it.
	sessPending   = "mfa_pending"
	sessPendingAt = "mfa_pending_at"
)

// pendingTTL is how long the second step of a sign-in may take.
const pendingTTL = 5 * time.Minute

// newSessions configures scs: cookie flags, and the absolute lifetime as a
// backstop to the clock-driven checks in authenticate. The idle timeout is
// enforced there too, and not by scs, which would rewrite the session row on
// every request to move its expiry.
func newSessions(d Deps, store identity.SessionStore) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.Lifetime = d.Config.SessionLifetime
	sm.Cookie.Name = "muster_session"
	if d.Config.SecureCookies() {
		sm.Cookie.Name = "__Host-muster_session" // only over https, for this host and path /
	}
	sm.Cookie.Path = "/"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = d.Config.SecureCookies()
	sm.Cookie.Persist = false
	sm.ErrorFunc = func(w http.ResponseWriter, r *http.Request, err error) {
		d.Logger.Error("session", "err", err)
		http.Error(w, "session store unavailable", http.StatusServiceUnavailable)
	}
	return sm
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// csrfToken returns the session's CSRF token, or "" for a visitor without a session.
func (s *Server) csrfToken(c *gin.Context) string {
	if s.sessions == nil {
		return ""
	}
	return s.sessions.GetString(c.Request.Context(), sessCSRF)
}

// checkCSRF refuses a state-changing request authenticated by session cookie
// unless it carries the session's token, in the form or the X-CSRF-Token
// header. Bearer-token calls carry no ambient credentials and need none.
func (s *Server) checkCSRF(c *gin.Context) {
	if e, ok := c.Get(tooLargeKey); ok { // unread, the form carries no token to check
		s.fail(c, e.(*apperr.Error))
		return
	}
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	if c.GetBool(bearerKey) || csrfExempt(c) {
		c.Next()
		return
	}
	want := s.csrfToken(c)
	if want == "" { // no session: nothing ambient to forge; cross-origin posts are refused by CrossOriginProtection
		c.Next()
		return
	}
	got := c.GetHeader("X-CSRF-Token")
	if got == "" && !isAPI(c) {
		got = c.PostForm("csrf_token")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		s.fail(c, apperr.New(codeCSRF))
		return
	}
	c.Next()
}

// csrfExempt lists the API calls made before a session exists or while it is
// half-open; cross-origin protection still guards them.
func csrfExempt(c *gin.Context) bool {
	switch c.FullPath() {
	case "/api/v1/auth/login", "/api/v1/auth/mfa", "/api/v1/auth/password-reset", "/api/v1/auth/password-reset/confirm":
		return true
	}
	return false
}

// startSession signs u in: a new session id (against fixation), a new CSRF
// token, and whether a second factor was passed.
func (s *Server) startSession(c *gin.Context, u *identity.User, secondFactor bool) error {
	ctx := c.Request.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	now := s.Clock.Now().Unix()
	s.sessions.Remove(ctx, sessPending)
	s.sessions.Remove(ctx, sessPendingAt)
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessEpoch, u.SessionEpoch)
	s.sessions.Put(ctx, sessCSRF, randomToken())
	s.sessions.Put(ctx, sessSignedIn, now)
	s.sessions.Put(ctx, sessLastSeen, now)
	s.sessions.Put(ctx, sessSecondFactor, secondFactor)
	c.Set(secondFactorKey, secondFactor)
	return nil
}

// startPending opens a half-open session for u, who must still give the
// second factor: it signs nobody in.
func (s *Server) startPending(c *gin.Context, u *identity.User) error {
	ctx := c.Request.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Remove(ctx, sessUserID)
	s.sessions.Put(ctx, sessPending, u.ID)
	s.sessions.Put(ctx, sessPendingAt, s.Clock.Now().Unix())
	s.sessions.Put(ctx, sessCSRF, randomToken())
	return nil
}

// pendingUser is the user a half-open session waits on, while it lives.
func (s *Server) pendingUser(c *gin.Context) string {
	ctx := c.Request.Context()
	id := s.sessions.GetString(ctx, sessPending)
	at := time.Unix(s.sessions.GetInt64(ctx, sessPendingAt), 0)
	if id == "" || s.Clock.Now().Sub(at) > pendingTTL {
		return ""
	}
	return id
}

// markSecondFactor records that the signed-in session passed a second
// factor (after setting one up), with a new id and CSRF token. Setting the
// factor up ended the person's other sessions; this one takes the new epoch.
func (s *Server) markSecondFactor(c *gin.Context) error {
	ctx := c.Request.Context()
	u, err := s.Identity.UserByID(ctx, currentUser(c).ID)
	if err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessEpoch, u.SessionEpoch)
	s.sessions.Put(ctx, sessSecondFactor, true)
	c.Set(heldKey, false)
	s.sessions.Put(ctx, sessCSRF, randomToken())
	c.Set(secondFactorKey, true)
	return nil
}

// endSession signs the visitor out.
func (s *Server) endSession(c *gin.Context) error {
	return s.sessions.Destroy(c.Request.Context())
}

// flash queues a message for the next page.
func (s *Server) flash(c *gin.Context, kind, key string) {
	ctx := c.Request.Context()
	list := s.sessions.GetString(ctx, sessFlash)
	if list != "" {
		list += "\n"
	}
	s.sessions.Put(ctx, sessFlash, list+kind+":"+key)
}

func (s *Server) popFlashes(c *gin.Context) []Flash {
	if s.sessions == nil {
		return nil
	}
	ctx := c.Request.Context()
	if !s.sessions.Exists(ctx, sessFlash) {
		return nil
	}
	var out []Flash
	for _, line := range strings.Split(s.sessions.PopString(ctx, sessFlash), "\n") {
		if kind, key, ok := strings.Cut(line, ":"); ok {
			out = append(out, Flash{Kind: kind, Key: key})
		}
	}
	return out
}

// sessionExpired applies the idle and absolute timeouts with the server's clock.
func (s *Server) sessionExpired(c *gin.Context) bool {
	ctx := c.Request.Context()
	now := s.Clock.Now()
	signedIn := time.Unix(s.sessions.GetInt64(ctx, sessSignedIn), 0)
	lastSeen := time.Unix(s.sessions.GetInt64(ctx, sessLastSeen), 0)
	return now.Sub(signedIn) > s.Config.SessionLifetime || now.Sub(lastSeen) > s.Config.SessionIdleTimeout
}
