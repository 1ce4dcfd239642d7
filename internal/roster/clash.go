package roster

import (
	"time"

	"gorm.io/gorm"

	"muster/internal/apperr"
	"muster/internal/cohort"
)

// teachingClashes returns the sessions instructor id teaches that overlap
// [starts, ends), other than session except, earliest first; limit 0 means all.
// Overlap is on instants: the same wall-clock hour in two zones is no clash.
func teachingClashes(tx *gorm.DB, id string, starts, ends time.Time, except string, limit int) ([]cohort.SessionRef, error) {
	q := cohort.Refs(tx).Joins("JOIN session_instructors si ON si.session_id = s.id").
		Where("si.instructor_id = ? AND si.starts_at < ? AND si.ends_at > ?", id, ends.UTC(), starts.UTC())
	if except != "" {
		q = q.Where("s.id <> ?", except)
	}
	if limit > 0 {
		q = q.Limit(limit)
	}
	var refs []cohort.SessionRef
	err := q.Order("s.starts_at, s.id").Scan(&refs).Error
	for i := range refs {
		refs[i].StartsAt, refs[i].EndsAt = refs[i].StartsAt.UTC(), refs[i].EndsAt.UTC()
	}
	return refs, err
}

// unavailableDuring returns the periods of instructor id that overlap [starts, ends).
func unavailableDuring(tx *gorm.DB, id string, starts, ends time.Time, limit int) ([]Unavailability, error) {
	q := tx.Where("user_id = ? AND starts_at < ? AND ends_at > ?", id, ends.UTC(), starts.UTC()).Order("starts_at")
	if limit > 0 {
		q = q.Limit(limit)
	}
	var us []Unavailability
	err := q.Find(&us).Error
	for i := range us {
		us[i].StartsAt, us[i].EndsAt = us[i].StartsAt.UTC(), us[i].EndsAt.UTC()
	}
	return us, err
}

// sessionDay is the last calendar day, in the cohort's zone, a session
// touches: the day a qualification must still hold.
func sessionDay(ses *cohort.Session, loc *time.Location) time.Time {
	return cohort.LocalDay(ses.EndsAt.Add(-time.Second), loc)
}

// checkTeaching applies the instructor rules to putting p on session ses of
// cohort c: no overlapping session anywhere, not unavailable, qualified for
// the course on that day. The caller holds p's profile lock.
func checkTeaching(tx *gorm.DB, c *cohort.Cohort, ses *cohort.Session, p *Person) error {
	loc := cohort.ZoneOf(c.TimeZone)
	refs, err := teachingClashes(tx, p.UserID, ses.StartsAt, ses.EndsAt, ses.ID, 1)
	if err != nil {
		return err
	}
	if len(refs) > 0 {
		e := cohort.ClashError(CodeInstructorConflict, refs[0], loc, "Instructor", p.FullName)
		e.Details["instructor_id"] = p.UserID
		return e
	}
	us, err := unavailableDuring(tx, p.UserID, ses.StartsAt, ses.EndsAt, 1)
	if err != nil {
		return err
	}
	if len(us) > 0 {
		return unavailableError(p, us[0], loc)
	}
	day := sessionDay(ses, loc)
	ok, expired, err := qualifiedOn(tx, p.UserID, c.CourseID, day)
	if err != nil || ok {
		return err
	}
	return notQualifiedError(tx, p, c, day, expired)
}

func unavailableError(p *Person, u Unavailability, loc *time.Location) *apperr.Error {
	e := apperr.New(CodeUnavailable).WithArgs("Instructor", p.FullName, "Start", cohort.FormatLocal(u.StartsAt, loc),
		"End", cohort.FormatLocal(u.EndsAt, loc), "Zone", loc.String(), "Reason", u.Reason)
	e.Details = map[string]any{"instructor_id": p.UserID, "unavailability": u}
	return e
}

func notQualifiedError(tx *gorm.DB, p *Person, c *cohort.Cohort, day time.Time, expired *time.Time) *apperr.Error {
	var code string
	_ = tx.Table("courses").Select("code").Where("id = ?", c.CourseID).Scan(&code).Error
	e := apperr.New(CodeNotQualified).WithArgs("Instructor", p.FullName, "Course", code, "Day", day.Format(cohort.DateLayout), "Expired", "")
	e.Details = map[string]any{"instructor_id": p.UserID, "course": code, "day": day.Format(cohort.DateLayout)}
	if expired != nil {
		e.Args["Expired"] = expired.Format(cohort.DateLayout)
		e.Details["expired_on"] = expired.Format(cohort.DateLayout)
	}
	return e
}
