package plaintext

import "testing"

func TestLineAndBlock(t *testing.T) {
	for in, want := range map[string]string{
		"  Ali\x00 Rezaei\n": "Ali Rezaei",
		"رضا\u200cحسینی":     "رضا\u200cحسینی", // the zero-width non-joiner is a format character, kept
		"bad \xff byte":      "bad \uFFFD byte",
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Block("one\r\ntwo\rthree\x07\tfour "); got != "one\ntwo\nthree\tfour" {
		t.Errorf("Block = %q", got)
	}
}
