package enrollment

import (
	"encoding/json"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
)

// Audit actions of enrollments; the subject is the enrollment.
const (
	ActionRequest  = "enrollment.request"  // a trainee asked for a seat
	ActionNominate = "enrollment.nominate" // a coordinator nominated a trainee
	ActionApprove  = "enrollment.approve"
	ActionReject   = "enrollment.reject"
	ActionWithdraw = "enrollment.withdraw"
	ActionNoShow   = "enrollment.no_show"
	ActionPromote  = "enrollment.promote" // a freed seat went to the waitlisted trainee
	ActionCancel   = "enrollment.cancel"  // the cohort was cancelled, or completed before the request got a seat
	ActionResult   = "enrollment.result"  // an assessor recorded the score
)

// change is what an enrollment's audit event records.
type change struct {
	CohortID         string `json:"cohort_id"`
	UserID           string `json:"user_id"`
	From             string `json:"from,omitempty"`
	To               string `json:"to"`
	QueueNo          int    `json:"queue_no,omitempty"`
	WaitlistPosition int    `json:"waitlist_position,omitempty"`
	Reason           string `json:"reason,omitempty"`
	Trigger          string `json:"trigger,omitempty"` // for a promotion: what freed the seat
}

// audit records an event about e, as it stands after the change, in tx.
func (s *Service) audit(tx *gorm.DB, actor access.Actor, action string, e *Enrollment, ch change) error {
	ch.CohortID, ch.UserID, ch.To = e.CohortID, e.UserID, e.Status
	return s.record(tx, actor, audit.Entry{Action: action, SubjectType: "enrollment", SubjectID: e.ID, AgencyID: e.AgencyID, Details: ch})
}

// Step is one event in an enrollment's history, as its trainee sees it.
type Step struct {
	At               time.Time `json:"at"`
	Action           string    `json:"action"`
	ActorName        string    `json:"actor_name"`
	From             string    `json:"from,omitempty"`
	Status           string    `json:"status"`
	WaitlistPosition int       `json:"waitlist_position,omitempty"`
	Reason           string    `json:"reason,omitempty"`
}

// Verb is the action without its "enrollment." prefix: request, approve, ...
func (s Step) Verb() string { return strings.TrimPrefix(s.Action, "enrollment.") }

// history reads the changes in the audit trail of enrollment id, oldest
// first: only enrollment actions, not the trail's other records about it
// (a refused look at it, say).
func history(tx *gorm.DB, id string) ([]Step, error) {
	var events []audit.Event
	err := tx.Where("subject_type = ? AND subject_id = ? AND action LIKE ?", "enrollment", id, "enrollment.%").Order("at, id").Find(&events).Error
	if err != nil {
		return nil, err
	}
	steps := make([]Step, 0, len(events))
	for _, ev := range events {
		var ch change
		_ = json.Unmarshal([]byte(ev.Details), &ch) // an unreadable detail still shows who did what, when
		steps = append(steps, Step{At: ev.At.UTC(), Action: ev.Action, ActorName: ev.ActorName, From: ch.From, Status: ch.To,
			WaitlistPosition: ch.WaitlistPosition, Reason: ch.Reason})
	}
	return steps, nil
}
