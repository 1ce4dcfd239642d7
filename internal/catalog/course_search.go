package catalog

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/paging"
	"muster/internal/validate"
)

// Query is the catalogue's list request: GET /api/v1/courses?q=&discipline=
// &level=&language=&delivery=&status=&agency=&page=&per_page=.
type Query struct {
	Q             string `form:"q" json:"q" validate:"max=200"`
	Discipline    string `form:"discipline" json:"discipline" validate:"omitempty,oneof=counter_narcotics border_security counter_terrorism organised_crime cybercrime forensics intelligence_analysis human_trafficking public_order leadership language other"`
	Level         string `form:"level" json:"level" validate:"omitempty,oneof=basic intermediate advanced"`
	Language      string `form:"language" json:"language" validate:"omitempty,oneof=ar az de en es fa fr hi it ja kk ko ky ps ru tg tk tr uk ur uz zh"`
	Delivery      string `form:"delivery" json:"delivery" validate:"omitempty,oneof=in_person online blended"`
	Status        string `form:"status" json:"status" validate:"omitempty,oneof=draft published archived"`
	OwnerAgencyID string `form:"agency" json:"agency" validate:"omitempty,uuid"`
	paging.Params
}

// CourseSummary is one course in a catalogue listing.
type CourseSummary struct {
	ID            string   `json:"id"`
	Code          string   `json:"code"`
	Title         string   `json:"title"`
	Summary       string   `json:"summary"`
	Discipline    string   `json:"discipline"`
	Level         string   `json:"level"`
	Delivery      string   `json:"delivery"`
	DurationHours int      `json:"duration_hours"`
	Languages     []string `json:"languages" gorm:"-"`
	Status        string   `json:"status"`
	OwnerAgencyID string   `json:"owner_agency_id"`
}

// Search lists the courses the actor may see, sorted by code. Q matches a
// substring of code, title or summary in any case and script. Without a
// Status filter everybody sees published courses, coordinators also their
// agency's drafts and admins all drafts; archived courses are listed only
// when staff ask for status=archived.
func (s *Service) Search(ctx context.Context, actor access.Actor, q Query) (paging.Page[CourseSummary], error) {
	q.Q = strings.TrimSpace(q.Q)
	q.Language = strings.ToLower(strings.TrimSpace(q.Language))
	q.OwnerAgencyID = strings.ToLower(strings.TrimSpace(q.OwnerAgencyID))
	if err := validate.Struct(q); err != nil {
		return paging.Page[CourseSummary]{}, err
	}
	p := q.Params.Normalize()
	tx := s.reads(ctx)
	list := q.filter(visible(tx.Model(&Course{}), actor, q.Status))
	list = list.Session(&gorm.Session{}) // reusable for a second query
	// The window count gives the total with the page in one query; only a
	// page past the end needs a separate count.
	var rows []struct {
		CourseSummary
		Total int64
	}
	err := list.Select("id, code, title, summary, discipline, level, delivery, duration_hours, status, owner_agency_id, count(*) OVER () AS total").
		Order("code").Limit(p.PerPage).Offset(p.Offset()).Scan(&rows).Error
	if err != nil {
		return paging.Page[CourseSummary]{}, err
	}
	var total int64
	if len(rows) > 0 {
		total = rows[0].Total
	} else if p.Page > 1 {
		if err := list.Count(&total).Error; err != nil {
			return paging.Page[CourseSummary]{}, err
		}
	}
	items, ids := make([]CourseSummary, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		items[i], ids[i] = r.CourseSummary, r.ID
	}
	langs, err := languagesOf(tx, ids)
	if err != nil {
		return paging.Page[CourseSummary]{}, err
	}
	for i := range items {
		if items[i].Languages = langs[items[i].ID]; items[i].Languages == nil {
			items[i].Languages = []string{}
		}
	}
	return paging.New(items, total, p), nil
}

// filter narrows a course query by the query's filters and search term.
func (q Query) filter(list *gorm.DB) *gorm.DB {
	for _, f := range [...]struct{ col, v string }{
		{"discipline", q.Discipline}, {"level", q.Level}, {"delivery", q.Delivery}, {"owner_agency_id", q.OwnerAgencyID},
	} {
		if f.v != "" {
			list = list.Where(f.col+" = ?", f.v)
		}
	}
	if q.Language != "" {
		list = list.Where("EXISTS (SELECT 1 FROM course_languages cl WHERE cl.course_id = courses.id AND cl.language = ?)", q.Language)
	}
	if term := FoldSearch(q.Q); term != "" {
		// Served on PostgreSQL by the trigram index courses_search_trgm_idx.
		list = list.Where(`search_text LIKE ? ESCAPE '\'`, likePattern(term))
	}
	return list
}

// visible narrows a course query to what actor may list under a status filter.
func visible(q *gorm.DB, actor access.Actor, status string) *gorm.DB {
	coordinator := actor.AgencyID != "" && actor.CanManageCatalog(actor.AgencyID)
	switch status {
	case "":
		switch {
		case actor.IsAdmin():
			return q.Where("status IN ?", []string{StatusPublished, StatusDraft})
		case coordinator:
			return q.Where("(status = ? OR (status = ? AND owner_agency_id = ?))", StatusPublished, StatusDraft, actor.AgencyID)
		}
		return q.Where("status = ?", StatusPublished)
	case StatusDraft:
		switch {
		case actor.IsAdmin():
			return q.Where("status = ?", StatusDraft)
		case coordinator:
			return q.Where("status = ? AND owner_agency_id = ?", StatusDraft, actor.AgencyID)
		}
	case StatusArchived:
		if actor.HasAny(access.Admin, access.Coordinator, access.HR, access.Instructor) {
			return q.Where("status = ?", StatusArchived)
		}
	case StatusPublished:
		return q.Where("status = ?", StatusPublished)
	}
	return q.Where("1 = 0") // a status this actor may not list
}
