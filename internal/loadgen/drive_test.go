package loadgen_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"muster/internal/loadgen"
)

// TestRunKeepsInFlightAndCounts: never more than InFlight requests at the
// server at once, every answer recorded in request order with its status,
// and percentiles that order the latencies.
func TestRunKeepsInFlightAndCounts(t *testing.T) {
	var now, peak atomic.Int64
	release := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := now.Add(1)
		defer now.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		if n == 4 {
			once.Do(func() { close(release) }) // the first time all four are in, let everyone go
		}
		<-release
		if r.URL.Query().Get("i") == "7" {
			w.WriteHeader(http.StatusTeapot)
		}
	}))
	defer srv.Close()
	rep := loadgen.Run(context.Background(), loadgen.Load{N: 40, InFlight: 4, Request: func(i int) (*http.Request, error) {
		return http.NewRequest(http.MethodGet, srv.URL+"/?i="+strconv.Itoa(i), nil)
	}})
	if peak.Load() != 4 {
		t.Fatalf("peak in flight %d, want 4", peak.Load())
	}
	st := rep.Statuses()
	if len(rep.Results) != 40 || st[200] != 39 || st[http.StatusTeapot] != 1 || rep.Results[7].Status != http.StatusTeapot || rep.Failures() != 0 {
		t.Fatalf("statuses %v, result 7: %+v", st, rep.Results[7])
	}
	if rep.Percentile(0.5) > rep.Percentile(0.99) || rep.Percentile(0.99) <= 0 || rep.Throughput() <= 0 {
		t.Fatalf("p50 %v p99 %v throughput %v", rep.Percentile(0.5), rep.Percentile(0.99), rep.Throughput())
	}
	timed := loadgen.Run(context.Background(), loadgen.Load{Duration: 200 * time.Millisecond, InFlight: 2, Request: func(i int) (*http.Request, error) {
		return http.NewRequest(http.MethodGet, srv.URL+"/", nil)
	}})
	if len(timed.Results) == 0 || timed.Took < 200*time.Millisecond {
		t.Fatalf("timed run: %d results in %v", len(timed.Results), timed.Took)
	}
}

func TestInterleave(t *testing.T) {
	ts := []loadgen.Trainee{{AgencyID: "a", UserID: "1"}, {AgencyID: "a", UserID: "2"}, {AgencyID: "b", UserID: "3"}, {AgencyID: "a", UserID: "4"}, {AgencyID: "b", UserID: "5"}}
	got := ""
	for _, x := range loadgen.Interleave(ts) {
		got += x.UserID
	}
	if got != "13254" {
		t.Fatalf("interleaved %s, want 13254", got)
	}
}
