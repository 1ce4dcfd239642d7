package secret

import "testing"

func TestNewAndHash(t *testing.T) {
	a, b := New(), New()
	if a == b || len(a) != 43 {
		t.Fatalf("tokens %q %q", a, b)
	}
	h, again := Hash(a), Hash(string([]byte(a)))
	if h == Hash(b) || h != again || len(h) != 64 || h == a {
		t.Fatal("hash not a stable digest")
	}
}
