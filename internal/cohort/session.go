package cohort

import (
	"context"
	"net/url"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/plaintext"
	"muster/internal/validate"
)

// MaxSessionLength bounds one block of a schedule.
const MaxSessionLength = 12 * time.Hour

// SessionInput is a session as a client sends it: the body of
// POST /api/v1/cohorts/{id}/sessions and the session form. Instants are
// RFC 3339, or wall-clock times in the cohort's time zone as a
// datetime-local input sends them ("2026-05-10T09:00").
type SessionInput struct {
	StartsAt string `json:"starts_at" form:"starts_at" validate:"required"`
	EndsAt   string `json:"ends_at" form:"ends_at" validate:"required"`
	Topic    string `json:"topic" form:"topic" validate:"notblank,max=200"`
	Room     string `json:"room" form:"room" validate:"max=100"`
	// MeetingURL is an online session's link (http or https).
	MeetingURL string `json:"meeting_url" form:"meeting_url" validate:"max=500"`
	// Repeat makes a series: Count sessions, a day or a week apart, at the
	// same wall-clock times in the cohort's zone.
	Repeat *Repeat `json:"repeat" form:"-"`
	// SkipWeekends leaves out the host country's weekend days in a daily series.
	SkipWeekends bool `json:"skip_weekends" form:"skip_weekends"`
}

// Repeat is how a new session repeats.
type Repeat struct {
	Every string `json:"every" validate:"required,oneof=day week"`
	Count int    `json:"count" validate:"min=1,max=60"`
}

// SessionPatch is the body of PATCH /api/v1/sessions/{id}; nil fields stay.
type SessionPatch struct {
	StartsAt   *string `json:"starts_at"`
	EndsAt     *string `json:"ends_at"`
	Topic      *string `json:"topic"`
	Room       *string `json:"room"`
	MeetingURL *string `json:"meeting_url"`
}

// Sessions lists a cohort's sessions in time order. It does not check who
// asks: callers have already read the cohort through Get.
func (s *Service) Sessions(ctx context.Context, cohortID string) ([]Session, error) {
	out := []Session{}
	if !validID(cohortID) {
		return out, nil
	}
	err := s.db(ctx).Where("cohort_id = ?", cohortID).Order("starts_at, id").Find(&out).Error
	for i := range out {
		out[i].StartsAt, out[i].EndsAt = out[i].StartsAt.UTC(), out[i].EndsAt.UTC()
	}
	return out, err
}

// Session returns one session and its cohort as actor may see them.
func (s *Service) Session(ctx context.Context, actor access.Actor, id string) (*Session, *Cohort, error) {
	if !validID(id) {
		return nil, nil, apperr.NotFound()
	}
	tx := s.db(ctx)
	var ses Session
	err := tx.Where("id = ?", id).Take(&ses).Error
	if db.IsNotFound(err) {
		return nil, nil, apperr.NotFound()
	}
	if err != nil {
		return nil, nil, err
	}
	c, err := Load(tx, actor, ses.CohortID)
	if err != nil {
		return nil, nil, err
	}
	ses.StartsAt, ses.EndsAt = ses.StartsAt.UTC(), ses.EndsAt.UTC()
	return &ses, c, nil
}

// AddSession adds a session to a cohort's schedule: within the cohort's
// dates, its venue and room free at that time. With Repeat it adds the
// whole series, or none of it, and answers the first.
func (s *Service) AddSession(ctx context.Context, actor access.Actor, cohortID string, in SessionInput) (*Session, error) {
	out, err := s.AddSessions(ctx, actor, cohortID, in)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// AddSessions adds a session, or the series its Repeat describes, in one
// transaction: a clash on any day refuses the series, naming that day.
func (s *Service) AddSessions(ctx context.Context, actor access.Actor, cohortID string, in SessionInput) ([]*Session, error) {
	var out []*Session
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		out = nil
		// Cohort row before venue row, the order every change takes them in:
		// the new session's foreign key waits on the cohort's row anyway.
		c, err := managed(tx, actor, cohortID, true)
		if err != nil {
			return err
		}
		series, err := s.series(tx, c, in)
		if err != nil {
			return err
		}
		now := db.Now(tx, s.Clock)
		for _, one := range series {
			ses := &Session{ID: newID(), CohortID: c.ID}
			if err := s.place(tx, c, ses, one); err != nil {
				return inSeries(err, len(series), one, c)
			}
			ses.CreatedAt, ses.UpdatedAt = now, now
			if err := tx.Create(ses).Error; err != nil {
				return err
			}
			out = append(out, ses)
			if err := audit.Record(tx, now, actor, audit.Entry{Action: "session.create", SubjectType: "session", SubjectID: ses.ID,
				AgencyID: c.HostAgencyID, Details: map[string]any{"cohort_id": c.ID, "starts_at": ses.StartsAt, "ends_at": ses.EndsAt,
					"topic": ses.Topic, "room": ses.Room, "meeting_url": ses.MeetingURL}}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// UpdateSession changes a session; when its time or room changes, the
// venue is checked again and the schedule watcher checks its instructors.
func (s *Service) UpdateSession(ctx context.Context, actor access.Actor, id string, p SessionPatch) (*Session, error) {
	var out *Session
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		ses, c, err := ManagedSession(tx, actor, id)
		if err != nil {
			return err
		}
		before := *ses
		in := SessionInput{StartsAt: ses.StartsAt.UTC().Format(time.RFC3339), EndsAt: ses.EndsAt.UTC().Format(time.RFC3339), Topic: ses.Topic, Room: ses.Room,
			MeetingURL: ses.MeetingURL}
		set(&in.StartsAt, p.StartsAt)
		set(&in.EndsAt, p.EndsAt)
		set(&in.Topic, p.Topic)
		set(&in.Room, p.Room)
		set(&in.MeetingURL, p.MeetingURL)
		if err := s.place(tx, c, ses, in); err != nil {
			return err
		}
		out = ses
		diff := audit.Diff(before, *ses)
		if len(diff) == 0 {
			return nil
		}
		now := db.Now(tx, s.Clock)
		ses.UpdatedAt = now
		if err := tx.Save(ses).Error; err != nil {
			return err
		}
		moved := !before.StartsAt.Equal(ses.StartsAt) || !before.EndsAt.Equal(ses.EndsAt)
		if moved && s.Schedule != nil { // the roster moves its assignments along and checks them
			if err := s.Schedule.SessionChanged(ctx, tx, actor, c, ses); err != nil {
				return err
			}
		}
		return audit.Record(tx, now, actor, audit.Entry{Action: "session.update", SubjectType: "session", SubjectID: ses.ID,
			AgencyID: c.HostAgencyID, Details: diff})
	})
	return out, err
}

// DeleteSession removes a session and its assignments; a session with
// attendance recorded stays.
func (s *Service) DeleteSession(ctx context.Context, actor access.Actor, id string) error {
	return db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		ses, c, err := ManagedSession(tx, actor, id)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Table("attendance").Where("session_id = ?", ses.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return apperr.New(CodeSessionHasAttendance).WithArgs("Count", n)
		}
		if err := tx.Delete(&Session{ID: ses.ID}).Error; err != nil {
			return err
		}
		return audit.Record(tx, db.Now(tx, s.Clock), actor, audit.Entry{Action: "session.delete", SubjectType: "session", SubjectID: ses.ID,
			AgencyID: c.HostAgencyID, Details: map[string]any{"cohort_id": c.ID, "starts_at": ses.StartsAt, "topic": ses.Topic}})
	})
}

