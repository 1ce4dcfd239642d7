package identity

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/csvfile"
	"muster/internal/db"
	"muster/internal/validate"
)

// importColumns are the columns a personnel CSV may have; email and full_name are required.
var importColumns = []string{"email", "full_name", "full_name_latin", "rank", "service_number", "roles", "language"}

// ImportRow is one data row of a personnel CSV and what importing it does.
type ImportRow struct {
	Line   int                 `json:"line"`
	Action string              `json:"action"` // create, update, unchanged, error
	Email  string              `json:"email"`
	Name   string              `json:"full_name"`
	Errors []apperr.FieldError `json:"-"` // by column name, translated by the caller
	input  UserInput
	patch  UserPatch
	userID string
}

// ImportPlan is the row-by-row preview of an import.
type ImportPlan struct {
	AgencyID  string      `json:"agency_id"`
	Rows      []ImportRow `json:"rows"`
	Created   int         `json:"created"`
	Updated   int         `json:"updated"`
	Unchanged int         `json:"unchanged"`
	Failed    int         `json:"failed"`
}

// Errors lists every row's errors, each named "row N, column X".
func (p *ImportPlan) Errors() []apperr.FieldError {
	var out []apperr.FieldError
	for _, r := range p.Rows {
		for _, f := range r.Errors {
			out = append(out, cell(r.Line, f.Field, f.Key, argsKV(f.Args)...))
		}
	}
	return out
}

// PreviewImport reads a CSV (UTF-8, with or without BOM, comma or semicolon)
// and says what importing it into agencyID would do, changing nothing. An
// address already used in another agency is not told apart from a new one.
func (s *Service) PreviewImport(ctx context.Context, actor access.Actor, agencyID string, r io.Reader) (*ImportPlan, error) {
	if agencyID == "" {
		agencyID = actor.AgencyID
	}
	if uuid.Validate(agencyID) != nil {
		return nil, apperr.Invalid(apperr.Field("agency_id", "validation.id"))
	}
	if !actor.CanManagePersonnel(agencyID) {
		return nil, apperr.NotFound()
	}
	records, err := readCSV(r)
	if err != nil {
		return nil, err
	}
	plan := &ImportPlan{AgencyID: agencyID}
	seen := map[string]int{}
	for i, rec := range records.rows {
		row, err := s.planRow(ctx, actor, agencyID, records.header, rec, i+2)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[emailKey(row.Email)]; dup && row.Email != "" {
			row.Errors = append(row.Errors, apperr.Field("email", "import.duplicate_row", "Line", prev))
		}
		seen[emailKey(row.Email)] = row.Line
		if len(row.Errors) > 0 {
			row.Action = "error"
		}
		plan.count(row.Action)
		plan.Rows = append(plan.Rows, row)
	}
	return plan, nil
}

func (p *ImportPlan) count(action string) {
	switch action {
	case "create":
		p.Created++
	case "update":
		p.Updated++
	case "unchanged":
		p.Unchanged++
	default:
		p.Failed++
	}
}

// CommitImport applies a CSV: every row or, if any row has an error, none.
// Each row goes through the same checks, audit and session ending as a
// single change, and new people are invited to set their password.
func (s *Service) CommitImport(ctx context.Context, actor access.Actor, agencyID string, r io.Reader) (*ImportPlan, error) {
	plan, err := s.PreviewImport(ctx, actor, agencyID, r)
	if err != nil {
		return nil, err
	}
	if plan.Failed > 0 {
		return plan, apperr.Invalid(plan.Errors()...)
	}
	if plan.Created+plan.Updated == 0 {
		return plan, nil // re-importing the same file changes nothing
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		for _, row := range plan.Rows {
			if err := s.applyRow(tx, actor, row); err != nil {
				return rowError(row.Line, err)
			}
		}
		return s.record(tx, actor, audit.Entry{Action: "user.import", SubjectType: "agency", SubjectID: plan.AgencyID, AgencyID: plan.AgencyID,
			Details: map[string]int{"created": plan.Created, "updated": plan.Updated, "unchanged": plan.Unchanged}})
	})
	if err != nil {
		return nil, err
	}
	return plan, nil
}

