// Package validate checks input structs with validator/v10 tags and turns
// failures into apperr field messages. Services call it, so an HTML form and
// the JSON API share one set of rules.
package validate

import (
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"

	"muster/internal/apperr"
	"muster/internal/calendar"
	"muster/internal/plaintext"
)

var (
	once sync.Once
	v    *validator.Validate
)

func instance() *validator.Validate {
	once.Do(func() {
		v = validator.New(validator.WithRequiredStructEnabled())
		// Field errors name the JSON field, which is also the form field name.
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				return ""
			}
			if name == "" {
				return f.Name
			}
			return name
		})
		for tag, fn := range custom {
			if err := v.RegisterValidation(tag, fn); err != nil {
				panic(err)
			}
		}
	})
	return v
}

// custom validators, registered once.
var custom = map[string]validator.Func{
	// notblank is required that also refuses strings of only white space.
	"notblank": func(fl validator.FieldLevel) bool {
		return strings.TrimSpace(fl.Field().String()) != ""
	},
	// zone is an IANA time zone name the zone database knows, or "" for
	// none (a person's then follows their agency's).
	"zone": func(fl validator.FieldLevel) bool {
		_, ok := calendar.LoadZone(fl.Field().String())
		return ok || fl.Field().String() == ""
	},
	// noreorder refuses characters that change how the text around them is
	// displayed, so a name or an address shows as what it is.
	"noreorder": func(fl validator.FieldLevel) bool {
		return !plaintext.Reorders(fl.Field().String())
	},
}

// Struct validates s and returns an *apperr.Error with one field message per
// failed rule, or nil.
func Struct(s any) error {
	err := instance().Struct(s)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return err
	}
	fields := make([]apperr.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		fields = append(fields, FieldError(fe))
	}
	return apperr.Invalid(fields...)
}

// FieldError turns one validator failure into a translatable field message.
func FieldError(fe validator.FieldError) apperr.FieldError {
	field := fieldPath(fe)
	switch fe.Tag() {
	case "required", "notblank", "required_with", "required_without", "required_if":
		return apperr.Field(field, "validation.required")
	case "email":
		return apperr.Field(field, "validation.email")
	case "uuid", "uuid4", "uuid7":
		return apperr.Field(field, "validation.id")
	case "noreorder":
		return apperr.Field(field, "validation.reordering")
	case "min", "gte":
		if isText(fe) {
			return apperr.Field(field, "validation.min_length", "Min", fe.Param())
		}
		if fe.Kind() == reflect.Slice {
			return apperr.Field(field, "validation.min_items", "Min", fe.Param())
		}
		return apperr.Field(field, "validation.min", "Min", fe.Param())
	case "max", "lte":
		if isText(fe) {
			return apperr.Field(field, "validation.max_length", "Max", fe.Param())
		}
		if fe.Kind() == reflect.Slice {
			return apperr.Field(field, "validation.max_items", "Max", fe.Param())
		}
		return apperr.Field(field, "validation.max", "Max", fe.Param())
	case "len":
		return apperr.Field(field, "validation.len", "Len", fe.Param())
	case "oneof":
		return apperr.Field(field, "validation.oneof", "Values", strings.ReplaceAll(fe.Param(), " ", ", "))
	case "iso3166_1_alpha2":
		return apperr.Field(field, "validation.country")
	case "timezone", "zone":
		return apperr.Field(field, "validation.timezone")
	case "unique":
		return apperr.Field(field, "validation.unique")
	case "url", "http_url":
		return apperr.Field(field, "validation.url")
	case "gtfield", "gtefield":
		return apperr.Field(field, "validation.after", "Other", fe.Param())
	default:
		return apperr.Field(field, "validation.invalid")
	}
}

func isText(fe validator.FieldError) bool { return fe.Kind() == reflect.String }

// fieldPath drops the top-level struct name: "CreateUser.roles[1]" -> "roles[1]".
func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if _, rest, ok := strings.Cut(ns, "."); ok {
		return rest
	}
	return fe.Field()
}
