package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/db/dbtest"
	"muster/internal/i18n"
	"muster/internal/identity"
	"muster/internal/testworld"
	"muster/internal/webtest"
)

// nameAgency gives the seeded agency key a name in Russian.
func nameAgency(t *testing.T, env *webtest.Env, key, ru string) {
	t.Helper()
	in := env.Agencies[key].Input()
	in.Names = i18n.Names{"ru": ru}
	if _, err := env.App.Identity.UpdateAgency(context.Background(), access.System(), env.Agencies[key].ID, in); err != nil {
		t.Fatal(err)
	}
}

// speak sets the seeded user key's language.
func speak(t *testing.T, env *webtest.Env, key, lang string) {
	t.Helper()
	if _, err := env.App.Identity.SetPreferences(context.Background(), env.Users[key].Actor("192.0.2.9"), identity.Preferences{Language: &lang}); err != nil {
		t.Fatal(err)
	}
}

// TestAgencyNamesInTheReadersLanguage: the approvals list, the decisions
// page, the roster, an enrollment and the cohort list name the trainee's
// and the host's agency in Russian for a Russian reader, isolated, and by
// its default name for an English one.
func TestAgencyNamesInTheReadersLanguage(t *testing.T) {
	const russian = "Агентство по контролю за наркотиками"
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		nameAgency(t, env, "a", russian)
		c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), env.Agencies["a"].ID, 5, nil)
		approval := true
		if _, err := env.App.Cohorts.Update(context.Background(), access.System(), c.ID, cohort.CohortPatch{RequiresApproval: &approval}); err != nil {
			t.Fatal(err)
		}
		id, _ := want(t, env.As("a/trainee").Do("POST", "/api/v1/cohorts/"+c.ID+"/enrollments", nil), http.StatusCreated, "")["id"].(string)
		coord := env.As("a/coordinator")
		paths := []string{"/manage/approvals", "/manage/cohorts/" + c.ID + "/decisions", "/manage/cohorts/" + c.ID + "/roster",
			"/enrollments/" + id, "/cohorts"}
		speak(t, env, "a/coordinator", "ru")
		for _, path := range paths {
			ru := coord.Do("GET", path, nil)
			if body := string(ru.Body); ru.Status != http.StatusOK || !strings.Contains(body, "<bdi>"+russian+"</bdi>") && path != "/cohorts" ||
				!strings.Contains(body, russian) {
				t.Errorf("%s in Russian: %d, no isolated %q", path, ru.Status, russian)
			}
		}
		speak(t, env, "a/coordinator", "en")
		for _, path := range paths {
			if en := string(coord.Do("GET", path, nil).Body); strings.Contains(en, russian) || !strings.Contains(en, "Agency a") {
				t.Errorf("%s in English shows the Russian name or lacks the default", path)
			}
		}
	})
}

// TestCertificatePageNamesHostAndVenueInTheReadersLanguage: the
// certificate page names the host agency and the venue in the reader's
// language.
func TestCertificatePageNamesHostAndVenueInTheReadersLanguage(t *testing.T) {
	const host, venue = "Агентство по контролю за наркотиками", "Учебный центр Душанбе"
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env := webtest.Start(t, gdb)
		nameAgency(t, env, "a", host)
		w := &testworld.World{T: t, DB: gdb, Ctx: context.Background(), Clock: env.Clock, App: env.App}
		coord := env.Users["a/coordinator"].Actor("192.0.2.9")
		v := w.Venue(coord, "Dushanbe Training Centre", "Dushanbe", "TJ", "Asia/Dushanbe", 30)
		in := cohort.VenueInput{Name: v.Name, City: v.City, Country: v.Country, Capacity: v.Capacity, TimeZone: v.TimeZone, Names: i18n.Names{"ru": venue}}
		if _, err := env.App.Cohorts.UpdateVenue(w.Ctx, coord, v.ID, in); err != nil {
			t.Fatal(err)
		}
		course := w.Course(coord, testworld.Standard{PassMark: 60, MinAttendancePercent: 80, ValidityMonths: 24})
		trainee := w.Person(env.Agencies["a"].ID, "Farid Rahimi")
		now := env.Clock.Now()
		// Held at the venue, the certificate page names it.
		number := w.CertificatesIn(coord, testworld.Plan{Course: course, VenueID: v.ID, TimeZone: v.TimeZone},
			time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -10), trainee)[0]
		speak(t, env, "a/coordinator", "ru")
		page := env.As("a/coordinator").Do("GET", "/certificates/"+number, nil)
		body := string(page.Body)
		if page.Status != http.StatusOK || !strings.Contains(body, `id="certificate-host"><bdi>`+host+`</bdi>`) ||
			!strings.Contains(body, `id="certificate-venue"><bdi>`+venue+`</bdi>`) {
			t.Errorf("Russian certificate page: %d\n%s", page.Status, body)
		}
		speak(t, env, "a/coordinator", "en")
		en := string(env.As("a/coordinator").Do("GET", "/certificates/"+number, nil).Body)
		if !strings.Contains(en, "<bdi>Agency a</bdi>") || !strings.Contains(en, "<bdi>Dushanbe Training Centre</bdi>") {
			t.Errorf("English certificate page lacks the default names")
		}
	})
}
