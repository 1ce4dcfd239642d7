// Package notify tells people by e-mail what happened to them: an outbox
// table written in the transaction of each change, and a sender that
// delivers it over SMTP in the recipient's language, retrying with backoff.
package notify

import "time"

// Kinds of notification; each has the message keys "mail.<kind>.subject"
// and "mail.<kind>.body".
const (
	KindEnrolled   = "enrollment.enrolled"   // the trainee holds a seat
	KindWaitlisted = "enrollment.waitlisted" // the trainee waits for a seat, at a position
	KindPending    = "enrollment.pending"    // the request awaits the agency's approval
	KindApproved   = "enrollment.approved"   // a coordinator approved the request: a seat
	KindRejected   = "enrollment.rejected"   // a coordinator refused the request, with a reason
	KindWithdrawn  = "enrollment.withdrawn"  // a coordinator withdrew the trainee
	KindPromoted   = "enrollment.promoted"   // a freed seat went to the trainee from the waitlist
	KindCancelled  = "enrollment.cancelled"  // the cohort was cancelled
	KindClosed     = "enrollment.closed"     // the cohort completed while the request waited
	// Links that set a password; their data holds the link's secret until sent.
	KindPasswordReset = "password_reset"
	KindInvitation    = "invitation"
)

// Notification is one e-mail to one person, waiting in the outbox or sent.
// A waiting one has NextAttemptAt set; a sent one SentAt; one given up
// neither, with LastError saying why.
type Notification struct {
	ID            string     `gorm:"primaryKey" json:"id"`
	UserID        string     `json:"user_id"`
	Kind          string     `json:"kind"`
	Data          string     `json:"data"` // a JSON object of the facts the message names
	CreatedAt     time.Time  `gorm:"autoCreateTime:false" json:"created_at"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt *time.Time `json:"next_attempt_at"`
	SentAt        *time.Time `json:"sent_at"`
	LastError     string     `json:"last_error"`
}

// TableName keeps the table name explicit.
func (Notification) TableName() string { return "notifications" }
