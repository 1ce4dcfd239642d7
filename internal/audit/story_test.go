package audit_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"muster/internal/audit"
	"muster/internal/i18n"
)

// actionLiteral finds actions written in the code: `Action: "x.y"`,
// constants `ActionX = "x.y"` and actions passed to helpers as `"x.y"`
// after an actor.
var actionLiteral = regexp.MustCompile(`(?:Action:\s*|Action[A-Za-z]*\s*=\s*|actor, (?:code, )?)"([a-z_]+\.[a-z_]+)"`)

// computed are the actions built from parts (cohort status changes,
// exports, user updates, the change helpers of courses, MFA and keys).
var computed = []string{"cohort.open", "cohort.start", "cohort.cancel", "export.certificates", "export.training_records",
	"user.disable", "user.enable", "user.role_change", "user.agency_change", "course.update", "course.publish", "course.archive",
	"user.mfa_disable", "user.mfa_reset", "signing_key.create", "signing_key.rotate", "certificate.download", "transcript.download"}

// TestEveryActionHasASentence: each action the code records has its
// sentence in every catalog, with the same named parts.
func TestEveryActionHasASentence(t *testing.T) {
	actions := map[string]bool{}
	for _, a := range computed {
		actions[a] = true
	}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		for _, m := range actionLiteral.FindAllStringSubmatch(string(b), -1) {
			actions[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(actions) < 80 {
		t.Fatalf("found only %d actions: the pattern no longer matches the code", len(actions))
	}
	for _, lang := range i18n.Languages {
		keys, err := i18n.Keys(lang)
		if err != nil {
			t.Fatal(err)
		}
		for a := range actions {
			if !keys[audit.StoryKey(a)] {
				t.Errorf("%s: no sentence for %s", lang, a)
			}
		}
	}
}

// TestTellNamesTheRecords: a decision names the actor, the person and the
// cohort; an unknown subject keeps its id.
func TestTellNamesTheRecords(t *testing.T) {
	actor, user, cohort := "u-1", "u-2", "c-1"
	names := audit.Names{
		Users:       map[string]audit.Ref{actor: {Kind: "user", ID: actor, Name: "Farida Rahimova"}, user: {Kind: "user", ID: user, Name: "Dilshod Karimov"}},
		Cohorts:     map[string]audit.Ref{cohort: {Kind: "cohort", ID: cohort, Name: "CN101-TEH", Public: true}},
		Enrollments: map[string][2]string{"e-1": {user, cohort}},
	}
	st := audit.Tell([]audit.Event{
		{ActorID: &actor, ActorName: "Farida Rahimova", Action: "enrollment.approve", SubjectType: "enrollment", SubjectID: "e-1", Details: `{}`},
		{ActorName: "system", Action: "session.update", SubjectType: "session", SubjectID: "s-9", Details: `not json`},
	}, names)
	if st[0].Key != "audit.event.enrollment.approve" || st[0].Args["Actor"].Name != "Farida Rahimova" ||
		st[0].Args["Person"].Name != "Dilshod Karimov" || st[0].Args["Cohort"].Name != "CN101-TEH" {
		t.Errorf("story: %+v", st[0])
	}
	if st[1].Args["Subject"].Name != "session s-9" || st[1].Args["Actor"].Kind != "" {
		t.Errorf("story of an unknown session: %+v", st[1])
	}
}

// TestTellNamesACopysSource: a schedule copy names the source cohort as
// well as the target, by its code when copied if it is gone.
func TestTellNamesACopysSource(t *testing.T) {
	src, dst := "c-1", "c-2"
	names := audit.Names{Cohorts: map[string]audit.Ref{
		src: {Kind: "cohort", ID: src, Name: "CN101-TEH"},
		dst: {Kind: "cohort", ID: dst, Name: "CN101-DYU"},
	}}
	st := audit.Tell([]audit.Event{
		{ActorName: "A coordinator", Action: "cohort.schedule_copy", SubjectType: "cohort", SubjectID: dst,
			Details: `{"cohort_id":"c-2","from_cohort_id":"c-1","from_code":"OLD-CODE"}`},
		{ActorName: "A coordinator", Action: "cohort.schedule_copy", SubjectType: "cohort", SubjectID: dst,
			Details: `{"cohort_id":"c-2","from_cohort_id":"c-9","from_code":"GONE-1"}`},
	}, names)
	if st[0].Args["FromCohort"].Name != "CN101-TEH" || st[0].Args["FromCohort"].Kind != "cohort" || st[0].Args["Cohort"].Name != "CN101-DYU" {
		t.Errorf("copy story: %+v", st[0].Args)
	}
	if st[1].Args["FromCohort"].Name != "GONE-1" {
		t.Errorf("copy from an unknown cohort: %+v", st[1].Args)
	}
}
