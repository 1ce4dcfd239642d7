package web

import (
	"maps"
	"net/url"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/i18n"
)

// byteSize is a message argument counted in bytes, written in the
// reader's units and digits when the message is translated.
type byteSize int64

// sizeIn writes n bytes in whole MiB when it is a whole number of them,
// else in KiB, in loc's language.
func sizeIn(loc *i18n.Localizer, n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return loc.T("size.mib", "N", loc.Int(int(n>>20)))
	}
	return loc.T("size.kib", "N", loc.Int(int(n>>10)))
}

// localArgs is args with each byteSize written for loc; args itself is
// left as it is.
func localArgs(loc *i18n.Localizer, args map[string]any) map[string]any {
	var out map[string]any
	for k, v := range args {
		n, ok := v.(byteSize)
		if !ok {
			continue
		}
		if out == nil {
			out = maps.Clone(args)
		}
		out[k] = sizeIn(loc, int64(n))
	}
	if out == nil {
		return args
	}
	return out
}

func tooLarge(limit int64) *apperr.Error {
	return apperr.New(apperr.CodeTooLarge).WithArgs("Limit", byteSize(limit))
}

// sameOriginReferer is the path of the page the request came from when
// that page is on this site, for an error page's way back; "" otherwise.
func sameOriginReferer(c *gin.Context) string {
	ref := c.GetHeader("Referer")
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || u.Host != c.Request.Host || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	back := u.EscapedPath()
	if u.RawQuery != "" {
		back += "?" + u.RawQuery
	}
	if safeNext(back) != back {
		return ""
	}
	return back
}
