package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/enrollment"
	"muster/internal/paging"
)

// requestFlash and approveFlash say what a request or an approval gave.
var (
	requestFlash = map[string]string{enrollment.StatusEnrolled: "enrollment.flash.enrolled",
		enrollment.StatusWaitlisted: "enrollment.flash.waitlisted", enrollment.StatusPending: "enrollment.flash.pending"}
	approveFlash = map[string]string{enrollment.StatusEnrolled: "enrollment.flash.approved_enrolled",
		enrollment.StatusWaitlisted: "enrollment.flash.approved_waitlisted"}
)

// enrollPageData feeds /cohorts/{id}/enroll: what enrolling would do, or
// why the trainee cannot, and what to do about it.
type enrollPageData struct {
	O           *enrollment.Outlook
	Refusal     string // translated reason
	RefusalCode string // selects the advice "enrollment.hint.<code>"
	CanNominate bool
}

func (s *Server) enrollPage(c *gin.Context) { s.renderEnroll(c, http.StatusOK) }

func (s *Server) renderEnroll(c *gin.Context, status int) {
	o, err := s.Enroll.Outlook(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	d := enrollPageData{O: o, CanNominate: enrollment.CanDecide(actor(c), actor(c).AgencyID)}
	if o.Refusal != nil && o.Current == nil {
		d.Refusal = localizer(c).TMap(o.Refusal.MessageKey(), o.Refusal.Args, nil)
		d.RefusalCode = o.Refusal.Code
	}
	v := s.view(c, "enrollment.enroll.title")
	v.Title = o.Cohort.Code + " · " + o.CourseTitle
	v.Data = d
	s.html(c, status, "enrollment_enroll", v)
}

// enrollSubmit asks for a seat; a refusal shows the page again with why.
func (s *Server) enrollSubmit(c *gin.Context) {
	row, err := s.Enroll.Enroll(c.Request.Context(), actor(c), c.Param("id"), enrollment.Request{})
	if err != nil {
		if e, ok := apperr.As(err); ok && (statusFor(e.Code) == http.StatusConflict || statusFor(e.Code) == http.StatusUnprocessableEntity) {
			s.renderEnroll(c, statusFor(e.Code))
			return
		}
		s.fail(c, err)
		return
	}
	s.flash(c, "success", requestFlash[row.Status])
	c.Redirect(http.StatusSeeOther, "/cohorts/"+row.CohortID+"/enroll")
}

func (s *Server) trainingPage(c *gin.Context) {
	var p paging.Params
	_ = c.ShouldBindQuery(&p)
	t, err := s.Enroll.Training(c.Request.Context(), actor(c), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "enrollment.training.title")
	v.Data = t
	s.html(c, http.StatusOK, "enrollment_training", v)
}

// enrollDetailData feeds an enrollment's page: its history and what the
// viewer may do with it.
type enrollDetailData struct {
	D           *enrollment.Detail
	CanWithdraw bool
	CanDecide   bool
}

func (s *Server) enrollmentPage(c *gin.Context) { s.renderEnrollment(c, http.StatusOK, "", nil) }

func (s *Server) renderEnrollment(c *gin.Context, status int, reason string, errs map[string]string) {
	d, err := s.Enroll.Get(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "enrollment.detail.title")
	v.Data = enrollDetailData{D: d, CanWithdraw: enrollment.CanWithdraw(actor(c), &d.Enrollment) && d.Live(),
		CanDecide: enrollment.CanDecide(actor(c), d.AgencyID) && d.Live()}
	v.Form, v.Errors = gin.H{"reason": reason}, errs
	s.html(c, status, "enrollment_detail", v)
}

// withdrawSubmit withdraws and goes back to the page the form was on.
// withdrawSubmit withdraws once the person has confirmed; the first press
// of a Withdraw button shows what is given up and asks again.
func (s *Server) withdrawSubmit(c *gin.Context) {
	var in enrollment.Decision
	if err := bindForm(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	if c.PostForm("confirm") != "yes" {
		s.withdrawConfirmPage(c, in)
		return
	}
	if _, err := s.Enroll.Withdraw(c.Request.Context(), actor(c), c.Param("id"), in); err != nil {
		s.failDecision(c, err)
		return
	}
	s.flash(c, "success", "enrollment.flash.withdrawn")
	c.Redirect(http.StatusSeeOther, backTo(c, "/me/training"))
}

// failDecision shows a refused decision on the page it came from, as a
// flash, unless it is an error page's matter (not found, forbidden).
func (s *Server) failDecision(c *gin.Context, err error) {
	e, ok := apperr.As(err)
	if !ok || statusFor(e.Code) != http.StatusConflict {
		s.fail(c, err)
		return
	}
	s.flash(c, "error", apperr.New(e.Code).MessageKey()) // flashes carry no arguments: the code's plain message
	c.Redirect(http.StatusSeeOther, backTo(c, "/me/training"))
}

// backTo is the form's "next" field when it is a path of this site, else fallback.
func backTo(c *gin.Context, fallback string) string {
	if next := c.PostForm("next"); next != "" {
		return safeNext(next)
	}
	return fallback
}

// withdrawConfirmData feeds the question asked before a withdrawal.
type withdrawConfirmData struct {
	E    *enrollment.Detail
	Next string
}

func (s *Server) withdrawConfirmPage(c *gin.Context, in enrollment.Decision) {
	d, err := s.Enroll.Get(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "enrollment.withdraw_confirm.title")
	v.Data = withdrawConfirmData{E: d, Next: backTo(c, "/me/training")}
	v.Form = in
	s.html(c, http.StatusOK, "enrollment_withdraw", v)
}
