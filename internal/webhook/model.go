// Package webhook tells other systems of an agency what happened, as
// Standard Webhooks: signed POSTs delivered by the job queue, retried with
// backoff until the receiver answers 2xx.
package webhook

import "time"

// Events a webhook may subscribe to.
const (
	EventCertificateIssued  = "certificate.issued"
	EventCertificateRevoked = "certificate.revoked"
	EventEnrollmentChanged  = "enrollment.changed"
)

// Events lists every event, in the order the API names them.
var Events = []string{EventCertificateIssued, EventCertificateRevoked, EventEnrollmentChanged}

// Hook is one registered receiver of an agency's events. Secret is kept
// sealed when a secret key is configured, like authenticator secrets.
type Hook struct {
	ID        string     `gorm:"primaryKey" json:"id"`
	AgencyID  string     `json:"agency_id"`
	URL       string     `json:"url"`
	Events    string     `json:"-"` // space-separated
	Secret    string     `json:"-"`
	CreatedBy string     `json:"-"`
	CreatedAt time.Time  `gorm:"autoCreateTime:false" json:"created_at"`
	DeletedAt *time.Time `json:"-"`
}

// TableName keeps the table name explicit.
func (Hook) TableName() string { return "webhooks" }

// Delivery is one event sent, or being sent, to one hook, with its last outcome.
type Delivery struct {
	ID          string     `gorm:"primaryKey" json:"id"`
	WebhookID   string     `json:"webhook_id"`
	Event       string     `json:"event"`
	Payload     string     `json:"-"` // the exact body, signed at each attempt
	CreatedAt   time.Time  `gorm:"autoCreateTime:false" json:"created_at"`
	Attempts    int        `json:"attempts"`
	LastStatus  int        `json:"last_status"` // the receiver's last HTTP status; 0 when none answered
	LastError   string     `json:"last_error"`
	DeliveredAt *time.Time `json:"delivered_at"`
}

// TableName keeps the table name explicit.
func (Delivery) TableName() string { return "webhook_deliveries" }
