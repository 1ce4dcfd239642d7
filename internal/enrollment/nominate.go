package enrollment

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/csvfile"
	"muster/internal/db"
)

// maxNominations bounds one list, which commits in one transaction.
const maxNominations = 1000

// NominationRow is one line of a nomination list and what nominating that
// person does (or did).
type NominationRow struct {
	Line             int            `json:"line"`
	Value            string         `json:"value"` // the email or service number as written
	UserID           string         `json:"user_id,omitempty"`
	FullName         string         `json:"full_name,omitempty"`
	Outcome          string         `json:"outcome"`                 // enrolled, waitlisted or error
	EnrollmentID     string         `json:"enrollment_id,omitempty"` // once committed
	WaitlistPosition int            `json:"waitlist_position,omitempty"`
	Code             string         `json:"code,omitempty"`    // the rule code of a refusal
	Message          string         `json:"message,omitempty"` // its message key, translated by the web layer
	Args             map[string]any `json:"-"`
}

// NominationPlan is the row-by-row preview, or the result, of nominating a list.
type NominationPlan struct {
	CohortID   string          `json:"cohort_id"`
	Rows       []NominationRow `json:"rows"`
	Enrolled   int             `json:"enrolled"`
	Waitlisted int             `json:"waitlisted"`
	Failed     int             `json:"failed"`
	Committed  bool            `json:"committed"`
}

// Errors lists every failed row's message, each named "row N".
func (p *NominationPlan) Errors() []apperr.FieldError {
	var out []apperr.FieldError
	for _, r := range p.Rows {
		if r.Outcome == "error" {
			out = append(out, apperr.FieldError{Field: fmt.Sprintf("row %d", r.Line), Key: r.Message, Args: r.Args})
		}
	}
	return out
}

// Nominate nominates the people a list names (one email or service number
// per line, as CSV with an optional header) into cohortID, in the list's
// order. Without commit it only previews: every row is tried in a
// transaction that is then rolled back. With commit the rows that can be
// nominated are, in one transaction, and the others are reported with
// their reasons; a list with no such row is refused whole.
func (s *Service) Nominate(ctx context.Context, actor access.Actor, cohortID string, r io.Reader, commit bool) (*NominationPlan, error) {
	if !actor.HasAny(access.Admin, access.Coordinator) {
		return nil, &apperr.Error{Code: apperr.CodeForbidden, Key: KeyNominators}
	}
	values, err := readList(r)
	if err != nil {
		return nil, err
	}
	var plan *NominationPlan
	err = db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		// The cohort first: it must exist for the actor before any row is tried.
		if _, err := loadCohort(tx, actor, cohortID, true); err != nil {
			return err
		}
		plan = &NominationPlan{CohortID: cohortID}
		seen := map[string]int{}
		for _, v := range values {
			row := NominationRow{Line: v.line, Value: v.value}
			if err := s.nominateRow(tx, actor, cohortID, &row, seen); err != nil {
				return err
			}
			plan.count(row)
			plan.Rows = append(plan.Rows, row)
		}
		if !commit || plan.Failed == len(plan.Rows) {
			return errRollback
		}
		plan.Committed = true
		return nil
	})
	if errors.Is(err, errRollback) {
		for i := range plan.Rows {
			plan.Rows[i].EnrollmentID = "" // rolled back
		}
		err = nil
		if commit {
			err = apperr.Invalid(plan.Errors()...)
		}
	}
	return plan, err
}

func (p *NominationPlan) count(r NominationRow) {
	switch r.Outcome {
	case StatusEnrolled:
		p.Enrolled++
	case StatusWaitlisted:
		p.Waitlisted++
	default:
		p.Failed++
	}
}

// nominateRow finds the row's person and nominates them; a refusal becomes
// the row's error, anything else ends the list.
func (s *Service) nominateRow(tx *gorm.DB, actor access.Actor, cohortID string, row *NominationRow, seen map[string]int) error {
	where, arg := "service_number = ?", row.Value
	if strings.Contains(row.Value, "@") {
		where, arg = "email_key = ?", strings.ToLower(row.Value)
	}
	u, key, err := s.nominee(tx, actor, where, arg)
	if err != nil {
		return err
	}
	if key != "" {
		row.Outcome, row.Message = "error", key
		return nil
	}
	row.UserID, row.FullName = u.ID, u.FullName
	if prev, dup := seen[u.ID]; dup {
		row.Outcome, row.Message, row.Args = "error", KeyDuplicateRow, map[string]any{"Line": prev}
		return nil
	}
	seen[u.ID] = row.Line
	e, err := s.request(tx, actor, cohortID, person{ID: u.ID, AgencyID: u.AgencyID}, true)
	if ae, ok := apperr.As(err); ok && ae.Code != apperr.CodeInternal {
		row.Outcome, row.Code, row.Message, row.Args = "error", ae.Code, ae.MessageKey(), ae.Args
		return nil
	}
	if err != nil {
		return err
	}
	row.Outcome, row.EnrollmentID, row.WaitlistPosition = e.Status, e.ID, e.Position()
	return nil
}

// listValue is one person named in a list, with its line.
type listValue struct {
	line  int
	value string
}

// readList reads a list of emails or service numbers: UTF-8 (a BOM is
// dropped), one per line, as the first column of a CSV (comma or
// semicolon) whose header, if any, names the column.
func readList(r io.Reader) ([]listValue, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(b) {
		return nil, apperr.Invalid(apperr.Field("file", KeyUnreadableList))
	}
	cr := csvfile.Reader(bytes.NewReader(b))
	cr.TrimLeadingSpace = true
	var out []listValue
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, apperr.Invalid(apperr.Field("file", KeyUnreadableList))
		}
		line, _ := cr.FieldPos(0)
		v := strings.TrimSpace(rec[0])
		if v == "" || (line == 1 && isHeader(v)) {
			continue
		}
		out = append(out, listValue{line: line, value: v})
	}
	switch {
	case len(out) == 0:
		return nil, apperr.Invalid(apperr.Field("file", KeyEmptyList))
	case len(out) > maxNominations:
		return nil, apperr.Invalid(apperr.Field("file", KeyListTooLong, "Max", maxNominations))
	}
	return out, nil
}

func isHeader(v string) bool {
	switch strings.ToLower(v) {
	case "email", "service_number", "service number", "user", "person":
		return true
	}
	return false
}
