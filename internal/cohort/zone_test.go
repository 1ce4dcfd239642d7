package cohort_test

import (
	"testing"
	"time"

	"muster/internal/cohort"
)

func TestParseInstant(t *testing.T) {
	berlin, _ := cohort.LoadZone("Europe/Berlin")
	tehran, _ := cohort.LoadZone("Asia/Tehran")
	dushanbe, _ := cohort.LoadZone("Asia/Dushanbe")
	for _, tc := range []struct {
		in   string
		loc  *time.Location
		want string // UTC, "" when refused
		gap  bool
	}{
		{"2026-05-10T09:00", tehran, "2026-05-10T05:30:00Z", false},
		{"2026-05-10T09:00", dushanbe, "2026-05-10T04:00:00Z", false},
		{"2026-05-10T09:00:00+05:00", tehran, "2026-05-10T04:00:00Z", false},
		{"2026-05-10 09:00", tehran, "2026-05-10T05:30:00Z", false},
		// Berlin before and after the change of 25 October 2026 (CEST to CET).
		{"2026-10-24T09:00", berlin, "2026-10-24T07:00:00Z", false},
		{"2026-10-26T09:00", berlin, "2026-10-26T08:00:00Z", false},
		// 02:30 on 29 March 2026 does not exist in Berlin.
		{"2026-03-29T02:30", berlin, "", true},
		{"tomorrow", berlin, "", false},
	} {
		got, ok, gap := cohort.ParseInstant(tc.in, tc.loc)
		if gap != tc.gap || ok != (tc.want != "") || (ok && got.Format(time.RFC3339) != tc.want) {
			t.Errorf("%s in %s: %v ok=%v gap=%v, want %s gap=%v", tc.in, tc.loc, got, ok, gap, tc.want, tc.gap)
		}
	}
	if got := cohort.ZoneLabel(time.Date(2026, 5, 10, 0, 0, 0, 0, time.UTC), tehran); got != "Asia/Tehran (UTC+03:30)" {
		t.Fatalf("label %q", got)
	}
	if got := cohort.DayStart(time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC), berlin).Format(time.RFC3339); got != "2026-10-24T22:00:00Z" {
		t.Fatalf("day start %s", got)
	}
}
