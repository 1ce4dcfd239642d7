package web

import (
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"muster/internal/catalog"
	"muster/internal/cohort"
	"muster/internal/i18n"
	"muster/internal/identity"
)

// Pick is a name in the page's language by the fallback rule of
// i18n.Localized, with original the record's plain name.
func (v *View) Pick(names i18n.Names, original string) string { return names.In(v.Lang, original) }

// CourseTitle is the title of the course with code (or id) in the page's
// language; fallback is the title the row carries.
func (v *View) CourseTitle(code, fallback string) string {
	var t catalog.Titles
	if v.courseTitles != nil {
		t = v.courseTitles()
	}
	return t.In(code, v.Lang, fallback)
}

// courseTitles reads the catalogue's titles once per page, when the page
// first shows a course; a failed read leaves the rows' own titles.
func (s *Server) courseTitles(c *gin.Context) func() catalog.Titles {
	var (
		once sync.Once
		t    catalog.Titles
	)
	return func() catalog.Titles {
		once.Do(func() {
			if s.Courses == nil {
				return
			}
			var err error
			if t, err = s.Courses.Titles(c.Request.Context()); err != nil {
				s.Logger.Warn("course titles", "request_id", c.GetString(requestIDKey), "err", err)
			}
		})
		return t
	}
}

// RowLabel names a list's line in the page's language for a field like
// "row 3" ("Line 3:"), or "" for any other field.
func (v *View) RowLabel(field string) string {
	n, ok := strings.CutPrefix(field, "row ")
	if !ok {
		return ""
	}
	if _, err := strconv.Atoi(n); err != nil {
		return ""
	}
	return v.T("list.line", "Line", v.Digits(n))
}

// localAgency answers an agency with its name in the request's language
// (the signed-in person's, else Accept-Language); names keeps them all.
func localAgency(c *gin.Context, a identity.Agency) identity.Agency {
	a.Name = a.Names.In(localizer(c).Lang, a.Name)
	return a
}

// localVenue is localAgency for a venue.
func localVenue(c *gin.Context, v cohort.Venue) cohort.Venue {
	v.Name = v.Names.In(localizer(c).Lang, v.Name)
	return v
}

// localCourses shows listed courses' titles and summaries in the request's
// language.
func localCourses(c *gin.Context, items []catalog.CourseSummary) {
	lang := localizer(c).Lang
	for i := range items {
		items[i].Localize(lang)
	}
}
