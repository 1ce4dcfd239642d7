package notify

import (
	"context"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"gorm.io/gorm"

	"muster/internal/roster"
)

// Kinds whose e-mail carries an iTIP invitation to the cohort's sessions
// (METHOD:REQUEST), and those that withdraw it (METHOD:CANCEL).
var (
	inviteKinds = []string{KindEnrolled, KindApproved, KindPromoted, KindSessionChanged}
	cancelKinds = []string{KindWithdrawn, KindCancelled}
)

// sessionEvent is a cohort session as an invitation names it.
type sessionEvent struct {
	ID        string
	StartsAt  time.Time
	EndsAt    time.Time
	Topic     string
	Room      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// invitation writes the iTIP calendar n's e-mail carries, and its method,
// or "" when n's kind calls for none. Each session is one event whose UID
// is the one every feed gives it, so the invitation and the feeds update
// the same entry. SEQUENCE counts seconds from the session's creation to
// the version sent, so every later change or cancellation outranks it.
func invitation(ctx context.Context, gdb *gorm.DB, n Notification, facts map[string]any, organizer string, r recipient) (string, string, error) {
	method := ""
	switch {
	case contains(inviteKinds, n.Kind):
		method = string(ics.MethodRequest)
	case contains(cancelKinds, n.Kind):
		method = string(ics.MethodCancel)
	default:
		return "", "", nil
	}
	cohortID, _ := facts["cohort_id"].(string)
	if cohortID == "" {
		return "", "", nil
	}
	q := gdb.WithContext(ctx).Table("cohort_sessions").Where("cohort_id = ?", cohortID)
	if only, _ := facts["session_id"].(string); only != "" { // a moved session: its update alone
		q = q.Where("id = ?", only)
	}
	var sessions []sessionEvent
	err := q.Order("starts_at, id").Find(&sessions).Error
	if err != nil || len(sessions) == 0 {
		return "", "", err
	}
	title := courseTitle(facts, r.Language)
	code, _ := facts["cohort_code"].(string)
	cal := ics.NewCalendarFor("muster")
	cal.SetMethod(ics.Method(method))
	cal.SetCalscale("GREGORIAN")
	for _, s := range sessions {
		version := s.UpdatedAt
		if method == string(ics.MethodCancel) {
			version = n.CreatedAt
		}
		ev := cal.AddEvent(roster.SessionUID(s.ID))
		ev.SetDtStampTime(n.CreatedAt.UTC())
		ev.SetStartAt(s.StartsAt.UTC())
		ev.SetEndAt(s.EndsAt.UTC())
		ev.SetSequence(int(max(0, version.Sub(s.CreatedAt)/time.Second)))
		summary := strings.TrimSpace(code + " " + title)
		if s.Topic != "" {
			summary += ": " + s.Topic
		}
		ev.SetSummary(summary)
		if s.Room != "" {
			ev.SetLocation(s.Room)
		}
		ev.SetOrganizer("mailto:" + organizer)
		ev.AddAttendee("mailto:"+r.Email, ics.WithCN(r.FullName), ics.WithRSVP(method == string(ics.MethodRequest)),
			ics.ParticipationRoleReqParticipant)
		if method == string(ics.MethodCancel) {
			ev.SetStatus(ics.ObjectStatusCancelled)
		} else {
			ev.SetStatus(ics.ObjectStatusConfirmed)
		}
	}
	return cal.Serialize(ics.WithNewLine("\r\n")), method, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
