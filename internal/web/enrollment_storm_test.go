package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/clock"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
	"muster/internal/identity"
	"muster/internal/webtest"
)

// The storm: stormTrainees distinct trainees of two agencies ask at once
// for a cohort of 40 seats with quotas of 20 and 20, through several muster
// servers sharing one database.
const (
	stormTrainees = 500
	stormQuota    = 20
)

// storm is several muster servers over one database, with the trainees
// who will ask and their bearer tokens.
type storm struct {
	servers  []*webtest.Env
	agencies [2]string
	tokens   []string // one per trainee, in agency order a, b, a, b, ...
	agencyOf []string
	client   *http.Client
}

// newStorm opens the database at url once per server, serves muster on
// each, and creates the agencies and trainees directly in the database.
func newStorm(t testing.TB, url string, servers int) *storm {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFixed(time.Now())
	st := &storm{client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: stormTrainees, MaxConnsPerHost: 0}, Timeout: time.Minute}}
	for range servers {
		st.servers = append(st.servers, webtest.Serve(t, dbtest.Open(t, url), clk))
	}
	app := st.servers[0].App
	for i, country := range []string{"IR", "TJ"} {
		ag, err := app.Identity.CreateAgency(ctx, access.System(), identity.AgencyInput{Name: "Storm agency " + country, ShortName: "ST-" + country, Country: country, Kind: "police"})
		if err != nil {
			t.Fatal(err)
		}
		st.agencies[i] = ag.ID
	}
	// Trainees go straight into the tables: 500 argon2 hashes would take minutes.
	now := clk.Now().UTC().Truncate(time.Second)
	users := make([]identity.User, stormTrainees)
	for i := range users {
		id := uuid.NewString()
		ag := st.agencies[i%2]
		users[i] = identity.User{ID: id, AgencyID: ag, Email: fmt.Sprintf("storm%d@example.org", i), EmailKey: fmt.Sprintf("storm%d@example.org", i),
			FullName: fmt.Sprintf("Storm trainee %d", i), ServiceNumber: fmt.Sprintf("ST-%04d", i), Language: "en", CreatedAt: now, UpdatedAt: now,
			Roles: []identity.UserRole{{UserID: id, Role: access.Trainee}}}
		st.agencyOf = append(st.agencyOf, ag)
	}
	if err := app.DB.Omit("Agency").CreateInBatches(users, 100).Error; err != nil {
		t.Fatal(err)
	}
	st.tokens = make([]string, stormTrainees)
	errs := make([]error, stormTrainees)
	var wg sync.WaitGroup
	slots := make(chan struct{}, 8)
	for i := range users {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			a := users[i].Actor("192.0.2.50")
			a.SecondFactor = true // as after signing in with an authenticator, which tokens need
			tok, err := app.Identity.CreateToken(ctx, a, identity.TokenInput{Name: "storm", ExpiresAt: now.AddDate(0, 1, 0)})
			if errs[i] = err; err == nil {
				st.tokens[i] = tok.Token
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// stormAnswer is one trainee's answer.
type stormAnswer struct {
	status   int
	body     []byte
	row      enrollment.Row
	latency  time.Duration
	transErr error
}

// run has every trainee ask for a seat in a new cohort at the same moment,
// each through server i % servers, and returns the cohort, the answers (in
// trainee order) and the time the whole storm took.
func (st *storm) run(t testing.TB) (*cohort.Cohort, []stormAnswer, time.Duration) {
	t.Helper()
	env := st.servers[0]
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), st.agencies[0], 2*stormQuota,
		map[string]int{st.agencies[0]: stormQuota, st.agencies[1]: stormQuota})
	answers := make([]stormAnswer, stormTrainees)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range stormTrainees {
		wg.Add(1)
		go func() {
			defer wg.Done()
			srv := st.servers[i%len(st.servers)]
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/cohorts/"+c.ID+"/enrollments", strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+st.tokens[i])
			<-start
			began := time.Now()
			res, err := st.client.Do(req)
			a := &answers[i]
			if err != nil {
				a.transErr = err
				return
			}
			a.body, a.transErr = io.ReadAll(res.Body)
			res.Body.Close()
			a.latency, a.status = time.Since(began), res.StatusCode
			if a.status == http.StatusCreated {
				a.transErr = json.Unmarshal(a.body, &a.row)
			}
		}()
	}
	began := time.Now()
	close(start)
	wg.Wait()
	return c, answers, time.Since(began)
}

