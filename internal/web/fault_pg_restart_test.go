package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"muster/internal/audit"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
)

// TestFaultPostgresRestartDuringStorm restarts a private PostgreSQL while
// two muster servers take an enrollment storm. While it is down /readyz
// answers 503 and requests answer only 503 "unavailable" problem documents
// with Retry-After, which the trainees' clients obey; once it is back both
// servers recover without a restart, every trainee ends with exactly one
// request, every stored request has its audit event and e-mail (nothing
// half-written), the seat counters match the rows, and nobody is overbooked.
func TestFaultPostgresRestartDuringStorm(t *testing.T) {
	cl := dbtest.StartCluster(t)
	st := newStorm(t, cl.URL("postgres"), 2)
	env := st.servers[0]
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), st.agencies[0], 2*stormQuota,
		map[string]int{st.agencies[0]: stormQuota, st.agencies[1]: stormQuota})

	var answered, unavailable atomic.Int64
	var next atomic.Int64
	answers := make([]stormAnswer, stormTrainees)
	bad := make(chan string, stormTrainees)
	deadline := time.Now().Add(5 * time.Minute)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < stormTrainees; i = int(next.Add(1) - 1) {
				for {
					srv := st.servers[i%len(st.servers)]
					status, body, hdr, err := st.post(srv.URL+"/api/v1/cohorts/"+c.ID+"/enrollments", st.tokens[i])
					if err != nil {
						bad <- err.Error()
						return
					}
					var p struct{ Code string }
					_ = json.Unmarshal(body, &p)
					if status == http.StatusServiceUnavailable && p.Code == "unavailable" && hdr.Get("Retry-After") != "" &&
						strings.HasPrefix(hdr.Get("Content-Type"), "application/problem+json") && time.Now().Before(deadline) {
						unavailable.Add(1)
						time.Sleep(50 * time.Millisecond)
						continue
					}
					answers[i] = stormAnswer{status: status, body: body}
					switch {
					case status == http.StatusCreated:
						answers[i].transErr = json.Unmarshal(body, &answers[i].row)
					case status == http.StatusConflict && p.Code == enrollment.CodeAlreadyEnrolled:
						// An earlier try committed but its answer was lost with the connection.
					default:
						bad <- string(body)
					}
					answered.Add(1)
					break
				}
			}
		})
	}
	waitUntil(t, func() bool { return answered.Load() >= 100 })
	cl.Stop("fast")
	waitUntil(t, func() bool { return unavailable.Load() > 0 })
	for _, srv := range st.servers {
		if code := getStatus(t, srv.URL+"/readyz"); code != http.StatusServiceUnavailable {
			t.Fatalf("/readyz answered %d while PostgreSQL was down", code)
		}
	}
	cl.Start()
	for _, srv := range st.servers {
		waitUntil(t, func() bool { return getStatus(t, srv.URL+"/readyz") == http.StatusOK })
	}
	wg.Wait()
	close(bad)
	for b := range bad {
		t.Fatalf("an answer that is neither a decision nor a try-again: %s", b)
	}
	t.Logf("%d try-again answers while PostgreSQL restarted", unavailable.Load())

	gdb := env.App.DB
	var rows []enrollment.Enrollment
	if err := gdb.Where("cohort_id = ?", c.ID).Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != stormTrainees {
		t.Fatalf("%d requests stored for %d trainees", len(rows), stormTrainees)
	}
	byID := map[string]enrollment.Enrollment{}
	enrolled := map[string]int{}
	for _, e := range rows {
		byID[e.ID] = e
		if e.Status == enrollment.StatusEnrolled {
			enrolled[e.AgencyID]++
		}
	}
	for i, a := range answers {
		if a.status == http.StatusCreated && (byID[a.row.ID].Status != a.row.Status || a.transErr != nil) {
			t.Fatalf("trainee %d was answered %s but the database holds %+v", i, a.body, byID[a.row.ID])
		}
	}
	if enrolled[st.agencies[0]] != stormQuota || enrolled[st.agencies[1]] != stormQuota {
		t.Fatalf("enrolled per agency: %v", enrolled)
	}
	var stored cohort.Cohort
	gdb.Where("id = ?", c.ID).Take(&stored)
	var quotas []cohort.Quota
	gdb.Where("cohort_id = ?", c.ID).Find(&quotas)
	if stored.SeatsTaken != 2*stormQuota || stored.QueueSeq != stormTrainees || quotas[0].SeatsTaken != stormQuota || quotas[1].SeatsTaken != stormQuota {
		t.Fatalf("counters: cohort %d seats, queue %d; quotas %+v", stored.SeatsTaken, stored.QueueSeq, quotas)
	}
	var unaudited, unmailed int64
	gdb.Raw(`SELECT count(*) FROM enrollments e WHERE e.cohort_id = ? AND NOT EXISTS
		(SELECT 1 FROM audit_events a WHERE a.subject_id = CAST(e.id AS TEXT) AND a.action = 'enrollment.request')`, c.ID).Scan(&unaudited)
	gdb.Raw(`SELECT count(*) FROM enrollments e WHERE e.cohort_id = ? AND NOT EXISTS
		(SELECT 1 FROM notifications n WHERE n.user_id = e.user_id)`, c.ID).Scan(&unmailed)
	if unaudited != 0 || unmailed != 0 {
		t.Fatalf("half-written decisions: %d without their audit event, %d without their e-mail", unaudited, unmailed)
	}
	if rep, err := (&audit.Service{DB: gdb}).Verify(context.Background()); err != nil || rep.Break != nil {
		t.Fatalf("audit chain after the restart: %+v %v", rep, err)
	}
}

// post sends an empty enrollment request with a bearer token.
func (st *storm) post(url, token string) (int, []byte, http.Header, error) {
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := st.client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	return res.StatusCode, body, res.Header, err
}

func getStatus(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// waitUntil polls cond until it holds, failing the test after two minutes.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached within two minutes")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
