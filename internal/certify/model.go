// Package certify completes cohorts and issues, verifies, revokes and renews
// certificates.
package certify

import "time"

// Certificate statuses, derived from the record and the date.
const (
	StatusValid   = "valid"
	StatusExpired = "expired"
	StatusRevoked = "revoked"
)

// Certificate is a numbered, verifiable record that someone completed a course.
type Certificate struct {
	ID                 string     `gorm:"primaryKey" json:"-"`
	Number             string     `json:"number"`
	Year               int        `json:"-"`
	Seq                int        `json:"-"`
	VerificationCode   string     `json:"verification_code"`
	UserID             string     `json:"-"`
	CourseID           string     `json:"-"`
	CohortID           string     `json:"-"`
	EnrollmentID       string     `json:"-"`
	HostAgencyID       string     `json:"-"`
	HolderName         string     `json:"holder_name"`
	HolderNameLatin    string     `json:"holder_name_latin,omitempty"`
	Hours              int        `json:"hours"`
	IssuedOn           time.Time  `json:"issued_on"`
	ExpiresOn          *time.Time `json:"expires_on"`
	RenewsID           *string    `json:"-"`
	RevokedAt          *time.Time `json:"revoked_at,omitempty"`
	RevokedBy          *string    `json:"-"`
	RevokeReason       string     `json:"-"`
	RevokeReasonPublic bool       `json:"-"`
	CreatedAt          time.Time  `gorm:"autoCreateTime:false" json:"-"`
}

// TableName keeps the table name explicit.
func (Certificate) TableName() string { return "certificates" }

// Status derives valid, expired or revoked on day (midnight UTC).
func (c *Certificate) Status(day time.Time) string {
	switch {
	case c.RevokedAt != nil:
		return StatusRevoked
	case c.ExpiresOn != nil && !day.Before(*c.ExpiresOn):
		return StatusExpired
	}
	return StatusValid
}

// Counter is the last certificate number given out in a year.
type Counter struct {
	Year int `gorm:"primaryKey"`
	Last int
}

// TableName keeps the table name explicit.
func (Counter) TableName() string { return "certificate_counters" }

// StoredPDF is a certificate's printed PDF, reused while the document it was
// printed from stays the same.
type StoredPDF struct {
	CertificateID string `gorm:"primaryKey"`
	// Fingerprint is the SHA-256 (hex) of the HTML the PDF was printed from.
	Fingerprint string
	PDF         []byte `gorm:"column:pdf"`
	PrintedAt   time.Time
}

// TableName keeps the table name explicit.
func (StoredPDF) TableName() string { return "certificate_pdfs" }
