package web

import (
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"muster/internal/cohort"
	"muster/internal/paging"
	"muster/internal/roster"
)

// instructorOption is an instructor offered on the assignment form.
type instructorOption struct {
	ID, Name, Agency string
	Qualified        bool // for the cohort's course, today
}

// scheduleData feeds the coordinator's schedule page.
type scheduleData struct {
	Cohort      *cohort.Detail
	Facts       cohortFacts
	Days        []scheduleDay
	Instructors []instructorOption
	Roles       []string
	Failed      string           // the session whose assignment was refused
	Sources     []cohort.Summary // the other cohorts whose schedule may be copied here
	Copy        scheduleCopyState
}

func (s *Server) schedulePage(c *gin.Context) {
	d, ok := s.managedDetail(c)
	if !ok {
		return
	}
	s.renderSchedule(c, http.StatusOK, d, sessionForm{}, nil, "")
}

func (s *Server) renderSchedule(c *gin.Context, status int, d *cohort.Detail, form sessionForm, errs map[string]string, failed string) {
	s.renderScheduleCopy(c, status, d, form, errs, failed, scheduleCopyState{})
}

func (s *Server) renderScheduleCopy(c *gin.Context, status int, d *cohort.Detail, form sessionForm, errs map[string]string, failed string, cp scheduleCopyState) {
	days, err := s.scheduleOf(c, d)
	if err != nil {
		s.fail(c, err)
		return
	}
	options, err := s.instructorOptions(c, d.Course.Code)
	if err != nil {
		s.fail(c, err)
		return
	}
	sources, err := s.copySources(c, d.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "schedule.title")
	v.Title = v.Title + " · " + d.Code
	v.Data = scheduleData{Cohort: d, Facts: factsOf(d, s.Clock.Now()), Days: days, Instructors: options,
		Roles: []string{roster.RoleLead, roster.RoleAssistant}, Failed: failed, Sources: sources, Copy: cp}
	v.Form, v.Errors = form, errs
	s.html(c, status, "cohort_schedule", v)
}

// instructorOptions lists every instructor, those qualified for course first.
func (s *Server) instructorOptions(c *gin.Context, course string) ([]instructorOption, error) {
	page, err := s.Roster.Search(c.Request.Context(), actor(c), roster.Query{Params: paging.Params{PerPage: paging.MaxPerPage}})
	if err != nil {
		return nil, err
	}
	today := s.Clock.Now().Format(cohort.DateLayout)
	out := make([]instructorOption, 0, len(page.Items))
	for _, in := range page.Items {
		o := instructorOption{ID: in.UserID, Name: in.FullName, Agency: in.Agency}
		for _, q := range in.Qualifications {
			if q.Course == course && (q.ExpiresOn == nil || *q.ExpiresOn >= today) {
				o.Qualified = true
			}
		}
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Qualified && !out[j].Qualified })
	return out, nil
}

// sessionForm is the add-session form: a session and how it repeats.
type sessionForm struct {
	cohort.SessionInput
	RepeatEvery string `form:"repeat_every"` // "", day or week
	RepeatCount int    `form:"repeat_count"`
}

// input is the session the form asks for, with its series when it repeats.
func (f sessionForm) input() cohort.SessionInput {
	in := f.SessionInput
	if f.RepeatEvery != "" {
		in.Repeat = &cohort.Repeat{Every: f.RepeatEvery, Count: f.RepeatCount}
	}
	return in
}

func (s *Server) sessionCreateSubmit(c *gin.Context) {
	d, ok := s.managedDetail(c)
	if !ok {
		return
	}
	var form sessionForm
	err := bindForm(c, &form)
	added := 0
	if err == nil {
		var list []*cohort.Session
		list, err = s.Cohorts.AddSessions(c.Request.Context(), actor(c), d.ID, form.input())
		added = len(list)
	}
	if err != nil {
		errs, status, ok := s.pageErrors(c, err)
		if !ok {
			s.fail(c, err)
			return
		}
		s.renderSchedule(c, status, d, form, errs, "")
		return
	}
	if added > 1 {
		s.flash(c, "success", "schedule.series_added")
	} else {
		s.flash(c, "success", "schedule.session_added")
	}
	c.Redirect(http.StatusSeeOther, "/manage/cohorts/"+d.ID+"/schedule")
}

// sessionCohort reads a session and its cohort's detail for the session's
// management pages.
func (s *Server) sessionCohort(c *gin.Context) (*cohort.Session, *cohort.Detail, bool) {
	ses, co, err := s.Cohorts.Session(c.Request.Context(), actor(c), c.Param("id"))
	var d *cohort.Detail
	if err == nil {
		d, err = s.Cohorts.Get(c.Request.Context(), actor(c), co.ID)
	}
	if err == nil && !cohort.CanManage(actor(c), d.HostAgency.ID) {
		err = errForbidden()
	}
	if err != nil {
		s.fail(c, err)
		return nil, nil, false
	}
	return ses, d, true
}

// sessionFormData feeds the session edit form.
type sessionFormData struct {
	Cohort  *cohort.Detail
	Facts   cohortFacts
	Session sessionView
}

func (s *Server) sessionEditPage(c *gin.Context) {
	ses, d, ok := s.sessionCohort(c)
	if !ok {
		return
	}
	sv := viewSession(*ses, d.Location(), nil)
	s.renderSessionForm(c, http.StatusOK, d, sv, cohort.SessionInput{StartsAt: sv.StartInput, EndsAt: sv.EndInput, Topic: ses.Topic, Room: ses.Room, MeetingURL: ses.MeetingURL}, nil)
}

