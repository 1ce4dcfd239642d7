package web

import (
	"strings"
	"time"

	"muster/internal/cohort"
	"muster/internal/roster"
)

// scheduleDay is one day of a schedule, in the cohort's time zone.
type scheduleDay struct {
	Date    string    // "2026-05-11"
	Day     time.Time // the same day, for the viewer's calendar
	Weekday string    // message key suffix: "monday"
	Items   []sessionView
}

// sessionView is a session shown in its cohort's time zone.
type sessionView struct {
	ID          string
	Topic, Room string
	MeetingURL  string // only for those who may join
	Start, End  string // wall-clock "09:00"
	Offset      string // "UTC+03:30" at the start
	StartsAt    string // RFC 3339, for <time datetime>
	At, Until   time.Time
	StartInput  string // "2026-05-11T09:00", a datetime-local value
	EndInput    string
	Instructors []roster.AssignedInstructor
}

// viewSession shows a session in loc.
func viewSession(ses cohort.Session, loc *time.Location, ins []roster.AssignedInstructor) sessionView {
	st, en := ses.StartsAt.In(loc), ses.EndsAt.In(loc)
	end := en.Format("15:04")
	if en.YearDay() != st.YearDay() {
		end = en.Format("2006-01-02 15:04")
	}
	return sessionView{ID: ses.ID, Topic: ses.Topic, Room: ses.Room, MeetingURL: ses.MeetingURL, Start: st.Format("15:04"), End: end,
		Offset: "UTC" + st.Format("-07:00"), StartsAt: ses.StartsAt.UTC().Format(time.RFC3339), At: ses.StartsAt, Until: ses.EndsAt,
		StartInput: st.Format(cohort.LocalLayout), EndInput: en.Format(cohort.LocalLayout), Instructors: ins}
}

// scheduleDays groups a cohort's sessions by their day in loc.
func scheduleDays(sched []roster.ScheduledSession, loc *time.Location) []scheduleDay {
	var days []scheduleDay
	for _, ses := range sched {
		local := ses.StartsAt.In(loc)
		date := local.Format(cohort.DateLayout)
		if len(days) == 0 || days[len(days)-1].Date != date {
			days = append(days, scheduleDay{Date: date, Day: LocalDayOf(local), Weekday: strings.ToLower(local.Weekday().String())})
		}
		d := &days[len(days)-1]
		d.Items = append(d.Items, viewSession(ses.Session, loc, ses.Instructors))
	}
	return days
}

// LocalDayOf is the wall-clock day of t as midnight UTC.
func LocalDayOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// localInput is an instant as a datetime-local value in loc, "" for zero.
func localInput(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(cohort.LocalLayout)
}

// cohortFacts are a cohort's times shown in its zone.
type cohortFacts struct {
	Zone        string // "Asia/Tehran (UTC+03:30)"
	OpensAt     string // "2026-04-01 03:30"
	ClosesAt    string
	SeatsLeft   int
	EnrollOpen  bool
	CanManage   bool
	Partner     bool              // the viewer coordinates a participating agency, not the host
	OwnQuota    *cohort.QuotaLine // the partner's seats, nil without a quota
	CanNominate bool
	CanEnroll   bool // a signed-in trainee may go to the enrollment page
	CalendarURL string
}

func factsOf(d *cohort.Detail, now time.Time) cohortFacts {
	loc := d.Location()
	return cohortFacts{Zone: cohort.ZoneLabel(cohort.DayStart(d.StartsOn.Time, loc), loc),
		OpensAt: cohort.FormatLocal(d.EnrollmentOpensAt, loc), ClosesAt: cohort.FormatLocal(d.EnrollmentClosesAt, loc),
		SeatsLeft: d.SeatsLeft(), EnrollOpen: d.WindowOpen(now), CalendarURL: "/api/v1/cohorts/" + d.ID + "/calendar.ics"}
}
