package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"muster/internal/catalog"
	"muster/internal/cohort"
	"muster/internal/identity"
	"muster/internal/paging"
	"muster/internal/roster"
)

// countryZones gives the unavailability form a sensible default zone.
var countryZones = map[string]string{"IR": "Asia/Tehran", "TJ": "Asia/Dushanbe", "AF": "Asia/Kabul", "UZ": "Asia/Tashkent",
	"KG": "Asia/Bishkek", "KZ": "Asia/Almaty", "TM": "Asia/Ashgabat", "AZ": "Asia/Baku", "PK": "Asia/Karachi", "RU": "Europe/Moscow", "TR": "Europe/Istanbul"}

func zoneForCountry(country string) string {
	if z, ok := countryZones[country]; ok {
		return z
	}
	return "UTC"
}

type rosterData struct {
	Page        paging.Page[roster.Summary]
	Query       roster.Query
	QueryString string
	Courses     []catalog.CourseSummary
	Languages   []string
	Agencies    []identity.Agency
}

func (s *Server) rosterPage(c *gin.Context) {
	ctx, a := c.Request.Context(), actor(c)
	var q roster.Query
	_ = c.ShouldBindQuery(&q)
	page, err := s.Roster.Search(ctx, a, q)
	v := s.view(c, "roster.title")
	status := http.StatusOK
	if errs, ok := formErrors(c, err); ok {
		v.Errors, status = errs, http.StatusUnprocessableEntity
	} else if err != nil {
		s.fail(c, err)
		return
	}
	courses, _ := s.Courses.Search(ctx, a, catalog.Query{Params: paging.Params{PerPage: paging.MaxPerPage}})
	agencies, _ := s.Identity.ListAgencies(ctx, a)
	qs := url.Values{}
	for k, val := range map[string]string{"course": q.Course, "language": q.Language, "free_from": q.FreeFrom, "free_to": q.FreeTo, "agency": q.Agency} {
		if val != "" {
			qs.Set(k, val)
		}
	}
	v.Data = rosterData{Page: page, Query: q, QueryString: qs.Encode(), Courses: courses.Items, Languages: catalog.Languages, Agencies: agencies}
	s.html(c, status, "roster_list", v)
}

// qualificationRow is one line of the qualifications form.
type qualificationRow struct{ Course, ExpiresOn string }

// periodView is a period of unavailability shown in a zone.
type periodView struct{ ID, From, To, Reason string }

type instructorData struct {
	Instructor *roster.Instructor
	Languages  []string
	Courses    []catalog.CourseSummary
	Rows       []qualificationRow
	Periods    []periodView
	Zone       string
	Zones      []string
	Action     string // where the unavailability forms post
	CanEdit    bool
}

// instructorView builds the profile page's data in zone.
func (s *Server) instructorView(c *gin.Context, in *roster.Instructor, action string) instructorData {
	zone := zoneForCountry(in.Country)
	loc := cohort.ZoneOf(zone)
	d := instructorData{Instructor: in, Languages: catalog.Languages, Zone: zone, Zones: commonZones, Action: action}
	for _, q := range in.Qualifications {
		row := qualificationRow{Course: q.Course}
		if q.ExpiresOn != nil {
			row.ExpiresOn = *q.ExpiresOn
		}
		d.Rows = append(d.Rows, row)
	}
	d.Rows = append(d.Rows, qualificationRow{}, qualificationRow{})
	for _, u := range in.Unavailability {
		d.Periods = append(d.Periods, periodView{ID: u.ID, From: cohort.FormatLocal(u.StartsAt, loc), To: cohort.FormatLocal(u.EndsAt, loc), Reason: u.Reason})
	}
	return d
}

func (s *Server) instructorPage(c *gin.Context) {
	s.renderInstructor(c, http.StatusOK, nil, nil)
}

func (s *Server) renderInstructor(c *gin.Context, status int, form any, errs map[string]string) {
	ctx, a := c.Request.Context(), actor(c)
	in, err := s.Roster.Get(ctx, a, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	data := s.instructorView(c, in, "/manage/instructors/"+in.UserID)
	data.CanEdit = a.IsAdmin() || a.AgencyID == in.AgencyID
	courses, err := s.Courses.Search(ctx, a, catalog.Query{Params: paging.Params{PerPage: paging.MaxPerPage}})
	if err != nil {
		s.fail(c, err)
		return
	}
	data.Courses = courses.Items
	v := s.view(c, "roster.profile")
	v.Title = in.FullName
	if form == nil {
		form = roster.UnavailabilityInput{}
	}
	v.Data, v.Form, v.Errors = data, form, errs
	s.html(c, status, "roster_profile", v)
}

func (s *Server) instructorProfileSubmit(c *gin.Context) {
	bio, langs := c.PostForm("bio"), c.PostFormArray("languages")
	_, err := s.Roster.UpdateProfile(c.Request.Context(), actor(c), c.Param("id"), roster.ProfileInput{Bio: &bio, Languages: &langs})
	s.afterInstructorChange(c, err, "roster.saved")
}

// qualificationsSubmit reads parallel course and expires_on fields; rows
// without a course are left out.
func (s *Server) qualificationsSubmit(c *gin.Context) {
	courses, expiries := c.PostFormArray("course"), c.PostFormArray("expires_on")
	in := roster.QualificationsInput{Qualifications: []roster.QualificationInput{}}
	for i, code := range courses {
		if strings.TrimSpace(code) == "" {
			continue
		}
		q := roster.QualificationInput{Course: code}
		if i < len(expiries) {
			q.ExpiresOn = expiries[i]
		}
		in.Qualifications = append(in.Qualifications, q)
	}
	_, err := s.Roster.SetQualifications(c.Request.Context(), actor(c), c.Param("id"), in)
	s.afterInstructorChange(c, err, "roster.saved")
}

func (s *Server) unavailabilitySubmit(c *gin.Context) {
	var in roster.UnavailabilityInput
	err := bindForm(c, &in)
	if err == nil {
		_, err = s.Roster.AddUnavailability(c.Request.Context(), actor(c), c.Param("id"), in)
	}
	if errs, ok := formErrors(c, err); ok {
		s.renderInstructor(c, http.StatusUnprocessableEntity, in, errs)
		return
	}
	s.afterInstructorChange(c, err, "roster.unavailability_saved")
}

func (s *Server) unavailabilityDeleteSubmit(c *gin.Context) {
	err := s.Roster.RemoveUnavailability(c.Request.Context(), actor(c), c.Param("id"), c.Param("period_id"))
	s.afterInstructorChange(c, err, "roster.unavailability_removed")
}

// afterInstructorChange returns to the profile, or shows what went wrong on it.
func (s *Server) afterInstructorChange(c *gin.Context, err error, flash string) {
	if err != nil {
		if errs, ok := formErrors(c, err); ok {
			for _, msg := range errs {
				s.renderInstructor(c, http.StatusUnprocessableEntity, nil, map[string]string{"form": msg})
				return
			}
		}
		s.fail(c, err)
		return
	}
	s.flash(c, "success", flash)
	c.Redirect(http.StatusSeeOther, "/manage/instructors/"+c.Param("id"))
}
