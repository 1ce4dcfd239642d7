package notify

import (
	"context"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/catalog"
	"muster/internal/cohort"
	"muster/internal/enrollment"
	"muster/internal/identity"
)

// The cohort service tells the people enrolled when a session moves.
var _ cohort.ScheduleWatcher = ScheduleChanges{}

// ScheduleChanges queues, in the transaction that moves a session, an
// e-mail to everyone holding a seat in its cohort, with the updated
// invitation for that session.
type ScheduleChanges struct {
	Outbox *Outbox
}

// SessionChanged queues session_changed to each enrolled person.
func (s ScheduleChanges) SessionChanged(_ context.Context, tx *gorm.DB, _ access.Actor, c *cohort.Cohort, ses *cohort.Session) error {
	var people []string
	if err := tx.Table("enrollments").Where("cohort_id = ? AND status = ?", c.ID, enrollment.StatusEnrolled).Order("user_id").
		Pluck("user_id", &people).Error; err != nil {
		return err
	}
	var course struct {
		Code, Title  string
		Translations catalog.Translations
	}
	if err := tx.Table("courses").Select("code, title, translations").Where("id = ?", c.CourseID).Take(&course).Error; err != nil {
		return err
	}
	for _, p := range people {
		zone, err := identity.ZoneOr(tx, p, cohort.ZoneOf(c.TimeZone))
		if err != nil {
			return err
		}
		local := ses.StartsAt.In(zone)
		err = s.Outbox.Enqueue(tx, p, KindSessionChanged, map[string]any{"cohort_id": c.ID, "cohort_code": c.Code, "session_id": ses.ID,
			"course_code": course.Code, "course_title": course.Title, "course_titles": course.Translations.Titles(), "topic": ses.Topic,
			"when": local.Format("2006-01-02 15:04") + " (" + zone.String() + ")", "starts_at": ses.StartsAt.UTC().Format(time.RFC3339)})
		if err != nil {
			return err
		}
	}
	return nil
}
