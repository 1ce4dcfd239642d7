package web

import (
	"fmt"
	"hash/fnv"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// catalogueMaxAge is how long browsers and shared caches may keep an
// anonymous catalogue answer without asking again: short, so a published
// course shows within half a minute.
const catalogueMaxAge = 30 * time.Second

// catalogueTag is the validator of an anonymous catalogue answer.
type catalogueTag struct {
	etag     string
	modified time.Time
}

// catalogueConditional tags an anonymous visitor's catalogue request with
// the catalogue's version, the answer's language and the query, and
// answers 304 when the visitor already holds that answer. Signed-in and
// personal requests are never tagged (nil): they stay no-store.
func (s *Server) catalogueConditional(c *gin.Context) (*catalogueTag, bool) {
	if !s.anonymousRequest(c) {
		return nil, false
	}
	st, err := s.Courses.Stamp(c.Request.Context())
	if err != nil {
		return nil, false // the search itself will report the database
	}
	h := fnv.New64a()
	h.Write([]byte(c.Request.URL.Path + "?" + c.Request.URL.RawQuery))
	lang := ""
	if loc := localizer(c); loc != nil {
		lang = loc.Lang
	}
	t := &catalogueTag{etag: fmt.Sprintf(`W/"cat-%d-%s-%x"`, st.Version, lang, h.Sum64()), modified: st.ChangedAt()}
	if !t.fresh(c.Request) {
		return t, false
	}
	t.apply(c)
	// The stored answer keeps the policy (and nonce) it was sent with.
	c.Writer.Header().Del("Content-Security-Policy")
	c.AbortWithStatus(http.StatusNotModified)
	return t, true
}

// fresh reports whether the request's validators match: If-None-Match
// when sent, else If-Modified-Since.
func (t *catalogueTag) fresh(r *http.Request) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, e := range strings.Split(inm, ",") {
			e = strings.TrimSpace(e)
			if e == "*" || strings.TrimPrefix(e, "W/") == strings.TrimPrefix(t.etag, "W/") {
				return true
			}
		}
		return false
	}
	since, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !t.modified.After(since)
}

// apply sets the validators and the short public caching on a successful
// answer; nil (a signed-in request) sets nothing.
func (t *catalogueTag) apply(c *gin.Context) {
	if t == nil {
		return
	}
	h := c.Writer.Header()
	h.Set("ETag", t.etag)
	h.Set("Last-Modified", t.modified.Format(http.TimeFormat))
	h.Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(catalogueMaxAge.Seconds())))
	h.Add("Vary", "Accept-Language, Cookie")
}

// anonymousRequest reports a request with no user, no bearer token and no
// session cookie: nothing in its answer can be personal.
func (s *Server) anonymousRequest(c *gin.Context) bool {
	if actor(c).SignedIn() || c.GetHeader("Authorization") != "" {
		return false
	}
	if s.sessions != nil {
		if _, err := c.Cookie(s.sessions.Cookie.Name); err == nil {
			return false
		}
	}
	return true
}
