package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/catalog"
	"muster/internal/cohort"
	"muster/internal/identity"
	"muster/internal/paging"
)

// commonZones are offered as suggestions in the time zone fields.
var commonZones = []string{"Asia/Tehran", "Asia/Dushanbe", "Asia/Kabul", "Asia/Tashkent", "Asia/Bishkek", "Asia/Almaty",
	"Asia/Ashgabat", "Asia/Baku", "Asia/Karachi", "Europe/Moscow", "Europe/Istanbul", "Europe/Berlin", "UTC"}

// cohortFormData feeds the cohort create and edit forms.
type cohortFormData struct {
	Cohort      *cohort.Detail // nil when new
	Facts       cohortFacts
	Courses     []catalog.CourseSummary
	Venues      []cohort.Venue
	Languages   []string
	Zones       []string
	Agencies    []identity.Agency
	Transitions []string
	NewStatuses []string // a new cohort starts as a draft or open
}

func (s *Server) cohortForm(c *gin.Context, status int, d *cohort.Detail, form cohort.CohortInput, errs map[string]string) {
	ctx, a := c.Request.Context(), actor(c)
	title := "cohorts.new"
	data := cohortFormData{Cohort: d, Languages: catalog.Languages, Zones: commonZones, NewStatuses: []string{cohort.StatusDraft, cohort.StatusOpen}}
	if d != nil {
		title = "cohorts.edit"
		data.Facts = factsOf(d, s.Clock.Now())
		data.Transitions = cohort.NextStatuses(d.Status)
	}
	courses, err := s.Courses.Search(ctx, a, catalog.Query{Status: catalog.StatusPublished, Params: paging.Params{PerPage: paging.MaxPerPage}})
	if err != nil {
		s.fail(c, err)
		return
	}
	venues, err := s.Cohorts.Venues(ctx, a, paging.Params{PerPage: paging.MaxPerPage})
	if err != nil {
		s.fail(c, err)
		return
	}
	data.Courses, data.Venues = courses.Items, venues.Items
	if a.IsAdmin() {
		data.Agencies, _ = s.Identity.ListAgencies(ctx, a)
	}
	v := s.view(c, title)
	if d != nil {
		v.Title = v.Title + " · " + d.Code
	}
	v.Data, v.Form, v.Errors = data, form, errs
	s.html(c, status, "cohort_form", v)
}

func (s *Server) cohortNewPage(c *gin.Context) {
	today := s.Clock.Now()
	start := today.AddDate(0, 1, 0)
	s.cohortForm(c, http.StatusOK, nil, cohort.CohortInput{Capacity: 20, Language: localizer(c).Lang,
		StartsOn: start.Format(cohort.DateLayout), EndsOn: start.AddDate(0, 0, 4).Format(cohort.DateLayout),
		EnrollmentOpensAt: today.Format("2006-01-02") + "T09:00", EnrollmentClosesAt: start.AddDate(0, 0, -7).Format("2006-01-02") + "T17:00",
		Status: cohort.StatusDraft}, nil)
}

func (s *Server) cohortCreateSubmit(c *gin.Context) {
	var in cohort.CohortInput
	err := bindForm(c, &in)
	var created *cohort.Cohort
	if err == nil {
		created, err = s.Cohorts.Create(c.Request.Context(), actor(c), in)
	}
	if errs, ok := formErrors(c, err); ok {
		s.cohortForm(c, http.StatusUnprocessableEntity, nil, in, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "cohorts.saved")
	c.Redirect(http.StatusSeeOther, "/manage/cohorts/"+created.ID+"/quotas")
}

// managedDetail reads a cohort for its management pages: forbidden to
// those who may see but not manage it.
func (s *Server) managedDetail(c *gin.Context) (*cohort.Detail, bool) {
	d, err := s.Cohorts.Get(c.Request.Context(), actor(c), c.Param("id"))
	if err == nil && !cohort.CanManage(actor(c), d.HostAgency.ID) {
		err = errForbidden()
	}
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return d, true
}

func (s *Server) cohortEditPage(c *gin.Context) {
	d, ok := s.managedDetail(c)
	if !ok {
		return
	}
	loc := d.Location()
	in := cohort.CohortInput{Code: d.Code, Course: d.Course.Code, Language: d.Language, StartsOn: d.StartsOn.String(),
		EndsOn: d.EndsOn.String(), TimeZone: d.TimeZone, Capacity: d.Capacity, RequiresApproval: d.RequiresApproval,
		EnrollmentOpensAt: localInput(d.EnrollmentOpensAt, loc), EnrollmentClosesAt: localInput(d.EnrollmentClosesAt, loc), Status: d.Status}
	if d.Venue != nil {
		in.VenueID = d.Venue.ID
	}
	s.cohortForm(c, http.StatusOK, d, in, nil)
}

func (s *Server) cohortUpdateSubmit(c *gin.Context) {
	d, ok := s.managedDetail(c)
	if !ok {
		return
	}
	var in cohort.CohortInput
	err := bindForm(c, &in)
	if err == nil {
		_, err = s.Cohorts.Update(c.Request.Context(), actor(c), d.ID, in.Patch())
	}
	if errs, ok := formErrors(c, err); ok {
		in.Status = d.Status
		s.cohortForm(c, http.StatusUnprocessableEntity, d, in, errs)
		return
	}
	if err != nil {
		s.failOnPage(c, d, err)
		return
	}
	s.flash(c, "success", "cohorts.saved")
	c.Redirect(http.StatusSeeOther, "/cohorts/"+d.ID)
}

func (s *Server) cohortStatusSubmit(c *gin.Context) {
	to := c.PostForm("status")
	_, err := s.Cohorts.Update(c.Request.Context(), actor(c), c.Param("id"), cohort.CohortPatch{Status: &to})
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "cohorts.status_changed")
	c.Redirect(http.StatusSeeOther, "/cohorts/"+c.Param("id"))
}

// failOnPage shows a rule's refusal (a clash, a seat count) above the
// cohort's edit form rather than on a bare error page.
func (s *Server) failOnPage(c *gin.Context, d *cohort.Detail, err error) {
	msg, status, ok := s.ruleMessage(c, err)
	if !ok {
		s.fail(c, err)
		return
	}
	in := cohort.CohortInput{}
	_ = bindForm(c, &in)
	in.Status = d.Status
	s.cohortForm(c, status, d, in, map[string]string{"form": msg})
}

// pageErrors turns a refused change into what its form shows: the field
// errors (422), or a rule's refusal above the form with the rule's status.
// It reports false for refusals no form shows (access, missing records,
// internal errors), which the caller answers with s.fail.
func (s *Server) pageErrors(c *gin.Context, err error) (map[string]string, int, bool) {
	if errs, ok := formErrors(c, err); ok {
		return errs, http.StatusUnprocessableEntity, true
	}
	msg, status, ok := s.ruleMessage(c, err)
	if !ok {
		return nil, 0, false
	}
	return map[string]string{"form": msg}, status, true
}

// ruleMessage translates a business rule's refusal to show on the page
// where it happened; access, missing records and internal errors are not.
func (s *Server) ruleMessage(c *gin.Context, err error) (string, int, bool) {
	e := s.toAppErr(c, err)
	switch e.Code {
	case apperr.CodeNotFound, apperr.CodeForbidden, apperr.CodeUnauthorized, apperr.CodeInternal, apperr.CodeTooLarge, apperr.CodeMalformed, codeCSRF:
		return "", 0, false
	}
	return s.problemFor(c, e).Detail, statusFor(e.Code), true
}
