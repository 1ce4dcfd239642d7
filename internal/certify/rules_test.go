package certify_test

import (
	"slices"
	"testing"
	"time"

	"muster/internal/certify"
)

func TestJudge(t *testing.T) {
	std := certify.Standard{MinAttendancePercent: 80, PassMark: 70}
	cases := []struct {
		name    string
		std     certify.Standard
		rec     certify.Record
		passed  bool
		reasons []string
	}{
		{"attendance and score at the thresholds", std, certify.Record{Sessions: 10, Attended: 8, Score: ptr(70)}, true, nil},
		{"attendance and score above", std, certify.Record{Sessions: 10, Attended: 10, Score: ptr(95)}, true, nil},
		{"attendance just below", std, certify.Record{Sessions: 10, Attended: 7, Score: ptr(90)}, false, []string{certify.ReasonAttendance}},
		{"79.9 percent is not rounded up", std, certify.Record{Sessions: 1000, Attended: 799, Score: ptr(90)}, false, []string{certify.ReasonAttendance}},
		{"score just below", std, certify.Record{Sessions: 10, Attended: 9, Score: ptr(69)}, false, []string{certify.ReasonScore}},
		{"both below", std, certify.Record{Sessions: 10, Attended: 1, Score: ptr(10)}, false, []string{certify.ReasonAttendance, certify.ReasonScore}},
		{"no score with a pass mark", std, certify.Record{Sessions: 10, Attended: 10}, false, []string{certify.ReasonNoScore}},
		{"score 0 is a score", certify.Standard{PassMark: 1}, certify.Record{Sessions: 1, Attended: 1, Score: ptr(0)}, false, []string{certify.ReasonScore}},
		{"no assessment needs no score", certify.Standard{MinAttendancePercent: 80}, certify.Record{Sessions: 5, Attended: 4}, true, nil},
		{"no assessment ignores a low score", certify.Standard{}, certify.Record{Sessions: 5, Attended: 0, Score: ptr(3)}, true, nil},
		// Decision: without sessions there is nothing to attend, so the
		// minimum is met only when the course asks for none.
		{"no sessions, minimum above 0", std, certify.Record{Score: ptr(80)}, false, []string{certify.ReasonAttendance}},
		{"no sessions, minimum 0", certify.Standard{PassMark: 70}, certify.Record{Score: ptr(80)}, true, nil},
		{"no sessions and no assessment", certify.Standard{}, certify.Record{}, true, nil},
		{"minimum 100 needs every session", certify.Standard{MinAttendancePercent: 100}, certify.Record{Sessions: 3, Attended: 2}, false, []string{certify.ReasonAttendance}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			passed, reasons := certify.Judge(c.std, c.rec)
			if passed != c.passed || !slices.Equal(reasons, c.reasons) {
				t.Fatalf("Judge = %v %v, want %v %v", passed, reasons, c.passed, c.reasons)
			}
		})
	}
}

func TestAttendancePercent(t *testing.T) {
	if p := (certify.Record{}).AttendancePercent(); p != nil {
		t.Fatalf("no sessions: %d, want none", *p)
	}
	if p := (certify.Record{Sessions: 3, Attended: 2}).AttendancePercent(); p == nil || *p != 66 {
		t.Fatalf("2 of 3: %v, want 66", p)
	}
}

func TestExpiresOn(t *testing.T) {
	cases := []struct {
		issued string
		months int
		want   string // "" for never
	}{
		{"2026-03-10", 0, ""},
		{"2026-03-10", 24, "2028-03-10"},
		{"2026-01-31", 1, "2026-02-28"}, // month end into a short month
		{"2024-01-31", 1, "2024-02-29"}, // leap February
		{"2026-03-31", 1, "2026-04-30"},
		{"2024-02-29", 12, "2025-02-28"}, // leap day, next year has none
		{"2024-02-29", 48, "2028-02-29"}, // leap day to leap day
		{"2026-08-31", 6, "2027-02-28"},
		{"2027-08-31", 6, "2028-02-29"},
		{"2026-12-15", 1, "2027-01-15"}, // across the year
		{"2026-11-30", 240, "2046-11-30"},
	}
	for _, c := range cases {
		got := certify.ExpiresOn(day(c.issued), c.months)
		switch {
		case c.want == "" && got != nil:
			t.Errorf("%s + %d months = %s, want never", c.issued, c.months, got.Format(time.DateOnly))
		case c.want != "" && (got == nil || got.Format(time.DateOnly) != c.want):
			t.Errorf("%s + %d months = %v, want %s", c.issued, c.months, got, c.want)
		case got != nil && (got.Location() != time.UTC || got.Hour() != 0):
			t.Errorf("%s: expiry %v is not midnight UTC", c.issued, got)
		}
	}
}

func TestCompletable(t *testing.T) {
	starts := day("2026-03-01")
	cases := []struct {
		status string
		on     string
		want   bool
	}{
		{"in_progress", "2026-02-01", true},
		{"open", "2026-03-01", true}, // open on its first day
		{"open", "2026-02-28", false},
		{"draft", "2026-03-20", false},
		{"cancelled", "2026-03-20", false},
		{"completed", "2026-03-20", false},
	}
	for _, c := range cases {
		if got := certify.Completable(c.status, starts, day(c.on)); got != c.want {
			t.Errorf("Completable(%s on %s) = %v, want %v", c.status, c.on, got, c.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	if got := certify.FormatNumber("MUS", 2026, 42); got != "MUS-2026-000042" {
		t.Fatal(got)
	}
}
