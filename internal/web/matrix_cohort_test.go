package web_test

import (
	"context"
	"testing"

	"muster/internal/cohort"
	"muster/internal/roster"
	"muster/internal/webtest"
)

// Agency b owns a venue in Dushanbe, an open cohort of BX-101 with one
// session, a draft cohort, and an instructor with a period of unavailability.
// cohortMatrixFixture makes the records the cohort rows name.
func cohortMatrixFixture(t *testing.T, env *webtest.Env) map[string]string {
	ctx := context.Background()
	coordB := env.Users["b/coordinator"].Actor("192.0.2.1")
	venue, err := env.App.Cohorts.CreateVenue(ctx, coordB, cohort.VenueInput{Name: "Hall B", City: "Dushanbe", Country: "TJ", Capacity: 50, TimeZone: "Asia/Dushanbe"})
	if err != nil {
		t.Fatal(err)
	}
	in := cohort.CohortInput{Code: "BX101-OPEN", Course: "BX-101", VenueID: venue.ID, Language: "tg", StartsOn: "2031-05-10", EndsOn: "2031-05-12",
		Capacity: 20, EnrollmentOpensAt: "2031-04-01T09:00", EnrollmentClosesAt: "2031-05-01T09:00", Status: "open"}
	open, err := env.App.Cohorts.Create(ctx, coordB, in)
	if err != nil {
		t.Fatal(err)
	}
	in.Code, in.Status = "BX101-DRAFT", ""
	draft, err := env.App.Cohorts.Create(ctx, coordB, in)
	if err != nil {
		t.Fatal(err)
	}
	ses, err := env.App.Cohorts.AddSession(ctx, coordB, open.ID, cohort.SessionInput{StartsAt: "2031-05-10T09:00", EndsAt: "2031-05-10T12:00", Topic: "Opening", Room: "1"})
	if err != nil {
		t.Fatal(err)
	}
	insB := env.Users["b/instructor"]
	if _, err := env.App.Roster.AddUnavailability(ctx, insB.Actor("192.0.2.1"), insB.ID, roster.UnavailabilityInput{StartsAt: "2031-06-01T00:00:00Z", EndsAt: "2031-06-02T00:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	return map[string]string{"{venue b}": venue.ID, "{cohort b}": open.ID, "{draft b}": draft.ID, "{session b}": ses.ID,
		"{b/instructor}": insB.ID, "{no session}": "0193a3c0-0000-7000-8000-00000000dead", "{no period}": "0193a3c0-0000-7000-8000-00000000beef"}
}

var cohortMatrixRows = []matrixRow{
	{"GET", "/api/v1/venues", "/api/v1/venues", "", [7]int{401, 200, 200, 403, 403, 403, 403}},
	{"POST", "/api/v1/venues", "/api/v1/venues", "{}", [7]int{401, 422, 422, 403, 403, 403, 403}},
	{"GET", "/api/v1/venues/:id", "/api/v1/venues/{venue b}", "", [7]int{401, 200, 200, 403, 403, 403, 403}},
	{"PATCH", "/api/v1/venues/:id", "/api/v1/venues/{venue b}", "{}", [7]int{401, 422, 403, 403, 403, 403, 403}},
	{"GET", "/api/v1/cohorts", "/api/v1/cohorts", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"POST", "/api/v1/cohorts", "/api/v1/cohorts", "{}", [7]int{401, 422, 422, 403, 403, 403, 403}},
	{"GET", "/api/v1/cohorts/:id", "/api/v1/cohorts/{cohort b}", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/api/v1/cohorts/:id", "/api/v1/cohorts/{draft b}", "", [7]int{404, 200, 404, 404, 404, 404, 404}},
	{"PATCH", "/api/v1/cohorts/:id", "/api/v1/cohorts/{cohort b}", "{}", [7]int{401, 200, 403, 403, 403, 403, 403}},
	{"PATCH", "/api/v1/cohorts/:id", "/api/v1/cohorts/{draft b}", "{}", [7]int{401, 200, 404, 403, 403, 403, 403}},
	{"PUT", "/api/v1/cohorts/:id/quotas", "/api/v1/cohorts/{cohort b}/quotas", "{}", [7]int{401, 422, 403, 403, 403, 403, 403}},
	{"GET", "/api/v1/cohorts/:id/sessions", "/api/v1/cohorts/{cohort b}/sessions", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/api/v1/cohorts/:id/sessions", "/api/v1/cohorts/{draft b}/sessions", "", [7]int{404, 200, 404, 404, 404, 404, 404}},
	{"POST", "/api/v1/cohorts/:id/sessions", "/api/v1/cohorts/{cohort b}/sessions", "{}", [7]int{401, 422, 403, 403, 403, 403, 403}},
	{"GET", "/api/v1/cohorts/:id/conflicts", "/api/v1/cohorts/{cohort b}/conflicts", "", [7]int{401, 200, 403, 403, 403, 403, 403}},
	{"GET", "/api/v1/cohorts/:id/calendar.ics", "/api/v1/cohorts/{cohort b}/calendar.ics", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/api/v1/cohorts/:id/calendar.ics", "/api/v1/cohorts/{draft b}/calendar.ics", "", [7]int{404, 200, 404, 404, 404, 404, 404}},
	{"PATCH", "/api/v1/sessions/:id", "/api/v1/sessions/{session b}", "{}", [7]int{401, 200, 403, 403, 403, 403, 403}},
	{"DELETE", "/api/v1/sessions/:id", "/api/v1/sessions/{no session}", "", [7]int{401, 404, 404, 403, 403, 403, 403}},
	{"POST", "/api/v1/sessions/:id/instructors", "/api/v1/sessions/{session b}/instructors", "{}", [7]int{401, 422, 403, 403, 403, 403, 403}},
	{"DELETE", "/api/v1/sessions/:id/instructors/:instructor_id", "/api/v1/sessions/{session b}/instructors/{b/instructor}", "", [7]int{401, 404, 403, 403, 403, 403, 403}},
	{"GET", "/api/v1/instructors", "/api/v1/instructors", "", [7]int{401, 200, 200, 403, 403, 403, 403}},
	{"GET", "/api/v1/instructors/:id", "/api/v1/instructors/{b/instructor}", "", [7]int{401, 200, 200, 404, 404, 404, 404}},
	{"PATCH", "/api/v1/instructors/:id", "/api/v1/instructors/{b/instructor}", "{}", [7]int{401, 200, 403, 404, 404, 404, 404}},
	{"PUT", "/api/v1/instructors/:id/qualifications", "/api/v1/instructors/{b/instructor}/qualifications", "{}", [7]int{401, 422, 403, 403, 403, 403, 403}},
	{"POST", "/api/v1/instructors/:id/unavailability", "/api/v1/instructors/{b/instructor}/unavailability", "{}", [7]int{401, 422, 403, 404, 404, 404, 404}},
	{"DELETE", "/api/v1/instructors/:id/unavailability/:period_id", "/api/v1/instructors/{b/instructor}/unavailability/{no period}", "", [7]int{401, 404, 403, 404, 404, 404, 404}},
	{"GET", "/api/v1/me/teaching", "/api/v1/me/teaching", "", [7]int{401, 200, 200, 200, 200, 200, 200}},
	{"GET", "/api/v1/me/calendar.ics", "/api/v1/me/calendar.ics", "", [7]int{401, 200, 200, 200, 200, 200, 200}},
	{"POST", "/api/v1/me/feed-token", "/api/v1/me/feed-token", "", [7]int{401, 201, 201, 201, 201, 201, 201}},
	{"DELETE", "/api/v1/me/feed-token", "/api/v1/me/feed-token", "", [7]int{401, 204, 204, 204, 204, 204, 204}},

	{"GET", "/cohorts", "/cohorts", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/cohorts/:id", "/cohorts/{cohort b}", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/cohorts/:id", "/cohorts/{draft b}", "", [7]int{404, 200, 404, 404, 404, 404, 404}},
	{"GET", "/cohorts/:id/week", "/cohorts/{cohort b}/week?week=2031-05-10", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/cohorts/:id/week", "/cohorts/{draft b}/week", "", [7]int{404, 200, 404, 404, 404, 404, 404}},
	{"GET", "/manage/cohorts", "/manage/cohorts", "", [7]int{303, 200, 200, 403, 403, 403, 403}},
	{"GET", "/manage/cohorts/new", "/manage/cohorts/new", "", [7]int{303, 200, 200, 403, 403, 403, 403}},
	{"POST", "/manage/cohorts", "/manage/cohorts", "code=", [7]int{303, 422, 422, 403, 403, 403, 403}},
	{"GET", "/manage/cohorts/:id", "/manage/cohorts/{cohort b}", "", [7]int{303, 200, 403, 403, 403, 403, 403}},
	{"GET", "/manage/cohorts/:id", "/manage/cohorts/{draft b}", "", [7]int{303, 200, 404, 403, 403, 403, 403}},
	{"POST", "/manage/cohorts/:id", "/manage/cohorts/{cohort b}", "code=", [7]int{303, 422, 403, 403, 403, 403, 403}},
	{"POST", "/manage/cohorts/:id/status", "/manage/cohorts/{cohort b}/status", "status=", [7]int{303, 422, 403, 403, 403, 403, 403}},
	{"GET", "/manage/cohorts/:id/quotas", "/manage/cohorts/{cohort b}/quotas", "", [7]int{303, 200, 403, 403, 403, 403, 403}},
	{"POST", "/manage/cohorts/:id/quotas", "/manage/cohorts/{cohort b}/quotas", "seats_x=many", [7]int{303, 422, 403, 403, 403, 403, 403}},
	{"GET", "/manage/cohorts/:id/schedule", "/manage/cohorts/{cohort b}/schedule", "", [7]int{303, 200, 403, 403, 403, 403, 403}},
	{"POST", "/manage/cohorts/:id/sessions", "/manage/cohorts/{cohort b}/sessions", "topic=", [7]int{303, 422, 403, 403, 403, 403, 403}},
	{"POST", "/manage/cohorts/:id/schedule/copy", "/manage/cohorts/{cohort b}/schedule/copy", "from=&first_day=", [7]int{303, 422, 403, 403, 403, 403, 403}},
	{"GET", "/manage/cohorts/:id/conflicts", "/manage/cohorts/{cohort b}/conflicts", "", [7]int{303, 200, 403, 403, 403, 403, 403}},
	{"GET", "/manage/sessions/:id", "/manage/sessions/{session b}", "", [7]int{303, 200, 403, 403, 403, 403, 403}},
	{"POST", "/manage/sessions/:id", "/manage/sessions/{session b}", "topic=", [7]int{303, 422, 403, 403, 403, 403, 403}},
	{"POST", "/manage/sessions/:id/delete", "/manage/sessions/{no session}/delete", "", [7]int{303, 404, 404, 403, 403, 403, 403}},
	{"POST", "/manage/sessions/:id/instructors", "/manage/sessions/{session b}/instructors", "role=", [7]int{303, 422, 403, 403, 403, 403, 403}},
	{"POST", "/manage/sessions/:id/instructors/:instructor_id/remove", "/manage/sessions/{session b}/instructors/{b/instructor}/remove", "", [7]int{303, 404, 403, 403, 403, 403, 403}},
	{"GET", "/manage/venues", "/manage/venues", "", [7]int{303, 200, 200, 403, 403, 403, 403}},
	{"POST", "/manage/venues", "/manage/venues", "name=", [7]int{303, 422, 422, 403, 403, 403, 403}},
	{"GET", "/manage/venues/:id", "/manage/venues/{venue b}", "", [7]int{303, 200, 200, 403, 403, 403, 403}},
	{"POST", "/manage/venues/:id", "/manage/venues/{venue b}", "name=", [7]int{303, 422, 403, 403, 403, 403, 403}},
	{"GET", "/manage/instructors", "/manage/instructors", "", [7]int{303, 200, 200, 403, 403, 403, 403}},
	{"GET", "/manage/instructors/:id", "/manage/instructors/{b/instructor}", "", [7]int{303, 200, 200, 403, 403, 403, 403}},
	{"GET", "/manage/instructors/:id/week", "/manage/instructors/{b/instructor}/week", "", [7]int{303, 200, 200, 403, 403, 403, 403}},
	{"POST", "/manage/instructors/:id", "/manage/instructors/{b/instructor}", "languages=xx", [7]int{303, 422, 403, 403, 403, 403, 403}},
	{"POST", "/manage/instructors/:id/qualifications", "/manage/instructors/{b/instructor}/qualifications", "course=XX-9", [7]int{303, 422, 403, 403, 403, 403, 403}},
	{"POST", "/manage/instructors/:id/unavailability", "/manage/instructors/{b/instructor}/unavailability", "starts_at=", [7]int{303, 422, 403, 403, 403, 403, 403}},
	{"POST", "/manage/instructors/:id/unavailability/:period_id/delete", "/manage/instructors/{b/instructor}/unavailability/{no period}/delete", "", [7]int{303, 404, 403, 403, 403, 403, 403}},
	{"GET", "/me/calendar", "/me/calendar", "", [7]int{303, 200, 200, 200, 200, 200, 200}},
	{"GET", "/me/calendar/week", "/me/calendar/week", "", [7]int{303, 200, 200, 200, 200, 200, 200}},
	{"POST", "/me/calendar/feed", "/me/calendar/feed", "", [7]int{303, 200, 200, 200, 200, 200, 200}},
	{"POST", "/me/calendar/feed/revoke", "/me/calendar/feed/revoke", "", [7]int{303, 303, 303, 303, 303, 303, 303}},
	{"POST", "/me/calendar/unavailability", "/me/calendar/unavailability", "starts_at=", [7]int{303, 404, 404, 422, 404, 404, 404}},
	{"POST", "/me/calendar/unavailability/:period_id/delete", "/me/calendar/unavailability/{no period}/delete", "", [7]int{303, 404, 404, 404, 404, 404, 404}},
	{"GET", "/feeds/:token", "/feeds/not-a-token.ics", "", [7]int{404, 404, 404, 404, 404, 404, 404}},
}
