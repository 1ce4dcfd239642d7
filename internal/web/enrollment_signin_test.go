package web_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/enrollment"
	"muster/internal/identity"
	"muster/internal/roster"
	"muster/internal/webtest"
)

// pdfText is the text of a PDF in reading order, one form feed per page,
// skipping the test (loudly, or failing under MUSTER_REQUIRE_BROWSER)
// without Chromium or pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func needPrinting(t *testing.T) {
	t.Helper()
	_, errB := os.Stat(dbtest.BrowserPath())
	_, errT := exec.LookPath("pdftotext")
	if errB == nil && errT == nil {
		return
	}
	if os.Getenv("MUSTER_REQUIRE_BROWSER") != "" {
		t.Fatalf("the sign-in sheet test needs Chromium and pdftotext")
	}
	t.Skip("!!! no Chromium or pdftotext: sign-in sheet PDF not checked")
}

// TestSignInSheetPDF: the host prints one page per session day with every
// seated person, names in their own script and in Latin, service numbers
// and agencies; a partner agency's coordinator prints their own people only;
// each printing is audited.
func TestSignInSheetPDF(t *testing.T) {
	needPrinting(t)
	env := webtest.Start(t, dbtest.SQLite(t))
	ctx := context.Background()
	a, b := env.Agencies["a"].ID, env.Agencies["b"].ID
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), a, 6, map[string]int{a: 3, b: 3})
	coordA, coordB := env.Users["a/coordinator"].Actor("192.0.2.1"), env.Users["b/coordinator"].Actor("192.0.2.2")
	reza, err := env.App.Identity.CreateUser(ctx, access.System(), identity.UserInput{Email: "reza@a.example", FullName: "رضا احمدی",
		FullNameLatin: "Reza Ahmadi", ServiceNumber: "IR-7781", AgencyID: a, Roles: []string{access.Trainee}, Password: webtest.Password})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []struct {
		coord access.Actor
		user  string
	}{{coordA, reza.ID}, {coordB, env.Users["b/trainee"].ID}} {
		if _, err := env.App.Enroll.Enroll(ctx, n.coord, c.ID, enrollment.Request{UserID: n.user}); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range [][3]string{{"T09:00", "T12:00", "Opening"}, {"T14:00", "T16:00", "Field drill"}} {
		day := c.StartsOn.Format("2006-01-02")
		if _, err := env.App.Cohorts.AddSession(ctx, coordA, c.ID, cohort.SessionInput{StartsAt: day + s[0], EndsAt: day + s[1], Topic: s[2]}); err != nil {
			t.Fatal(err)
		}
	}
	second := c.StartsOn.Add(24 * time.Hour).Format("2006-01-02")
	if _, err := env.App.Cohorts.AddSession(ctx, coordA, c.ID, cohort.SessionInput{StartsAt: second + "T09:00", EndsAt: second + "T12:00", Topic: "Review"}); err != nil {
		t.Fatal(err)
	}

	res := env.As("a/coordinator").Do("GET", "/cohorts/"+c.ID+"/roster.pdf", nil)
	if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("sheet: %d %s", res.Status, res.Body)
	}
	text := pdfText(t, res.Body)
	if pages := strings.Count(strings.TrimRight(text, "\f"), "\f") + 1; pages != 2 {
		t.Fatalf("%d pages, want one per session day:\n%s", pages, text)
	}
	for _, want := range []string{"Sign-in sheet", "Reza Ahmadi", "IR-7781", "B trainee", "b-trainee", "Opening", "Field", "Review", "Signature"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(text, "احمدی") && !strings.Contains(text, "ﺍﺣﻤﺪی") && !strings.Contains(text, "رضا") {
		t.Errorf("the name in its own script is missing:\n%s", text)
	}

	res = env.As("b/coordinator").Do("GET", "/cohorts/"+c.ID+"/roster.pdf", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("partner's sheet: %d", res.Status)
	}
	if text := pdfText(t, res.Body); !strings.Contains(text, "B trainee") || strings.Contains(text, "Reza Ahmadi") {
		t.Fatalf("the partner's sheet shows another agency's people:\n%s", text)
	}
	if res := env.As("a/trainee").Do("GET", "/cohorts/"+c.ID+"/roster.pdf", nil); res.Status != http.StatusForbidden {
		t.Fatalf("trainee: %d", res.Status)
	}

	// An instructor prints the whole cohort's sheet once they teach in it.
	ins := env.Users["b/instructor"]
	if res := env.As("b/instructor").Do("GET", "/cohorts/"+c.ID+"/roster.pdf", nil); res.Status != http.StatusForbidden {
		t.Fatalf("an instructor who does not teach the cohort: %d", res.Status)
	}
	sched, err := env.App.Cohorts.Sessions(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	course := strings.TrimSuffix(c.Code, "-1")
	if _, err := env.App.Roster.SetQualifications(ctx, coordB, ins.ID, roster.QualificationsInput{Qualifications: []roster.QualificationInput{{Course: course}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Roster.Assign(ctx, coordA, sched[0].ID, roster.AssignInput{InstructorID: ins.ID, Role: "assistant"}); err != nil {
		t.Fatal(err)
	}
	res = env.As("b/instructor").Do("GET", "/cohorts/"+c.ID+"/roster.pdf", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("the instructor's sheet: %d %s", res.Status, res.Body)
	}
	if text := pdfText(t, res.Body); !strings.Contains(text, "B trainee") || !strings.Contains(text, "Reza Ahmadi") {
		t.Fatalf("the instructor's sheet lacks people of the cohort:\n%s", text)
	}
	var n int64
	env.App.DB.Table("audit_events").Where("action = ? AND subject_id = ?", enrollment.ActionSignInSheet, c.ID).Count(&n)
	if n != 3 {
		t.Fatalf("audited printings: %d", n)
	}
}
