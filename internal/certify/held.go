package certify

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// A certificate's standing is decided here once, for Go (Certificate.Status)
// and for SQL (the conditions below), so that eligibility, lists and exports
// cannot disagree on what "valid" means. Each condition names the
// certificates table by alias and takes the day (midnight UTC) as its one
// argument; expires_on is the first day a certificate no longer holds.

// ValidSQL is the condition that the certificate aliased alias is neither
// revoked nor expired on the day given as its argument.
func ValidSQL(alias string) string {
	return fmt.Sprintf("%[1]s.revoked_at IS NULL AND (%[1]s.expires_on IS NULL OR %[1]s.expires_on > ?)", alias)
}

// ExpiredSQL is the condition that the certificate aliased alias is not
// revoked but has expired by the day given as its argument.
func ExpiredSQL(alias string) string {
	return fmt.Sprintf("%[1]s.revoked_at IS NULL AND %[1]s.expires_on IS NOT NULL AND %[1]s.expires_on <= ?", alias)
}

// InvalidSQL is the negation of ValidSQL: revoked, or expired by the day
// given as its argument.
func InvalidSQL(alias string) string {
	return fmt.Sprintf("(%[1]s.revoked_at IS NOT NULL OR (%[1]s.expires_on IS NOT NULL AND %[1]s.expires_on <= ?))", alias)
}

// RevokedSQL is the condition that the certificate aliased alias is revoked; it takes no argument.
func RevokedSQL(alias string) string { return alias + ".revoked_at IS NOT NULL" }

// StatusSQL derives valid, expired or revoked for the certificate aliased
// alias on the day given as its argument, as Certificate.Status does.
func StatusSQL(alias string) string {
	return fmt.Sprintf("CASE WHEN %[1]s.revoked_at IS NOT NULL THEN '%[2]s' WHEN %[1]s.expires_on IS NOT NULL AND %[1]s.expires_on <= ? THEN '%[3]s' ELSE '%[4]s' END",
		alias, StatusRevoked, StatusExpired, StatusValid)
}

// Held is a certificate someone holds, as eligibility rules name it.
type Held struct {
	Number    string
	ExpiresOn *time.Time
}

// ValidCertificate returns the certificate userID holds for courseID that is
// still valid on day, the one that lasts longest, or nil. Enrollment asks it
// with day moved forward by the recertification window: such a holder may
// not enroll in the course again yet.
func ValidCertificate(tx *gorm.DB, userID, courseID string, day time.Time) (*Held, error) {
	if !validID(userID) || !validID(courseID) {
		return nil, nil
	}
	var out []Held
	err := tx.Table("certificates ct").Select("ct.number, ct.expires_on").
		Where("ct.user_id = ? AND ct.course_id = ? AND "+ValidSQL("ct"), userID, courseID, Day(day)).
		Order("CASE WHEN ct.expires_on IS NULL THEN 0 ELSE 1 END, ct.expires_on DESC").Limit(1).Scan(&out).Error
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}
