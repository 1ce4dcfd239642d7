package notify

import (
	"time"

	"gorm.io/gorm"

	"muster/internal/catalog"
	"muster/internal/enrollment"
)

// The enrollment service tells trainees through the outbox.
var _ enrollment.Notifier = Enrollments{}

// Enrollments queues the e-mails that tell trainees what happened to their
// enrollments; it is the enrollment service's Notifier.
type Enrollments struct {
	Outbox *Outbox
}

// Notify queues the e-mail n calls for, if any, inside tx.
func (n Enrollments) Notify(tx *gorm.DB, nt enrollment.Notice) error {
	e := nt.Enrollment
	kind := kindOf(nt.Kind, e.Status)
	if kind == "" {
		return nil
	}
	var c struct {
		Code         string
		StartsOn     time.Time
		EndsOn       time.Time
		CourseCode   string
		CourseTitle  string
		Translations catalog.Translations
	}
	err := tx.Table("cohorts").Select("cohorts.code, cohorts.starts_on, cohorts.ends_on, courses.code AS course_code, courses.title AS course_title, courses.translations").
		Joins("JOIN courses ON courses.id = cohorts.course_id").Where("cohorts.id = ?", e.CohortID).Take(&c).Error
	if err != nil {
		return err
	}
	data := map[string]any{"enrollment_id": e.ID, "cohort_id": e.CohortID, "cohort_code": c.Code,
		"course_code": c.CourseCode, "course_title": c.CourseTitle, "course_titles": c.Translations.Titles(),
		"starts_on": c.StartsOn.UTC().Format(dateLayout), "ends_on": c.EndsOn.UTC().Format(dateLayout)}
	if kind == KindWaitlisted {
		data["position"] = nt.WaitlistPosition
	}
	if (kind == KindRejected || kind == KindWithdrawn) && e.Reason != "" {
		data["reason"] = e.Reason
	}
	return n.Outbox.Enqueue(tx, e.UserID, kind, data)
}

// dateLayout is how dates are written, as everywhere in muster.
const dateLayout = "2006-01-02"

// kindOf names the notification a notice of an enrollment now in status
// calls for, or "" when it calls for none (such as a no-show).
func kindOf(notice, status string) string {
	switch notice {
	case enrollment.NoticeRequested, enrollment.NoticeNominated:
		switch status {
		case enrollment.StatusEnrolled:
			return KindEnrolled
		case enrollment.StatusWaitlisted:
			return KindWaitlisted
		case enrollment.StatusPending:
			return KindPending
		}
	case enrollment.NoticeDecided:
		switch status {
		case enrollment.StatusEnrolled:
			return KindApproved
		case enrollment.StatusWaitlisted: // approved, but the cohort or the quota is full
			return KindWaitlisted
		case enrollment.StatusRejected:
			return KindRejected
		case enrollment.StatusWithdrawn:
			return KindWithdrawn
		}
	case enrollment.NoticePromoted:
		return KindPromoted
	case enrollment.NoticeCancelled:
		return KindCancelled
	case enrollment.NoticeClosed:
		return KindClosed
	}
	return ""
}
