package validate

import (
	"testing"

	"muster/internal/apperr"
)

type sample struct {
	Name    string   `json:"name" validate:"notblank,max=5,noreorder"`
	Email   string   `json:"email" validate:"required,email,noreorder"`
	Agency  string   `json:"agency" validate:"omitempty,uuid"`
	Country string   `json:"country" validate:"iso3166_1_alpha2"`
	Roles   []string `json:"roles" validate:"min=1,dive,oneof=admin trainee"`
	Hours   int      `json:"hours" validate:"min=1,max=400"`
}

func TestFieldMessages(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    sample
		field string
		key   string
	}{
		{"blank name", sample{Name: "  ", Email: "a@b.c", Country: "TJ", Roles: []string{"admin"}, Hours: 1}, "name", "validation.required"},
		{"long name", sample{Name: "abcdef", Email: "a@b.c", Country: "TJ", Roles: []string{"admin"}, Hours: 1}, "name", "validation.max_length"},
		{"bad email", sample{Name: "a", Email: "nope", Country: "TJ", Roles: []string{"admin"}, Hours: 1}, "email", "validation.email"},
		{"bad country", sample{Name: "a", Email: "a@b.c", Country: "XX", Roles: []string{"admin"}, Hours: 1}, "country", "validation.country"},
		{"no roles", sample{Name: "a", Email: "a@b.c", Country: "IR", Roles: nil, Hours: 1}, "roles", "validation.min_items"},
		{"bad role", sample{Name: "a", Email: "a@b.c", Country: "IR", Roles: []string{"king"}, Hours: 1}, "roles[0]", "validation.oneof"},
		{"bidi name", sample{Name: "a\u202eb", Email: "a@b.c", Country: "IR", Roles: []string{"admin"}, Hours: 1}, "name", "validation.reordering"},
		{"bad agency id", sample{Name: "a", Email: "a@b.c", Country: "IR", Roles: []string{"admin"}, Hours: 1, Agency: "not-a-uuid"}, "agency", "validation.id"},
		{"hours", sample{Name: "a", Email: "a@b.c", Country: "IR", Roles: []string{"admin"}, Hours: 401}, "hours", "validation.max"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := Struct(tc.in)
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.CodeInvalid {
				t.Fatalf("err = %v", err)
			}
			if len(e.Fields) != 1 || e.Fields[0].Field != tc.field || e.Fields[0].Key != tc.key {
				t.Fatalf("fields = %+v, want %s %s", e.Fields, tc.field, tc.key)
			}
		})
	}
	if err := Struct(sample{Name: "a", Email: "a@b.c", Country: "IR", Roles: []string{"admin"}, Hours: 3}); err != nil {
		t.Fatalf("valid input refused: %v", err)
	}
}
