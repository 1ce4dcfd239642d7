package web

import (
	"time"

	"muster/internal/calendar"
)

// Times on pages: every instant is shown in the viewer's time zone (their
// own, else their agency's) and calendar; a visitor sees the zone of the
// record (a cohort's) instead. Digits follow the page's language.

// Date writes a calendar day in the viewer's language and calendar: Jalali
// in Persian unless they chose Gregorian.
func (v *View) Date(d calendar.Day) string {
	return calendar.FormatChoice(v.Lang, v.calendarChoice(), d)
}

func (v *View) calendarChoice() string {
	if v.Me == nil {
		return ""
	}
	return v.Me.Calendar
}

// DateInput is a date field's value as the viewer types dates: a Jalali
// YYYY/MM/DD for a Jalali reader, else the value as it is.
func (v *View) DateInput(value any) any {
	s, ok := value.(string)
	if !ok || calendar.Uses(v.Lang, v.calendarChoice()) != calendar.Jalaali {
		return value
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return calendar.ToJalali(t).Numeric()
	}
	return value
}

// DateField reports whether date fields are typed as text: a Jalali reader
// types Jalali days, which the browser's Gregorian date picker cannot hold.
func (v *View) DateField() string {
	if calendar.Uses(v.Lang, v.calendarChoice()) == calendar.Jalaali {
		return "text"
	}
	return "date"
}

// zone is the viewer's zone, or the named fallback zone for a visitor (UTC
// when none is named).
func (v *View) zone(fallback ...string) *time.Location {
	if v.Me != nil && v.Me.Zone != nil {
		return v.Me.Zone
	}
	for _, name := range fallback {
		if loc, ok := calendar.LoadZone(name); ok {
			return loc
		}
	}
	return time.UTC
}

// ZoneName is the name of the zone times are shown in (see zone).
func (v *View) ZoneName(fallback ...string) string { return v.zone(fallback...).String() }

// When writes an instant as day and time in the viewer's zone.
func (v *View) When(t time.Time, fallback ...string) string {
	if t.IsZero() {
		return ""
	}
	l := t.In(v.zone(fallback...))
	return v.Date(l) + " " + calendar.Clock(v.Lang, l)
}

// DayOf writes the day of an instant in the viewer's zone and calendar.
func (v *View) DayOf(t time.Time, fallback ...string) string {
	return v.Date(t.In(v.zone(fallback...)))
}

// WhenIn writes an instant as day and time in the named zone.
func (v *View) WhenIn(t time.Time, zone string) string {
	loc, ok := calendar.LoadZone(zone)
	if !ok {
		loc = time.UTC
	}
	l := t.In(loc)
	return v.Date(l) + " " + calendar.Clock(v.Lang, l)
}

// WhenPtr is When for an optional instant.
func (v *View) WhenPtr(t *time.Time) string {
	if t == nil {
		return ""
	}
	return v.When(*t)
}

// Span writes a session's times in the viewer's zone, "09:30–12:30", with
// the end's day when it ends on another day.
func (v *View) Span(start, end time.Time, fallback ...string) string {
	return v.spanIn(start, end, v.zone(fallback...))
}

// SpanIn writes a session's times in the named zone.
func (v *View) SpanIn(start, end time.Time, zone string) string {
	loc, ok := calendar.LoadZone(zone)
	if !ok {
		loc = time.UTC
	}
	return v.spanIn(start, end, loc)
}

func (v *View) spanIn(start, end time.Time, loc *time.Location) string {
	st, en := start.In(loc), end.In(loc)
	to := calendar.Clock(v.Lang, en)
	if st.YearDay() != en.YearDay() || st.Year() != en.Year() {
		to = v.Date(en) + " " + to
	}
	return calendar.Clock(v.Lang, st) + "–" + to
}

// ZoneDiffers reports whether a signed-in viewer's zone is not zone, so a
// page shows the record's own times beside the viewer's.
func (v *View) ZoneDiffers(zone string) bool {
	return v.Me != nil && v.Me.Zone != nil && v.Me.Zone.String() != zone
}
