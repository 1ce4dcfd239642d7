package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/cohort"
	"muster/internal/paging"
)

// scheduleCopyState is the copy form as typed, with its errors.
type scheduleCopyState struct {
	Form   cohort.ScheduleCopy
	Errors map[string]string
}

// copySources lists the cohorts the viewer manages, other than id, newest
// first: the schedules they may copy.
func (s *Server) copySources(c *gin.Context, id string) ([]cohort.Summary, error) {
	a := actor(c)
	q := cohort.Query{Params: paging.Params{PerPage: paging.MaxPerPage}}
	if !a.IsAdmin() {
		q.Host = a.AgencyID
	}
	page, err := s.Cohorts.List(c.Request.Context(), a, q)
	if err != nil {
		return nil, err
	}
	out := make([]cohort.Summary, 0, len(page.Items))
	for _, sm := range page.Items {
		if sm.ID != id && cohort.CanManage(a, sm.HostAgencyID) {
			out = append(out, sm)
		}
	}
	return out, nil
}

// scheduleCopySubmit copies another cohort's schedule into this one, or
// shows the schedule page again with the copy form's errors.
func (s *Server) scheduleCopySubmit(c *gin.Context) {
	d, ok := s.managedDetail(c)
	if !ok {
		return
	}
	var form cohort.ScheduleCopy
	err := bindForm(c, &form)
	if err == nil {
		_, err = s.Cohorts.CopySchedule(c.Request.Context(), actor(c), form.From, d.ID, form.FirstDay, form.Replace)
	}
	if err != nil {
		errs, status, ok := s.pageErrors(c, err)
		if !ok {
			s.fail(c, err)
			return
		}
		s.renderScheduleCopy(c, status, d, sessionForm{}, nil, "", scheduleCopyState{Form: form, Errors: errs})
		return
	}
	s.flash(c, "success", "schedule.copied")
	c.Redirect(http.StatusSeeOther, "/manage/cohorts/"+d.ID+"/schedule")
}
