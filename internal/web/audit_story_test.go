package web_test

import (
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"muster/internal/audit"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
	"muster/internal/webtest"
)

// TestAuditTrailReadsAsSentences: the audit page tells each event as a
// sentence in the viewer's language, linking the person and the cohort;
// an action without a sentence shows its code; the raw details stay.
func TestAuditTrailReadsAsSentences(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	ctx := context.Background()
	a := env.Agencies["a"].ID
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 6, map[string]int{a: 6})
	coord, trainee := env.Users["a/coordinator"], env.Users["a/trainee"]
	if _, err := env.App.Enroll.Enroll(ctx, coord.Actor("192.0.2.1"), c.ID, enrollment.Request{UserID: trainee.ID}); err != nil {
		t.Fatal(err)
	}
	if err := env.App.Audit.Log(ctx, coord.Actor("192.0.2.1"), audit.Entry{Action: "drill.unknown", SubjectType: "drill", SubjectID: "x1", AgencyID: a}); err != nil {
		t.Fatal(err)
	}
	actor := `<a href="/manage/users/` + coord.ID + `"><bdi>A coordinator</bdi></a>`
	person := `<a href="/manage/users/` + trainee.ID + `"><bdi>A trainee</bdi></a>`
	cohortLink := `<a href="/cohorts/` + c.ID + `"><bdi>` + c.Code + `</bdi></a>`
	client := env.As("a/coordinator")
	res := client.Do("GET", "/manage/audit?action=enrollment.", nil)
	body := html.UnescapeString(string(res.Body))
	if want := actor + ` nominated ` + person + ` for ` + cohortLink; !strings.Contains(string(res.Body), want) {
		t.Fatalf("no sentence %q in\n%s", want, body)
	}
	if !strings.Contains(body, `<details>`) || !strings.Contains(body, `"user_id":"`+trainee.ID+`"`) {
		t.Error("the raw details are not kept in a details element")
	}
	res = client.Do("GET", "/manage/audit?action=drill.unknown", nil)
	if !strings.Contains(string(res.Body), `<code>drill.unknown</code>`) {
		t.Errorf("an action without a sentence does not show its code:\n%s", string(res.Body))
	}
	if res := client.Do("PATCH", "/api/v1/me", `{"language": "ru"}`); res.Status != 200 {
		t.Fatalf("language: %d %s", res.Status, res.Body)
	}
	res = client.Do("GET", "/manage/audit?action=enrollment.", nil)
	if want := actor + ` выдвинул(а) ` + person + ` в ` + cohortLink; !strings.Contains(string(res.Body), want) {
		t.Errorf("no Russian sentence %q", want)
	}
	// Another agency's coordinator sees the trail of their own agency only.
	if res := env.As("b/coordinator").Do("GET", "/manage/audit?action=enrollment.", nil); strings.Contains(string(res.Body), trainee.ID) {
		t.Error("agency b's coordinator reads agency a's trail")
	}
}

// TestAuditTrailSkipsIdsInOtherSpellings: an event naming a record by an id
// spelled other than the stored way (a URN, braces) is told with the id as
// written; the trail still reads, on both databases.
func TestAuditTrailSkipsIdsInOtherSpellings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		hr := env.Users["a/hr"]
		id := env.Users["a/trainee"].ID
		for _, e := range []audit.Entry{
			{Action: "drill.urn", SubjectType: "user", SubjectID: "urn:uuid:" + id, AgencyID: hr.AgencyID},
			{Action: "drill.braces", SubjectType: "cohort", SubjectID: "{" + id + "}", AgencyID: hr.AgencyID,
				Details: map[string]string{"user_id": "urn:uuid:" + id, "cohort_id": "urn:uuid:" + id}},
		} {
			if err := env.App.Audit.Log(context.Background(), hr.Actor("192.0.2.1"), e); err != nil {
				t.Fatal(err)
			}
		}
		for _, path := range []string{"/manage/audit", "/api/v1/audit-events"} {
			if res := env.As("a/hr").Do("GET", path, nil); res.Status != http.StatusOK || !strings.Contains(string(res.Body), "urn:uuid:"+id) {
				t.Errorf("%s: %d", path, res.Status)
			}
		}
	})
}

// TestAuditStoryEscapesRecordedText: text people typed (a reason, a topic)
// enters an event's sentence escaped, and the markers that place the
// sentence's parts cannot be forged from it.
func TestAuditStoryEscapesRecordedText(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	hr := env.Users["a/hr"]
	hostile := `<script>alert(1)</script>` + "\uE000A\uE001\uE000B\uE001" + `<img src=x onerror=alert(2)>`
	for _, e := range []audit.Entry{
		{Action: "enrollment.reject", SubjectType: "enrollment", SubjectID: "x", AgencyID: hr.AgencyID, Details: map[string]string{"reason": hostile}},
		{Action: "session.create", SubjectType: "session", SubjectID: "y", AgencyID: hr.AgencyID, Details: map[string]string{"topic": hostile}},
	} {
		if err := env.App.Audit.Log(context.Background(), hr.Actor("192.0.2.1"), e); err != nil {
			t.Fatal(err)
		}
	}
	body := string(env.As("a/hr").Do("GET", "/manage/audit", nil).Body)
	for _, raw := range []string{"<script>alert", "<img src=x"} {
		if strings.Contains(body, raw) {
			t.Errorf("the trail shows %q unescaped", raw)
		}
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the reason is not shown escaped")
	}
}
