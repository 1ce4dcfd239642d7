package cohort

import (
	"context"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/i18n"
)

// Date is a calendar day; it travels as "YYYY-MM-DD".
type Date struct{ time.Time }

// MarshalJSON writes the day as "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.Format(DateLayout) + `"`), nil }

// String is the day as "YYYY-MM-DD".
func (d Date) String() string { return d.Format(DateLayout) }

// CourseRef names the course a cohort runs.
type CourseRef struct {
	ID    string `json:"id"`
	Code  string `json:"code"`
	Title string `json:"title"`
}

// AgencyRef names an agency.
type AgencyRef struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	ShortName string `json:"short_name"`
	Country   string `json:"country"`
	// Names are the agency's name per language, for pages to pick from.
	Names i18n.Names `json:"-"`
}

// QuotaLine is one participating agency's seats: its quota and those taken.
type QuotaLine struct {
	Agency     AgencyRef `json:"agency"`
	AgencyID   string    `json:"agency_id"`
	Seats      int       `json:"seats"`
	SeatsTaken int       `json:"seats_taken"`
}

// Detail is a cohort as GET /api/v1/cohorts/{id} shows it.
type Detail struct {
	ID                 string      `json:"id"`
	Code               string      `json:"code"`
	Course             CourseRef   `json:"course"`
	HostAgency         AgencyRef   `json:"host_agency"`
	Venue              *Venue      `json:"venue"` // nil when online
	Language           string      `json:"language"`
	StartsOn           Date        `json:"starts_on"`
	EndsOn             Date        `json:"ends_on"`
	TimeZone           string      `json:"time_zone"`
	Capacity           int         `json:"capacity"`
	SeatsTaken         int         `json:"seats_taken"`
	EnrollmentOpensAt  time.Time   `json:"enrollment_opens_at"`
	EnrollmentClosesAt time.Time   `json:"enrollment_closes_at"`
	RequiresApproval   bool        `json:"requires_approval"`
	Status             string      `json:"status"`
	Quotas             []QuotaLine `json:"quotas"`
	CompletedAt        *time.Time  `json:"completed_at,omitempty"`
	CancelledAt        *time.Time  `json:"cancelled_at,omitempty"`
	CreatedAt          time.Time   `json:"created_at"`
	UpdatedAt          time.Time   `json:"updated_at"`
}

// Location is the cohort's time zone.
func (d *Detail) Location() *time.Location { return ZoneOf(d.TimeZone) }

// Online reports whether the cohort meets without a venue.
func (d *Detail) Online() bool { return d.Venue == nil }

// SeatsLeft is the capacity not yet taken.
func (d *Detail) SeatsLeft() int { return max(d.Capacity-d.SeatsTaken, 0) }

// TakesPart reports whether agencyID may send people to the cohort: it
// holds a quota, or the cohort has none and is open to every agency.
func (d *Detail) TakesPart(agencyID string) bool {
	if agencyID == "" {
		return false
	}
	return len(d.Quotas) == 0 || d.QuotaOf(agencyID) != nil
}

// QuotaOf is agencyID's quota line, nil when it has none.
func (d *Detail) QuotaOf(agencyID string) *QuotaLine {
	for i := range d.Quotas {
		if d.Quotas[i].AgencyID == agencyID {
			return &d.Quotas[i]
		}
	}
	return nil
}

// WindowOpen reports whether enrollment is open at now: the cohort is open
// and now lies in its enrollment window.
func (d *Detail) WindowOpen(now time.Time) bool {
	return d.Status == StatusOpen && !now.Before(d.EnrollmentOpensAt) && now.Before(d.EnrollmentClosesAt)
}

// Get returns cohort id with its course, host, venue and quotas. A draft is
// visible only to admins and coordinators of the host agency, else
// not_found.
func (s *Service) Get(ctx context.Context, actor access.Actor, id string) (*Detail, error) {
	tx := s.db(ctx)
	c, err := Load(tx, actor, id)
	if err != nil {
		return nil, err
	}
	return detailOf(tx, c)
}

func detailOf(tx *gorm.DB, c *Cohort) (*Detail, error) {
	d := &Detail{ID: c.ID, Code: c.Code, Language: c.Language, StartsOn: Date{c.StartsOn.UTC()}, EndsOn: Date{c.EndsOn.UTC()},
		TimeZone: c.TimeZone, Capacity: c.Capacity, SeatsTaken: c.SeatsTaken, EnrollmentOpensAt: c.EnrollmentOpensAt.UTC(),
		EnrollmentClosesAt: c.EnrollmentClosesAt.UTC(), RequiresApproval: c.RequiresApproval, Status: c.Status,
		CompletedAt: c.CompletedAt, CancelledAt: c.CancelledAt, CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC(), Quotas: []QuotaLine{}}
	if err := tx.Table("courses").Select("id, code, title").Where("id = ?", c.CourseID).Scan(&d.Course).Error; err != nil {
		return nil, err
	}
	if err := tx.Table("agencies").Select("id, name, short_name, country, names").Where("id = ?", c.HostAgencyID).Scan(&d.HostAgency).Error; err != nil {
		return nil, err
	}
	if c.VenueID != nil {
		var v Venue
		if err := tx.Where("id = ?", *c.VenueID).Take(&v).Error; err != nil {
			return nil, err
		}
		d.Venue = &v
	}
	var lines []struct {
		AgencyID, Name, ShortName, Country string
		Names                              i18n.Names
		Seats, SeatsTaken                  int
	}
	err := tx.Table("cohort_quotas AS q").Select("q.agency_id, q.seats, q.seats_taken, a.name, a.short_name, a.country, a.names").
		Joins("JOIN agencies a ON a.id = q.agency_id").Where("q.cohort_id = ?", c.ID).Order("a.short_name").Scan(&lines).Error
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		d.Quotas = append(d.Quotas, QuotaLine{AgencyID: l.AgencyID, Seats: l.Seats, SeatsTaken: l.SeatsTaken,
			Agency: AgencyRef{ID: l.AgencyID, Name: l.Name, ShortName: l.ShortName, Country: l.Country, Names: l.Names}})
	}
	return d, nil
}
