package certify

import (
	"context"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/db"
	"muster/internal/i18n"
)

// Transcript is a person's training record: every enrollment with its
// result, and every certificate.
type Transcript struct {
	Person       TranscriptPerson  `json:"person"`
	Entries      []TranscriptEntry `json:"enrollments"`
	Certificates []CertificateView `json:"certificates"`
	On           Date              `json:"generated_on"`
}

// TranscriptPerson is whose transcript it is.
type TranscriptPerson struct {
	ID            string `json:"id"`
	FullName      string `json:"full_name"`
	FullNameLatin string `json:"full_name_latin,omitempty"`
	Rank          string `json:"rank,omitempty"`
	ServiceNumber string `json:"service_number,omitempty"`
	AgencyID      string `json:"agency_id"`
	Agency        string `json:"agency"`
	Language      string `json:"-"`
}

// TranscriptEntry is one enrollment with its cohort, attendance and result.
type TranscriptEntry struct {
	EnrollmentID string `json:"enrollment_id"`
	CohortID     string `json:"cohort_id"`
	CohortCode   string `json:"cohort_code"`
	CourseCode   string `json:"course_code"`
	CourseTitle  string `json:"course_title"`
	StartsOn     Date   `json:"starts_on"`
	EndsOn       Date   `json:"ends_on"`
	Hours        int    `json:"hours"`
	Status       string `json:"status"`
	Sessions     int    `json:"sessions"`
	Attended     int    `json:"attended"`
	Score        *int   `json:"score"`
	Certificate  string `json:"certificate,omitempty"`
}

// Transcript returns a person's transcript to themselves, to hr and
// coordinators of their agency, and to admins; anyone else gets not_found.
func (s *Service) Transcript(ctx context.Context, actor access.Actor, userID string) (*Transcript, error) {
	tx := s.db(ctx)
	if !validID(userID) {
		return nil, apperr.NotFound()
	}
	var p TranscriptPerson
	err := tx.Table("users u").Select("u.id, u.full_name, u.full_name_latin, u.rank, u.service_number, u.agency_id, COALESCE(ag.name, '') AS agency, u.language").
		Joins("LEFT JOIN agencies ag ON ag.id = u.agency_id").Where("u.id = ?", userID).Take(&p).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	if err != nil {
		return nil, err
	}
	if actor.UserID != p.ID && !actor.CanManagePersonnel(p.AgencyID) {
		return nil, apperr.NotFound()
	}
	day := s.today()
	t := &Transcript{Person: p, Entries: []TranscriptEntry{}, Certificates: []CertificateView{}, On: Date{day}}
	err = tx.Table("enrollments e").
		Select(`e.id AS enrollment_id, ch.id AS cohort_id, ch.code AS cohort_code, co.code AS course_code, co.title AS course_title,
			ch.starts_on, ch.ends_on, co.duration_hours AS hours, e.status, e.score, COALESCE(ce.number, '') AS certificate,
			(SELECT COUNT(*) FROM cohort_sessions cs WHERE cs.cohort_id = ch.id) AS sessions,
			(SELECT COUNT(*) FROM attendance a JOIN cohort_sessions cs ON cs.id = a.session_id
			  WHERE a.enrollment_id = e.id AND cs.cohort_id = ch.id AND a.status IN ('present', 'late')) AS attended`).
		Joins("JOIN cohorts ch ON ch.id = e.cohort_id").
		Joins("JOIN courses co ON co.id = ch.course_id").
		Joins("LEFT JOIN certificates ce ON ce.enrollment_id = e.id").
		Where("e.user_id = ?", userID).Order("ch.starts_on DESC, ch.code").Scan(&t.Entries).Error
	if err != nil {
		return nil, err
	}
	t.Certificates, err = s.certificatesOf(tx, userID, day)
	return t, err
}

// certificatesOf lists every certificate of a person, newest first.
func (s *Service) certificatesOf(tx *gorm.DB, userID string, day time.Time) ([]CertificateView, error) {
	var rows []certRow
	if err := certQuery(tx).Select(certColumns).Where("c.user_id = ?", userID).Order("c.issued_on DESC, c.year DESC, c.seq DESC").
		Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]CertificateView, len(rows))
	for i, r := range rows {
		out[i] = s.toView(r, day)
	}
	return out, nil
}

// transcriptDoc is what the transcript template prints.
type transcriptDoc struct {
	*i18n.Localizer
	*Transcript
}

// TranscriptPDF prints a person's transcript, in the viewer's language lang,
// to those who may see it, and records the download.
func (s *Service) TranscriptPDF(ctx context.Context, actor access.Actor, userID, lang string) ([]byte, error) {
	t, err := s.Transcript(ctx, actor, userID)
	if err != nil {
		return nil, err
	}
	html, err := execute(transcriptTemplate, transcriptDoc{Localizer: s.messages().For(lang), Transcript: t})
	if err != nil {
		return nil, err
	}
	pdf, err := s.print(ctx, html)
	if err != nil {
		return nil, err
	}
	return pdf, s.recordDownload(ctx, actor, "transcript.download", "user", t.Person.ID, t.Person.AgencyID, map[string]any{"format": "pdf"})
}
