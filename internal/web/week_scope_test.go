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
	"muster/internal/roster"
	"muster/internal/webtest"
)

// TestInstructorWeekHidesOtherAgenciesDrafts: coordinators of every agency
// may open an instructor's week, but a session in another agency's draft
// cohort stays hidden from them (its code, topic and link), as the cohort
// itself answers 404; the host's coordinators and the instructor see it.
func TestInstructorWeekHidesOtherAgenciesDrafts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		ctx, system := context.Background(), access.System()
		b := env.Agencies["b"].ID
		open := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), b, 6, nil)
		course := strings.TrimSuffix(open.Code, "-1")
		day := open.StartsOn.Format("2006-01-02")
		draft, err := env.App.Cohorts.Create(ctx, system, cohort.CohortInput{Code: "SECRET-B", Course: course, HostAgencyID: b, Language: "tg",
			StartsOn: day, EndsOn: day, TimeZone: "Asia/Dushanbe", Capacity: 5,
			EnrollmentOpensAt: env.Clock.Now().Format("2006-01-02T15:04"), EnrollmentClosesAt: env.Clock.Now().AddDate(0, 0, 5).Format("2006-01-02T15:04")})
		if err != nil {
			t.Fatal(err)
		}
		instructor := env.Users["b/instructor"].ID
		if _, err := env.App.Roster.SetQualifications(ctx, system, instructor, roster.QualificationsInput{Qualifications: []roster.QualificationInput{{Course: course}}}); err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct{ cohortID, start, end, topic string }{
			{open.ID, "T09:00", "T10:00", "Public drill"}, {draft.ID, "T11:00", "T12:00", "Covert drill"},
		} {
			ses, err := env.App.Cohorts.AddSession(ctx, system, s.cohortID, cohort.SessionInput{StartsAt: day + s.start, EndsAt: day + s.end, Topic: s.topic})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := env.App.Roster.Assign(ctx, system, ses.ID, roster.AssignInput{InstructorID: instructor, Role: "lead"}); err != nil {
				t.Fatal(err)
			}
		}
		path := "/manage/instructors/" + instructor + "/week?week=" + day
		res := env.As("a/coordinator").Do("GET", path, nil)
		body := string(res.Body)
		if res.Status != http.StatusOK || !strings.Contains(body, "Public drill") {
			t.Fatalf("agency a's coordinator: %d, public session missing", res.Status)
		}
		for _, secret := range []string{"Covert drill", "SECRET-B", draft.ID} {
			if strings.Contains(body, secret) {
				t.Errorf("agency a's coordinator sees %q of agency b's draft cohort", secret)
			}
		}
		if body := string(env.As("b/coordinator").Do("GET", path, nil).Body); !strings.Contains(body, "Covert drill") {
			t.Error("the host's coordinator does not see the draft's session")
		}
		if body := string(env.As("b/instructor").Do("GET", "/me/calendar/week?week="+day, nil).Body); !strings.Contains(body, "Covert drill") {
			t.Error("the instructor does not see their own draft session")
		}
	})
}

// TestWeekRefusesImpossibleWeeks: a week= that is no day, or a year whose
// neighbouring weeks could not be written as days, answers 422 naming the
// parameter on every week page, never a page of some other week.
func TestWeekRefusesImpossibleWeeks(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), env.Agencies["a"].ID, 6, nil)
	coord := env.As("a/coordinator")
	pages := []string{"/cohorts/" + c.ID + "/week", "/me/calendar/week", "/manage/instructors/" + env.Users["a/instructor"].ID + "/week"}
	for _, page := range pages {
		for _, week := range []string{"99999-01-01", "2031-13-01", "yesterday", "0000-01-01", "9999-12-31", "2031-05-20%00"} {
			res := coord.Do("GET", page+"?week="+week, nil)
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "week") {
				t.Errorf("%s?week=%s: %d, want 422 naming week", page, week, res.Status)
			}
		}
		if res := coord.Do("GET", page+"?week=2031-05-20", nil); res.Status != http.StatusOK {
			t.Errorf("%s with a real week: %d", page, res.Status)
		}
	}
}