func (s *Server) renderSessionForm(c *gin.Context, status int, d *cohort.Detail, sv sessionView, form cohort.SessionInput, errs map[string]string) {
	v := s.view(c, "schedule.edit_session")
	v.Data = sessionFormData{Cohort: d, Facts: factsOf(d, s.Clock.Now()), Session: sv}
	v.Form, v.Errors = form, errs
	s.html(c, status, "cohort_session_form", v)
}

func (s *Server) sessionUpdateSubmit(c *gin.Context) {
	ses, d, ok := s.sessionCohort(c)
	if !ok {
		return
	}
	var in cohort.SessionInput
	err := bindForm(c, &in)
	if err == nil {
		_, err = s.Cohorts.UpdateSession(c.Request.Context(), actor(c), ses.ID, cohort.SessionPatch{StartsAt: &in.StartsAt, EndsAt: &in.EndsAt, Topic: &in.Topic, Room: &in.Room,
			MeetingURL: &in.MeetingURL})
	}
	if err != nil {
		errs, status, ok := s.pageErrors(c, err)
		if !ok {
			s.fail(c, err)
			return
		}
		s.renderSessionForm(c, status, d, viewSession(*ses, d.Location(), nil), in, errs)
		return
	}
	s.flash(c, "success", "schedule.session_saved")
	c.Redirect(http.StatusSeeOther, "/manage/cohorts/"+d.ID+"/schedule")
}

func (s *Server) sessionDeleteSubmit(c *gin.Context) {
	ses, d, ok := s.sessionCohort(c)
	if !ok {
		return
	}
	if err := s.Cohorts.DeleteSession(c.Request.Context(), actor(c), ses.ID); err != nil {
		s.scheduleProblem(c, d, err, ses.ID)
		return
	}
	s.flash(c, "success", "schedule.session_deleted")
	c.Redirect(http.StatusSeeOther, "/manage/cohorts/"+d.ID+"/schedule")
}

func (s *Server) assignSubmit(c *gin.Context) {
	ses, d, ok := s.sessionCohort(c)
	if !ok {
		return
	}
	var in roster.AssignInput
	err := bindForm(c, &in)
	if err == nil {
		_, err = s.Roster.Assign(c.Request.Context(), actor(c), ses.ID, in)
	}
	if err != nil {
		s.scheduleProblem(c, d, err, ses.ID)
		return
	}
	s.flash(c, "success", "schedule.assigned")
	c.Redirect(http.StatusSeeOther, "/manage/cohorts/"+d.ID+"/schedule#session-"+ses.ID)
}

func (s *Server) unassignSubmit(c *gin.Context) {
	ses, d, ok := s.sessionCohort(c)
	if !ok {
		return
	}
	if err := s.Roster.Unassign(c.Request.Context(), actor(c), ses.ID, c.Param("instructor_id")); err != nil {
		s.scheduleProblem(c, d, err, ses.ID)
		return
	}
	s.flash(c, "success", "schedule.unassigned")
	c.Redirect(http.StatusSeeOther, "/manage/cohorts/"+d.ID+"/schedule#session-"+ses.ID)
}

// scheduleProblem shows a refusal (a clash, bad input) on the schedule
// page, next to the session it concerns.
func (s *Server) scheduleProblem(c *gin.Context, d *cohort.Detail, err error, sessionID string) {
	if errs, ok := formErrors(c, err); ok {
		for _, msg := range errs {
			s.renderSchedule(c, http.StatusUnprocessableEntity, d, sessionForm{}, map[string]string{"assign": msg}, sessionID)
			return
		}
	}
	msg, status, ok := s.ruleMessage(c, err)
	if !ok {
		s.fail(c, err)
		return
	}
	s.renderSchedule(c, status, d, sessionForm{}, map[string]string{"assign": msg}, sessionID)
}

// conflictsData feeds the conflicts report page.
type conflictsData struct {
	Cohort    *cohort.Detail
	Facts     cohortFacts
	Conflicts []conflictView
}

// conflictView is a conflict with its times shown in the cohort's zone.
type conflictView struct {
	roster.Conflict
	Session     sessionView
	Clash       *sessionView
	ClashCohort string
	From        string // unavailability
	To          string
}

func (s *Server) conflictsPage(c *gin.Context) {
	d, ok := s.managedDetail(c)
	if !ok {
		return
	}
	cs, err := s.Roster.Conflicts(c.Request.Context(), actor(c), d.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	loc := d.Location()
	views := make([]conflictView, 0, len(cs))
	for _, cf := range cs {
		cv := conflictView{Conflict: cf, Session: viewRef(cf.Session, loc)}
		if cf.Clash != nil {
			sv := viewRef(*cf.Clash, loc)
			cv.Clash, cv.ClashCohort = &sv, cf.Clash.CohortCode
		}
		if u := cf.Unavailability; u != nil {
			cv.From, cv.To = cohort.FormatLocal(u.StartsAt, loc), cohort.FormatLocal(u.EndsAt, loc)
		}
		views = append(views, cv)
	}
	v := s.view(c, "conflicts.title")
	v.Title = v.Title + " · " + d.Code
	v.Data = conflictsData{Cohort: d, Facts: factsOf(d, s.Clock.Now()), Conflicts: views}
	s.html(c, http.StatusOK, "cohort_conflicts", v)
}

// viewRef shows a session of any cohort in loc, with its day.
func viewRef(r cohort.SessionRef, loc *time.Location) sessionView {
	sv := viewSession(cohort.Session{ID: r.SessionID, Topic: r.Topic, Room: r.Room, StartsAt: r.StartsAt, EndsAt: r.EndsAt}, loc, nil)
	sv.Start = r.StartsAt.In(loc).Format("2006-01-02 15:04")
	return sv
}
