package cohort

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/calendar"
	"muster/internal/db"
)

// ScheduleCopy is the copy form: the cohort whose schedule is copied, the
// day its first session lands on, and whether the target's own sessions
// are replaced.
type ScheduleCopy struct {
	From     string `form:"from"`
	FirstDay string `form:"first_day"`
	Replace  bool   `form:"replace"`
}

// CopySchedule copies cohort from's sessions into cohort to, shifted by
// whole days so that the first lands on firstDay: each keeps its weekday
// and wall-clock times relative to the first, read in from's zone and
// written in to's, with its topic, room and meeting link (not its
// instructors, who are assigned again). Only a manager of both cohorts may
// copy. A target that has sessions is refused unless replace, which deletes
// them first (a session with attendance stays and refuses the copy). All or
// nothing, in one transaction with its audit events.
func (s *Service) CopySchedule(ctx context.Context, actor access.Actor, from, to, firstDay string, replace bool) ([]*Session, error) {
	var out []*Session
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		out = nil
		c, err := managed(tx, actor, to, true)
		if err != nil {
			return err
		}
		src, err := s.copySource(tx, actor, from, c)
		if err != nil {
			return err
		}
		first, ok := calendar.ParseDay(firstDay) // Gregorian or Jalali
		if !ok {
			return apperr.Invalid(apperr.Field("first_day", KeyDate))
		}
		var sessions []Session
		if err := tx.Where("cohort_id = ?", src.ID).Order("starts_at, id").Find(&sessions).Error; err != nil {
			return err
		}
		if len(sessions) == 0 {
			return apperr.Invalid(apperr.Field("from", KeyCopyNothing))
		}
		replaced, err := s.clearSchedule(tx, actor, c, replace)
		if err != nil {
			return err
		}
		now := db.Now(tx, s.Clock)
		srcLoc, loc := ZoneOf(src.TimeZone), ZoneOf(c.TimeZone)
		shift := dayDiff(sessions[0].StartsAt.In(srcLoc), first)
		for _, old := range sessions {
			in := SessionInput{StartsAt: shifted(old.StartsAt, srcLoc, shift), EndsAt: shifted(old.EndsAt, srcLoc, shift),
				Topic: old.Topic, Room: old.Room, MeetingURL: old.MeetingURL}
			ses := &Session{ID: newID(), CohortID: c.ID}
			if err := s.place(tx, c, ses, in); err != nil {
				return copiedDay(err, in.StartsAt, loc)
			}
			ses.CreatedAt, ses.UpdatedAt = now, now
			if err := tx.Create(ses).Error; err != nil {
				return err
			}
			out = append(out, ses)
			if err := audit.Record(tx, now, actor, audit.Entry{Action: "session.create", SubjectType: "session", SubjectID: ses.ID,
				AgencyID: c.HostAgencyID, Details: map[string]any{"cohort_id": c.ID, "starts_at": ses.StartsAt, "ends_at": ses.EndsAt,
					"topic": ses.Topic, "room": ses.Room, "meeting_url": ses.MeetingURL, "copied_from": old.ID}}); err != nil {
				return err
			}
		}
		return audit.Record(tx, now, actor, audit.Entry{Action: ActionScheduleCopy, SubjectType: "cohort", SubjectID: c.ID,
			AgencyID: c.HostAgencyID, Details: map[string]any{"cohort_id": c.ID, "from_cohort_id": src.ID, "from_code": src.Code,
				"first_day": first.Format(DateLayout), "sessions": len(out), "replaced": replaced}})
	})
	return out, err
}

// ActionScheduleCopy records a schedule copied into a cohort.
const ActionScheduleCopy = "cohort.schedule_copy"

// copySource reads the cohort a schedule is copied from: one actor
// manages (closed cohorts too: their schedule is only read), not the target.
// Any other cohort is refused as an unknown one is, so that the answer
// tells nothing of another agency's cohorts.
func (s *Service) copySource(tx *gorm.DB, actor access.Actor, id string, target *Cohort) (*Cohort, error) {
	if strings.TrimSpace(id) == "" || id == target.ID {
		return nil, apperr.Invalid(apperr.Field("from", KeyCopySource))
	}
	src, err := load(tx, actor, id, false)
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeNotFound {
		return nil, apperr.Invalid(apperr.Field("from", KeyCopySource))
	}
	if err != nil {
		return nil, err
	}
	if !CanManage(actor, src.HostAgencyID) {
		return nil, apperr.Invalid(apperr.Field("from", KeyCopySource))
	}
	return src, nil
}

// clearSchedule makes room for a copy in c: refused while c has sessions
// unless replace, which deletes them; sessions with attendance stay.
func (s *Service) clearSchedule(tx *gorm.DB, actor access.Actor, c *Cohort, replace bool) (int, error) {
	var existing []Session
	if err := tx.Where("cohort_id = ?", c.ID).Order("starts_at, id").Find(&existing).Error; err != nil {
		return 0, err
	}
	if len(existing) == 0 {
		return 0, nil
	}
	if !replace {
		return 0, apperr.New(CodeScheduleNotEmpty).WithArgs("Count", len(existing))
	}
	var marked int64
	if err := tx.Table("attendance").Joins("JOIN cohort_sessions s ON s.id = attendance.session_id").Where("s.cohort_id = ?", c.ID).Count(&marked).Error; err != nil {
		return 0, err
	}
	if marked > 0 {
		return 0, apperr.New(CodeSessionHasAttendance).WithArgs("Count", marked)
	}
	now := db.Now(tx, s.Clock)
	for _, ses := range existing {
		if err := tx.Delete(&Session{ID: ses.ID}).Error; err != nil {
			return 0, err
		}
		if err := audit.Record(tx, now, actor, audit.Entry{Action: "session.delete", SubjectType: "session", SubjectID: ses.ID,
			AgencyID: c.HostAgencyID, Details: map[string]any{"cohort_id": c.ID, "starts_at": ses.StartsAt, "topic": ses.Topic}}); err != nil {
			return 0, err
		}
	}
	return len(existing), nil
}

// dayDiff is the number of calendar days from the day of t to day.
func dayDiff(t, day time.Time) int {
	a := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return int(day.Sub(a).Hours() / 24)
}

// shifted is t's wall-clock time in loc moved by days, as a local input.
func shifted(t time.Time, loc *time.Location, days int) string {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()+days, l.Hour(), l.Minute(), 0, 0, time.UTC).Format(LocalLayout)
}

// copiedDay names the day of a copied session refused for its input.
func copiedDay(err error, startsAt string, loc *time.Location) error {
	e, ok := apperr.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	day := startsAt
	if t, ok, _ := ParseInstant(startsAt, loc); ok {
		day = t.In(loc).Format(DateLayout)
	}
	return apperr.Invalid(append(e.Fields, apperr.Field("first_day", KeyCopyDay, "Date", day))...)
}
