package web_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// received is one request a test receiver got.
type received struct {
	header http.Header
	body   []byte
}

// TestWebhookIsSignedDeliveredAndScoped registers a webhook as an agency
// admin, enrolls a trainee of that agency, and receives enrollment.changed
// on a local HTTP server through the job queue; the signature is checked
// with the Standard Webhooks algorithm written out here. The secret is shown
// once; another agency's admin sees and deletes nothing of it; a trainee may
// not register one; bad input is refused field by field.
func TestWebhookIsSignedDeliveredAndScoped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		var mu sync.Mutex
		var got []received
		failFirst := true
		receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			got = append(got, received{r.Header.Clone(), b})
			if failFirst { // the first attempt fails: the queue must retry
				failFirst = false
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusNoContent)
		}))
		t.Cleanup(receiver.Close)

		admin := env.As("a/agency_admin")
		res := admin.Do("POST", "/api/v1/webhooks", map[string]any{"url": receiver.URL + "/hook", "events": []string{"enrollment.changed"}})
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		hook := res.Map()
		secret, _ := hook["secret"].(string)
		id, _ := hook["id"].(string)
		if !strings.HasPrefix(secret, "whsec_") || id == "" {
			t.Fatalf("create answer: %s", res.Body)
		}
		res = admin.Do("GET", "/api/v1/webhooks/"+id, nil)
		if res.Status != http.StatusOK || strings.Contains(string(res.Body), secret) || strings.Contains(string(res.Body), "whsec_") {
			t.Fatalf("the secret is shown again or the hook is missing: %d %s", res.Status, res.Body)
		}
		if res = env.As("b/agency_admin").Do("GET", "/api/v1/webhooks/"+id, nil); res.Status != http.StatusNotFound {
			t.Errorf("another agency's admin reads it: %d", res.Status)
		}
		if res = env.As("b/agency_admin").Do("DELETE", "/api/v1/webhooks/"+id, nil); res.Status != http.StatusNotFound {
			t.Errorf("another agency's admin deletes it: %d", res.Status)
		}
		if res = env.As("a/trainee").Do("POST", "/api/v1/webhooks", map[string]any{"url": receiver.URL, "events": []string{"enrollment.changed"}}); res.Status != http.StatusForbidden {
			t.Errorf("a trainee registers a webhook: %d", res.Status)
		}
		res = admin.Do("POST", "/api/v1/webhooks", map[string]any{"url": "ftp://x.example/", "events": []string{"certificate.eaten"}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"events[0]"`) {
			t.Errorf("bad events: %d %s", res.Status, res.Body)
		}
		res = admin.Do("POST", "/api/v1/webhooks", map[string]any{"url": "ftp://x.example/", "events": []string{"certificate.issued"}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"url"`) {
			t.Errorf("bad url: %d %s", res.Status, res.Body)
		}

		if err := env.App.Jobs.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = env.App.Jobs.Stop(ctx)
		})
		c := newEnrollmentScene(t, gdb, env.Clock.Now(), env.Agencies["a"].ID, 3, nil)
		res = env.As("a/trainee").Do("POST", "/api/v1/cohorts/"+c.ID+"/enrollments", nil)
		if res.Status != http.StatusCreated {
			t.Fatalf("enroll: %d %s", res.Status, res.Body)
		}
		enrollmentID := res.Map()["id"]
		// The first attempt is refused; once the queue has recorded the
		// refusal, the retry falls due 5 seconds later on the test's clock.
		deadline, advanced := time.Now().Add(60*time.Second), false
		for {
			mu.Lock()
			n := len(got)
			mu.Unlock()
			if n >= 2 {
				break
			}
			if n == 1 && !advanced && refused(t, gdb) {
				env.Clock.Advance(5 * time.Second)
				advanced = true
			}
			if time.Now().After(deadline) {
				t.Fatalf("receiver got %d requests, want 2", n)
			}
			time.Sleep(20 * time.Millisecond)
		}
		mu.Lock()
		last := got[1]
		if got[0].header.Get("webhook-id") != last.header.Get("webhook-id") {
			t.Errorf("a retry changed the message id: %s then %s", got[0].header.Get("webhook-id"), last.header.Get("webhook-id"))
		}
		mu.Unlock()
		// Standard Webhooks: base64 HMAC-SHA256, keyed by the secret's base64 part, of "id.timestamp.body".
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
		if err != nil {
			t.Fatal(err)
		}
		msgID, ts := last.header.Get("webhook-id"), last.header.Get("webhook-timestamp")
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(msgID + "." + ts + "." + string(last.body)))
		want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
		if sig := last.header.Get("webhook-signature"); sig != want || msgID == "" {
			t.Errorf("signature %q, want %q", sig, want)
		}
		if n, err := strconv.ParseInt(ts, 10, 64); err != nil || n != env.Clock.Now().Unix() {
			t.Errorf("timestamp %q, want %d", ts, env.Clock.Now().Unix())
		}
		var payload struct {
			Type      string         `json:"type"`
			Timestamp string         `json:"timestamp"`
			Data      map[string]any `json:"data"`
		}
		if err := json.Unmarshal(last.body, &payload); err != nil || payload.Type != "enrollment.changed" || payload.Data["id"] != enrollmentID ||
			payload.Data["status"] != "enrolled" {
			t.Errorf("payload: %s (%v)", last.body, err)
		}

		// The delivery is listed with its last status.
		deadline = time.Now().Add(10 * time.Second)
		for {
			res = admin.Do("GET", "/api/v1/webhooks/"+id, nil)
			var detail struct {
				Deliveries []struct {
					Event       string  `json:"event"`
					Attempts    int     `json:"attempts"`
					LastStatus  int     `json:"last_status"`
					DeliveredAt *string `json:"delivered_at"`
				} `json:"deliveries"`
			}
			res.JSON(&detail)
			if len(detail.Deliveries) == 1 && detail.Deliveries[0].DeliveredAt != nil {
				if d := detail.Deliveries[0]; d.Attempts != 2 || d.LastStatus != http.StatusNoContent || d.Event != "enrollment.changed" {
					t.Errorf("delivery: %+v", d)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("delivery not recorded as delivered: %s", res.Body)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if res = admin.Do("DELETE", "/api/v1/webhooks/"+id, nil); res.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", res.Status, res.Body)
		}
		if res = admin.Do("GET", "/api/v1/webhooks", nil); res.Status != http.StatusOK || res.Map()["total"] != 0.0 {
			t.Errorf("list after delete: %d %s", res.Status, res.Body)
		}
	})
}

// refused reports whether the queue has recorded a delivery's failed
// attempt and waits to retry it.
func refused(t *testing.T, gdb *gorm.DB) bool {
	t.Helper()
	var n int64
	if err := gdb.Table("river_job").Where("kind = ? AND attempt >= 1 AND state IN ?", "webhook.deliver", []string{"retryable", "available"}).
		Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n > 0
}
