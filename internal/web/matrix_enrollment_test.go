package web_test

import (
	"context"
	"strings"
	"testing"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/enrollment"
	"muster/internal/identity"
	"muster/internal/roster"
	"muster/internal/webtest"
)

// enrollmentMatrixFixture makes the records the enrollment rows name.
func enrollmentMatrixFixture(t *testing.T, env *webtest.Env) map[string]string {
	ctx := context.Background()
	b := env.Agencies["b"].ID
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), b, 5, map[string]int{b: 5})
	other, err := env.App.Identity.CreateUser(ctx, access.System(), identity.UserInput{Email: "second.trainee@b.example", FullName: "B second trainee",
		AgencyID: b, Roles: []string{access.Trainee}, Password: webtest.Password})
	if err != nil {
		t.Fatal(err)
	}
	coordB := env.Users["b/coordinator"].Actor("192.0.2.1")
	first, err := env.App.Enroll.Enroll(ctx, coordB, c.ID, enrollment.Request{UserID: env.Users["b/trainee"].ID})
	if err != nil {
		t.Fatal(err)
	}
	next, err := env.App.Enroll.Enroll(ctx, coordB, c.ID, enrollment.Request{UserID: other.ID})
	if err != nil {
		t.Fatal(err)
	}
	// Agency a's instructor teaches a session of another cohort of b's.
	taught := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), b, 5, nil)
	day := taught.StartsOn.Format("2006-01-02")
	ses, err := env.App.Cohorts.AddSession(ctx, coordB, taught.ID, cohort.SessionInput{StartsAt: day + "T09:00", EndsAt: day + "T12:00", Topic: "Opening"})
	if err != nil {
		t.Fatal(err)
	}
	ins := env.Users["a/instructor"].ID
	quals := roster.QualificationsInput{Qualifications: []roster.QualificationInput{{Course: strings.TrimSuffix(taught.Code, "-1")}}}
	if _, err := env.App.Roster.SetQualifications(ctx, env.Users["a/coordinator"].Actor("192.0.2.1"), ins, quals); err != nil {
		t.Fatal(err)
	}
	if _, err := env.App.Roster.Assign(ctx, coordB, ses.ID, roster.AssignInput{InstructorID: ins, Role: "lead"}); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"{enroll cohort b}": c.ID, "{enrollment b}": first.ID, "{enrollment b2}": next.ID, "{taught cohort b}": taught.ID}
}

