package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"muster/internal/enrollment"
	"muster/internal/paging"
)

// apiDecisions: POST /cohorts/{id}/decisions {"approve": [ids], "reject":
// [{id, reason}]} -> 200 {"results": [{id, action, status, code, message}]},
// each decided on its own.
func (s *Server) apiDecisions(c *gin.Context) {
	var in enrollment.Decisions
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	results, err := s.Enroll.Decide(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"results": s.translateDecisions(c, results)})
}

// translateDecisions fills each refusal's message in the caller's language.
func (s *Server) translateDecisions(c *gin.Context, results []enrollment.DecisionResult) []enrollment.DecisionResult {
	loc := localizer(c)
	for i, r := range results {
		if r.Message != "" {
			results[i].Message = loc.TMap(r.Message, r.Args, nil)
		}
	}
	return results
}

// decisionsData feeds a cohort's bulk decision page: the requests the
// viewer may decide and, after a submission, what became of each.
type decisionsData struct {
	CohortID, CohortCode string
	Requests             paging.Page[enrollment.Row]
	Results              []enrollment.DecisionResult
	Names                map[string]string // enrollment id -> trainee, for the results and the confirmation
	ConfirmReject        bool              // a rejection waits for the coordinator to confirm it
}

// decisionsForm is the bulk form: the ticked requests, the button pressed
// and the reason given to a rejection.
type decisionsForm struct {
	IDs      []string `form:"id"`
	Decision string   `form:"decision"`
	Reason   string   `form:"reason"`
	Confirm  string   `form:"confirm"` // "yes" once the coordinator has seen whom they reject
}

func (s *Server) decisionsPage(c *gin.Context) {
	s.renderDecisions(c, http.StatusOK, decisionsForm{}, nil, nil)
}

func (s *Server) renderDecisions(c *gin.Context, status int, form decisionsForm, results []enrollment.DecisionResult, errs map[string]string) {
	s.renderDecisionsPage(c, status, form, results, errs, false)
}

// renderDecisionsConfirm asks before a bulk rejection; nothing changes yet.
func (s *Server) renderDecisionsConfirm(c *gin.Context, form decisionsForm) {
	s.renderDecisionsPage(c, http.StatusOK, form, nil, nil, true)
}

func (s *Server) renderDecisionsPage(c *gin.Context, status int, form decisionsForm, results []enrollment.DecisionResult, errs map[string]string, confirm bool) {
	a := actor(c)
	f := enrollment.Filter{Status: enrollment.StatusPending, Params: paging.Params{PerPage: paging.MaxPerPage}}
	if !a.IsAdmin() {
		f.AgencyID = a.AgencyID // a coordinator decides for their own agency's people
	}
	page, err := s.Enroll.ListForCohort(c.Request.Context(), a, c.Param("id"), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.Cohorts.Get(c.Request.Context(), a, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	data := decisionsData{CohortID: d.ID, CohortCode: d.Code, Requests: page, Results: s.translateDecisions(c, results), Names: map[string]string{},
		ConfirmReject: confirm}
	for _, id := range form.IDs {
		if row, err := s.Enroll.Get(c.Request.Context(), a, id); err == nil {
			data.Names[id] = row.FullName
		}
	}
	v := s.view(c, "enrollment.decisions.title")
	v.Title = d.Code + " · " + v.Title
	v.Data, v.Form, v.Errors = data, form, errs
	s.html(c, status, "enrollment_decisions", v)
}

// decisionsSubmit approves or rejects the ticked requests, each on its own,
// and shows what became of each beside the requests still waiting.
func (s *Server) decisionsSubmit(c *gin.Context) {
	var form decisionsForm
	_ = c.ShouldBind(&form)
	if form.Decision == "reject" && form.Confirm != "yes" && len(form.IDs) > 0 && len(form.IDs) <= enrollment.MaxDecisions && strings.TrimSpace(form.Reason) != "" {
		// Rejecting gives up each person's place in the queue: ask first, as a
		// single rejection does, naming everyone it would touch.
		s.renderDecisionsConfirm(c, form)
		return
	}
	in := enrollment.Decisions{}
	if form.Decision == "reject" {
		for _, id := range form.IDs {
			in.Reject = append(in.Reject, enrollment.RejectionLine{ID: id, Reason: form.Reason})
		}
	} else {
		in.Approve = form.IDs
	}
	results, err := s.Enroll.Decide(c.Request.Context(), actor(c), c.Param("id"), in)
	if errs, ok := formErrors(c, err); ok {
		s.renderDecisions(c, http.StatusUnprocessableEntity, form, nil, bulkFieldErrors(errs))
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	form.Reason = ""
	s.renderDecisions(c, http.StatusOK, form, results, nil)
}

// bulkFieldErrors folds the per-line fields of a bulk call onto the form's
// two fields: the ticked requests and the reason.
func bulkFieldErrors(errs map[string]string) map[string]string {
	out := map[string]string{}
	for field, msg := range errs {
		key := "id"
		if strings.HasSuffix(field, ".reason") {
			key = "reason"
		}
		if _, dup := out[key]; !dup {
			out[key] = msg
		}
	}
	return out
}
