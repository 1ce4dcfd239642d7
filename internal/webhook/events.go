package webhook

import (
	"time"

	"gorm.io/gorm"

	"muster/internal/certify"
	"muster/internal/enrollment"
)

// Certify and the enrollment service announce their changes through the webhooks.
var (
	_ certify.Announcer   = (*Service)(nil)
	_ enrollment.Notifier = Enrollments{}
)

// CertificateIssued queues certificate.issued to the holder's and the host's agencies.
func (s *Service) CertificateIssued(tx *gorm.DB, c certify.Certificate, holderAgencyID string) error {
	return s.Emit(tx, EventCertificateIssued, agencies(holderAgencyID, c.HostAgencyID), certificateData(c))
}

// CertificateRevoked queues certificate.revoked to the holder's and the host's agencies.
func (s *Service) CertificateRevoked(tx *gorm.DB, c certify.Certificate, holderAgencyID string) error {
	return s.Emit(tx, EventCertificateRevoked, agencies(holderAgencyID, c.HostAgencyID), certificateData(c))
}

func certificateData(c certify.Certificate) map[string]any {
	d := map[string]any{"number": c.Number, "holder_name": c.HolderName, "cohort_id": c.CohortID,
		"enrollment_id": c.EnrollmentID, "issued_on": c.IssuedOn.Format(time.DateOnly), "expires_on": nil}
	if c.ExpiresOn != nil {
		d["expires_on"] = c.ExpiresOn.Format(time.DateOnly)
	}
	if c.RevokedAt != nil {
		d["revoked_at"] = c.RevokedAt.UTC().Format(time.RFC3339)
	}
	return d
}

// Enrollments announces enrollment.changed; it is one of the enrollment
// service's notifiers.
type Enrollments struct{ Service *Service }

// Notify queues enrollment.changed to the trainee's and the host's agencies.
func (n Enrollments) Notify(tx *gorm.DB, nt enrollment.Notice) error {
	e := nt.Enrollment
	var row struct {
		UserAgency string
		HostAgency string
	}
	if a := nt.About; a != nil {
		row.UserAgency, row.HostAgency = a.UserAgencyID, a.HostAgencyID
	} else {
		err := tx.Table("enrollments e").Select("u.agency_id AS user_agency, c.host_agency_id AS host_agency").
			Joins("JOIN users u ON u.id = e.user_id").Joins("JOIN cohorts c ON c.id = e.cohort_id").Where("e.id = ?", e.ID).Take(&row).Error
		if err != nil {
			return err
		}
	}
	data := map[string]any{"id": e.ID, "cohort_id": e.CohortID, "user_id": e.UserID, "status": e.Status, "change": nt.Kind}
	if nt.WaitlistPosition > 0 {
		data["waitlist_position"] = nt.WaitlistPosition
	}
	return n.Service.Emit(tx, EventEnrollmentChanged, agencies(row.UserAgency, row.HostAgency), data)
}

func agencies(a, b string) []string {
	if a == b || b == "" {
		return []string{a}
	}
	return []string{a, b}
}
