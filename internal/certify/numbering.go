package certify

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"regexp"

	"gorm.io/gorm"
)

// reserveNumbers takes n consecutive sequence numbers of year from the
// counter, inside the caller's transaction, and returns the first. Raising
// the counter row locks it until the transaction ends, so numbers are unique
// across processes; a rollback gives them back, so there are no gaps.
func reserveNumbers(tx *gorm.DB, year, n int) (int, error) {
	if err := tx.Exec("INSERT INTO certificate_counters (year, last) VALUES (?, 0) ON CONFLICT (year) DO NOTHING", year).Error; err != nil {
		return 0, fmt.Errorf("certificate counter: %w", err)
	}
	var last int
	if err := tx.Raw("UPDATE certificate_counters SET last = last + ? WHERE year = ? RETURNING last", n, year).Scan(&last).Error; err != nil {
		return 0, fmt.Errorf("certificate counter: %w", err)
	}
	return last - n + 1, nil
}

// FormatNumber writes a certificate number: PREFIX-YYYY-NNNNNN.
func FormatNumber(prefix string, year, seq int) string {
	return fmt.Sprintf("%s-%04d-%06d", prefix, year, seq)
}

// newVerificationCode is 128 random bits, URL-safe and unrelated to the number.
func newVerificationCode() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// plausibleCode reports whether code could be a verification code, so
// malformed ones are answered without a query.
func plausibleCode(code string) bool {
	if len(code) != 22 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(code)
	return err == nil
}

// numberPattern is any number FormatNumber writes, whatever the prefix was
// when it was issued; the sequence grows past six digits if it must.
var numberPattern = regexp.MustCompile(`^[A-Za-z]{2,6}-[0-9]{4}-[0-9]{6,9}$`)

// ValidNumber reports whether s has the shape of a certificate number.
func ValidNumber(s string) bool { return numberPattern.MatchString(s) }
