package catalog

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/db"
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
	// Translations let Localize answer the title in the reader's language.
	Translations Translations `json:"-"`
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
	list = list.Session(&gorm.Session{}) // reusable for the count
	// One round trip for the page: its courses, their languages and the
	// catalogue's version, which keys the cached total.
	var rows []struct {
		CourseSummary
		LanguageList string
		Version      int64
	}
	err := list.Select("id, code, title, summary, discipline, level, delivery, duration_hours, status, owner_agency_id, translations, " +
		languageList(tx) + " AS language_list, (SELECT version FROM catalog_stamp WHERE id = 1) AS version").
		Order("code").Limit(p.PerPage).Offset(p.Offset()).Scan(&rows).Error
	if err != nil {
		return paging.Page[CourseSummary]{}, err
	}
	items := make([]CourseSummary, len(rows))
	for i, r := range rows {
		items[i] = r.CourseSummary
		items[i].Languages = []string{}
		if r.LanguageList != "" {
			items[i].Languages = strings.Split(r.LanguageList, ",")
			slices.Sort(items[i].Languages)
		}
	}
	var total int64
	switch {
	case len(rows) > 0 && len(rows) < p.PerPage: // the last page: the total is plain
		total = int64(p.Offset() + len(rows))
	case len(rows) == 0 && p.Page == 1:
	default:
		var version int64
		if len(rows) > 0 {
			version = rows[0].Version
		}
		if total, err = s.count(list, version, countKey(actor, q)); err != nil {
			return paging.Page[CourseSummary]{}, err
		}
	}
	return paging.New(items, total, p), nil
}

// languageList is the SQL expression listing a course's languages,
// comma-separated in no particular order.
func languageList(tx *gorm.DB) string {
	agg := "group_concat(cl.language, ',')"
	if db.Dialect(tx) == db.Postgres {
		agg = "string_agg(cl.language, ',')"
	}
	return "(SELECT " + agg + " FROM course_languages cl WHERE cl.course_id = courses.id)"
}

// count is the number of courses list matches, cached under the catalogue
// version it was counted at. version is the one the page was read at (0
// when unknown); the count itself reads the version in the same statement,
// so a total is cached only under the catalogue it counted.
func (s *Service) count(list *gorm.DB, version int64, key string) (int64, error) {
	if total, ok := s.counts.get(version, key); ok && version > 0 {
		return total, nil
	}
	var r struct{ Total, Version int64 }
	err := list.Select("count(*) AS total, (SELECT version FROM catalog_stamp WHERE id = 1) AS version").Scan(&r).Error
	if err != nil {
		return 0, err
	}
	s.counts.put(r.Version, key, r.Total)
	return r.Total, nil
}

// countKey names a search's matching set: who may see what, and the filters.
func countKey(actor access.Actor, q Query) string {
	who := "public"
	switch {
	case actor.IsAdmin():
		who = "admin"
	case actor.AgencyID != "" && actor.CanManageCatalog(actor.AgencyID):
		who = "coordinator " + actor.AgencyID
	case actor.HasAny(access.Coordinator, access.HR, access.Instructor):
		who = "staff"
	}
	return strings.Join([]string{who, q.Status, q.Discipline, q.Level, q.Language, q.Delivery, q.OwnerAgencyID, FoldSearch(q.Q)}, "\x00")
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
