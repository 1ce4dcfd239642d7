package web_test

import (
	"testing"

	"muster/internal/certify"
	"muster/internal/webtest"
)

// certifyMatrixFixture makes the records the certify rows name.
func certifyMatrixFixture(t *testing.T, env *webtest.Env) map[string]string {
	sc := newCertifyScene(t, env, "b")
	// A printer without Chromium: allowed callers reach it and get 503.
	env.App.Certify.Printer = certify.NewPrinter("/nonexistent/chromium", 1)
	return map[string]string{
		"{certify session b}": sc.session.ID, "{certify cohort b}": sc.running.ID, "{certify draft b}": sc.draft.ID,
		"{certify enrollment b}": sc.enrollment.ID, "{certify certificate b}": sc.certificate.Number,
		"{certify code b}": sc.certificate.VerificationCode, "{certify holder b}": env.Users["b/trainee"].ID,
	}
}

// Rows are [anonymous, admin, coordinator, instructor, hr, trainee] of agency a.
var certifyMatrixRows = []matrixRow{
	{"GET", "/api/v1/sessions/:id/attendance", "/api/v1/sessions/{certify session b}/attendance", "", [7]int{401, 200, 404, 404, 403, 403, 403}},
	{"PUT", "/api/v1/sessions/:id/attendance", "/api/v1/sessions/{certify session b}/attendance", "{}", [7]int{401, 422, 404, 404, 403, 403, 403}},
	{"GET", "/api/v1/cohorts/:id/results", "/api/v1/cohorts/{certify cohort b}/results", "", [7]int{401, 200, 404, 404, 403, 403, 403}},
	{"PUT", "/api/v1/enrollments/:id/result", "/api/v1/enrollments/{certify enrollment b}/result", "{}", [7]int{401, 422, 404, 404, 403, 403, 403}},
	{"GET", "/api/v1/cohorts/:id/completion", "/api/v1/cohorts/{certify cohort b}/completion", "", [7]int{401, 200, 404, 403, 403, 403, 403}},
	{"POST", "/api/v1/cohorts/:id/complete", "/api/v1/cohorts/{certify draft b}/complete", "", [7]int{401, 409, 404, 403, 403, 403, 403}},
	{"GET", "/api/v1/certificates", "/api/v1/certificates", "", [7]int{401, 200, 200, 200, 200, 200, 200}},
	{"GET", "/api/v1/certificates/:number", "/api/v1/certificates/{certify certificate b}", "", [7]int{401, 200, 404, 404, 404, 404, 404}},
	{"GET", "/api/v1/certificates/:number", "/api/v1/certificates/{certify certificate b}.pdf", "", [7]int{401, 503, 404, 404, 404, 404, 404}},
	{"POST", "/api/v1/certificates/:number/revoke", "/api/v1/certificates/{certify certificate b}/revoke", "{}", [7]int{401, 422, 404, 403, 403, 403, 403}},
	{"GET", "/api/v1/transcripts/:id", "/api/v1/transcripts/{certify holder b}", "", [7]int{401, 200, 404, 404, 404, 404, 404}},
	{"GET", "/api/v1/verify/:code", "/api/v1/verify/{certify code b}", "", [7]int{200, 200, 200, 200, 200, 200, 200}},

	{"GET", "/manage/sessions/:id/attendance", "/manage/sessions/{certify session b}/attendance", "", [7]int{303, 200, 404, 404, 403, 403, 403}},
	{"POST", "/manage/sessions/:id/attendance", "/manage/sessions/{certify session b}/attendance", "field=", [7]int{303, 422, 404, 404, 403, 403, 403}},
	{"GET", "/manage/cohorts/:id/results", "/manage/cohorts/{certify cohort b}/results", "", [7]int{303, 200, 404, 404, 403, 403, 403}},
	{"POST", "/manage/cohorts/:id/results", "/manage/cohorts/{certify cohort b}/results", "field=", [7]int{303, 303, 404, 404, 403, 403, 403}},
	{"GET", "/manage/cohorts/:id/complete", "/manage/cohorts/{certify cohort b}/complete", "", [7]int{303, 200, 404, 403, 403, 403, 403}},
	{"POST", "/manage/cohorts/:id/complete", "/manage/cohorts/{certify draft b}/complete", "field=", [7]int{303, 409, 404, 403, 403, 403, 403}},
	{"GET", "/certificates", "/certificates", "", [7]int{303, 200, 200, 403, 200, 403, 200}},
	{"GET", "/certificates/:number", "/certificates/{certify certificate b}", "", [7]int{303, 200, 404, 404, 404, 404, 404}},
	{"GET", "/certificates/:number", "/certificates/{certify certificate b}.pdf", "", [7]int{303, 503, 404, 404, 404, 404, 404}},
	{"POST", "/certificates/:number/revoke", "/certificates/{certify certificate b}/revoke", "reason=", [7]int{303, 422, 404, 403, 403, 403, 403}},
	{"GET", "/me/certificates", "/me/certificates", "", [7]int{303, 200, 200, 200, 200, 200, 200}},
	{"GET", "/transcripts/:id", "/transcripts/{certify holder b}", "", [7]int{303, 200, 404, 404, 404, 404, 404}},
	{"GET", "/verify/:code", "/verify/{certify code b}", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
}
