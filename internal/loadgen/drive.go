package loadgen

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Load is a run of requests: N of them, or as many as fit in Duration when
// N is zero, with at most InFlight waiting for an answer at once.
type Load struct {
	N        int
	Duration time.Duration
	InFlight int
	// Request builds the i-th request (i counts from 0).
	Request func(i int) (*http.Request, error)
	// Client sends them; NewClient(InFlight) when nil.
	Client *http.Client
	// KeepBody keeps each answer's body in its Result.
	KeepBody bool
}

// Result is one request's answer.
type Result struct {
	Index   int
	Status  int // 0 when no answer came
	Body    []byte
	Latency time.Duration
	Err     error // transport error
}

// Report is what a run measured.
type Report struct {
	Results []Result // in request order
	Took    time.Duration
}

// NewClient is an HTTP client keeping up to conns connections per server.
func NewClient(conns int) *http.Client {
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConns: 4 * conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute}}
}

// Run sends the load and waits for every answer.
func Run(ctx context.Context, l Load) Report {
	if l.InFlight <= 0 {
		l.InFlight = 1
	}
	client := l.Client
	if client == nil {
		client = NewClient(l.InFlight)
	}
	var (
		next    atomic.Int64
		mu      sync.Mutex
		results []Result
		wg      sync.WaitGroup
	)
	if l.N > 0 {
		results = make([]Result, l.N)
	}
	deadline := time.Time{}
	if l.N == 0 && l.Duration > 0 {
		deadline = time.Now().Add(l.Duration)
	}
	began := time.Now()
	for range l.InFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if (l.N > 0 && i >= l.N) || (l.N == 0 && !time.Now().Before(deadline)) {
					return
				}
				r := send(ctx, client, l, i)
				if l.N > 0 {
					results[i] = r
					continue
				}
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	rep := Report{Results: results, Took: time.Since(began)}
	sort.Slice(rep.Results, func(a, b int) bool { return rep.Results[a].Index < rep.Results[b].Index })
	return rep
}

func send(ctx context.Context, client *http.Client, l Load, i int) Result {
	r := Result{Index: i}
	req, err := l.Request(i)
	if err != nil {
		r.Err = err
		return r
	}
	began := time.Now()
	res, err := client.Do(req.WithContext(ctx))
	if err != nil {
		r.Err, r.Latency = err, time.Since(began)
		return r
	}
	if l.KeepBody {
		r.Body, r.Err = io.ReadAll(res.Body)
	} else {
		_, r.Err = io.Copy(io.Discard, res.Body)
	}
	res.Body.Close()
	r.Status, r.Latency = res.StatusCode, time.Since(began)
	return r
}

// Throughput is answered requests per second over the whole run.
func (r Report) Throughput() float64 {
	if r.Took <= 0 {
		return 0
	}
	return float64(len(r.Results)) / r.Took.Seconds()
}

// Percentile is the latency below which the fraction q (0.5, 0.99) of the
// requests answered.
func (r Report) Percentile(q float64) time.Duration {
	if len(r.Results) == 0 {
		return 0
	}
	ls := make([]time.Duration, len(r.Results))
	for i, x := range r.Results {
		ls[i] = x.Latency
	}
	slices.Sort(ls)
	k := int(float64(len(ls))*q+0.999999) - 1
	return ls[max(0, min(k, len(ls)-1))]
}

// Statuses counts the answers by HTTP status (0: no answer).
func (r Report) Statuses() map[int]int {
	out := map[int]int{}
	for _, x := range r.Results {
		if x.Err != nil && x.Status == 0 {
			out[0]++
			continue
		}
		out[x.Status]++
	}
	return out
}

// Failures counts transport errors and 5xx answers.
func (r Report) Failures() int {
	n := 0
	for _, x := range r.Results {
		if x.Err != nil || x.Status >= 500 {
			n++
		}
	}
	return n
}

// Summary is one line: count, throughput, p50, p99 and statuses.
func (r Report) Summary() string {
	st := r.Statuses()
	codes := make([]int, 0, len(st))
	for c := range st {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	var parts []string
	for _, c := range codes {
		parts = append(parts, fmt.Sprintf("%d×%d", st[c], c))
	}
	return fmt.Sprintf("%d requests in %v: %.0f/s, p50 %v, p99 %v (%s)", len(r.Results), r.Took.Round(time.Millisecond), r.Throughput(),
		r.Percentile(0.5).Round(100*time.Microsecond), r.Percentile(0.99).Round(100*time.Microsecond), strings.Join(parts, ", "))
}
