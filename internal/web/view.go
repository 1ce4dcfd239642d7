package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/i18n"
)

const (
	localizerKey = "localizer"
	viewerKey    = "viewer"
	langCookie   = "muster_lang"
)

// Viewer is the signed-in user as pages and handlers see them.
type Viewer struct {
	ID         string
	Name       string
	Email      string
	AgencyID   string
	AgencyName string
	Roles      []string
	Language   string
	Zone       *time.Location // the person's own zone, else their agency's
	Calendar   string         // "", "jalali" or "gregorian"
}

// Has reports whether the viewer holds role.
func (v *Viewer) Has(role string) bool {
	if v == nil {
		return false
	}
	for _, r := range v.Roles {
		if r == role {
			return true
		}
	}
	return false
}

func viewer(c *gin.Context) *Viewer {
	v, _ := c.Get(viewerKey)
	me, _ := v.(*Viewer)
	return me
}

func localizer(c *gin.Context) *i18n.Localizer {
	if v, ok := c.Get(localizerKey); ok {
		return v.(*i18n.Localizer)
	}
	return nil
}

// language picks the request's language: the user's preference (set once they
// are known), else the switcher's cookie, else Accept-Language, else English.
func (s *Server) language(c *gin.Context) {
	lang := ""
	if ck, err := c.Cookie(langCookie); err == nil && i18n.Supported(ck) {
		lang = ck
	}
	if lang == "" {
		lang = s.Messages.Match(c.GetHeader("Accept-Language"))
	}
	c.Set(localizerKey, s.Messages.For(lang))
	c.Next()
}

// view starts a page's View with the common parts filled in.
func (s *Server) view(c *gin.Context, titleKey string) *View {
	loc := localizer(c)
	v := &View{
		Localizer: loc,
		Title:     loc.T(titleKey),
		Path:      c.Request.URL.RequestURI(),
		Me:        viewer(c),
		Languages: i18n.Languages,
		RequestID: c.GetString(requestIDKey),
		CSRF:      s.csrfToken(c),
		Flashes:   s.popFlashes(c),
	}
	v.courseTitles = s.courseTitles(c)
	v.bodyLimit = s.bodyLimit
	if c.Request.Method == http.MethodPost {
		v.Posted = c.Request.PostForm
	}
	return v
}

// html renders a page, falling back to a plain error if the template fails.
func (s *Server) html(c *gin.Context, status int, page string, v *View) {
	if err := s.render.render(c.Writer, status, page, v); err != nil {
		s.Logger.Error("render", "request_id", c.GetString(requestIDKey), "page", page, "err", err)
		if !c.Writer.Written() {
			c.String(http.StatusInternalServerError, "internal error, request %s", c.GetString(requestIDKey))
		}
	}
}

// formErrors translates an error's field messages for re-rendering a form.
func formErrors(c *gin.Context, err error) (map[string]string, bool) {
	e, ok := apperr.As(err)
	if !ok || len(e.Fields) == 0 {
		return nil, false
	}
	loc := localizer(c)
	m := make(map[string]string, len(e.Fields))
	for _, f := range e.Fields {
		if _, dup := m[f.Field]; !dup {
			m[f.Field] = loc.TMap(f.Key, f.Args, nil)
		}
	}
	return m, true
}

// safeNext keeps a post-sign-in or post-switch redirect on this site.
func safeNext(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}
