package csvfile

import (
	"strings"
	"testing"
)

func TestReader(t *testing.T) {
	for name, tc := range map[string]struct {
		in   string
		want [][]string
	}{
		"comma":           {"email,full_name\na@b.tj,Умед\n", [][]string{{"email", "full_name"}, {"a@b.tj", "Умед"}}},
		"semicolon + BOM": {"\ufeffemail;full_name\na@b.ir;رضا, حسینی\n", [][]string{{"email", "full_name"}, {"a@b.ir", "رضا, حسینی"}}},
		"ragged":          {"a,b\nc\n", [][]string{{"a", "b"}, {"c"}}},
	} {
		got, err := Reader(strings.NewReader(tc.in)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %q", name, got)
		}
		for i := range got {
			if strings.Join(got[i], "|") != strings.Join(tc.want[i], "|") {
				t.Errorf("%s: row %d = %q, want %q", name, i, got[i], tc.want[i])
			}
		}
	}
}
