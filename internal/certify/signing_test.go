package certify_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/certify"
	"muster/internal/db/dbtest"
)

// fresh is another process's service over the same database.
func (w *world) fresh(seed []byte) *certify.Service {
	return &certify.Service{DB: w.db, Clock: w.clock, BaseURL: "https://muster.example/", Prefix: "MUS", SigningSeed: seed}
}

// TestSigningKeyCreatedOnce starts several processes together on a
// database without a key, a few times over: each time they end with one key,
// created once and audited once.
func TestSigningKeyCreatedOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		const n = 12
		for round := range 5 {
			gdb.Where("1 = 1").Delete(&certify.SigningKey{})
			var before int64 // the audit trail is append-only: count this round's events
			gdb.Model(&audit.Event{}).Where("action = ?", "signing_key.create").Count(&before)
			docs := make([]*certify.IssuerDocument, n)
			errs := make([]error, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				svc := w.fresh(nil)
				wg.Go(func() {
					<-start
					docs[i], errs[i] = svc.IssuerDocument(ctx())
				})
			}
			close(start)
			wg.Wait()
			for i := range n {
				if errs[i] != nil {
					t.Fatalf("round %d, process %d: %v", round, i, errs[i])
				}
				if len(docs[i].VerificationMethod) != 1 || docs[i].VerificationMethod[0] != docs[0].VerificationMethod[0] {
					t.Fatalf("round %d: process %d publishes %+v, process 0 %+v", round, i, docs[i].VerificationMethod, docs[0].VerificationMethod)
				}
			}
			var keys, events int64
			gdb.Model(&certify.SigningKey{}).Count(&keys)
			gdb.Model(&audit.Event{}).Where("action = ?", "signing_key.create").Count(&events)
			if events -= before; keys != 1 || events != 1 {
				t.Fatalf("round %d: %d keys and %d audit events, want one of each", round, keys, events)
			}
		}
		d, err := w.fresh(nil).IssuerDocument(ctx())
		if err != nil {
			t.Fatal(err)
		}
		if d.ID != "did:web:muster.example" || d.Issuer() != "did:web:muster.example" || len(d.Context) != 2 ||
			d.AssertionMethod[0] != d.VerificationMethod[0].ID || d.VerificationMethod[0].Type != "Multikey" ||
			!strings.HasPrefix(d.VerificationMethod[0].ID, d.ID+"#z6Mk") {
			t.Fatalf("issuer document %+v", d)
		}
	})
}

// TestSigningKeyConfigured signs with a configured seed, which is never stored.
func TestSigningKeyConfigured(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		seed := make([]byte, ed25519.SeedSize)
		seed[0] = 7
		svc := w.fresh(seed)
		cert := w.certificate(w.user(w.guest, "Holder", access.Trainee), w.course(0, 0, 0), day("2026-01-10"), nil)
		raw, keys := w.signed(svc, w.admin, cert.Number)
		if _, err := certify.CheckCredential(raw, keys, nil, w.clock.Now()); err != nil {
			t.Fatal(err)
		}
		var d certify.IssuerDocument
		_ = json.Unmarshal(keys, &d)
		if want := certify.Multikey(ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)); len(d.VerificationMethod) != 1 || d.VerificationMethod[0].PublicKeyMultibase != want {
			t.Fatalf("published %+v, want the configured key %s", d.VerificationMethod, want)
		}
		var stored int64
		gdb.Model(&certify.SigningKey{}).Count(&stored)
		if stored != 0 {
			t.Fatalf("%d keys stored with a configured key", stored)
		}
		// The database's key signed nothing here: checking with its document fails.
		_, other := w.signed(w.svc, w.admin, cert.Number)
		if _, err := certify.CheckCredential(raw, other, nil, w.clock.Now()); !errors.Is(err, certify.ErrSignatureInvalid) {
			t.Fatalf("another key's document: %v", err)
		}
	})
}

// TestRetiredKeyStaysPublished retires the key: the next process makes a
// new one, and credentials the old one signed still verify.
func TestRetiredKeyStaysPublished(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		cert := w.certificate(w.user(w.guest, "Holder", access.Trainee), w.course(0, 0, 0), day("2026-01-10"), nil)
		old, _ := w.signed(w.svc, w.admin, cert.Number)
		if err := gdb.Model(&certify.SigningKey{}).Where("retired_at IS NULL").Update("retired_at", w.clock.Now()).Error; err != nil {
			t.Fatal(err)
		}
		next := w.fresh(nil)
		renewed, keys := w.signed(next, w.admin, cert.Number)
		var d certify.IssuerDocument
		_ = json.Unmarshal(keys, &d)
		if len(d.VerificationMethod) != 2 {
			t.Fatalf("published %d keys, want the new and the retired", len(d.VerificationMethod))
		}
		var a, b certify.Credential
		_ = json.Unmarshal(old, &a)
		_ = json.Unmarshal(renewed, &b)
		if a.Proof.VerificationMethod == b.Proof.VerificationMethod || b.Proof.VerificationMethod != d.VerificationMethod[0].ID {
			t.Fatalf("new key %s first in %+v; old %s", b.Proof.VerificationMethod, d.VerificationMethod, a.Proof.VerificationMethod)
		}
		for _, raw := range [][]byte{old, renewed} {
			if _, err := certify.CheckCredential(raw, keys, nil, w.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestParseSigningSeed(t *testing.T) {
	seed := make([]byte, 32)
	seed[31] = 1
	for _, s := range []string{base64.StdEncoding.EncodeToString(seed), base64.RawURLEncoding.EncodeToString(seed) + "\n"} {
		if got, err := certify.ParseSigningSeed(s); err != nil || string(got) != string(seed) {
			t.Errorf("%q: %x %v", s, got, err)
		}
	}
	for _, s := range []string{"", "not base64!", base64.StdEncoding.EncodeToString(seed[:31]), base64.StdEncoding.EncodeToString(make([]byte, 64))} {
		if _, err := certify.ParseSigningSeed(s); err == nil {
			t.Errorf("%q was accepted", s)
		}
	}
}