// rowError names a refused row's fields as cells of its line.
func rowError(line int, err error) error {
	e, ok := apperr.As(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = nil
	for _, f := range e.Fields {
		out.Fields = append(out.Fields, cell(line, f.Field, f.Key, argsKV(f.Args)...))
	}
	return &out
}

func (s *Service) applyRow(tx *gorm.DB, actor access.Actor, row ImportRow) error {
	switch row.Action {
	case "create":
		u := s.newUser(row.input, unusableHash) // the invitation sets it
		if err := s.insertUser(tx, actor, u, map[string]any{"import": true, "user": userView(u)}); err != nil {
			return err
		}
		return s.sendPasswordLink(tx, actor, u, purposeInvite)
	case "update":
		u, err := loadUser(tx, row.userID)
		if err != nil {
			return err
		}
		return s.changeUser(tx, actor, u, row.patch, map[string]any{"import": true})
	}
	return nil
}

// planRow validates one row and compares it with the stored user, if any.
// Only the columns the file has are compared and changed.
func (s *Service) planRow(ctx context.Context, actor access.Actor, agencyID string, header []string, rec []string, line int) (ImportRow, error) {
	has := func(col string) bool { return slices.Contains(header, col) }
	get := func(col string) string {
		if i := slices.Index(header, col); i >= 0 && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	in := UserInput{Email: get("email"), FullName: get("full_name"), FullNameLatin: get("full_name_latin"), Rank: get("rank"),
		ServiceNumber: get("service_number"), AgencyID: agencyID, Language: get("language"), Roles: splitRoles(get("roles"))}
	in.normalize(actor)
	row := ImportRow{Line: line, Email: in.Email, Name: in.FullName, input: in}
	if err := validate.Struct(in); err != nil {
		row.addErrors(err)
	}
	var existing User
	err := s.DB.WithContext(ctx).Preload("Roles").Where("email_key = ?", emailKey(in.Email)).Take(&existing).Error
	switch {
	case err != nil && !db.IsNotFound(err):
		return row, err
	case err == nil && existing.AgencyID == agencyID:
		row.userID = existing.ID
		row.patch = importPatch(in, has, get)
		row.Action = "update"
		if !actor.CanEdit(existing.RoleNames()) {
			row.Errors = append(row.Errors, apperr.Field("email", "user.outranks_you"))
		} else if err := checkRoles(actor, existing.ID, existing.RoleNames(), patchRoles(row.patch, existing.RoleNames())); err != nil {
			row.addErrors(err)
		}
		if unchangedBy(&existing, row.patch) {
			row.Action = "unchanged"
		}
	default: // new here; an address used in another agency fails only when committed
		row.Action = "create"
		if err := checkRoles(actor, "", nil, in.Roles); err != nil {
			row.addErrors(err)
		}
	}
	if in.ServiceNumber != "" {
		var n int64
		if err := s.DB.WithContext(ctx).Model(&User{}).Where("agency_id = ? AND service_number = ? AND email_key <> ?", agencyID, in.ServiceNumber, emailKey(in.Email)).Count(&n).Error; err != nil {
			return row, err
		}
		if n > 0 {
			row.Errors = append(row.Errors, apperr.Field("service_number", "user.service_number_taken"))
		}
	}
	return row, nil
}

func (r *ImportRow) addErrors(err error) {
	if e, ok := apperr.As(err); ok {
		r.Errors = append(r.Errors, e.Fields...)
	}
}

// importPatch changes only what the file has: an absent column, or an empty
// roles or language cell, leaves the stored value alone.
func importPatch(in UserInput, has func(string) bool, get func(string) string) UserPatch {
	var p UserPatch
	p.FullName = &in.FullName
	if has("full_name_latin") {
		p.FullNameLatin = &in.FullNameLatin
	}
	if has("rank") {
		p.Rank = &in.Rank
	}
	if has("service_number") {
		p.ServiceNumber = &in.ServiceNumber
	}
	if has("language") && get("language") != "" {
		p.Language = &in.Language
	}
	if has("roles") && get("roles") != "" {
		roles := slices.Clone(in.Roles)
		p.Roles = &roles
	}
	return p
}

func patchRoles(p UserPatch, current []string) []string {
	if p.Roles == nil {
		return current
	}
	return *p.Roles
}

// unchangedBy reports whether applying p would leave u as it is.
func unchangedBy(u *User, p UserPatch) bool {
	same := func(have string, want *string) bool { return want == nil || have == *want }
	roles := slices.Clone(patchRoles(p, u.RoleNames()))
	slices.Sort(roles)
	have := u.RoleNames()
	slices.Sort(have)
	return same(u.FullName, p.FullName) && same(u.FullNameLatin, p.FullNameLatin) && same(u.Rank, p.Rank) &&
		same(u.ServiceNumber, p.ServiceNumber) && same(u.Language, p.Language) && slices.Equal(roles, have)
}

// splitRoles reads "trainee|instructor" (or spaces, commas inside a quoted cell).
func splitRoles(s string) []string {
	if s == "" {
		return []string{access.Trainee}
	}
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == '|' || r == ',' || r == ' ' || r == '+' })
}