// Rows are [anonymous, admin, coordinator, instructor, hr, trainee] of
// agency a. The cohort's seats are agency b's, so a's trainee is refused
// (409 agency_not_participating); only trainees enroll themselves (403).
// The enrollments are b's trainees': a's staff do not see them (404).
// The withdrawals come last, as an admin's succeeds.
var enrollmentMatrixRows = []matrixRow{
	{"POST", "/api/v1/cohorts/:id/enrollments", "/api/v1/cohorts/{enroll cohort b}/enrollments", "{}", [7]int{401, 403, 403, 403, 403, 409, 403}},
	{"GET", "/api/v1/cohorts/:id/enrollments", "/api/v1/cohorts/{enroll cohort b}/enrollments", "", [7]int{401, 200, 200, 403, 200, 403, 403}},
	{"POST", "/api/v1/cohorts/:id/nominations", "/api/v1/cohorts/{enroll cohort b}/nominations", "{}", [7]int{401, 422, 422, 403, 403, 403, 403}},
	{"GET", "/api/v1/me/enrollments", "/api/v1/me/enrollments", "", [7]int{401, 200, 200, 200, 200, 200, 200}},
	{"GET", "/api/v1/approvals", "/api/v1/approvals", "", [7]int{401, 200, 200, 403, 403, 403, 403}},
	{"GET", "/api/v1/enrollments/:id", "/api/v1/enrollments/{enrollment b}", "", [7]int{401, 200, 404, 404, 404, 404, 404}},
	{"POST", "/api/v1/enrollments/:id/approve", "/api/v1/enrollments/{enrollment b}/approve", "", [7]int{401, 409, 404, 403, 403, 403, 403}},
	{"POST", "/api/v1/enrollments/:id/reject", "/api/v1/enrollments/{enrollment b}/reject", "{}", [7]int{401, 422, 422, 403, 403, 403, 403}},
	{"POST", "/api/v1/enrollments/:id/no-show", "/api/v1/enrollments/{enrollment b}/no-show", "", [7]int{401, 409, 404, 403, 403, 403, 403}},

	{"GET", "/cohorts/:id/enroll", "/cohorts/{enroll cohort b}/enroll", "", [7]int{303, 200, 200, 200, 200, 200, 200}},
	{"POST", "/cohorts/:id/enroll", "/cohorts/{enroll cohort b}/enroll", "field=", [7]int{303, 403, 403, 403, 403, 409, 403}},
	{"GET", "/me/training", "/me/training", "", [7]int{303, 200, 200, 200, 200, 200, 200}},
	{"GET", "/enrollments/:id", "/enrollments/{enrollment b}", "", [7]int{303, 200, 404, 404, 404, 404, 404}},
	{"GET", "/manage/approvals", "/manage/approvals", "", [7]int{303, 200, 200, 403, 403, 403, 403}},
	{"POST", "/manage/enrollments/:id/approve", "/manage/enrollments/{enrollment b}/approve", "field=", [7]int{303, 303, 404, 403, 403, 403, 403}},
	{"POST", "/manage/enrollments/:id/reject", "/manage/enrollments/{enrollment b}/reject", "reason=", [7]int{303, 200, 404, 403, 403, 403, 403}},
	{"POST", "/manage/enrollments/:id/reject", "/manage/enrollments/{enrollment b}/reject", "reason=&confirm=yes", [7]int{303, 422, 422, 403, 403, 403, 403}},
	{"POST", "/manage/enrollments/:id/no-show", "/manage/enrollments/{enrollment b}/no-show", "field=", [7]int{303, 303, 404, 403, 403, 403, 403}},
	{"GET", "/manage/cohorts/:id/roster", "/manage/cohorts/{enroll cohort b}/roster", "", [7]int{303, 200, 200, 403, 200, 403, 403}},
	{"GET", "/cohorts/:id/roster.pdf", "/cohorts/{enroll cohort b}/roster.pdf", "", [7]int{303, 503, 503, 403, 503, 403, 403}},
	{"GET", "/cohorts/:id/roster.pdf", "/cohorts/{taught cohort b}/roster.pdf", "", [7]int{303, 503, 503, 503, 503, 403, 403}},
	{"GET", "/manage/cohorts/:id/nominate", "/manage/cohorts/{enroll cohort b}/nominate", "", [7]int{303, 200, 200, 403, 403, 403, 403}},
	{"POST", "/manage/cohorts/:id/nominate", "/manage/cohorts/{enroll cohort b}/nominate", "person=", [7]int{303, 422, 422, 403, 403, 403, 403}},
	{"POST", "/api/v1/cohorts/:id/decisions", "/api/v1/cohorts/{enroll cohort b}/decisions", "{}", [7]int{401, 422, 422, 403, 403, 403, 403}},
	{"GET", "/manage/cohorts/:id/decisions", "/manage/cohorts/{enroll cohort b}/decisions", "", [7]int{303, 200, 200, 403, 403, 403, 403}},
	{"POST", "/manage/cohorts/:id/decisions", "/manage/cohorts/{enroll cohort b}/decisions", "field=", [7]int{303, 422, 422, 403, 403, 403, 403}},

	{"POST", "/enrollments/:id/withdraw", "/enrollments/{enrollment b2}/withdraw", "reason=&confirm=yes", [7]int{303, 303, 404, 404, 404, 404, 404}},
	{"POST", "/api/v1/enrollments/:id/withdraw", "/api/v1/enrollments/{enrollment b}/withdraw", "{}", [7]int{401, 200, 404, 404, 404, 404, 404}},
}
