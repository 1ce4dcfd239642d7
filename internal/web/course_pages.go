package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"muster/internal/catalog"
	"muster/internal/cohort"
	"muster/internal/i18n"
	"muster/internal/paging"
)

// catalogueData feeds the public catalogue page.
type catalogueData struct {
	Page        paging.Page[catalog.CourseSummary]
	Query       catalog.Query
	QueryString string // the filters, for the pager's links
	Disciplines []string
	Levels      []string
	Deliveries  []string
	Languages   []string
}

func (s *Server) courseListPage(c *gin.Context) {
	var q catalog.Query
	_ = c.ShouldBindQuery(&q) // a malformed page number falls back to the first page
	tag, answered := s.catalogueConditional(c)
	if answered {
		return
	}
	page, err := s.Courses.Search(c.Request.Context(), actor(c), q)
	if e, ok := formErrors(c, err); ok {
		v := s.view(c, "catalogue.title")
		v.Errors = e
		v.Data = catalogueData{Query: q, Disciplines: catalog.Disciplines, Levels: catalog.Levels, Deliveries: catalog.Deliveries, Languages: catalog.Languages}
		s.html(c, http.StatusUnprocessableEntity, "courses", v)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	qs := url.Values{}
	for k, val := range map[string]string{"q": q.Q, "discipline": q.Discipline, "level": q.Level, "language": q.Language, "delivery": q.Delivery, "status": q.Status} {
		if val != "" {
			qs.Set(k, val)
		}
	}
	localCourses(c, page.Items)
	v := s.view(c, "catalogue.title")
	v.Data = catalogueData{Page: page, Query: q, QueryString: qs.Encode(), Disciplines: catalog.Disciplines, Levels: catalog.Levels,
		Deliveries: catalog.Deliveries, Languages: catalog.Languages}
	tag.apply(c)
	s.html(c, http.StatusOK, "courses", v)
}

// courseData feeds a course's page.
type courseData struct {
	Course  *catalog.CourseDetail
	CanEdit bool
	Cohorts []cohort.Summary // upcoming cohorts of the course
}

func (s *Server) coursePage(c *gin.Context) {
	d, err := s.Courses.Get(c.Request.Context(), actor(c), c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	cohorts, err := s.Cohorts.Upcoming(c.Request.Context(), actor(c), d.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Localize(localizer(c).Lang)
	v := s.view(c, "catalogue.title")
	v.Title = d.Code + " · " + d.Title
	v.Data = courseData{Course: d, CanEdit: actor(c).CanManageCatalog(d.OwnerAgencyID), Cohorts: cohorts}
	s.html(c, http.StatusOK, "course", v)
}

// courseFormData feeds the create and edit forms.
type courseFormData struct {
	Code        string // the course being edited, "" when new
	Disciplines []string
	Levels      []string
	Deliveries  []string
	Languages   []string
	Statuses    []string
}

func (s *Server) courseForm(c *gin.Context, status int, code string, form catalog.CourseInput, errs map[string]string) {
	title := "course.new"
	if code != "" {
		title = "course.edit"
	}
	v := s.view(c, title)
	v.Data = courseFormData{Code: code, Disciplines: catalog.Disciplines, Levels: catalog.Levels, Deliveries: catalog.Deliveries,
		Languages: catalog.Languages, Statuses: catalog.Statuses}
	v.Form, v.Errors = form, errs
	s.html(c, status, "course_form", v)
}

func (s *Server) courseNewPage(c *gin.Context) {
	s.courseForm(c, http.StatusOK, "", catalog.CourseInput{Status: catalog.StatusDraft, Languages: []string{localizer(c).Lang}, DurationHours: 40, PassMark: 70, MinAttendancePercent: 80, ValidityMonths: 24}, nil)
}

func (s *Server) courseCreateSubmit(c *gin.Context) {
	in, err := bindCourseForm(c)
	var course *catalog.Course
	if err == nil {
		course, err = s.Courses.Create(c.Request.Context(), actor(c), in)
	}
	if errs, ok := formErrors(c, err); ok {
		s.courseForm(c, http.StatusUnprocessableEntity, "", in, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "course.saved")
	c.Redirect(http.StatusSeeOther, "/courses/"+url.PathEscape(course.Code))
}

func (s *Server) courseEditPage(c *gin.Context) {
	d, err := s.Courses.Get(c.Request.Context(), actor(c), c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if !actor(c).CanManageCatalog(d.OwnerAgencyID) {
		s.fail(c, errForbidden())
		return
	}
	prereqs := make([]string, 0, len(d.Prerequisites))
	for _, p := range d.Prerequisites {
		prereqs = append(prereqs, p.Code)
	}
	in := catalog.CourseInput{Code: d.Code, Title: d.Title, Summary: d.Summary, Description: d.Description, Discipline: d.Discipline,
		Level: d.Level, Delivery: d.Delivery, DurationHours: d.DurationHours, Languages: d.Languages, Prerequisites: prereqs,
		PassMark: d.PassMark, MinAttendancePercent: d.MinAttendancePercent, ValidityMonths: d.ValidityMonths, Status: d.Status,
		Translations: d.Translations}
	s.courseForm(c, http.StatusOK, d.Code, in, nil)
}

func (s *Server) courseUpdateSubmit(c *gin.Context) {
	code := c.Param("code")
	in, err := bindCourseForm(c)
	var course *catalog.Course
	if err == nil {
		err = keepDescriptions(c, s.Courses, code, in.Translations)
	}
	if err == nil {
		course, err = s.Courses.Update(c.Request.Context(), actor(c), code, in.Patch())
	}
	if errs, ok := formErrors(c, err); ok {
		s.courseForm(c, http.StatusUnprocessableEntity, code, in, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "course.saved")
	c.Redirect(http.StatusSeeOther, "/courses/"+url.PathEscape(course.Code))
}

// bindCourseForm reads the course form; prerequisites come as one text field
// of codes separated by spaces or commas.
func bindCourseForm(c *gin.Context) (catalog.CourseInput, error) {
	var in catalog.CourseInput
	err := bindForm(c, &in)
	in.Prerequisites = strings.Fields(strings.ReplaceAll(c.PostForm("prerequisites_text"), ",", " "))
	in.Translations = formTranslations(c)
	return in, err
}

// formTranslations reads the title_fa, summary_fa, ... fields into the
// course's texts per language; a language left empty has none. A form
// without any of these fields answers nil, which leaves the stored
// translations alone.
func formTranslations(c *gin.Context) catalog.Translations {
	var tr catalog.Translations
	for _, lang := range i18n.Languages {
		title, sentTitle := c.GetPostForm("title_" + lang)
		summary, sentSummary := c.GetPostForm("summary_" + lang)
		if !sentTitle && !sentSummary {
			continue
		}
		if tr == nil {
			tr = catalog.Translations{}
		}
		if tx := (catalog.CourseText{Title: title, Summary: summary}); strings.TrimSpace(title+summary) != "" {
			tr[lang] = tx
		}
	}
	return tr
}

// keepDescriptions carries the stored description of each language the
// form still gives a title or summary in: the form does not edit them.
func keepDescriptions(c *gin.Context, courses *catalog.Service, code string, tr catalog.Translations) error {
	if len(tr) == 0 {
		return nil
	}
	d, err := courses.Get(c.Request.Context(), actor(c), code)
	if err != nil {
		return err
	}
	for lang, tx := range tr {
		tx.Description = d.Translations[lang].Description
		tr[lang] = tx
	}
	return nil
}
