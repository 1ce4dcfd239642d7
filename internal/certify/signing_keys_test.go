package certify_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/certify"
	"muster/internal/db/dbtest"
	"muster/internal/secret"
)

func box(t *testing.T, fill byte) *secret.Box {
	t.Helper()
	b, err := secret.NewBox(bytes.Repeat([]byte{fill}, secret.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func storedKeys(t *testing.T, gdb *gorm.DB) []certify.SigningKey {
	t.Helper()
	var keys []certify.SigningKey
	if err := gdb.Order("created_at").Find(&keys).Error; err != nil {
		t.Fatal(err)
	}
	return keys
}

func methodOf(t *testing.T, raw []byte) string {
	t.Helper()
	var c certify.Credential
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c.Proof.VerificationMethod
}

// TestRotateKey rotates the signing key while another process has the old
// one in hand: from then both sign with the new key, the DID document lists
// both, the new first, and credentials of either key verify.
func TestRotateKey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		other := w.fresh(nil)
		cert := w.certificate(w.user(w.guest, "Holder", access.Trainee), w.course(0, 0, 0), day("2026-01-10"), nil)
		before, _ := w.signed(other, w.admin, cert.Number)

		w.clock.Advance(time.Minute)
		k, err := w.svc.RotateKey(ctx(), w.admin)
		if err != nil {
			t.Fatal(err)
		}
		after, doc := w.signed(other, w.admin, cert.Number)
		if methodOf(t, after) != "did:web:muster.example#"+k.PublicKey || methodOf(t, after) == methodOf(t, before) {
			t.Fatalf("after rotation another process signs with %s; new key %s, old %s", methodOf(t, after), k.PublicKey, methodOf(t, before))
		}
		d, err := certify.ParseIssuerDocument(doc)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.AssertionMethod) != 2 || d.AssertionMethod[0] != methodOf(t, after) || d.AssertionMethod[1] != methodOf(t, before) {
			t.Fatalf("DID document assertion methods %q", d.AssertionMethod)
		}
		for _, raw := range [][]byte{before, after} {
			if _, err := certify.CheckCredential(raw, doc, nil, w.clock.Now()); err != nil {
				t.Fatalf("after rotation: %v", err)
			}
		}

		keys, err := w.svc.Keys(ctx())
		if err != nil || len(keys) != 2 || keys[0].ID != k.ID || keys[0].RetiredAt != nil || keys[1].RetiredAt == nil {
			t.Fatalf("keys %+v %v", keys, err)
		}
		var ev audit.Event
		if err := gdb.Where("action = ? AND subject_id = ?", "signing_key.rotate", k.ID).Take(&ev).Error; err != nil {
			t.Fatalf("no rotation audit event: %v", err)
		}
		if ev.ActorID == nil || *ev.ActorID != w.admin.UserID || !strings.Contains(ev.Details, keys[1].ID) ||
			!strings.Contains(ev.Details, keys[1].PublicKey) || !strings.Contains(ev.Details, k.PublicKey) {
			t.Fatalf("rotation event %+v %s", ev, ev.Details)
		}

		seeded := w.fresh([]byte(strings.Repeat("s", 32)))
		if _, err := seeded.RotateKey(ctx(), w.admin); !errors.Is(err, certify.ErrConfiguredKey) {
			t.Fatalf("rotation with MUSTER_SIGNING_KEY set: %v", err)
		}
	})
}