func cell(line int, column, key string, kv ...any) apperr.FieldError {
	return apperr.Field(fmt.Sprintf("row %d, column %s", line, column), key, kv...)
}

func argsKV(m map[string]any) []any {
	out := make([]any, 0, 2*len(m))
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}

type csvData struct {
	header []string
	rows   [][]string
}

// maxImportRows bounds one import; larger lists are split by the importer.
const maxImportRows = 5000

// readCSV parses the file; csvfile drops a BOM and picks comma or semicolon.
func readCSV(r io.Reader) (*csvData, error) {
	all, err := csvfile.Reader(r).ReadAll()
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return nil, apperr.Invalid(apperr.Field(fmt.Sprintf("row %d, column %d", pe.Line, pe.Column), "import.bad_csv"))
	}
	if err != nil { // the cause stays wrapped: a body over the limit still answers too_large
		return nil, &apperr.Error{Code: apperr.CodeMalformed, Args: map[string]any{"Reason": "unreadable file"}, Err: err}
	}
	if len(all) == 0 {
		return nil, apperr.Invalid(apperr.Field("file", "import.empty"))
	}
	header := make([]string, len(all[0]))
	for i, h := range all[0] {
		header[i] = strings.ToLower(strings.TrimSpace(h))
	}
	var fields []apperr.FieldError
	for _, h := range header {
		if !slices.Contains(importColumns, h) {
			fields = append(fields, apperr.Field("row 1, column "+h, "import.unknown_column", "Columns", strings.Join(importColumns, ", ")))
		}
	}
	for _, req := range []string{"email", "full_name"} {
		if !slices.Contains(header, req) {
			fields = append(fields, apperr.Field("row 1, column "+req, "import.missing_column"))
		}
	}
	if len(fields) > 0 {
		return nil, apperr.Invalid(fields...)
	}
	rows := all[1:]
	if len(rows) > maxImportRows {
		return nil, apperr.Invalid(apperr.Field("file", "import.too_many_rows", "Max", maxImportRows))
	}
	for i, rec := range rows {
		for j, v := range rec {
			if !utf8.ValidString(v) {
				return nil, apperr.Invalid(apperr.Field(fmt.Sprintf("row %d, column %d", i+2, j+1), "import.not_utf8"))
			}
		}
	}
	return &csvData{header: header, rows: rows}, nil
}
