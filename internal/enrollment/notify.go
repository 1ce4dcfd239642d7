package enrollment

import (
	"time"

	"gorm.io/gorm"
)

// Kinds of notice.
const (
	NoticeRequested = "requested" // the trainee asked for a seat: enrolled, waitlisted or pending
	NoticeNominated = "nominated" // a coordinator nominated the trainee
	NoticeDecided   = "decided"   // approved or rejected, or withdrawn by a coordinator
	NoticePromoted  = "promoted"  // moved from the waitlist to a seat
	NoticeCancelled = "cancelled" // the cohort was cancelled
	NoticeClosed    = "closed"    // the cohort completed before the request got a seat
)

// Notice is something a trainee should be told about their enrollment.
type Notice struct {
	Kind       string
	Enrollment Enrollment // as it stands after the change
	// WaitlistPosition is the enrollment's place in its cohort's waitlist
	// (1 is next), when it is waitlisted; else 0.
	WaitlistPosition int
	// About is what the notifiers name besides the enrollment, when the
	// change has read it already; nil when they are to read it themselves.
	About *About
}

// About is the cohort, course and agencies a notice concerns. A request
// reads them before it locks the cohort, so its notifiers need not read
// them while the lock is held.
type About struct {
	CohortCode       string
	CourseCode       string
	CourseTitle      string
	StartsOn, EndsOn time.Time
	HostAgencyID     string
	UserAgencyID     string
}

// Notifier tells trainees about their enrollments. It is called inside the
// transaction of the change, so an implementation can queue the message in
// an outbox that commits, or rolls back, with it; it must not send directly.
type Notifier interface {
	Notify(tx *gorm.DB, n Notice) error
}

func (s *Service) notify(tx *gorm.DB, kind string, e *Enrollment) error {
	if s.Notifier == nil {
		return nil
	}
	n := Notice{Kind: kind, Enrollment: *e}
	if e.Status == StatusWaitlisted {
		pos, err := waitlistPosition(tx, e)
		if err != nil {
			return err
		}
		n.WaitlistPosition = pos.Overall
	}
	return s.Notifier.Notify(tx, n)
}

// tell hands n, complete with its waitlist position, to the notifier.
func (s *Service) tell(tx *gorm.DB, n Notice) error {
	if s.Notifier == nil {
		return nil
	}
	return s.Notifier.Notify(tx, n)
}
