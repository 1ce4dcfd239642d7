package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
	"muster/internal/webtest"
)

// TestEnrollmentAPI walks the API contract: the answers of a request
// (enrolled, waitlisted with position, pending), refusals as problem
// documents with their rule codes and translated messages, decisions, the
// history, and a nomination list previewed then committed.
func TestEnrollmentAPI(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	a, b := env.Agencies["a"].ID, env.Agencies["b"].ID
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 1, nil)
	base := "/api/v1/cohorts/" + c.ID + "/enrollments"

	ta, tb := env.As("a/trainee"), env.As("b/trainee")
	res := ta.Do("POST", base, nil)
	if res.Status != http.StatusCreated || res.Map()["status"] != "enrolled" || res.Map()["cohort_id"] != c.ID {
		t.Fatalf("enroll: %d %s", res.Status, res.Body)
	}
	mine := res.Map()["id"].(string)
	res = tb.Do("POST", base, "{}")
	if res.Status != http.StatusCreated || res.Map()["status"] != "waitlisted" || res.Map()["waitlist_position"] != 1.0 {
		t.Fatalf("waitlisted: %d %s", res.Status, res.Body)
	}
	waiting := res.Map()["id"].(string)

	// Refusals: a problem document with the rule code and a message.
	res = ta.Do("POST", base, "{}")
	if p := res.Map(); res.Status != http.StatusConflict || p["code"] != enrollment.CodeAlreadyEnrolled ||
		res.Header.Get("Content-Type") != "application/problem+json" || p["details"].(map[string]any)["enrollment_id"] != mine {
		t.Fatalf("already enrolled: %d %s", res.Status, res.Body)
	}
	res = env.As("a/coordinator").Do("POST", base, "{}")
	if res.Status != http.StatusForbidden {
		t.Fatalf("coordinator for themselves: %d", res.Status)
	}
	res = ta.Do("POST", base, `{"user_id": 5}`)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "user_id") {
		t.Fatalf("bad body: %d %s", res.Status, res.Body)
	}
	quota := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 4, map[string]int{b: 4})
	res = ta.Do("POST", "/api/v1/cohorts/"+quota.ID+"/enrollments", "{}")
	if res.Status != http.StatusConflict || res.Map()["code"] != enrollment.CodeAgencyNotParticipating || res.Map()["detail"] == "" {
		t.Fatalf("not participating: %d %s", res.Status, res.Body)
	}

	// The trainee withdraws; the waitlisted trainee now holds the seat.
	res = ta.Do("POST", "/api/v1/enrollments/"+mine+"/withdraw", nil)
	if res.Status != http.StatusOK || res.Map()["status"] != "withdrawn" {
		t.Fatalf("withdraw: %d %s", res.Status, res.Body)
	}
	res = tb.Do("GET", "/api/v1/enrollments/"+waiting, nil)
	var d struct {
		Status  string
		History []struct{ Action, Status string }
	}
	res.JSON(&d)
	if d.Status != "enrolled" || len(d.History) != 2 || d.History[1].Action != enrollment.ActionPromote {
		t.Fatalf("promoted: %s", res.Body)
	}
	res = tb.Do("GET", "/api/v1/me/enrollments", nil)
	if res.Status != http.StatusOK || res.Map()["total"] != 1.0 {
		t.Fatalf("mine: %s", res.Body)
	}

	// Approval: pending, in the coordinator's queue, rejected with a reason.
	ap := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 5, nil)
	approval := true
	if _, err := env.App.Cohorts.Update(context.Background(), access.System(), ap.ID, cohort.CohortPatch{RequiresApproval: &approval}); err != nil {
		t.Fatal(err)
	}
	res = ta.Do("POST", "/api/v1/cohorts/"+ap.ID+"/enrollments", nil)
	if res.Map()["status"] != "pending" {
		t.Fatalf("pending: %s", res.Body)
	}
	pending := res.Map()["id"].(string)
	coord := env.As("a/coordinator")
	res = coord.Do("GET", "/api/v1/approvals", nil)
	if res.Map()["total"] != 1.0 {
		t.Fatalf("queue: %s", res.Body)
	}
	res = coord.Do("POST", "/api/v1/enrollments/"+pending+"/reject", `{"reason": ""}`)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("reject without reason: %d", res.Status)
	}
	res = env.As("b/coordinator").Do("POST", "/api/v1/enrollments/"+pending+"/approve", nil)
	if res.Status != http.StatusNotFound {
		t.Fatalf("another agency's coordinator: %d", res.Status)
	}
	res = coord.Do("POST", "/api/v1/enrollments/"+pending+"/approve", nil)
	if res.Status != http.StatusOK || res.Map()["status"] != "enrolled" {
		t.Fatalf("approve: %d %s", res.Status, res.Body)
	}

	// Nominations: a preview changes nothing; the commit nominates the valid rows.
	ctx := context.Background()
	var emails []string
	for _, name := range []string{"Nominee one", "Nominee two"} {
		u, err := env.App.Identity.CreateUser(ctx, access.System(), identityInput(a, name))
		if err != nil {
			t.Fatal(err)
		}
		emails = append(emails, u.Email)
	}
	nom := "/api/v1/cohorts/" + ap.ID + "/nominations"
	list := "email\n" + strings.Join(emails, "\n") + "\n"
	res = coord.Do("POST", nom+"?dry_run=1", list, "Content-Type", "text/csv")
	if res.Status != http.StatusOK || res.Map()["committed"] != false || res.Map()["enrolled"] != 2.0 {
		t.Fatalf("preview: %d %s", res.Status, res.Body)
	}
	res = coord.Do("POST", nom, "nobody@example.org\n", "Content-Type", "text/csv")
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "row 1") {
		t.Fatalf("a list with no valid row: %d %s", res.Status, res.Body)
	}
	// The valid rows are committed; the unknown person is reported with the reason.
	res = coord.Do("POST", nom, list+"nobody@example.org\n", "Content-Type", "text/csv")
	if p := res.Map(); res.Status != http.StatusCreated || p["committed"] != true || p["enrolled"] != 2.0 || p["failed"] != 1.0 ||
		p["rows"].([]any)[2].(map[string]any)["message"] == "" {
		t.Fatalf("commit: %d %s", res.Status, res.Body)
	}
	res = coord.Do("GET", "/api/v1/cohorts/"+ap.ID+"/enrollments?status=enrolled", nil)
	if res.Map()["total"] != 3.0 {
		t.Fatalf("roster: %s", res.Body)
	}
}

