package web

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/gin-gonic/gin"

	"muster/internal/certify"
)

// certAttendanceData feeds the roll-call page.
type certAttendanceData struct {
	Sheet    *certify.AttendanceSheet
	Statuses []string
	Marks    map[string]string // the submitted marks, kept on errors
}

// Mark is the status a row shows: the submitted one, else the recorded one,
// else present, so a full room is recorded with one press.
func (d certAttendanceData) Mark(r certify.AttendanceRow) string {
	if m, ok := d.Marks[r.EnrollmentID]; ok {
		return m
	}
	if r.Status != "" {
		return r.Status
	}
	return certify.AttendancePresent
}

func (s *Server) attendancePage(c *gin.Context) {
	sheet, err := s.Certify.Attendance(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderAttendance(c, http.StatusOK, sheet, nil, nil)
}

func (s *Server) renderAttendance(c *gin.Context, status int, sheet *certify.AttendanceSheet, marks, errs map[string]string) {
	v := s.view(c, "certify.attendance.title")
	v.Data = certAttendanceData{Sheet: sheet, Statuses: certify.AttendanceStatuses, Marks: marks}
	v.Errors = errs
	s.html(c, status, "certify_attendance", v)
}

// attendanceSubmit saves the whole roll: one radio group "status[<enrollment id>]" per trainee.
func (s *Server) attendanceSubmit(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		s.fail(c, err)
		return
	}
	marks := c.PostFormMap("status")
	ids := make([]string, 0, len(marks))
	for id := range marks {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	in := certify.AttendanceInput{Records: make([]certify.AttendanceRecord, len(ids))}
	for i, id := range ids {
		in.Records[i] = certify.AttendanceRecord{EnrollmentID: id, Status: marks[id]}
	}
	ctx, id := c.Request.Context(), c.Param("id")
	_, err := s.Certify.RecordAttendance(ctx, actor(c), id, in)
	if errs, ok := formErrors(c, err); ok {
		sheet, serr := s.Certify.Attendance(ctx, actor(c), id)
		if serr != nil {
			s.fail(c, serr)
			return
		}
		s.renderAttendance(c, http.StatusUnprocessableEntity, sheet, marks, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "certify.attendance.saved")
	c.Redirect(http.StatusSeeOther, c.Request.URL.Path)
}

// certResultsData feeds the results page.
type certResultsData struct {
	Sheet  *certify.ResultsSheet
	Scores map[string]string // the submitted scores, kept on errors
}

// Typed is the text a row's score field shows.
func (d certResultsData) Typed(r certify.ResultRow) string {
	if t, ok := d.Scores[r.EnrollmentID]; ok {
		return t
	}
	if r.Score != nil {
		return strconv.Itoa(*r.Score)
	}
	return ""
}

func (s *Server) resultsPage(c *gin.Context) {
	sheet, err := s.Certify.Results(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderResults(c, http.StatusOK, sheet, nil, nil)
}

func (s *Server) renderResults(c *gin.Context, status int, sheet *certify.ResultsSheet, scores, errs map[string]string) {
	v := s.view(c, "certify.results.title")
	v.Data = certResultsData{Sheet: sheet, Scores: scores}
	v.Errors = errs
	s.html(c, status, "certify_results", v)
}

// resultsSubmit saves the scores typed in the form's "score[<enrollment id>]" fields.
func (s *Server) resultsSubmit(c *gin.Context) {
	if err := c.Request.ParseForm(); err != nil {
		s.fail(c, err)
		return
	}
	scores := c.PostFormMap("score")
	ctx, id := c.Request.Context(), c.Param("id")
	_, err := s.Certify.RecordResults(ctx, actor(c), id, scores)
	if errs, ok := formErrors(c, err); ok {
		sheet, serr := s.Certify.Results(ctx, actor(c), id)
		if serr != nil {
			s.fail(c, serr)
			return
		}
		s.renderResults(c, http.StatusUnprocessableEntity, sheet, scores, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "certify.results.saved")
	c.Redirect(http.StatusSeeOther, c.Request.URL.Path)
}
