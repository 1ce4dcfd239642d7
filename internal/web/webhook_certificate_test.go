package web_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
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
	"muster/internal/testworld"
	"muster/internal/webtest"
)

// TestWebhookTellsOfCertificateIssuedAndRevoked registers a webhook through
// the API as an agency admin (whom the contract lets register them), has a
// trainee of that agency earn a certificate by completing a cohort through
// the real services and a coordinator revoke it, runs the job queue, and
// receives certificate.issued then certificate.revoked on a local server,
// each signed as Standard Webhooks specifies (checked by verifySignature,
// written here from the specification). Another agency's webhook hears
// neither.
func TestWebhookTellsOfCertificateIssuedAndRevoked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		ours, theirs := startReceiver(t), startReceiver(t)
		events := []string{"certificate.issued", "certificate.revoked"}

		if res := env.As("a/coordinator").Do("POST", "/api/v1/webhooks", map[string]any{"url": ours.URL, "events": events}); res.Status != http.StatusForbidden {
			t.Errorf("a coordinator registers a webhook: %d %s", res.Status, res.Body)
		}
		res := env.As("a/agency_admin").Do("POST", "/api/v1/webhooks", map[string]any{"url": ours.URL + "/muster", "events": events})
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		secret, _ := res.Map()["secret"].(string)
		if !strings.HasPrefix(secret, "whsec_") {
			t.Fatalf("secret %q", secret)
		}
		if res := env.As("b/agency_admin").Do("POST", "/api/v1/webhooks", map[string]any{"url": theirs.URL, "events": events}); res.Status != http.StatusCreated {
			t.Fatalf("create for agency b: %d %s", res.Status, res.Body)
		}

		// The certificate is issued ten days ago and revoked now.
		w := &testworld.World{T: t, DB: gdb, Ctx: context.Background(), Clock: env.Clock, App: env.App}
		coord := env.Users["a/coordinator"].Actor("192.0.2.9")
		course := w.Course(coord, testworld.Standard{PassMark: 60, MinAttendancePercent: 80, ValidityMonths: 24})
		trainee := w.Person(env.Agencies["a"].ID, "Farid Rahimi")
		now := env.Clock.Now()
		issued := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -10)
		number := w.Certificates(coord, course, issued, trainee)[0]
		w.Revoke(coord, number, "Issued in error")

		if err := env.App.Jobs.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = env.App.Jobs.Stop(ctx)
		})
		got := ours.wait(t, 2)
		types := map[string]bool{}
		for _, r := range got {
			if err := verifySignature(secret, r.header, r.body); err != nil {
				t.Errorf("%v\n%s", err, r.body)
			}
			if ts, err := strconv.ParseInt(r.header.Get("webhook-timestamp"), 10, 64); err != nil || ts != env.Clock.Now().Unix() {
				t.Errorf("timestamp %q, want %d", r.header.Get("webhook-timestamp"), env.Clock.Now().Unix())
			}
			var payload struct {
				Type string         `json:"type"`
				Data map[string]any `json:"data"`
			}
			if err := json.Unmarshal(r.body, &payload); err != nil || payload.Data["number"] != number || payload.Data["holder_name"] != "Farid Rahimi" {
				t.Errorf("payload: %s (%v)", r.body, err)
			}
			if payload.Type == "certificate.revoked" && payload.Data["revoked_at"] == nil {
				t.Errorf("revocation without revoked_at: %s", r.body)
			}
			types[payload.Type] = true
		}
		if len(got) != 2 || !types["certificate.issued"] || !types["certificate.revoked"] {
			t.Errorf("received %d deliveries of %v, want certificate.issued and certificate.revoked", len(got), types)
		}
		if got[0].header.Get("webhook-id") == got[1].header.Get("webhook-id") {
			t.Errorf("two deliveries share the message id %s", got[0].header.Get("webhook-id"))
		}
		// Tampering breaks the signature: the check can fail.
		if verifySignature(secret, got[0].header, append([]byte(" "), got[0].body...)) == nil {
			t.Error("a changed body still verifies")
		}
		time.Sleep(200 * time.Millisecond)
		if n := len(theirs.requests()); n != 0 {
			t.Errorf("another agency's webhook received %d deliveries", n)
		}
	})
}

// receiver is a local HTTP server that keeps what it is sent and answers 204.
type receiver struct {
	*httptest.Server
	mu  sync.Mutex
	got []received
}

func startReceiver(t *testing.T) *receiver {
	t.Helper()
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{req.Header.Clone(), b})
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// wait waits until r has received n requests, for at most 30 seconds.
func (r *receiver) wait(t *testing.T, n int) []received {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for len(r.requests()) < n && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	got := r.requests()
	if len(got) < n {
		t.Fatalf("receiver got %d requests, want %d", len(got), n)
	}
	return got
}

// verifySignature checks a delivery as a receiver following the Standard
// Webhooks specification would: the key is the secret after "whsec_",
// base64-decoded; the signed content is "webhook-id.webhook-timestamp.body";
// webhook-signature lists space-separated "v1,<base64 HMAC-SHA256>" of
// which one must match.
func verifySignature(secret string, h http.Header, body []byte) error {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return err
	}
	id, ts := h.Get("webhook-id"), h.Get("webhook-timestamp")
	if id == "" || ts == "" {
		return fmt.Errorf("webhook-id %q or webhook-timestamp %q missing", id, ts)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	want := mac.Sum(nil)
	for _, sig := range strings.Fields(h.Get("webhook-signature")) {
		version, b64, ok := strings.Cut(sig, ",")
		if !ok || version != "v1" {
			continue
		}
		if got, err := base64.StdEncoding.DecodeString(b64); err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return fmt.Errorf("no v1 signature in %q matches", h.Get("webhook-signature"))
}
