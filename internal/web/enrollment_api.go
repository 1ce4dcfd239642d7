package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/enrollment"
	"muster/internal/paging"
)

// apiEnroll: POST /cohorts/{id}/enrollments, {} (or no body) for oneself,
// {user_id} to nominate. 201 with the enrollment and its waitlist position.
func (s *Server) apiEnroll(c *gin.Context) {
	var in enrollment.Request
	if c.Request.ContentLength != 0 {
		if err := bindJSON(c, &in); err != nil {
			s.fail(c, err)
			return
		}
	}
	row, err := s.Enroll.Enroll(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, row)
}

func (s *Server) apiCohortEnrollments(c *gin.Context) {
	var f enrollment.Filter
	if err := bindQuery(c, &f); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.Enroll.ListForCohort(c.Request.Context(), actor(c), c.Param("id"), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// apiNominate takes a list of service numbers or emails (text/csv body or a
// multipart "file"). With ?dry_run=1 it previews row by row; otherwise it
// nominates the rows that can be (201, the others reported with their
// reasons), or, when none can, answers 422 naming the rows.
func (s *Server) apiNominate(c *gin.Context) {
	body, err := importBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	defer body.Close()
	dry := c.Query("dry_run") == "1" || c.Query("dry_run") == "true"
	plan, err := s.Enroll.Nominate(c.Request.Context(), actor(c), c.Param("id"), body, !dry)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusOK
	if plan.Committed {
		status = http.StatusCreated
	}
	c.JSON(status, s.translatePlan(c, plan))
}

// translatePlan fills each failed row's message in the caller's language.
func (s *Server) translatePlan(c *gin.Context, plan *enrollment.NominationPlan) *enrollment.NominationPlan {
	loc := localizer(c)
	for i, r := range plan.Rows {
		if r.Outcome == "error" {
			plan.Rows[i].Message = loc.TMap(r.Message, r.Args, nil)
		}
	}
	return plan
}

func (s *Server) apiMyEnrollments(c *gin.Context) {
	var p paging.Params
	if err := bindQuery(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.Enroll.ListMine(c.Request.Context(), actor(c), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

// apiApprovals is the caller's approval queue; admins may name ?agency=.
func (s *Server) apiApprovals(c *gin.Context) {
	var p paging.Params
	if err := bindQuery(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.Enroll.Approvals(c.Request.Context(), actor(c), c.Query("agency"), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (s *Server) apiEnrollmentGet(c *gin.Context) {
	d, err := s.Enroll.Get(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (s *Server) apiApprove(c *gin.Context) {
	s.answerDecision(c)(s.Enroll.Approve(c.Request.Context(), actor(c), c.Param("id")))
}

func (s *Server) apiReject(c *gin.Context) {
	var in enrollment.Decision
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	s.answerDecision(c)(s.Enroll.Reject(c.Request.Context(), actor(c), c.Param("id"), in))
}

// apiWithdraw takes an optional body {reason}.
func (s *Server) apiWithdraw(c *gin.Context) {
	var in enrollment.Decision
	if c.Request.ContentLength != 0 {
		if err := bindJSON(c, &in); err != nil {
			s.fail(c, err)
			return
		}
	}
	s.answerDecision(c)(s.Enroll.Withdraw(c.Request.Context(), actor(c), c.Param("id"), in))
}

func (s *Server) apiNoShow(c *gin.Context) {
	s.answerDecision(c)(s.Enroll.NoShow(c.Request.Context(), actor(c), c.Param("id")))
}

// answerDecision answers a decision with the enrollment as it now stands.
func (s *Server) answerDecision(c *gin.Context) func(*enrollment.Row, error) {
	return func(row *enrollment.Row, err error) {
		if err != nil {
			s.fail(c, err)
			return
		}
		c.JSON(http.StatusOK, row)
	}
}
