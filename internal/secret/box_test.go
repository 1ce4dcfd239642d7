package secret

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestBoxRoundTrip(t *testing.T) {
	key := bytes.Repeat([]byte{9}, KeySize)
	b, err := NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte("a 32-byte ed25519 seed, say.....")
	sealed := b.Seal(plain, []byte("row 1"))
	if !IsSealed(sealed) || IsSealed(base64.StdEncoding.EncodeToString(plain)) || strings.Contains(sealed, base64.RawStdEncoding.EncodeToString(plain)) {
		t.Fatalf("sealed %q", sealed)
	}
	if again := b.Seal(plain, []byte("row 1")); again == sealed {
		t.Fatal("two seals of one value are equal: the nonce is not fresh")
	}
	got, err := b.Open(sealed, []byte("row 1"))
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %q %v", got, err)
	}
	other, _ := NewBox(bytes.Repeat([]byte{8}, KeySize))
	if other.Fingerprint() == b.Fingerprint() || len(b.Fingerprint()) != 8 {
		t.Fatalf("fingerprints %q %q", b.Fingerprint(), other.Fingerprint())
	}
	raw, _ := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(sealed, sealedPrefix))
	raw[len(raw)-1] ^= 1
	flipped := sealedPrefix + base64.RawStdEncoding.EncodeToString(raw)
	for name, c := range map[string]struct {
		box    *Box
		sealed string
		data   string
	}{
		"another key":   {other, sealed, "row 1"},
		"another row":   {b, sealed, "row 2"},
		"changed bytes": {b, flipped, "row 1"},
	} {
		if _, err := c.box.Open(c.sealed, []byte(c.data)); !errors.Is(err, ErrWrongKey) {
			t.Errorf("%s: %v, want ErrWrongKey", name, err)
		}
	}
	for _, bad := range []string{"", "plain", sealedPrefix + "!!", sealedPrefix + "AAAA"} {
		if _, err := b.Open(bad, nil); err == nil {
			t.Errorf("%q opened", bad)
		}
	}
	if _, err := NewBox(key[:16]); err == nil {
		t.Error("a 16-byte key made a box")
	}
}

func TestParseKey(t *testing.T) {
	key := bytes.Repeat([]byte{0xfb}, KeySize)
	for _, s := range []string{base64.StdEncoding.EncodeToString(key), base64.RawURLEncoding.EncodeToString(key) + "\n"} {
		if got, err := ParseKey(s); err != nil || !bytes.Equal(got, key) {
			t.Errorf("%q: %x %v", s, got, err)
		}
	}
	for _, s := range []string{"", "!!", base64.StdEncoding.EncodeToString(key[:31])} {
		if _, err := ParseKey(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
}
