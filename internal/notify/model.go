// Package notify tells people by e-mail what happened to them: an outbox
// table written in the transaction of each change, and a sender that
// delivers it over SMTP in the recipient's language, retrying with backoff.
package notify

import "time"

// Kinds of notification; each has the message keys "mail.<kind>.subject"
// and "mail.<kind>.body".
const (
	KindEnrolled       = "enrolled"        // the trainee holds a seat
	KindWaitlisted     = "waitlisted"      // the trainee waits for a seat, at a position
	KindPending        = "pending"         // the request awaits the agency's approval
	KindApproved       = "approved"        // a coordinator approved the request: a seat
	KindRejected       = "rejected"        // a coordinator refused the request, with a reason
	KindWithdrawn      = "withdrawn"       // a coordinator withdrew the trainee
	KindPromoted       = "promoted"        // a freed seat went to the trainee from the waitlist
	KindCancelled      = "cancelled"       // the cohort was cancelled
	KindClosed         = "closed"          // the cohort completed while the request waited
	KindSessionChanged = "session_changed" // a session of the cohort moved: the updated invitation
	// Reminders, which a person may turn off (Optional).
	KindSessionReminder     = "session_reminder"     // a session of theirs starts in 24 hours
	KindCertificateExpiring = "certificate_expiring" // a certificate of theirs (or, for hr, of their agency) expires in 90, 30 or 7 days
	KindApprovalsWaiting    = "approvals_waiting"    // the coordinator's daily digest of requests awaiting approval
	// Links that set a password; their data holds the link's secret until sent.
	KindPasswordReset = "password_reset"
	KindInvitation    = "invitation"
)

// Optional lists the kinds a person may turn off; the others tell of
// decisions about them and always go out.
var Optional = []string{KindSessionReminder, KindCertificateExpiring, KindApprovalsWaiting}

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
	ReadAt        *time.Time `json:"read_at"` // when the person saw it in the list
}

// OptOut is a person's choice not to receive an optional kind.
type OptOut struct {
	UserID    string    `gorm:"primaryKey"`
	Kind      string    `gorm:"primaryKey"`
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
}

// TableName keeps the table name explicit.
func (OptOut) TableName() string { return "notification_opt_outs" }

// TableName keeps the table name explicit.
func (Notification) TableName() string { return "notifications" }
