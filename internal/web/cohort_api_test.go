package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"gorm.io/gorm"

	"muster/internal/catalog"
	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// publishCourse adds a published course owned by agency key ("a" or "b").
func publishCourse(t *testing.T, env *webtest.Env, key, code string, langs ...string) {
	t.Helper()
	_, err := env.App.Courses.Create(context.Background(), env.Users[key+"/coordinator"].Actor("192.0.2.1"), catalog.CourseInput{
		Code: code, Title: "Course " + code, Discipline: "counter_narcotics", Level: "basic", Delivery: "in_person",
		DurationHours: 20, Languages: langs, Status: catalog.StatusPublished})
	if err != nil {
		t.Fatal(err)
	}
}

// want fails unless res has status and, for problems, code.
func want(t *testing.T, res *webtest.Response, status int, code string) map[string]any {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status %d, want %d: %s", res.Status, status, res.Body)
	}
	m := map[string]any{}
	if len(res.Body) > 0 && strings.Contains(res.Header.Get("Content-Type"), "json") {
		m = res.Map()
	}
	if code != "" && m["code"] != code {
		t.Fatalf("code %v, want %s: %s", m["code"], code, res.Body)
	}
	return m
}

// TestCohortAPI walks the exchange through the API: venues, a cohort in
// Tehran and one in Dushanbe, quotas, sessions, an instructor clash across
// the two zones, the conflicts report and the calendar feeds.
func TestCohortAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		env.Clock.Set(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))
		publishCourse(t, env, "a", "CN-101", "fa", "tg")
		coordA, coordB, admin := env.As("a/coordinator"), env.As("b/coordinator"), env.As("a/admin")
		insA := env.Users["a/instructor"]

		venue := want(t, coordA.Do("POST", "/api/v1/venues", map[string]any{"name": "Police Academy", "city": "Tehran", "country": "IR", "capacity": 40, "time_zone": "Asia/Tehran"}), 201, "")
		res := coordA.Do("POST", "/api/v1/cohorts", map[string]any{"code": "CN101-TEH", "course": "CN-101", "venue_id": venue["id"], "language": "fa",
			"starts_on": "2026-05-14", "ends_on": "2026-05-10", "capacity": 50, "enrollment_opens_at": "2026-04-01T09:00", "enrollment_closes_at": "2026-05-15T09:00"})
		p := want(t, res, 422, "invalid")
		fields := map[string]bool{}
		for _, e := range p["errors"].([]any) {
			fields[e.(map[string]any)["field"].(string)] = true
		}
		if !fields["ends_on"] || !fields["capacity"] || !fields["enrollment_closes_at"] {
			t.Fatalf("field errors %v", p["errors"])
		}
		teh := want(t, coordA.Do("POST", "/api/v1/cohorts", map[string]any{"code": "CN101-TEH", "course": "CN-101", "venue_id": venue["id"], "language": "fa",
			"starts_on": "2026-05-10", "ends_on": "2026-05-14", "capacity": 20, "enrollment_opens_at": "2026-04-01T09:00", "enrollment_closes_at": "2026-05-01T09:00"}), 201, "")
		if teh["status"] != "draft" || teh["time_zone"] != "Asia/Tehran" || teh["starts_on"] != "2026-05-10" || teh["enrollment_opens_at"] != "2026-04-01T05:30:00Z" {
			t.Fatalf("cohort %v", teh)
		}
		id := teh["id"].(string)
		// A draft is the host's: hidden from the partner, then public once open.
		want(t, coordB.Do("GET", "/api/v1/cohorts/"+id, nil), 404, "not_found")
		want(t, coordA.Do("PATCH", "/api/v1/cohorts/"+id, map[string]any{"status": "completed"}), 409, "cohort_status_transition")
		want(t, coordA.Do("PATCH", "/api/v1/cohorts/"+id, map[string]any{"status": "open"}), 200, "")
		want(t, env.Anonymous().Do("GET", "/api/v1/cohorts/"+id, nil), 200, "")
		// Quotas.
		a, b := env.Agencies["a"].ID, env.Agencies["b"].ID
		want(t, coordA.Do("PUT", "/api/v1/cohorts/"+id+"/quotas", map[string]any{"quotas": []map[string]any{{"agency_id": a, "seats": 15}, {"agency_id": b, "seats": 6}}}), 422, "quotas_exceed_capacity")
		q := want(t, coordA.Do("PUT", "/api/v1/cohorts/"+id+"/quotas", map[string]any{"quotas": []map[string]any{{"agency_id": a, "seats": 10}, {"agency_id": b, "seats": 10}}}), 200, "")
		if len(q["quotas"].([]any)) != 2 {
			t.Fatalf("quotas %v", q["quotas"])
		}
		want(t, coordB.Do("PUT", "/api/v1/cohorts/"+id+"/quotas", map[string]any{"quotas": []any{}}), 403, "forbidden")
		list := want(t, env.Anonymous().Do("GET", "/api/v1/cohorts?agency="+b+"&course=CN-101&status=open&from=2026-05-01&to=2026-05-31", nil), 200, "")
		if list["total"] != float64(1) {
			t.Fatalf("list %v", list)
		}
		// A Dushanbe cohort hosted by b, online.
		dyu := want(t, coordB.Do("POST", "/api/v1/cohorts", map[string]any{"code": "CN101-DYU", "course": "CN-101", "language": "tg", "time_zone": "Asia/Dushanbe",
			"starts_on": "2026-05-10", "ends_on": "2026-05-14", "capacity": 30, "enrollment_opens_at": "2026-04-01T09:00:00Z", "enrollment_closes_at": "2026-05-01T09:00:00Z", "status": "open"}), 201, "")
		// Sessions, entered in each cohort's wall-clock time.
		s1 := want(t, coordA.Do("POST", "/api/v1/cohorts/"+id+"/sessions", map[string]any{"starts_at": "2026-05-11T09:00", "ends_at": "2026-05-11T12:00", "topic": "Legal framework", "room": "101"}), 201, "")
		if s1["starts_at"] != "2026-05-11T05:30:00Z" {
			t.Fatalf("session %v", s1)
		}
		want(t, coordA.Do("POST", "/api/v1/cohorts/"+id+"/sessions", map[string]any{"starts_at": "2026-05-15T09:00", "ends_at": "2026-05-15T12:00", "topic": "Too late"}), 422, "invalid")
		s2 := want(t, coordB.Do("POST", "/api/v1/cohorts/"+dyu["id"].(string)+"/sessions", map[string]any{"starts_at": "2026-05-11T11:00", "ends_at": "2026-05-11T12:00", "topic": "Field visit"}), 201, "")
		// The instructor: qualified by their coordinator, assigned in Tehran, refused in Dushanbe.
		want(t, coordA.Do("PUT", "/api/v1/instructors/"+insA.ID+"/qualifications", map[string]any{"qualifications": []map[string]any{{"course": "CN-101", "expires_on": nil}}}), 200, "")
		want(t, coordB.Do("PUT", "/api/v1/instructors/"+insA.ID+"/qualifications", map[string]any{"qualifications": []any{}}), 403, "forbidden")
		want(t, coordA.Do("POST", "/api/v1/sessions/"+s1["id"].(string)+"/instructors", map[string]any{"instructor_id": insA.ID, "role": "lead"}), 201, "")
		p = want(t, coordB.Do("POST", "/api/v1/sessions/"+s2["id"].(string)+"/instructors", map[string]any{"instructor_id": insA.ID, "role": "lead"}), 409, "instructor_conflict")
		clash := p["details"].(map[string]any)["session"].(map[string]any)
		if clash["session_id"] != s1["id"] || !strings.Contains(p["detail"].(string), "Legal framework") || !strings.Contains(p["detail"].(string), "CN101-TEH") {
			t.Fatalf("problem %v", p)
		}
		// Roster search: free and qualified.
		found := want(t, coordB.Do("GET", "/api/v1/instructors?course=CN-101&free_from=2026-05-11T06:00:00Z&free_to=2026-05-11T07:00:00Z", nil), 200, "")
		if found["total"] != float64(0) {
			t.Fatalf("busy instructor listed as free: %v", found)
		}
		// The instructor reports unavailability: the conflicts report shows it.
		insClient := env.As("a/instructor")
		want(t, insClient.Do("POST", "/api/v1/instructors/"+insA.ID+"/unavailability", map[string]any{"starts_at": "2026-05-11T06:00:00Z", "ends_at": "2026-05-11T07:00:00Z", "reason": "Court"}), 201, "")
		rep := want(t, coordA.Do("GET", "/api/v1/cohorts/"+id+"/conflicts", nil), 200, "")
		items := rep["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["kind"] != "instructor_unavailable" {
			t.Fatalf("conflicts %v", rep)
		}
		// Calendar: the cohort's feed, and the instructor's through a private link without a session.
		res = env.Anonymous().Do("GET", "/api/v1/cohorts/"+id+"/calendar.ics", nil)
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("feed %d %s", res.Status, res.Header)
		}
		tok := want(t, insClient.Do("POST", "/api/v1/me/feed-token", nil), 201, "")
		url := tok["url"].(string)
		if !strings.HasSuffix(url, ".ics") || !strings.Contains(url, "/feeds/") {
			t.Fatalf("feed url %v", url)
		}
		res = env.Anonymous().Do("GET", url[strings.Index(url, "/feeds/"):], nil)
		cal, err := ics.ParseCalendar(strings.NewReader(string(res.Body)))
		if res.Status != 200 || err != nil || len(cal.Events()) != 1 {
			t.Fatalf("private feed %d %v %s", res.Status, err, res.Body)
		}
		start, _ := cal.Events()[0].GetStartAt()
		if !start.Equal(time.Date(2026, 5, 11, 5, 30, 0, 0, time.UTC)) {
			t.Fatalf("start %v", start)
		}
		want(t, insClient.Do("DELETE", "/api/v1/me/feed-token", nil), http.StatusNoContent, "")
		if res := env.Anonymous().Do("GET", url[strings.Index(url, "/feeds/"):], nil); res.Status != 404 {
			t.Fatalf("revoked feed: %d", res.Status)
		}
		// Cancelling from any state before completion; then nothing changes.
		want(t, admin.Do("PATCH", "/api/v1/cohorts/"+id, map[string]any{"status": "cancelled"}), 200, "")
		want(t, coordA.Do("POST", "/api/v1/cohorts/"+id+"/sessions", map[string]any{"starts_at": "2026-05-12T09:00", "ends_at": "2026-05-12T10:00", "topic": "After"}), 409, "cohort_not_editable")
	})
}
