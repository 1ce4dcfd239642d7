package secret

import "testing"

func TestNewAndHash(t *testing.T) {
	a, b := New(), New()
	if a == b || len(a) != 43 {
		t.Fatalf("tokens %q %q", a, b)
	}
	if Hash(a) == Hash(b) || Hash(a) != Hash(a) || len(Hash(a)) != 64 || Hash(a) == a {
		t.Fatal("hash not a stable digest")
	}
}
