package cohort

import (
	"strings"
	"time"

	"muster/internal/calendar"
)

// DateLayout is how calendar days travel in the API and forms.
const DateLayout = "2006-01-02"

// LocalLayout is a wall-clock time without a zone, as datetime-local inputs send it.
const LocalLayout = "2006-01-02T15:04"

// LoadZone returns the IANA time zone name, refusing "", "Local" and
// anything the zone database does not know.
func LoadZone(name string) (*time.Location, bool) { return calendar.LoadZone(name) }

// ParseDate reads a calendar day as midnight UTC: YYYY-MM-DD, or a Jalali
// day as a Persian reader types it (1405/02/20), in any digits.
func ParseDate(s string) (time.Time, bool) { return calendar.ParseDay(s) }

// ParseInstant reads an instant: RFC 3339 with an offset, or a wall-clock
// time ("2026-05-10T09:00", seconds optional) in loc. A wall-clock time that
// does not exist in loc (skipped by a daylight-saving change) is refused:
// gap is true.
func ParseInstant(s string, loc *time.Location) (t time.Time, ok, gap bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC().Truncate(time.Second), true, false
	}
	if loc == nil {
		return time.Time{}, false, false
	}
	for _, layout := range []string{LocalLayout, "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05"} {
		wall, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		t := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), 0, loc)
		if t.YearDay() != wall.YearDay() || t.Hour() != wall.Hour() || t.Minute() != wall.Minute() {
			return time.Time{}, false, true
		}
		return t.UTC(), true, false
	}
	return time.Time{}, false, false
}

// DayStart is the instant a calendar day begins in loc.
func DayStart(day time.Time, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc).UTC()
}

// LocalDay is the calendar day (midnight UTC) of instant t in loc.
func LocalDay(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// FormatLocal shows an instant as wall-clock time in loc, with no zone.
func FormatLocal(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04")
}

// ZoneLabel names loc with its offset at t: "Asia/Tehran (UTC+03:30)".
func ZoneLabel(t time.Time, loc *time.Location) string {
	return loc.String() + " (UTC" + t.In(loc).Format("-07:00") + ")"
}

// ZoneOf loads a stored zone name, falling back to UTC for a name the
// running binary does not know (stored zones were valid when written).
func ZoneOf(name string) *time.Location {
	if loc, ok := LoadZone(name); ok {
		return loc
	}
	return time.UTC
}
