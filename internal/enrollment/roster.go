package enrollment

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/cohort"
	"muster/internal/i18n"
)

// AgencyCount is one agency's line on a cohort's roster.
type AgencyCount struct {
	AgencyID   string `json:"agency_id"`
	AgencyName string `json:"agency_name"`
	// FullName and Names are the agency's name, for pages to show in the
	// reader's language beside the short name.
	FullName   string     `json:"-"`
	Names      i18n.Names `json:"-"`
	Quota      *int       `json:"quota"` // nil when the cohort has no quotas
	Enrolled   int        `json:"enrolled"`
	Pending    int        `json:"pending"`
	Waitlisted int        `json:"waitlisted"`
	Ended      int        `json:"ended"` // rejected, withdrawn, no-show, cancelled, completed, failed
}

// Roster is a cohort's enrollments with their counts per agency. The counts
// are taken from the rows listed, so they always agree with them.
type Roster struct {
	Cohort      cohort.Cohort `json:"cohort"`
	CourseCode  string        `json:"course_code"`
	CourseTitle string        `json:"course_title"`
	// WholeCohort is false when the actor sees only their own agency's people.
	WholeCohort bool          `json:"whole_cohort"`
	Agencies    []AgencyCount `json:"agencies"`
	Total       AgencyCount   `json:"total"`
	Rows        []Row         `json:"rows"`
}

// Roster returns a cohort's roster as ListForCohort scopes it.
func (s *Service) Roster(ctx context.Context, actor access.Actor, cohortID string) (*Roster, error) {
	if !actor.HasAny(access.Admin, access.Coordinator, access.HR) {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	tx := s.db(ctx)
	c, err := loadCohort(tx, actor, cohortID, false)
	if err != nil {
		return nil, err
	}
	r := &Roster{Cohort: *c, WholeCohort: seesWholeCohort(actor, c.HostAgencyID)}
	if err := tx.Table("courses").Select("code, title").Where("id = ?", c.CourseID).Row().Scan(&r.CourseCode, &r.CourseTitle); err != nil {
		return nil, err
	}
	q := rowQuery(tx).Where("e.cohort_id = ?", c.ID)
	if !r.WholeCohort {
		q = q.Where("e.agency_id = ?", actor.AgencyID)
	}
	if err := q.Order("e.queue_no").Scan(&r.Rows).Error; err != nil {
		return nil, err
	}
	var quotas []struct {
		AgencyID   string
		AgencyName string
		Seats      int
	}
	qq := tx.Table("cohort_quotas q").Select("q.agency_id, a.short_name AS agency_name, q.seats").
		Joins("JOIN agencies a ON a.id = q.agency_id").Where("q.cohort_id = ?", c.ID)
	if !r.WholeCohort {
		qq = qq.Where("q.agency_id = ?", actor.AgencyID)
	}
	if err := qq.Order("a.short_name").Scan(&quotas).Error; err != nil {
		return nil, err
	}
	index := map[string]int{}
	for _, q := range quotas {
		seats := q.Seats
		index[q.AgencyID] = len(r.Agencies)
		r.Agencies = append(r.Agencies, AgencyCount{AgencyID: q.AgencyID, AgencyName: q.AgencyName, Quota: &seats})
	}
	for _, row := range r.Rows {
		i, ok := index[row.AgencyID]
		if !ok {
			i = len(r.Agencies)
			index[row.AgencyID] = i
			r.Agencies = append(r.Agencies, AgencyCount{AgencyID: row.AgencyID, AgencyName: row.AgencyName})
		}
		r.Agencies[i].add(row.Status)
		r.Total.add(row.Status)
	}
	return r, agencyNames(tx, r.Agencies)
}

func (a *AgencyCount) add(status string) {
	switch status {
	case StatusEnrolled:
		a.Enrolled++
	case StatusPending:
		a.Pending++
	case StatusWaitlisted:
		a.Waitlisted++
	default:
		a.Ended++
	}
}

// agencyNames fills in the full names of the roster's agencies.
func agencyNames(tx *gorm.DB, lines []AgencyCount) error {
	if len(lines) == 0 {
		return nil
	}
	ids := make([]string, len(lines))
	for i, l := range lines {
		ids[i] = l.AgencyID
	}
	var rows []struct {
		ID, Name string
		Names    i18n.Names
	}
	if err := tx.Table("agencies").Select("id, name, names").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return err
	}
	byID := make(map[string]int, len(rows))
	for i, r := range rows {
		byID[r.ID] = i
	}
	for i := range lines {
		if j, ok := byID[lines[i].AgencyID]; ok {
			lines[i].FullName, lines[i].Names = rows[j].Name, rows[j].Names
		}
	}
	return nil
}
