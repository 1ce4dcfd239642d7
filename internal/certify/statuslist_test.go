package certify

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"testing"
)

// TestBitstring checks the list's bit order (index 0 is the leftmost bit of
// the first byte), its minimum length, and its encoded form.
func TestBitstring(t *testing.T) {
	b := newBitstring(10)
	if len(b) != 16*1024 {
		t.Fatalf("a short list has %d bytes, want the 16 KiB minimum", len(b))
	}
	if got := len(newBitstring(minListBits + 1)); got != 16*1024+1 {
		t.Fatalf("a long list has %d bytes", got)
	}
	b.set(0)
	b.set(9)
	b.set(len(b)*8 + 5) // beyond the list: ignored
	if b[0] != 0x80 || b[1] != 0x40 {
		t.Fatalf("bits 0 and 9 set give % x", b[:2])
	}
	enc, err := b.encode()
	if err != nil || enc[0] != 'u' {
		t.Fatalf("encoded %.10q %v", enc, err)
	}
	back, err := decodeBitstring(enc)
	if err != nil || !bytes.Equal(back, b) {
		t.Fatalf("round trip: %v", err)
	}
	for i, want := range map[int]bool{0: true, 1: false, 8: false, 9: true, minListBits - 1: false} {
		if got, err := back.isSet(i); err != nil || got != want {
			t.Errorf("bit %d: %v %v, want %v", i, got, err, want)
		}
	}
	if _, err := back.isSet(minListBits); err == nil {
		t.Error("an index past the list should be an error")
	}
	for _, bad := range []string{"", "z123", "u!!", "u" + base64.RawURLEncoding.EncodeToString([]byte("not gzip"))} {
		if _, err := decodeBitstring(bad); err == nil {
			t.Errorf("decoded %q", bad)
		}
	}
	// A list that expands past the limit is refused rather than read.
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	_, _ = zw.Write(make([]byte, maxListBytes+1))
	_ = zw.Close()
	if _, err := decodeBitstring("u" + base64.RawURLEncoding.EncodeToString(z.Bytes())); err == nil {
		t.Error("an oversized list was read")
	}
}
