package roster

import (
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"muster/internal/i18n"
)

// CalendarEvent is one event of an iCalendar feed. UID must stay the same
// for the same thing across fetches, so calendar apps replace it on change.
type CalendarEvent struct {
	UID         string
	Start, End  time.Time
	Summary     string
	Location    string
	Description string
	URL         string
	Modified    time.Time // last change: DTSTAMP and LAST-MODIFIED; zero for unknown
	Cancelled   bool
	// A session's course and topic, from which a feed writes Summary in its
	// owner's language; CourseCode is "" for other events.
	CourseCode   string
	CourseTitle  string
	CourseTitles i18n.Names
	Topic        string
}

// SessionSummary is a session event's summary: the course's code and
// title, then the topic.
func SessionSummary(code, title, topic string) string {
	return joinNonEmpty(" · ", strings.TrimSpace(code+" "+title), topic)
}

// InLanguage gives each session event its summary with the course titled
// in lang, by the fallback rule of i18n.Localized.
func InLanguage(events []CalendarEvent, lang string) {
	for i, e := range events {
		if e.CourseCode != "" {
			events[i].Summary = SessionSummary(e.CourseCode, e.CourseTitles.In(lang, e.CourseTitle), e.Topic)
		}
	}
}

// SessionUID is the UID of a cohort session's event, the same in every
// feed that shows it.
func SessionUID(sessionID string) string { return "session-" + sessionID + "@muster" }

// WriteCalendar writes events as an RFC 5545 calendar named name. Times are
// written in UTC ("Z"), which every calendar app reads the same way and
// which needs no VTIMEZONE block.
func WriteCalendar(w io.Writer, name string, events []CalendarEvent) error {
	cal := ics.NewCalendarFor("muster")
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetName(name)
	cal.SetXWRCalName(name)
	now := time.Now().UTC()
	for _, e := range events {
		ev := cal.AddEvent(e.UID)
		if e.Modified.IsZero() {
			ev.SetDtStampTime(now)
		} else {
			ev.SetDtStampTime(e.Modified)
			ev.SetModifiedAt(e.Modified)
		}
		ev.SetStartAt(e.Start)
		ev.SetEndAt(e.End)
		ev.SetSummary(e.Summary)
		if e.Location != "" {
			ev.SetLocation(e.Location)
		}
		if e.Description != "" {
			ev.SetDescription(e.Description)
		}
		if e.URL != "" {
			ev.SetURL(e.URL)
		}
		if e.Cancelled {
			ev.SetStatus(ics.ObjectStatusCancelled)
		} else {
			ev.SetStatus(ics.ObjectStatusConfirmed)
		}
	}
	return cal.SerializeTo(w, ics.WithNewLine("\r\n")) // RFC 5545 lines end in CRLF
}
