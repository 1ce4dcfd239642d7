package web_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestCalendarSubscribeLink: the page that creates a feed links it for
// calendar apps as webcal:// and https://, both working addresses, never
// html/template's "#ZgotmplZ" placeholder for a refused URL.
func TestCalendarSubscribeLink(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := env.As("a/instructor")
	res := c.Do("POST", "/me/calendar/feed", "", "Content-Type", "application/x-www-form-urlencoded")
	body := string(res.Body)
	if res.Status != http.StatusOK || strings.Contains(body, "ZgotmplZ") {
		t.Fatalf("feed page: %d %s", res.Status, body)
	}
	host := strings.TrimPrefix(env.URL, "http://")
	webcal := regexp.MustCompile(`id="feed-webcal" href="webcal://` + regexp.QuoteMeta(host) + `/feeds/([A-Za-z0-9_.-]+)"`).FindStringSubmatch(body)
	https := regexp.MustCompile(`id="feed-https" href="` + regexp.QuoteMeta(env.URL) + `/feeds/([A-Za-z0-9_.-]+)"`).FindStringSubmatch(body)
	if webcal == nil || https == nil || webcal[1] != https[1] {
		t.Fatalf("subscribe links: %s", body)
	}
	// The https twin of the link is the feed itself.
	feed := env.Anonymous().Do("GET", "/feeds/"+https[1], nil)
	if feed.Status != http.StatusOK || !strings.HasPrefix(string(feed.Body), "BEGIN:VCALENDAR") {
		t.Fatalf("feed: %d %s", feed.Status, feed.Body)
	}
}
