package web

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/enrollment"
	"muster/internal/paging"
)

// approvalsData feeds the approval queue; RejectID names the row whose
// reason is missing after a refused rejection.
type approvalsData struct {
	Page     paging.Page[enrollment.Row]
	RejectID string
}

func (s *Server) approvalsPage(c *gin.Context) { s.renderApprovals(c, http.StatusOK, "", nil) }

func (s *Server) renderApprovals(c *gin.Context, status int, rejectID string, errs map[string]string) {
	var p paging.Params
	_ = c.ShouldBindQuery(&p)
	page, err := s.Enroll.Approvals(c.Request.Context(), actor(c), c.Query("agency"), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "enrollment.approvals.title")
	v.Data, v.Errors = approvalsData{Page: page, RejectID: rejectID}, errs
	s.html(c, status, "enrollment_approvals", v)
}

func (s *Server) approveSubmit(c *gin.Context) {
	row, err := s.Enroll.Approve(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.failDecision(c, err)
		return
	}
	s.flash(c, "success", approveFlash[row.Status])
	c.Redirect(http.StatusSeeOther, backTo(c, "/manage/approvals"))
}

// rejectSubmit rejects with a reason; without one the form comes back, on
// the page it was sent from, with the field's message.
// rejectSubmit rejects once the coordinator has confirmed; the first press
// of a Reject button shows whose request it is and asks again.
func (s *Server) rejectSubmit(c *gin.Context) {
	var in enrollment.Decision
	err := bindForm(c, &in)
	if err == nil && c.PostForm("confirm") != "yes" {
		s.rejectConfirmPage(c, in)
		return
	}
	if err == nil {
		_, err = s.Enroll.Reject(c.Request.Context(), actor(c), c.Param("id"), in)
	}
	if errs, ok := formErrors(c, err); ok {
		if c.PostForm("from") == "detail" {
			s.renderEnrollment(c, http.StatusUnprocessableEntity, in.Reason, errs)
		} else {
			s.renderApprovals(c, http.StatusUnprocessableEntity, c.Param("id"), errs)
		}
		return
	}
	if err != nil {
		s.failDecision(c, err)
		return
	}
	s.flash(c, "success", "enrollment.flash.rejected")
	c.Redirect(http.StatusSeeOther, backTo(c, "/manage/approvals"))
}

func (s *Server) noShowSubmit(c *gin.Context) {
	if _, err := s.Enroll.NoShow(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		s.failDecision(c, err)
		return
	}
	s.flash(c, "success", "enrollment.flash.no_show")
	c.Redirect(http.StatusSeeOther, backTo(c, "/enrollments/"+c.Param("id")))
}

func (s *Server) cohortRosterPage(c *gin.Context) {
	r, err := s.Enroll.Roster(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "enrollment.roster.title")
	v.Title = r.Cohort.Code + " · " + v.Title
	v.Data = r
	s.html(c, http.StatusOK, "enrollment_roster", v)
}

// nominateData feeds the nomination page: the cohort's roster, and the
// preview or result of a list.
type nominateData struct {
	Roster *enrollment.Roster
	Plan   *enrollment.NominationPlan
	List   string // the list previewed, sent again to commit
	Done   bool   // the valid rows were committed; the plan shows the rest
	Errors []ProblemField
}

func (s *Server) nominatePage(c *gin.Context) {
	s.renderNominate(c, http.StatusOK, nominateData{})
}

func (s *Server) renderNominate(c *gin.Context, status int, d nominateData) {
	r, err := s.Enroll.Roster(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Roster = r
	if d.Plan != nil {
		s.translatePlan(c, d.Plan)
	}
	v := s.view(c, "enrollment.nominate.title")
	v.Title = r.Cohort.Code + " · " + v.Title
	v.Data = d
	v.Form = gin.H{"person": c.PostForm("person")}
	s.html(c, status, "enrollment_nominate", v)
}

// nominateSubmit nominates one person at once ("person"), or previews a
// list (typed in "list" or uploaded as "file") and, when the preview's
// "commit" is pressed with the same list, nominates everyone on it.
func (s *Server) nominateSubmit(c *gin.Context) {
	list, single := strings.TrimSpace(c.PostForm("person")), true
	if list == "" {
		single = false
		content, err := uploadedList(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		list = content
	}
	commit := single || c.PostForm("commit") != ""
	plan, err := s.Enroll.Nominate(c.Request.Context(), actor(c), c.Param("id"), strings.NewReader(list), commit)
	d := nominateData{Plan: plan, List: list}
	if err != nil {
		e := s.toAppErr(c, err)
		if e.Code != apperr.CodeInvalid {
			s.fail(c, e)
			return
		}
		d.Errors = s.problemFor(c, e).Errors
		if single {
			d.List = ""
			for i := range d.Errors {
				d.Errors[i].Field = "" // one person: no line to point at
			}
		}
		s.renderNominate(c, http.StatusUnprocessableEntity, d)
		return
	}
	if plan.Committed && plan.Failed > 0 { // the valid rows are in; the others stay on screen
		d.Done = true
		s.renderNominate(c, http.StatusOK, d)
		return
	}
	if plan.Committed {
		s.flash(c, "success", "enrollment.flash.nominated")
		c.Redirect(http.StatusSeeOther, "/manage/cohorts/"+c.Param("id")+"/roster")
		return
	}
	s.renderNominate(c, http.StatusOK, d)
}

// uploadedList reads the nomination list from the uploaded file, else the text area.
func uploadedList(c *gin.Context) (string, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return c.PostForm("list"), nil
	}
	f, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(f, 1<<20)); err != nil {
		return "", err
	}
	return buf.String(), nil
}

// rejectConfirmData feeds the question asked before a rejection.
type rejectConfirmData struct {
	E          *enrollment.Detail
	Next, From string
}

func (s *Server) rejectConfirmPage(c *gin.Context, in enrollment.Decision) {
	d, err := s.Enroll.Get(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "enrollment.reject_confirm.title")
	v.Data = rejectConfirmData{E: d, Next: backTo(c, "/manage/approvals"), From: c.PostForm("from")}
	v.Form = in
	s.html(c, http.StatusOK, "enrollment_reject", v)
}
