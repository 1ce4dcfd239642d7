package certify

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"muster/internal/i18n"
)

// Date is a calendar day that encodes as YYYY-MM-DD, the API's date form.
type Date struct{ time.Time }

// MarshalJSON writes the day as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	t, err := time.Parse(time.DateOnly, s)
	d.Time = t
	return err
}

// Scan reads a date column, which drivers give as a time or as text.
func (d *Date) Scan(v any) error {
	switch x := v.(type) {
	case time.Time:
		d.Time = Day(x)
		return nil
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	}
	return fmt.Errorf("date: cannot scan %T", v)
}

func (d *Date) parse(s string) error {
	if len(s) < len(time.DateOnly) {
		return fmt.Errorf("date: %q", s)
	}
	t, err := time.Parse(time.DateOnly, s[:len(time.DateOnly)])
	d.Time = t
	return err
}

// Value stores the day as midnight UTC.
func (d Date) Value() (driver.Value, error) { return d.Time, nil }

// String is the day as YYYY-MM-DD.
func (d Date) String() string { return d.Format(time.DateOnly) }

func datePtr(t *time.Time) *Date {
	if t == nil {
		return nil
	}
	return &Date{*t}
}

// CertificateView is a certificate as its holder and the staff in scope see
// it: GET /api/v1/certificates and /certificates/{number}.
type CertificateView struct {
	Number           string `json:"number"`
	VerificationCode string `json:"verification_code"`
	VerificationURL  string `json:"verification_url"`
	HolderID         string `json:"holder_id"`
	HolderName       string `json:"holder_name"`
	HolderNameLatin  string `json:"holder_name_latin,omitempty"`
	HolderAgency     string `json:"holder_agency"`
	CourseCode       string `json:"course_code"`
	CourseTitle      string `json:"course_title"`
	CohortID         string `json:"cohort_id"`
	CohortCode       string `json:"cohort_code"`
	HostAgencyID     string `json:"host_agency_id"`
	HostAgency       string `json:"host_agency"`
	// HostAgencyNames, VenueName and VenueNames are for pages, which name
	// the host and the venue in the reader's language.
	HostAgencyNames    i18n.Names `json:"-"`
	VenueName          string     `json:"-"`
	VenueNames         i18n.Names `json:"-"`
	Hours              int        `json:"hours"`
	IssuedOn           Date       `json:"issued_on"`
	ExpiresOn          *Date      `json:"expires_on"`
	Status             string     `json:"status"`
	Renews             *string    `json:"renews"`
	RenewedBy          *string    `json:"renewed_by"`
	RevokedAt          *time.Time `json:"revoked_at,omitempty"`
	RevokeReason       string     `json:"revoke_reason,omitempty"`
	RevokeReasonPublic bool       `json:"revoke_reason_public,omitempty"`
}

// certRow is the listing query's row, turned into a CertificateView.
type certRow struct {
	Certificate
	HolderAgencyID string
	HolderAgency   string
	CourseCode     string
	CourseTitle    string
	CohortCode     string
	HostAgency     string
	HostNames      i18n.Names
	VenueName      string
	VenueNames     i18n.Names
	RenewsNumber   string
	RenewedBy      string
	Total          int64
}

// certQuery selects certificates with what their views show.
func certQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("certificates c").
		Joins("JOIN users u ON u.id = c.user_id").
		Joins("LEFT JOIN agencies ua ON ua.id = u.agency_id").
		Joins("JOIN courses co ON co.id = c.course_id").
		Joins("JOIN cohorts ch ON ch.id = c.cohort_id").
		Joins("LEFT JOIN agencies ha ON ha.id = c.host_agency_id").
		Joins("LEFT JOIN venues ve ON ve.id = ch.venue_id").
		Joins("LEFT JOIN certificates rn ON rn.id = c.renews_id")
}

// certColumns are the view's columns; renewed_by is the latest certificate renewing this one.
const certColumns = `c.*, u.agency_id AS holder_agency_id, COALESCE(ua.short_name, '') AS holder_agency, co.code AS course_code, co.title AS course_title,
	ch.code AS cohort_code, COALESCE(ha.name, '') AS host_agency, ha.names AS host_names,
	COALESCE(ve.name, '') AS venue_name, ve.names AS venue_names, COALESCE(rn.number, '') AS renews_number,
	COALESCE((SELECT nx.number FROM certificates nx WHERE nx.renews_id = c.id ORDER BY nx.issued_on DESC, nx.seq DESC LIMIT 1), '') AS renewed_by`

func (s *Service) toView(r certRow, day time.Time) CertificateView {
	v := CertificateView{
		Number: r.Number, VerificationCode: r.VerificationCode, VerificationURL: s.VerificationURL(r.VerificationCode),
		HolderID: r.UserID, HolderName: r.HolderName, HolderNameLatin: r.HolderNameLatin, HolderAgency: r.HolderAgency,
		CourseCode: r.CourseCode, CourseTitle: r.CourseTitle, CohortID: r.CohortID, CohortCode: r.CohortCode,
		HostAgencyID: r.HostAgencyID, HostAgency: r.HostAgency, HostAgencyNames: r.HostNames,
		VenueName: r.VenueName, VenueNames: r.VenueNames, Hours: r.Hours,
		IssuedOn: Date{r.IssuedOn}, ExpiresOn: datePtr(r.ExpiresOn), Status: r.Status(day),
		RevokedAt: r.RevokedAt, RevokeReason: r.RevokeReason, RevokeReasonPublic: r.RevokeReasonPublic,
	}
	if r.RenewsNumber != "" {
		v.Renews = &r.RenewsNumber
	}
	if r.RenewedBy != "" {
		v.RenewedBy = &r.RenewedBy
	}
	return v
}
