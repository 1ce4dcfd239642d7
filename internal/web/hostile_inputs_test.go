package web_test

import (
	"encoding/json"
	"net/url"
	"strings"
)

// Hostile values. Those that go into a URL are written percent-encoded, as a
// client would send them.
var (
	// badPathValues replace one path parameter at a time.
	badPathValues = []string{"not-a-uuid", "CN%FF%00.pdf"}
	// badNumbers are tried on the parameters that take numbers.
	badNumbers = []string{"99999999999999999999", "-5", "1e9"}
	// badTexts fill every text field of a body.
	badTexts = []string{"x\u0000y", strings.Repeat("ж", 3000), "not-a-uuid", "John\u202e htimS\u202c"}
	// malformedBodies are sent to every JSON route as they are.
	malformedBodies = []string{`{bad`, `[1,2,3]`, `null`,
		`{"reason": 5, "score": "high", "seats": "x", "records": {}, "quotas": 7, "status": 3}`,
		"{\"reason\":\"x\u0000\",\"name\":\"y\u0000\"}", "{\"email\":\"a\xff\"}"}
)

// queryParams are the query parameters routes read.
var queryParams = []string{"q", "page", "per_page", "actor", "action", "subject", "agency", "from", "to", "course", "status",
	"language", "level", "delivery", "discipline", "expiring_before", "format", "free_from", "free_to", "number", "role",
	"holder", "host", "issued_from", "issued_to", "owner_agency_id", "host_agency_id", "public", "view", "next", "dry_run",
	"preview", "cohort", "venue_id", "user_id", "instructor_id", "v", "year", "kind", "country"}

// typedQueryParams take ids, dates or codes.
var typedQueryParams = []string{"actor", "agency", "owner_agency_id", "host_agency_id", "user_id", "instructor_id", "venue_id",
	"cohort", "holder", "host", "subject", "from", "to", "expiring_before", "free_from", "free_to", "issued_from", "issued_to",
	"course", "number"}

var numberQueryParams = []string{"page", "per_page"}

// Fields of request bodies by the JSON type they take.
var (
	textFields = []string{"email", "password", "current_password", "new_password", "code", "recovery_code", "name", "short_name",
		"country", "kind", "time_zone", "full_name", "full_name_latin", "rank", "service_number", "agency_id", "language",
		"title", "summary", "description", "discipline", "level", "delivery", "status", "city", "address", "course", "venue_id",
		"starts_on", "ends_on", "enrollment_opens_at", "enrollment_closes_at", "starts_at", "ends_at", "topic", "room",
		"meeting_url", "instructor_id", "role", "reason", "user_id", "expires_at", "bio", "person", "list", "csv", "url",
		"signatory_name", "signatory_title", "token", "agency", "format", "q", "from", "to", "number", "enrollment_id", "cohort_id"}
	numberFields = []string{"capacity", "seats", "score", "duration_hours", "pass_mark", "min_attendance_percent", "validity_months", "count"}
	boolFields   = []string{"requires_approval", "skip_weekends", "active", "dry_run", "public", "whole_cohort"}
	listFields   = []string{"languages", "roles", "prerequisites", "approve", "events"}
)

// hostileBody is a JSON body with every known field, text fields set to s;
// keep limits it to the fields a route takes (nil keeps all).
func hostileBody(s string, keep map[string]bool) string {
	m := map[string]any{}
	for _, f := range textFields {
		m[f] = s
	}
	for _, f := range numberFields {
		m[f] = 1
	}
	for _, f := range boolFields {
		m[f] = true
	}
	for _, f := range listFields {
		m[f] = []any{s}
	}
	m["records"] = []any{map[string]any{"enrollment_id": s, "status": s}}
	m["quotas"] = []any{map[string]any{"agency_id": s, "seats": 1}}
	m["qualifications"] = []any{map[string]any{"course": s, "expires_on": s}}
	m["reject"] = []any{map[string]any{"id": s, "reason": s}}
	m["repeat"] = map[string]any{"every": s, "count": 2}
	m["names"] = map[string]any{"fa": s}
	m["translations"] = map[string]any{"fa": map[string]any{"title": s, "summary": s}}
	for k := range m {
		if keep != nil && !keep[k] {
			delete(m, k)
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// hostileForm is a form with every known field, text fields set to s.
func hostileForm(s string) string {
	v := url.Values{}
	for _, f := range append(append([]string{}, textFields...), listFields...) {
		v.Set(f, s)
	}
	for _, f := range numberFields {
		v.Set(f, "1")
	}
	for _, f := range boolFields {
		v.Set(f, "on")
	}
	v.Set("lang", s)
	v.Set("commit", "1")
	return v.Encode()
}
