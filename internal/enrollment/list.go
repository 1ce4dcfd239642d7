package enrollment

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/cohort"
	"muster/internal/db"
	"muster/internal/i18n"
	"muster/internal/paging"
)

// Row is an enrollment as answers and lists show it: with the person, their
// agency, the cohort and course, and, while waitlisted, its positions.
type Row struct {
	Enrollment
	// WaitlistPosition counts from 1 over the cohort's whole waitlist;
	// AgencyWaitlistPosition among the people of the same agency only.
	WaitlistPosition       *int   `json:"waitlist_position,omitempty"`
	AgencyWaitlistPosition *int   `json:"agency_waitlist_position,omitempty"`
	FullName               string `json:"full_name"`
	FullNameLatin          string `json:"full_name_latin,omitempty"`
	ServiceNumber          string `json:"service_number,omitempty"`
	AgencyName             string `json:"agency_name"` // short name
	// AgencyFullName and AgencyNames are the agency's name, for pages to
	// show in the reader's language beside the short name.
	AgencyFullName string     `json:"-"`
	AgencyNames    i18n.Names `json:"-"`
	CohortCode     string     `json:"cohort_code"`
	CohortStatus   string     `json:"cohort_status"`
	CourseCode     string     `json:"course_code"`
	CourseTitle    string     `json:"course_title"`
	StartsOn       Day        `json:"starts_on"`
	EndsOn         Day        `json:"ends_on"`
	TimeZone       string     `json:"time_zone"`
}

// Live reports whether the enrollment holds or waits for a seat.
func (r Row) Live() bool {
	return r.Status == StatusPending || r.Status == StatusEnrolled || r.Status == StatusWaitlisted
}

// Position is the overall waitlist position, 0 when not waitlisted.
func (r Row) Position() int {
	if r.WaitlistPosition == nil {
		return 0
	}
	return *r.WaitlistPosition
}

// AgencyPosition is the position among the agency's people, 0 when not waitlisted.
func (r Row) AgencyPosition() int {
	if r.AgencyWaitlistPosition == nil {
		return 0
	}
	return *r.AgencyWaitlistPosition
}

// rowSelect reads a Row; positions are counted in the same statement as the
// rows, so they agree with each other.
const rowSelect = `e.*, u.full_name, u.full_name_latin, u.service_number, a.short_name AS agency_name,
	a.name AS agency_full_name, a.names AS agency_names,
	c.code AS cohort_code, c.status AS cohort_status, c.starts_on, c.ends_on, c.time_zone,
	co.code AS course_code, co.title AS course_title,
	CASE WHEN e.status = 'waitlisted' THEN 1 + (SELECT COUNT(*) FROM enrollments w
		WHERE w.cohort_id = e.cohort_id AND w.status = 'waitlisted' AND w.queue_no < e.queue_no) END AS waitlist_position,
	CASE WHEN e.status = 'waitlisted' THEN 1 + (SELECT COUNT(*) FROM enrollments w
		WHERE w.cohort_id = e.cohort_id AND w.status = 'waitlisted' AND w.agency_id = e.agency_id AND w.queue_no < e.queue_no) END AS agency_waitlist_position`

func rowQuery(tx *gorm.DB) *gorm.DB {
	return tx.Table("enrollments AS e").Select(rowSelect).
		Joins("JOIN users u ON u.id = e.user_id").
		Joins("JOIN agencies a ON a.id = e.agency_id").
		Joins("JOIN cohorts c ON c.id = e.cohort_id").
		Joins("JOIN courses co ON co.id = c.course_id")
}

// rowByID reads one Row inside tx.
func rowByID(tx *gorm.DB, id string) (*Row, error) {
	var rows []Row
	if err := rowQuery(tx).Where("e.id = ?", id).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.NotFound()
	}
	return &rows[0], nil
}

// describe reads what a Row says about a person and a cohort, for a new
// request: the rest comes from the request itself.
func describe(tx *gorm.DB, cohortID, userID string) (*Row, error) {
	var rows []Row
	err := tx.Table("users AS u").
		Select(`u.full_name, u.full_name_latin, u.service_number, a.short_name AS agency_name, a.name AS agency_full_name, a.names AS agency_names, c.code AS cohort_code,
			c.starts_on, c.ends_on, c.time_zone, co.code AS course_code, co.title AS course_title`).
		Joins("JOIN agencies a ON a.id = u.agency_id").
		Joins("JOIN cohorts c ON c.id = ?", cohortID).
		Joins("JOIN courses co ON co.id = c.course_id").
		Where("u.id = ?", userID).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.NotFound()
	}
	return &rows[0], nil
}

// Filter narrows a list of enrollments.
type Filter struct {
	Status   string `form:"status"`
	AgencyID string `form:"agency"`
	paging.Params
}

// page reads one page of the rows that where selects, in order, and their total.
func page(tx *gorm.DB, where func(*gorm.DB) *gorm.DB, p paging.Params, order string) (paging.Page[Row], error) {
	p = p.Normalize()
	var total int64
	if err := where(tx.Table("enrollments AS e").Joins("JOIN cohorts c ON c.id = e.cohort_id")).Count(&total).Error; err != nil {
		return paging.Page[Row]{}, err
	}
	var rows []Row
	err := where(rowQuery(tx)).Order(order).Limit(p.PerPage).Offset(p.Offset()).Scan(&rows).Error
	return paging.New(rows, total, p), err
}

