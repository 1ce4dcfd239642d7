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
	Errors []apperr.FieldError `json:"-"`
	input  UserInput
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
		out = append(out, r.Errors...)
	}
	return out
}

// PreviewImport reads a CSV (UTF-8, with or without BOM, comma or semicolon)
// and says what importing it into agencyID would do, changing nothing.
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
		row := s.planRow(ctx, actor, agencyID, records.header, rec, i+2)
		if prev, dup := seen[emailKey(row.Email)]; dup && row.Email != "" {
			row.Errors = append(row.Errors, cell(row.Line, "email", "import.duplicate_row", "Line", prev))
		}
		seen[emailKey(row.Email)] = row.Line
		if len(row.Errors) > 0 {
			row.Action = "error"
		}
		switch row.Action {
		case "create":
			plan.Created++
		case "update":
			plan.Updated++
		case "unchanged":
			plan.Unchanged++
		default:
			plan.Failed++
		}
		plan.Rows = append(plan.Rows, row)
	}
	return plan, nil
}

// CommitImport applies a CSV: every row or, if any row has an error, none.
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
			if err := s.applyRow(tx, actor, plan.AgencyID, row); err != nil {
				return fmt.Errorf("line %d: %w", row.Line, err)
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

func (s *Service) applyRow(tx *gorm.DB, actor access.Actor, agencyID string, row ImportRow) error {
	in := row.input
	switch row.Action {
	case "create":
		hash, err := HashPassword(GeneratePassword()) // unusable until an admin resets it
		if err != nil {
			return err
		}
		u := s.newUser(in, hash)
		u.MustChangePassword = true
		if err := s.insertUser(tx, u); err != nil {
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "user.create", SubjectType: "user", SubjectID: u.ID, AgencyID: agencyID,
			Details: map[string]any{"import": true, "user": userView(u)}})
	case "update":
		u, err := loadUser(tx, row.userID)
		if err != nil {
			return err
		}
		before := userView(u)
		u.FullName, u.FullNameLatin, u.Rank, u.ServiceNumber, u.Language = in.FullName, in.FullNameLatin, in.Rank, in.ServiceNumber, in.Language
		u.Roles = u.Roles[:0]
		for _, r := range in.Roles {
			u.Roles = append(u.Roles, UserRole{UserID: u.ID, Role: r})
		}
		if err := s.saveUser(tx, u); err != nil {
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "user.update", SubjectType: "user", SubjectID: u.ID, AgencyID: agencyID,
			Details: map[string]any{"import": true, "changes": audit.Diff(before, userView(u))}})
	}
	return nil
}

// planRow validates one row and compares it with the stored user, if any.
func (s *Service) planRow(ctx context.Context, actor access.Actor, agencyID string, header []string, rec []string, line int) ImportRow {
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
		if e, ok := apperr.As(err); ok {
			for _, f := range e.Fields {
				row.Errors = append(row.Errors, cell(line, f.Field, f.Key, argsKV(f.Args)...))
			}
		}
	}
	if err := checkGrant(actor, nil, in.Roles); err != nil {
		row.Errors = append(row.Errors, cell(line, "roles", "user.cannot_grant_admin"))
	}
	var existing User
	err := s.DB.WithContext(ctx).Preload("Roles").Where("email_key = ?", emailKey(in.Email)).Take(&existing).Error
	switch {
	case err == nil && existing.AgencyID != agencyID:
		row.Errors = append(row.Errors, cell(line, "email", "user.email_taken"))
	case err == nil:
		row.userID = existing.ID
		row.Action = "update"
		if sameAsImported(&existing, in) {
			row.Action = "unchanged"
		}
	default:
		row.Action = "create"
	}
	if in.ServiceNumber != "" {
		var n int64
		s.DB.WithContext(ctx).Model(&User{}).Where("agency_id = ? AND service_number = ? AND email_key <> ?", agencyID, in.ServiceNumber, emailKey(in.Email)).Count(&n)
		if n > 0 {
			row.Errors = append(row.Errors, cell(line, "service_number", "user.service_number_taken"))
		}
	}
	return row
}

func sameAsImported(u *User, in UserInput) bool {
	roles := slices.Clone(in.Roles)
	slices.Sort(roles)
	have := u.RoleNames()
	slices.Sort(have)
	return u.FullName == in.FullName && u.FullNameLatin == in.FullNameLatin && u.Rank == in.Rank &&
		u.ServiceNumber == in.ServiceNumber && u.Language == in.Language && slices.Equal(roles, have)
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
