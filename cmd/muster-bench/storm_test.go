package main

import (
	"testing"
	"time"

	"muster/internal/cohort"
)

// TestStormWindow: at any time of the UTC day the storm cohort's window is
// open now and closes before its first day begins, even in a zone far east
// of UTC, which the cohort service would otherwise refuse.
func TestStormWindow(t *testing.T) {
	for _, at := range []string{"2026-12-03T00:00:00Z", "2026-12-03T18:59:59Z", "2026-12-03T19:00:00Z", "2026-12-03T23:59:59Z", "2027-01-31T23:30:00Z"} {
		now, err := time.Parse(time.RFC3339, at)
		if err != nil {
			t.Fatal(err)
		}
		opens, starts, closes := stormWindow(now)
		if !opens.Before(now) || !closes.After(now) {
			t.Errorf("%s: window %s to %s is not open now", at, opens, closes)
		}
		day, err := time.Parse(cohort.DateLayout, starts.Format(cohort.DateLayout))
		if err != nil {
			t.Fatal(err)
		}
		for _, zone := range []string{"Asia/Dushanbe", "Asia/Tehran", "Pacific/Kiritimati"} {
			if first := cohort.DayStart(day, cohort.ZoneOf(zone)); closes.After(first) {
				t.Errorf("%s in %s: closes %s after the first day begins %s", at, zone, closes, first)
			}
		}
	}
}
