package cohort

import (
	"context"
	"muster/internal/clock"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/i18n"
	"muster/internal/paging"
	"muster/internal/validate"
)

// Query is the cohort list request: GET /api/v1/cohorts?course=&status=
// &from=&to=&agency=&host=&page=&per_page=. From and To are days
// ("YYYY-MM-DD"): cohorts running on any day between them. Agency is a
// participating agency: one with a quota, or any when a cohort has none.
type Query struct {
	Course string `form:"course" json:"course" validate:"max=12"`
	Status string `form:"status" json:"status" validate:"omitempty,oneof=draft open in_progress completed cancelled"`
	From   string `form:"from" json:"from"`
	To     string `form:"to" json:"to"`
	Agency string `form:"agency" json:"agency" validate:"omitempty,uuid"`
	Host   string `form:"host" json:"host" validate:"omitempty,uuid"`
	// Involves is an agency that hosts the cohort or holds a quota in it:
	// a coordinator's "My cohorts", hosted and partner alike.
	Involves string `form:"involves" json:"involves" validate:"omitempty,uuid"`
	paging.Params
}

// Summary is one cohort in a list.
type Summary struct {
	ID               string     `json:"id"`
	Code             string     `json:"code"`
	CourseCode       string     `json:"course_code"`
	CourseTitle      string     `json:"course_title"`
	HostAgencyID     string     `json:"host_agency_id"`
	HostAgency       string     `json:"host_agency"` // short name
	HostAgencyName   string     `json:"-"`           // the host's full name and its names per language, for pages
	HostAgencyNames  i18n.Names `json:"-"`
	VenueName        string     `json:"venue_name,omitempty"`
	VenueNames       i18n.Names `json:"-"` // the venue's name per language, for pages
	City             string     `json:"city,omitempty"`
	Country          string     `json:"country,omitempty"`
	Language         string     `json:"language"`
	StartsOn         Date       `json:"starts_on"`
	EndsOn           Date       `json:"ends_on"`
	TimeZone         string     `json:"time_zone"`
	Capacity         int        `json:"capacity"`
	SeatsTaken       int        `json:"seats_taken"`
	RequiresApproval bool       `json:"requires_approval"`
	Status           string     `json:"status"`
}

// summaryRow is a Summary as the database returns it.
type summaryRow struct {
	ID, Code, CourseCode, CourseTitle, HostAgencyID, HostAgency string
	VenueName, City, Country, Language, TimeZone, Status        *string
	StartsOn, EndsOn                                            time.Time
	Capacity, SeatsTaken                                        int
	RequiresApproval                                            bool
	VenueNames, HostAgencyNames                                 i18n.Names
	HostAgencyName                                              string
}

const summaryColumns = `c.id, c.code, co.code AS course_code, co.title AS course_title, c.host_agency_id,
	a.short_name AS host_agency, a.name AS host_agency_name, a.names AS host_agency_names, v.name AS venue_name, v.names AS venue_names, v.city, v.country, c.language, c.time_zone, c.status,
	c.starts_on, c.ends_on, c.capacity, c.seats_taken, c.requires_approval`

