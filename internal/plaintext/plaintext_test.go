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

func TestCleanAndScrub(t *testing.T) {
	type inner struct{ Note string }
	type req struct {
		Name  string
		Ptr   *string
		List  []string
		Names map[string]string
		Rows  []inner
		Any   map[string]any
	}
	p := "p\x00"
	r := req{Name: "a\x00b", Ptr: &p, List: []string{"\xffc"}, Names: map[string]string{"fa": "d\x00"}, Rows: []inner{{"e\x00"}},
		Any: map[string]any{"k": "f\x00"}}
	Scrub(&r)
	if r.Name != "ab" || *r.Ptr != "p" || r.List[0] != "\uFFFDc" || r.Names["fa"] != "d" || r.Rows[0].Note != "e" || r.Any["k"] != "f" {
		t.Fatalf("scrubbed = %+v", r)
	}
	if Clean(" keep\tspaces ") != " keep\tspaces " || !Storable("ok") || Storable("a\x00") || Storable("\xff") {
		t.Fatal("Clean or Storable changed what it must keep")
	}
}

func TestReorders(t *testing.T) {
	for s, want := range map[string]bool{
		"John\u202e htimS\u202c": true, "a\u2066b": true, "\u200fRTL mark": true, "\u061c": true,
		"رضا\u200cحسینی": false, "Ali Rezaei": false, "Фарҳод": false,
	} {
		if Reorders(s) != want {
			t.Errorf("Reorders(%q) = %v", s, !want)
		}
	}
	if got := WithoutReordering("John\u202e htimS\u202c"); got != "John htimS" {
		t.Errorf("WithoutReordering = %q", got)
	}
}
