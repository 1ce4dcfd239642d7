package webhook

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

// TestClientRefusesInternalAddressesAndRedirects: loopback is refused at
// connection time unless allowed, and a redirect is answered, not followed.
func TestClientRefusesInternalAddressesAndRedirects(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	// "localhost" passes a check of the name; the dialled address is what is refused.
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	url := "http://localhost:" + port
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, url+"/hook", nil)
	if _, err := NewClient(false).Do(req); !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("loopback delivery: %v, want ErrPrivateAddress", err)
	}
	if hits != 0 {
		t.Fatalf("the refused request reached the server")
	}
	req, _ = http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+"/moved", nil)
	res, err := NewClient(true).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusFound || hits != 1 {
		t.Errorf("redirect: status %d after %d requests, want 302 after 1", res.StatusCode, hits)
	}
	for _, a := range []string{"10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.169.254", "::1", "fe80::1", "100.64.0.1", "0.0.0.0", "fd00::1"} {
		if !internal(netip.MustParseAddr(a)) {
			t.Errorf("%s passes as public", a)
		}
	}
	for _, a := range []string{"93.184.216.34", "2606:4700::1111"} {
		if internal(netip.MustParseAddr(a)) {
			t.Errorf("%s refused as internal", a)
		}
	}
}