// place checks in against cohort c and writes it into ses: valid input,
// end after start, within the cohort's dates, the venue free.
func (s *Service) place(tx *gorm.DB, c *Cohort, ses *Session, in SessionInput) error {
	in.Topic, in.Room, in.MeetingURL = plaintext.Line(in.Topic), plaintext.Line(in.Room), strings.TrimSpace(plaintext.Line(in.MeetingURL))
	fields := fieldsOf(validate.Struct(in))
	if in.MeetingURL != "" && !meetingURL(in.MeetingURL) {
		fields = append(fields, apperr.Field("meeting_url", KeyMeetingURL))
	}
	loc := ZoneOf(c.TimeZone)
	starts, okStart, ff := instantField("starts_at", in.StartsAt, loc)
	fields = append(fields, ff...)
	ends, okEnd, ff := instantField("ends_at", in.EndsAt, loc)
	fields = append(fields, ff...)
	if okStart && okEnd {
		first, last := DayStart(c.StartsOn, loc), DayStart(c.EndsOn.AddDate(0, 0, 1), loc)
		switch {
		case !ends.After(starts):
			fields = append(fields, apperr.Field("ends_at", KeySessionOrder))
		case ends.Sub(starts) > MaxSessionLength:
			fields = append(fields, apperr.Field("ends_at", KeySessionTooLong, "Hours", int(MaxSessionLength.Hours())))
		case starts.Before(first) || ends.After(last):
			fields = append(fields, apperr.Field("starts_at", KeySessionOutside,
				"Start", c.StartsOn.Format(DateLayout), "End", c.EndsOn.Format(DateLayout), "Zone", loc.String()))
		}
	}
	if len(fields) > 0 {
		return apperr.Invalid(fields...)
	}
	ses.StartsAt, ses.EndsAt, ses.Topic, ses.Room, ses.MeetingURL = starts, ends, in.Topic, in.Room, in.MeetingURL
	if c.VenueID == nil {
		return nil
	}
	// The venue's row lock makes two coordinators booking it at once take turns.
	if _, err := venueByID(tx, *c.VenueID, true); err != nil {
		return err
	}
	ref, err := VenueClash(tx, *c.VenueID, ses.Room, starts, ends, ses.ID)
	if err != nil || ref == nil {
		return err
	}
	return venueClashError(*ref, c)
}

// checkSessionsFit refuses dates or a time zone for c that would leave one
// of its sessions outside the cohort's days.
func checkSessionsFit(tx *gorm.DB, c *Cohort) error {
	loc := ZoneOf(c.TimeZone)
	first, last := DayStart(c.StartsOn, loc), DayStart(c.EndsOn.AddDate(0, 0, 1), loc)
	var outside []Session
	err := tx.Where("cohort_id = ? AND (starts_at < ? OR ends_at > ?)", c.ID, first, last).Order("starts_at").Find(&outside).Error
	if err != nil || len(outside) == 0 {
		return err
	}
	return apperr.New(CodeSessionsOutsideDates).WithArgs("Count", len(outside), "Topic", outside[0].Topic,
		"Start", FormatLocal(outside[0].StartsAt, loc), "Zone", loc.String())
}

// meetingURL reports whether v is an absolute http(s) link without credentials.
func meetingURL(v string) bool {
	u, err := url.Parse(v)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

// inSeries names the day of a series whose session was refused for its input.
func inSeries(err error, n int, one SessionInput, c *Cohort) error {
	e, ok := apperr.As(err)
	if !ok || n < 2 || len(e.Fields) == 0 {
		return err
	}
	day := one.StartsAt
	if t, ok, _ := ParseInstant(one.StartsAt, ZoneOf(c.TimeZone)); ok {
		day = t.In(ZoneOf(c.TimeZone)).Format(DateLayout)
	}
	return apperr.Invalid(append(e.Fields, apperr.Field("repeat", KeyRepeatDay, "Date", day))...)
}