// TestSealedSigningKey stores a generated key sealed under the secret key:
// the seed is nowhere in clear, the key signs, and it opens with that
// secret key only, on its own row only.
func TestSealedSigningKey(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		sealed := w.fresh(nil)
		sealed.Secrets, sealed.RequireSealedKeys = box(t, 1), true
		if clear, err := sealed.PrepareKeys(ctx()); err != nil || clear != 0 {
			t.Fatalf("prepare: %d %v", clear, err)
		}
		keys := storedKeys(t, gdb)
		if len(keys) != 1 || !secret.IsSealed(keys[0].PrivateKey) {
			t.Fatalf("stored %+v, want one sealed key", keys)
		}
		cert := w.certificate(w.user(w.guest, "Holder", access.Trainee), w.course(0, 0, 0), day("2026-01-10"), nil)
		raw, doc := w.signed(sealed, w.admin, cert.Number)
		if _, err := certify.CheckCredential(raw, doc, nil, w.clock.Now()); err != nil {
			t.Fatal(err)
		}
		var ev audit.Event
		var details struct {
			Sealed    bool   `json:"sealed"`
			SecretKey string `json:"secret_key"`
		}
		if err := gdb.Where("action = ?", "signing_key.create").Take(&ev).Error; err != nil || json.Unmarshal([]byte(ev.Details), &details) != nil ||
			!details.Sealed || details.SecretKey != box(t, 1).Fingerprint() {
			t.Fatalf("creation event %s %v", ev.Details, err)
		}

		noSecret := w.fresh(nil)
		if _, err := noSecret.Credential(ctx(), w.admin, cert.Number); err == nil || !strings.Contains(err.Error(), "MUSTER_SECRET_KEY") {
			t.Fatalf("without the secret key: %v", err)
		}
		wrong := w.fresh(nil)
		wrong.Secrets = box(t, 2)
		if _, err := wrong.PrepareKeys(ctx()); !errors.Is(err, secret.ErrWrongKey) {
			t.Fatalf("with another secret key: %v", err)
		}
		if _, err := wrong.Credential(ctx(), w.admin, cert.Number); !errors.Is(err, secret.ErrWrongKey) {
			t.Fatalf("signing with another secret key: %v", err)
		}

		// A sealed seed moved onto another row does not open there.
		if _, err := sealed.RotateKey(ctx(), w.admin); err != nil {
			t.Fatal(err)
		}
		keys = storedKeys(t, gdb)
		if err := gdb.Model(&certify.SigningKey{}).Where("id = ?", keys[1].ID).Update("private_key", keys[0].PrivateKey).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := w.fresh(nil).PrepareKeys(ctx()); err == nil {
			t.Fatal("a sealed key opened without a secret key")
		}
		again := w.fresh(nil)
		again.Secrets = box(t, 1)
		if _, err := again.Credential(ctx(), w.admin, cert.Number); !errors.Is(err, secret.ErrWrongKey) {
			t.Fatalf("a sealed seed on another row: %v", err)
		}

		// A lost secret key: rotating under a new one lets the server start
		// again; the unreadable keys are retired and stay published.
		recovered := w.fresh(nil)
		recovered.Secrets = box(t, 7)
		if _, err := recovered.RotateKey(ctx(), w.admin); err != nil {
			t.Fatal(err)
		}
		if _, err := recovered.PrepareKeys(ctx()); err != nil {
			t.Fatalf("start after recovery: %v", err)
		}
		if d, err := recovered.IssuerDocument(ctx()); err != nil || len(d.AssertionMethod) != 3 {
			t.Fatalf("after recovery the DID document lists %v, %v; want all three keys", d, err)
		}
	})
}

// TestClearKeySealedAtStart seals a key an older version stored in the
// clear once a secret key is configured: same key, sealed, audited.
func TestClearKeySealedAtStart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		if clear, err := w.svc.PrepareKeys(ctx()); err != nil || clear != 1 {
			t.Fatalf("a generated key without a secret key: %d in clear, %v", clear, err)
		}
		before := storedKeys(t, gdb)
		seed, err := base64.StdEncoding.DecodeString(before[0].PrivateKey)
		if err != nil || len(seed) != 32 {
			t.Fatalf("clear key %q", before[0].PrivateKey)
		}
		cert := w.certificate(w.user(w.guest, "Holder", access.Trainee), w.course(0, 0, 0), day("2026-01-10"), nil)
		old, _ := w.signed(w.svc, w.admin, cert.Number)

		sealed := w.fresh(nil)
		sealed.Secrets = box(t, 3)
		if clear, err := sealed.PrepareKeys(ctx()); err != nil || clear != 0 {
			t.Fatalf("sealing: %d left in clear, %v", clear, err)
		}
		after := storedKeys(t, gdb)
		if len(after) != 1 || after[0].PublicKey != before[0].PublicKey || !secret.IsSealed(after[0].PrivateKey) ||
			strings.Contains(after[0].PrivateKey, before[0].PrivateKey) {
			t.Fatalf("after sealing %+v", after)
		}
		renewed, doc := w.signed(sealed, w.admin, cert.Number)
		if methodOf(t, renewed) != methodOf(t, old) {
			t.Fatalf("sealing changed the key: %s, was %s", methodOf(t, renewed), methodOf(t, old))
		}
		if _, err := certify.CheckCredential(old, doc, nil, w.clock.Now()); err != nil {
			t.Fatal(err)
		}
		var events int64
		gdb.Model(&audit.Event{}).Where("action = ? AND subject_id = ?", "signing_key.seal", after[0].ID).Count(&events)
		if events != 1 {
			t.Fatalf("%d seal events", events)
		}
		if clear, err := sealed.PrepareKeys(ctx()); err != nil || clear != 0 {
			t.Fatalf("a second start: %d %v", clear, err)
		}
		gdb.Model(&audit.Event{}).Where("action = ?", "signing_key.seal").Count(&events)
		if events != 1 {
			t.Fatalf("a second start sealed again: %d events", events)
		}
	})
}

// TestClearKeyRefused: where keys must be sealed (https without a secret
// key), no key is generated in the clear.
func TestClearKeyRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		strict := w.fresh(nil)
		strict.RequireSealedKeys = true
		if _, err := strict.PrepareKeys(ctx()); !errors.Is(err, certify.ErrClearKeyRefused) || !strings.Contains(err.Error(), "MUSTER_SECRET_KEY") {
			t.Fatalf("prepare: %v", err)
		}
		if _, err := strict.RotateKey(ctx(), w.admin); !errors.Is(err, certify.ErrClearKeyRefused) {
			t.Fatalf("rotate: %v", err)
		}
		if keys := storedKeys(t, gdb); len(keys) != 0 {
			t.Fatalf("%d keys stored", len(keys))
		}
	})
}