// TestEnrollmentCohortHooks: the cohort service, wired to enrollment as its
// seat watcher, promotes on a raised capacity or quota and cancels
// enrollments with their cohort, each in the transaction of the change.
func TestEnrollmentCohortHooks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		env.App.Cohorts.Seats = env.App.Enroll
		a, b := env.Agencies["a"].ID, env.Agencies["b"].ID
		c := newEnrollmentScene(t, gdb, env.Clock.Now(), a, 2, map[string]int{a: 1, b: 1})
		ctx := context.Background()
		var rows []*enrollment.Row
		for _, who := range []string{"a/trainee", "b/trainee"} {
			r, err := env.App.Enroll.Enroll(ctx, env.Users[who].Actor("192.0.2.9"), c.ID, enrollment.Request{})
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r)
		}
		for _, name := range []string{"Waiting one", "Waiting two"} {
			u, err := env.App.Identity.CreateUser(ctx, access.System(), identityInput(a, name))
			if err != nil {
				t.Fatal(err)
			}
			r, err := env.App.Enroll.Enroll(ctx, u.User.Actor("192.0.2.9"), c.ID, enrollment.Request{})
			if err != nil || r.Status != enrollment.StatusWaitlisted {
				t.Fatalf("waitlist: %v %+v", err, r)
			}
			rows = append(rows, r)
		}
		status := func(i int) string {
			d, err := env.App.Enroll.Get(ctx, access.System(), rows[i].ID)
			if err != nil {
				t.Fatal(err)
			}
			return d.Status
		}
		coord := env.As("a/coordinator")
		res := coord.Do("PATCH", "/api/v1/cohorts/"+c.ID, `{"capacity": 3}`)
		if res.Status != http.StatusOK || status(2) != enrollment.StatusWaitlisted {
			t.Fatalf("capacity raised, quota full: %d %s; %s", res.Status, res.Body, status(2))
		}
		res = coord.Do("PUT", "/api/v1/cohorts/"+c.ID+"/quotas", map[string]any{"quotas": []map[string]any{{"agency_id": a, "seats": 2}, {"agency_id": b, "seats": 1}}})
		if res.Status != http.StatusOK || status(2) != enrollment.StatusEnrolled || status(3) != enrollment.StatusWaitlisted {
			t.Fatalf("quota raised: %d %s; %s %s", res.Status, res.Body, status(2), status(3))
		}
		res = coord.Do("PATCH", "/api/v1/cohorts/"+c.ID, `{"status": "cancelled"}`)
		if res.Status != http.StatusOK {
			t.Fatalf("cancel: %d %s", res.Status, res.Body)
		}
		for i := range rows {
			if status(i) != enrollment.StatusCancelled {
				t.Fatalf("row %d after cancellation: %s", i, status(i))
			}
		}
		var stored cohort.Cohort
		gdb.Where("id = ?", c.ID).Take(&stored)
		if stored.SeatsTaken != 0 {
			t.Fatalf("seats taken after cancellation: %d", stored.SeatsTaken)
		}
	})
}
