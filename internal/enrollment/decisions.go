package enrollment

import (
	"context"
	"fmt"
	"strings"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/plaintext"
)

// MaxDecisions bounds one bulk call; each decision is its own transaction.
const MaxDecisions = 500

// Decisions is the body of POST /api/v1/cohorts/{id}/decisions: requests
// of one cohort to approve, and to reject with a reason each.
type Decisions struct {
	Approve []string        `json:"approve"`
	Reject  []RejectionLine `json:"reject"`
}

// RejectionLine is one request to reject and why.
type RejectionLine struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// DecisionResult is what became of one request of a bulk call: its status
// afterwards and, when it was refused, the rule code and its message key.
type DecisionResult struct {
	ID      string         `json:"id"`
	Action  string         `json:"action"` // approve or reject
	Status  string         `json:"status,omitempty"`
	Code    string         `json:"code,omitempty"`
	Message string         `json:"message,omitempty"` // a message key, translated by the web layer
	Args    map[string]any `json:"-"`
}

// Decide approves and rejects requests of cohortID, each in its own
// transaction with every rule and audit event of a single decision, so one
// refusal does not stop the others. A malformed call (nothing to decide, a
// request named twice, a rejection without a reason) is refused whole,
// before anything is decided.
func (s *Service) Decide(ctx context.Context, actor access.Actor, cohortID string, in Decisions) ([]DecisionResult, error) {
	if !actor.HasAny(access.Admin, access.Coordinator) {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	if err := checkDecisions(&in); err != nil {
		return nil, err
	}
	if _, err := loadCohort(s.db(ctx), actor, cohortID, false); err != nil {
		return nil, err
	}
	out := make([]DecisionResult, 0, len(in.Approve)+len(in.Reject))
	for _, id := range in.Approve {
		row, err := s.approve(ctx, actor, cohortID, id)
		r, err := decisionResult(ActionApprove, id, row, err)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	for _, l := range in.Reject {
		row, err := s.reject(ctx, actor, cohortID, l.ID, Decision{Reason: l.Reason})
		r, err := decisionResult(ActionReject, l.ID, row, err)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// decisionResult turns one decision's outcome into its line; a refusal is
// the line's code, any other failure ends the call.
func decisionResult(action, id string, row *Row, err error) (DecisionResult, error) {
	r := DecisionResult{ID: id, Action: strings.TrimPrefix(action, "enrollment.")}
	if err == nil {
		r.Status = row.Status
		return r, nil
	}
	ae, ok := apperr.As(err)
	if !ok || ae.Code == apperr.CodeInternal {
		return r, err
	}
	r.Code, r.Message, r.Args = ae.Code, ae.MessageKey(), ae.Args
	if st, ok := ae.Details["status"].(string); ok {
		r.Status = st
	}
	return r, nil
}

// checkDecisions refuses a call that names nothing, too much, a request
// twice or a rejection without a reason, naming each field.
func checkDecisions(in *Decisions) error {
	var fields []apperr.FieldError
	n := len(in.Approve) + len(in.Reject)
	switch {
	case n == 0:
		fields = append(fields, apperr.Field("approve", KeyNothingToDecide))
	case n > MaxDecisions:
		fields = append(fields, apperr.Field("approve", KeyTooManyDecisions, "Max", MaxDecisions))
	}
	seen := map[string]bool{}
	named := func(field, id string) {
		id = strings.ToLower(strings.TrimSpace(id))
		if id == "" {
			fields = append(fields, apperr.Field(field, "validation.required"))
		} else if seen[id] {
			fields = append(fields, apperr.Field(field, "validation.unique"))
		}
		seen[id] = true
	}
	for i, id := range in.Approve {
		named(fmt.Sprintf("approve[%d]", i), id)
	}
	for i := range in.Reject {
		l := &in.Reject[i]
		named(fmt.Sprintf("reject[%d].id", i), l.ID)
		l.Reason = plaintext.Block(l.Reason)
		switch {
		case strings.TrimSpace(l.Reason) == "":
			fields = append(fields, apperr.Field(fmt.Sprintf("reject[%d].reason", i), "validation.required"))
		case len([]rune(l.Reason)) > 1000:
			fields = append(fields, apperr.Field(fmt.Sprintf("reject[%d].reason", i), "validation.max_length", "Max", 1000))
		}
	}
	if len(fields) > 0 {
		return apperr.Invalid(fields...)
	}
	return nil
}