// ListForCohort lists a cohort's enrollments in queue order: all of them to
// admins and the host's coordinators and hr, their own agency's people to
// other coordinators and hr.
func (s *Service) ListForCohort(ctx context.Context, actor access.Actor, cohortID string, f Filter) (paging.Page[Row], error) {
	if !actor.HasAny(access.Admin, access.Coordinator, access.HR) {
		return paging.Page[Row]{}, apperr.New(apperr.CodeForbidden)
	}
	c, err := loadCohort(s.db(ctx), actor, cohortID, false)
	if err != nil {
		return paging.Page[Row]{}, err
	}
	if !seesWholeCohort(actor, c.HostAgencyID) {
		f.AgencyID = actor.AgencyID
	}
	if f.AgencyID != "" && !validID(f.AgencyID) {
		return paging.Page[Row]{}, apperr.Invalid(apperr.Field("agency", "validation.invalid"))
	}
	return page(s.db(ctx), func(q *gorm.DB) *gorm.DB {
		q = q.Where("e.cohort_id = ?", c.ID)
		if f.AgencyID != "" {
			q = q.Where("e.agency_id = ?", f.AgencyID)
		}
		if f.Status != "" {
			q = q.Where("e.status = ?", f.Status)
		}
		return q
	}, f.Params, "e.queue_no")
}

// ListMine lists the actor's own enrollments, the latest cohorts first.
func (s *Service) ListMine(ctx context.Context, actor access.Actor, p paging.Params) (paging.Page[Row], error) {
	if actor.UserID == "" {
		return paging.Page[Row]{}, apperr.New(apperr.CodeUnauthorized)
	}
	return page(s.db(ctx), func(q *gorm.DB) *gorm.DB {
		return q.Where("e.user_id = ?", actor.UserID)
	}, p, "c.starts_on DESC, e.created_at DESC")
}

// Approvals is the approval queue: the pending requests of the actor's
// agency (an admin's: every agency's, or agencyID's), oldest first.
func (s *Service) Approvals(ctx context.Context, actor access.Actor, agencyID string, p paging.Params) (paging.Page[Row], error) {
	if !actor.IsAdmin() {
		if !actor.Has(access.Coordinator) {
			return paging.Page[Row]{}, apperr.New(apperr.CodeForbidden)
		}
		agencyID = actor.AgencyID
	}
	if agencyID != "" && !validID(agencyID) {
		return paging.Page[Row]{}, apperr.Invalid(apperr.Field("agency", "validation.invalid"))
	}
	return page(s.db(ctx), func(q *gorm.DB) *gorm.DB {
		q = q.Where("e.status = ?", StatusPending)
		if agencyID != "" {
			q = q.Where("e.agency_id = ?", agencyID)
		}
		return q
	}, p, "e.requested_at, e.queue_no")
}

// Detail is an enrollment with its history.
type Detail struct {
	Row
	History []Step `json:"history"`
	// HostAgencyID is the cohort's host, for deciding who may act.
	HostAgencyID string `json:"-"`
}

// Get returns an enrollment the actor may see, with its history from the
// audit trail; anybody else's answers not_found.
func (s *Service) Get(ctx context.Context, actor access.Actor, id string) (*Detail, error) {
	if !validID(id) {
		return nil, apperr.NotFound()
	}
	tx := s.db(ctx)
	r, err := rowByID(tx, id)
	if err != nil {
		return nil, err
	}
	var host string
	if err := tx.Table("cohorts").Select("host_agency_id").Where("id = ?", r.CohortID).Scan(&host).Error; err != nil {
		return nil, err
	}
	if !CanSee(actor, &r.Enrollment, host) {
		return nil, apperr.NotFound()
	}
	steps, err := history(tx, id)
	if err != nil {
		return nil, err
	}
	return &Detail{Row: *r, History: steps, HostAgencyID: host}, nil
}

// lockEnrollment reads enrollment id for a change: its cohort's row locked
// first, as every seat change does, then its own. One the actor may not see
// is not found.
func lockEnrollment(tx *gorm.DB, actor access.Actor, id string) (*Enrollment, *cohort.Cohort, error) {
	if !validID(id) {
		return nil, nil, apperr.NotFound()
	}
	var ids []string
	if err := tx.Model(&Enrollment{}).Where("id = ?", id).Pluck("cohort_id", &ids).Error; err != nil {
		return nil, nil, err
	}
	if len(ids) == 0 {
		return nil, nil, apperr.NotFound()
	}
	var c cohort.Cohort
	if err := db.ForUpdate(tx).Where("id = ?", ids[0]).Take(&c).Error; err != nil {
		return nil, nil, err
	}
	var e Enrollment
	if err := db.ForUpdate(tx).Where("id = ?", id).Take(&e).Error; err != nil {
		return nil, nil, err
	}
	if !CanSee(actor, &e, c.HostAgencyID) {
		return nil, nil, apperr.NotFound()
	}
	return &e, &c, nil
}
