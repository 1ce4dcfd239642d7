package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"muster/internal/catalog"
	"muster/internal/i18n"
	"muster/static"
	"muster/templates"
)

// View is what every page template receives: the translator, the signed-in
// user, the CSRF token, flash messages, and the page's own data.
type View struct {
	*i18n.Localizer
	Title     string
	Path      string // current path, for the language switcher's return
	CSRF      string
	Me        *Viewer
	Flashes   []Flash
	Languages []string
	Data      any
	Form      any               // the user's input, echoed back on errors
	Errors    map[string]string // translated message per field
	Posted    url.Values        // the submitted form, so a re-rendered field keeps what was typed
	RequestID string

	courseTitles func() catalog.Titles // read on a page's first course title
	bodyLimit    func(route string) int64
}

// UploadLimit is the largest body the form posting to route (as
// registered, "/manage/cohorts/:id/nominate") may send, in the page's
// language, so a file field can say it before the file is sent.
func (v *View) UploadLimit(route string) string {
	if v.bodyLimit == nil {
		return ""
	}
	return sizeIn(v.Localizer, v.bodyLimit(route))
}

// Flash is a one-time message shown on the next page.
type Flash struct {
	Kind string // success, error, info
	Key  string // message key
}

// Typed is what was typed into a form field when the page re-renders a
// submitted form, else value: a field that could not be read (letters in a
// number) shows the input, not a zero.
func (v *View) Typed(name string, value any) any {
	if vs, ok := v.Posted[name]; ok && len(vs) > 0 {
		return vs[0]
	}
	return value
}

// FieldError returns the translated error of a form field, if any.
func (v *View) FieldError(field string) string { return v.Errors[field] }

// renderer holds one parsed template set per page.
type renderer struct {
	pages  map[string]*template.Template
	assets map[string]string // asset path -> short checksum
}

func newRenderer() (*renderer, error) {
	r := &renderer{pages: map[string]*template.Template{}, assets: map[string]string{}}
	if err := fs.WalkDir(static.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static.FS, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		r.assets[p] = hex.EncodeToString(sum[:6])
		return nil
	}); err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"asset":      r.assetURL,
		"date":       func(t time.Time) string { return t.Format("2006-01-02") },
		"add":        func(a, b int) int { return a + b },
		"join":       strings.Join,
		"hasPrefix":  strings.HasPrefix,
		"dir":        i18n.Dir,
		"paragraphs": paragraphs,
		"contains": func(list []string, v string) bool {
			for _, x := range list {
				if x == v {
					return true
				}
			}
			return false
		},
		"dict": func(kv ...any) map[string]any {
			m := make(map[string]any, len(kv)/2)
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templates.FS, "layout.html", "partials/*.html")
	if err != nil {
		return nil, err
	}
	pages, err := fs.Glob(templates.FS, "*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		if p == "layout.html" {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templates.FS, p); err != nil {
			return nil, fmt.Errorf("template %s: %w", p, err)
		}
		r.pages[strings.TrimSuffix(p, ".html")] = t
	}
	return r, nil
}

// assetURL gives a static file's URL with its checksum, so it can be cached for a year.
func (r *renderer) assetURL(name string) string {
	return "/static/" + name + "?v=" + r.assets[name]
}

// render executes page into a buffer first, so a template error never sends half a page.
func (r *renderer) render(w http.ResponseWriter, status int, page string, v *View) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("no template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// document executes a standalone page (a printed document with its own
// <html>, outside the site's layout) into bytes.
func (r *renderer) document(page string, data any) ([]byte, error) {
	t, ok := r.pages[page]
	if !ok {
		return nil, fmt.Errorf("no template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, page+".html", data); err != nil {
		return nil, fmt.Errorf("render %s: %w", page, err)
	}
	return buf.Bytes(), nil
}

// serveStatic serves embedded assets; a URL with the current checksum is immutable.
func (r *renderer) serveStatic(c *gin.Context) {
	name := strings.TrimPrefix(path.Clean(c.Param("filepath")), "/")
	sum, ok := r.assets[name]
	if !ok {
		c.Status(http.StatusNotFound)
		return
	}
	if c.Query("v") == sum {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "public, max-age=300")
	}
	c.Header("ETag", `"`+sum+`"`)
	c.FileFromFS(name, http.FS(static.FS))
}

// paragraphs splits plain text at blank lines; users' text is never HTML.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