// List returns the cohorts actor may see, by start date. Everybody sees
// open and later cohorts; coordinators also their agency's drafts, admins
// every draft.
func (s *Service) List(ctx context.Context, actor access.Actor, q Query) (paging.Page[Summary], error) {
	q.Course = strings.ToUpper(strings.TrimSpace(q.Course))
	q.Agency = strings.ToLower(strings.TrimSpace(q.Agency))
	q.Host = strings.ToLower(strings.TrimSpace(q.Host))
	q.Involves = strings.ToLower(strings.TrimSpace(q.Involves))
	fields := fieldsOf(validate.Struct(q))
	from, okFrom := ParseDate(q.From)
	if q.From != "" && !okFrom {
		fields = append(fields, apperr.Field("from", KeyDate, "Example", "2026-05-10"))
	}
	to, okTo := ParseDate(q.To)
	if q.To != "" && !okTo {
		fields = append(fields, apperr.Field("to", KeyDate, "Example", "2026-06-30"))
	}
	if len(fields) > 0 {
		return paging.Page[Summary]{}, apperr.Invalid(fields...)
	}
	p := q.Params.Normalize()
	list := visibleCohorts(s.db(ctx).Table("cohorts AS c"), actor, q.Status)
	if q.Course != "" {
		list = list.Where("c.course_id IN (SELECT id FROM courses WHERE code = ?)", q.Course)
	}
	if okFrom {
		list = list.Where("c.ends_on >= ?", from)
	}
	if okTo {
		list = list.Where("c.starts_on <= ?", to)
	}
	if q.Agency != "" {
		list = list.Where(`(EXISTS (SELECT 1 FROM cohort_quotas q WHERE q.cohort_id = c.id AND q.agency_id = ?)
			OR NOT EXISTS (SELECT 1 FROM cohort_quotas q WHERE q.cohort_id = c.id))`, q.Agency)
	}
	if q.Host != "" {
		list = list.Where("c.host_agency_id = ?", q.Host)
	}
	if q.Involves != "" {
		list = list.Where(`(c.host_agency_id = ? OR EXISTS (SELECT 1 FROM cohort_quotas q WHERE q.cohort_id = c.id AND q.agency_id = ?))`,
			q.Involves, q.Involves)
	}
	list = list.Session(&gorm.Session{})
	var total int64
	if err := list.Count(&total).Error; err != nil {
		return paging.Page[Summary]{}, err
	}
	items, err := summaries(list.Order("c.starts_on, c.code").Limit(p.PerPage).Offset(p.Offset()))
	if err != nil {
		return paging.Page[Summary]{}, err
	}
	return paging.New(items, total, p), nil
}

// Upcoming lists the cohorts of a course that have not yet ended and are
// neither cancelled nor completed, as actor may see them: for the course page.
func (s *Service) Upcoming(ctx context.Context, actor access.Actor, courseID string) ([]Summary, error) {
	if !validID(courseID) {
		return []Summary{}, nil
	}
	today := LocalDay(clock.Now(s.Clock), time.UTC)
	list := visibleCohorts(s.db(ctx).Table("cohorts AS c"), actor, "").
		Where("c.course_id = ? AND c.ends_on >= ? AND c.status IN ?", courseID, today, []string{StatusDraft, StatusOpen, StatusInProgress})
	return summaries(list.Order("c.starts_on, c.code").Limit(50))
}

// summaries runs a cohort query and reads the rows as Summaries.
func summaries(list *gorm.DB) ([]Summary, error) {
	var rows []summaryRow
	err := list.Select(summaryColumns).
		Joins("JOIN courses co ON co.id = c.course_id").
		Joins("JOIN agencies a ON a.id = c.host_agency_id").
		Joins("LEFT JOIN venues v ON v.id = c.venue_id").Scan(&rows).Error
	out := make([]Summary, 0, len(rows))
	for _, r := range rows {
		out = append(out, Summary{ID: r.ID, Code: r.Code, CourseCode: r.CourseCode, CourseTitle: r.CourseTitle,
			HostAgencyID: r.HostAgencyID, HostAgency: r.HostAgency, HostAgencyName: r.HostAgencyName, HostAgencyNames: r.HostAgencyNames,
			VenueName: deref(r.VenueName), VenueNames: r.VenueNames, City: deref(r.City),
			Country: deref(r.Country), Language: deref(r.Language), TimeZone: deref(r.TimeZone), Status: deref(r.Status),
			StartsOn: Date{r.StartsOn.UTC()}, EndsOn: Date{r.EndsOn.UTC()}, Capacity: r.Capacity, SeatsTaken: r.SeatsTaken,
			RequiresApproval: r.RequiresApproval})
	}
	return out, err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// visibleCohorts narrows a query of cohorts c to what actor may list under
// a status filter.
func visibleCohorts(q *gorm.DB, actor access.Actor, status string) *gorm.DB {
	coordinator := actor.AgencyID != "" && actor.Has(access.Coordinator)
	switch {
	case status == "" && actor.IsAdmin():
		return q
	case status == "" && coordinator:
		return q.Where("(c.status <> ? OR c.host_agency_id = ?)", StatusDraft, actor.AgencyID)
	case status == "":
		return q.Where("c.status <> ?", StatusDraft)
	case status == StatusDraft && actor.IsAdmin():
		return q.Where("c.status = ?", StatusDraft)
	case status == StatusDraft && coordinator:
		return q.Where("c.status = ? AND c.host_agency_id = ?", StatusDraft, actor.AgencyID)
	case status == StatusDraft:
		return q.Where("1 = 0")
	}
	return q.Where("c.status = ?", status)
}
