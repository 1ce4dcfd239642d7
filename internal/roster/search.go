package roster

import (
	"context"
	"muster/internal/db"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/catalog"
	"muster/internal/cohort"
	"muster/internal/paging"
	"muster/internal/validate"
)

// Query is the roster search: GET /api/v1/instructors?course=&language=
// &free_from=&free_to=&agency=&page=&per_page=. Course keeps instructors
// qualified for the course (by code) through the period, or today; the free
// period (RFC 3339 instants, or days "YYYY-MM-DD", both ends inclusive)
// keeps those with no assignment and no unavailability overlapping it.
type Query struct {
	Course   string `form:"course" json:"course" validate:"max=12"`
	Language string `form:"language" json:"language" validate:"max=8"`
	FreeFrom string `form:"free_from" json:"free_from"`
	FreeTo   string `form:"free_to" json:"free_to"`
	Agency   string `form:"agency" json:"agency" validate:"omitempty,uuid"`
	paging.Params
}

// Summary is one instructor in the roster.
type Summary struct {
	Person
	Languages      []string            `json:"languages"`
	Qualifications []QualificationLine `json:"qualifications"`
}

// Search lists instructors of every agency by name, for coordinators and admins.
func (s *Service) Search(ctx context.Context, actor access.Actor, q Query) (paging.Page[Summary], error) {
	if !actor.SignedIn() {
		return paging.Page[Summary]{}, apperr.New(apperr.CodeUnauthorized)
	}
	if !canSeeRoster(actor) {
		return paging.Page[Summary]{}, apperr.New(apperr.CodeForbidden)
	}
	q.Course = strings.ToUpper(strings.TrimSpace(q.Course))
	q.Language = strings.ToLower(strings.TrimSpace(q.Language))
	q.Agency = strings.ToLower(strings.TrimSpace(q.Agency))
	tx := s.db(ctx)
	list, err := q.filter(tx, instructors(tx), db.Now(tx, s.Clock))
	if err != nil {
		return paging.Page[Summary]{}, err
	}
	p := q.Params.Normalize()
	list = list.Session(&gorm.Session{})
	var total int64
	if err := list.Count(&total).Error; err != nil {
		return paging.Page[Summary]{}, err
	}
	var people []Person
	if err := list.Select(personCols).Order("u.full_name, u.id").Limit(p.PerPage).Offset(p.Offset()).Scan(&people).Error; err != nil {
		return paging.Page[Summary]{}, err
	}
	ids := make([]string, len(people))
	for i, pp := range people {
		ids[i] = pp.UserID
	}
	langs, err := languagesOf(tx, ids)
	if err != nil {
		return paging.Page[Summary]{}, err
	}
	quals, err := qualificationsOf(tx, ids)
	if err != nil {
		return paging.Page[Summary]{}, err
	}
	items := make([]Summary, len(people))
	for i, pp := range people {
		items[i] = Summary{Person: pp, Languages: orEmpty(langs[pp.UserID]), Qualifications: quals[pp.UserID]}
		if items[i].Qualifications == nil {
			items[i].Qualifications = []QualificationLine{}
		}
	}
	return paging.New(items, total, p), nil
}

// filter checks the query and narrows the instructors to it.
func (q Query) filter(tx, list *gorm.DB, now time.Time) (*gorm.DB, error) {
	fields := fieldsOf(validate.Struct(q))
	if q.Language != "" && !slices.Contains(catalog.Languages, q.Language) {
		fields = append(fields, apperr.Field("language", KeyUnknownLang))
	}
	from, okFrom := periodEnd(&fields, "free_from", q.FreeFrom, false)
	to, okTo := periodEnd(&fields, "free_to", q.FreeTo, true)
	switch {
	case (strings.TrimSpace(q.FreeFrom) == "") != (strings.TrimSpace(q.FreeTo) == ""):
		fields = append(fields, apperr.Field("free_to", KeyPeriodBoth))
	case okFrom && okTo && !to.After(from):
		fields = append(fields, apperr.Field("free_to", KeyPeriodOrder))
	}
	var courseID string
	if q.Course != "" {
		if err := tx.Table("courses").Select("id").Where("code = ?", q.Course).Scan(&courseID).Error; err != nil {
			return nil, err
		}
		if courseID == "" {
			fields = append(fields, apperr.Field("course", KeyUnknownCourse, "Code", q.Course))
		}
	}
	if len(fields) > 0 {
		return nil, apperr.Invalid(fields...)
	}
	if courseID != "" {
		day := cohort.LocalDay(now, time.UTC)
		if okTo {
			day = cohort.LocalDay(to.Add(-time.Second), time.UTC)
		}
		list = list.Where(`EXISTS (SELECT 1 FROM instructor_qualifications iq WHERE iq.user_id = u.id AND iq.course_id = ?
			AND (iq.expires_on IS NULL OR iq.expires_on >= ?))`, courseID, day)
	}
	if q.Language != "" {
		list = list.Where("EXISTS (SELECT 1 FROM instructor_languages il WHERE il.user_id = u.id AND il.language = ?)", q.Language)
	}
	if q.Agency != "" {
		list = list.Where("u.agency_id = ?", q.Agency)
	}
	if okFrom && okTo {
		list = list.Where(`NOT EXISTS (SELECT 1 FROM session_instructors si JOIN cohort_sessions s ON s.id = si.session_id
			JOIN cohorts c ON c.id = s.cohort_id WHERE si.instructor_id = u.id AND c.status <> ? AND si.starts_at < ? AND si.ends_at > ?)`,
			cohort.StatusCancelled, to, from).
			Where("NOT EXISTS (SELECT 1 FROM instructor_unavailability ua WHERE ua.user_id = u.id AND ua.starts_at < ? AND ua.ends_at > ?)", to, from)
	}
	return list, nil
}

// periodEnd reads one end of the free period: an RFC 3339 instant, or a day
// (its start for from, the start of the next day for to).
func periodEnd(fields *[]apperr.FieldError, field, value string, end bool) (time.Time, bool) {
	value = strings.TrimSpace(value)
	if value == "" {
		return time.Time{}, false
	}
	if d, ok := cohort.ParseDate(value); ok {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d, true
	}
	if t, ok, _ := cohort.ParseInstant(value, nil); ok {
		return t, true
	}
	*fields = append(*fields, apperr.Field(field, KeyInstant, "Example", "2026-05-10T09:00:00+03:30"))
	return time.Time{}, false
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