// check fails unless exactly each agency's quota got seats, everybody else
// is waitlisted, each agency's seats went to its earliest requests in the
// server's queue order, and every answer was a documented one.
func (st *storm) check(t testing.TB, gdb *gorm.DB, c *cohort.Cohort, answers []stormAnswer) {
	t.Helper()
	enrolled := map[string]int{}
	var positions []int
	for i, a := range answers {
		switch {
		case a.transErr != nil:
			t.Fatalf("trainee %d: %v", i, a.transErr)
		case a.status != http.StatusCreated:
			t.Fatalf("trainee %d: %d %s", i, a.status, a.body)
		case a.row.AgencyID != st.agencyOf[i] || a.row.CohortID != c.ID:
			t.Fatalf("trainee %d: answer for another agency or cohort: %s", i, a.body)
		}
		switch a.row.Status {
		case enrollment.StatusEnrolled:
			enrolled[a.row.AgencyID]++
		case enrollment.StatusWaitlisted:
			positions = append(positions, a.row.Position())
		default:
			t.Fatalf("trainee %d: status %s", i, a.row.Status)
		}
	}
	if enrolled[st.agencies[0]] != stormQuota || enrolled[st.agencies[1]] != stormQuota {
		t.Fatalf("enrolled per agency: %v", enrolled)
	}
	// Each waitlisted answer named a distinct place: 1, 2, ... in some order.
	sort.Ints(positions)
	for i, p := range positions {
		if p != i+1 {
			t.Fatalf("waitlist positions answered: %v", positions)
		}
	}
	var rows []enrollment.Enrollment
	if err := gdb.Where("cohort_id = ?", c.ID).Order("queue_no").Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != stormTrainees {
		t.Fatalf("%d rows stored", len(rows))
	}
	if rows[0].QueueNo != 1 || rows[len(rows)-1].QueueNo != stormTrainees {
		t.Fatalf("queue %d..%d", rows[0].QueueNo, rows[len(rows)-1].QueueNo)
	}
	answered := map[string]int{}
	for _, a := range answers {
		answered[a.row.ID] = a.row.Position()
	}
	seen, place := map[string]int{}, 0
	for _, e := range rows {
		want := enrollment.StatusWaitlisted
		if seen[e.AgencyID] < stormQuota {
			want = enrollment.StatusEnrolled
		}
		seen[e.AgencyID]++
		if e.Status != want {
			t.Fatalf("queue %d of agency %s is %s, want %s: seats must go in request order", e.QueueNo, e.AgencyID, e.Status, want)
		}
		if e.Status == enrollment.StatusWaitlisted {
			place++
			if answered[e.ID] != place {
				t.Fatalf("queue %d was told position %d, is %d", e.QueueNo, answered[e.ID], place)
			}
		}
	}
	var stored cohort.Cohort
	gdb.Where("id = ?", c.ID).Take(&stored)
	var quotas []cohort.Quota
	gdb.Where("cohort_id = ?", c.ID).Find(&quotas)
	if stored.SeatsTaken != 2*stormQuota || stored.QueueSeq != stormTrainees || len(quotas) != 2 ||
		quotas[0].SeatsTaken != stormQuota || quotas[1].SeatsTaken != stormQuota {
		t.Fatalf("counters: cohort %d seats, queue %d; quotas %+v", stored.SeatsTaken, stored.QueueSeq, quotas)
	}
}

// p99 is the 99th-percentile latency.
func p99(answers []stormAnswer) time.Duration {
	ls := make([]time.Duration, 0, len(answers))
	for _, a := range answers {
		ls = append(ls, a.latency)
	}
	slices.Sort(ls)
	return ls[(len(ls)*99+99)/100-1]
}

// TestEnrollmentStorm: 500 trainees of two agencies at once, through two
// muster servers on one database, for 20 + 20 seats.
func TestEnrollmentStorm(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  func(testing.TB) string
	}{{"postgres", dbtest.PostgresURL}, {"sqlite", dbtest.SQLiteURL}} {
		t.Run(tc.name, func(t *testing.T) {
			st := newStorm(t, tc.url(t), 2)
			c, answers, took := st.run(t)
			st.check(t, st.servers[1].App.DB, c, answers)
			t.Logf("%d requests in %v (%.0f/s), p99 %v", stormTrainees, took, float64(stormTrainees)/took.Seconds(), p99(answers))
		})
	}
}
