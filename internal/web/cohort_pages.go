package web

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/identity"
	"muster/internal/paging"
)

// cohortStatuses in lifecycle order, for filters and badges.
var cohortStatuses = []string{cohort.StatusDraft, cohort.StatusOpen, cohort.StatusInProgress, cohort.StatusCompleted, cohort.StatusCancelled}

// cohortListData feeds the public cohort list and the coordinator's list.
type cohortListData struct {
	Page        paging.Page[cohort.Summary]
	Query       cohort.Query
	QueryString string
	Statuses    []string
	Agencies    []identity.Agency
	Manage      bool
}

func (s *Server) cohortListPage(c *gin.Context) {
	var q cohort.Query
	_ = c.ShouldBindQuery(&q) // a malformed page number falls back to the first page
	if _, given := c.GetQuery("from"); !given {
		q.From = s.Clock.Now().Format(cohort.DateLayout) // by default, what has not yet ended
	}
	q.Host = ""
	s.renderCohortList(c, q, "cohorts.title", false)
}

func (s *Server) cohortManageListPage(c *gin.Context) {
	var q cohort.Query
	_ = c.ShouldBindQuery(&q)
	if a := actor(c); !a.IsAdmin() {
		q.Host, q.Involves = "", a.AgencyID // a coordinator's hosted and partner cohorts
	}
	s.renderCohortList(c, q, "cohorts.manage_title", true)
}

func (s *Server) renderCohortList(c *gin.Context, q cohort.Query, title string, manage bool) {
	page, err := s.Cohorts.List(c.Request.Context(), actor(c), q)
	status := http.StatusOK
	v := s.view(c, title)
	if errs, ok := formErrors(c, err); ok {
		v.Errors, status = errs, http.StatusUnprocessableEntity
	} else if err != nil {
		s.fail(c, err)
		return
	}
	qs := url.Values{}
	for k, val := range map[string]string{"course": q.Course, "status": q.Status, "from": q.From, "to": q.To, "agency": q.Agency} {
		if val != "" {
			qs.Set(k, val)
		}
	}
	var agencies []identity.Agency
	if actor(c).SignedIn() {
		agencies, _ = s.Identity.ListAgencies(c.Request.Context(), actor(c))
	}
	v.Data = cohortListData{Page: page, Query: q, QueryString: qs.Encode(), Statuses: cohortStatuses, Agencies: agencies, Manage: manage}
	s.html(c, status, "cohort_list", v)
}

// cohortPageData feeds a cohort's public page.
type cohortPageData struct {
	Cohort *cohort.Detail
	Facts  cohortFacts
	Days   []scheduleDay
}

func (s *Server) cohortPage(c *gin.Context) {
	a := actor(c)
	d, days, ok := s.cohortWithSchedule(c)
	if !ok {
		return
	}
	facts := factsOf(d, s.Clock.Now())
	facts.CanManage = cohort.CanManage(a, d.HostAgency.ID)
	// A partner agency's coordinator works with their own people's part of the cohort.
	facts.Partner = !facts.CanManage && a.Has(access.Coordinator) && d.TakesPart(a.AgencyID)
	if facts.Partner {
		facts.OwnQuota = d.QuotaOf(a.AgencyID)
	}
	facts.CanNominate = (facts.CanManage || facts.Partner) && d.Status == cohort.StatusOpen
	facts.CanEnroll = a.Has(access.Trainee) && d.Status == cohort.StatusOpen
	v := s.view(c, "cohorts.title")
	v.Title = d.Code + " · " + v.CourseTitle(d.Course.Code, d.Course.Title)
	v.Data = cohortPageData{Cohort: d, Facts: facts, Days: days}
	s.html(c, http.StatusOK, "cohort_page", v)
}

// cohortWithSchedule reads the cohort the path names, as the actor may see
// it, and its schedule; on failure it has answered the request.
func (s *Server) cohortWithSchedule(c *gin.Context) (*cohort.Detail, []scheduleDay, bool) {
	d, err := s.Cohorts.Get(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return nil, nil, false
	}
	days, err := s.scheduleOf(c, d)
	if err != nil {
		s.fail(c, err)
		return nil, nil, false
	}
	return d, days, true
}

// scheduleOf reads a cohort's schedule for pages that show it.
func (s *Server) scheduleOf(c *gin.Context, d *cohort.Detail) ([]scheduleDay, error) {
	sched, err := s.Roster.Schedule(c.Request.Context(), actor(c), d.ID)
	if err != nil {
		return nil, err
	}
	return scheduleDays(sched, d.Location()), nil
}
