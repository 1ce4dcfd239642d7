package export

import (
	"slices"
	"strings"
	"time"

	"muster/internal/apperr"
	"muster/internal/catalog"
	"muster/internal/certify"
	"muster/internal/enrollment"
	"muster/internal/validate"
)

// Kinds of export.
const (
	Certificates    = "certificates"
	TrainingRecords = "training-records"
)

// Formats of an export. ZIP (certificate PDFs) is for certificates only.
const (
	FormatCSV    = "csv"
	FormatXLSX   = "xlsx"
	FormatJSON   = "json"   // one JSON array
	FormatNDJSON = "ndjson" // one JSON object per line
	FormatZIP    = "zip"
)

// Formats lists the tabular formats, for forms.
var Formats = []string{FormatCSV, FormatXLSX, FormatJSON, FormatNDJSON}

// Kinds lists the kinds of export, for forms and the command line.
var Kinds = []string{Certificates, TrainingRecords}

// CertificateStatuses are the derived statuses a certificate export filters on.
var CertificateStatuses = []string{certify.StatusValid, certify.StatusExpired, certify.StatusRevoked}

// EnrollmentStatuses are the statuses a training-records export filters on.
var EnrollmentStatuses = []string{
	enrollment.StatusPending, enrollment.StatusEnrolled, enrollment.StatusWaitlisted, enrollment.StatusRejected,
	enrollment.StatusWithdrawn, enrollment.StatusNoShow, enrollment.StatusCancelled, enrollment.StatusCompleted,
	enrollment.StatusFailed,
}

// dateLayout is how dates are given and written: YYYY-MM-DD.
const dateLayout = "2006-01-02"

// Ways of naming the columns of CSV and XLSX exports.
const (
	// HeadersKeys is the stable machine form HR systems parse: the API
	// contract's snake_case column keys and status codes as stored.
	HeadersKeys = "keys"
	// HeadersLocalized is for people: column titles and status words in the
	// caller's language.
	HeadersLocalized = "localized"
)

// Request is an export as a client asks for it: the query string of
// GET /api/v1/exports/..., the exports form and the command line's flags.
type Request struct {
	Kind   string `form:"kind" json:"kind"`
	Format string `form:"format" json:"format"` // csv (default), xlsx, json, ndjson; zip for certificate PDFs
	// BOM starts a CSV file with a UTF-8 byte order mark, so that
	// spreadsheet programs read Persian and Cyrillic right; on unless bom=0.
	BOM *bool `form:"bom" json:"bom,omitempty"`
	// Headers is keys (default) or localized; JSON always has the keys.
	Headers string `form:"headers" json:"headers,omitempty"`
	// Language is the caller's, for localized headers.
	Language string `form:"-" json:"-"`
	Filter
}

// WantsBOM reports whether a CSV file starts with a byte order mark.
func (r Request) WantsBOM() bool { return r.BOM == nil || *r.BOM }

// Filter narrows an export, as the certificate list does. Dates are
// YYYY-MM-DD and inclusive. For training records, status is the
// enrollment's and the date filters apply to the certificate it earned.
type Filter struct {
	Agency         string `form:"agency" json:"agency,omitempty" validate:"omitempty,uuid"` // the holder's agency id
	Country        string `form:"country" json:"country,omitempty" validate:"omitempty,iso3166_1_alpha2"`
	Course         string `form:"course" json:"course,omitempty" validate:"omitempty,max=12"` // course code
	Discipline     string `form:"discipline" json:"discipline,omitempty"`
	Status         string `form:"status" json:"status,omitempty"`
	IssuedFrom     string `form:"issued_from" json:"issued_from,omitempty"`
	IssuedTo       string `form:"issued_to" json:"issued_to,omitempty"`
	ExpiringBefore string `form:"expiring_before" json:"expiring_before,omitempty"` // expires_on before this day
}

// criteria is a validated filter, with dates parsed.
type criteria struct {
	Filter
	issuedFrom, issuedTo, expiringBefore time.Time // zero when not given
}

// normalize trims the filter and puts codes in their stored case.
func (f *Filter) normalize() {
	f.Agency = strings.ToLower(strings.TrimSpace(f.Agency))
	f.Country = strings.ToUpper(strings.TrimSpace(f.Country))
	f.Course = catalog.NormalizeCode(f.Course)
	f.Discipline = strings.TrimSpace(f.Discipline)
	f.Status = strings.TrimSpace(f.Status)
	f.IssuedFrom = strings.TrimSpace(f.IssuedFrom)
	f.IssuedTo = strings.TrimSpace(f.IssuedTo)
	f.ExpiringBefore = strings.TrimSpace(f.ExpiringBefore)
}

// check validates a normalised request and returns its criteria.
func (r *Request) check() (criteria, error) {
	r.Kind = strings.TrimSpace(r.Kind)
	r.Format = strings.ToLower(strings.TrimSpace(r.Format))
	r.Headers = strings.ToLower(strings.TrimSpace(r.Headers))
	if r.Headers == "" {
		r.Headers = HeadersKeys
	}
	if r.Kind == "" {
		r.Kind = Certificates
	}
	if r.Format == "" {
		r.Format = FormatCSV
	}
	r.Filter.normalize()
	var fields []apperr.FieldError
	if err := validate.Struct(&r.Filter); err != nil {
		e, ok := apperr.As(err)
		if !ok {
			return criteria{}, err
		}
		fields = e.Fields
	}
	if !slices.Contains(Kinds, r.Kind) {
		fields = append(fields, apperr.Field("kind", "validation.oneof", "Values", strings.Join(Kinds, ", ")))
	}
	formats := Formats
	if r.Kind == Certificates {
		formats = append(slices.Clip(formats), FormatZIP)
	}
	if !slices.Contains(formats, r.Format) {
		fields = append(fields, apperr.Field("format", "validation.oneof", "Values", strings.Join(formats, ", ")))
	}
	if r.Headers != HeadersKeys && r.Headers != HeadersLocalized {
		fields = append(fields, apperr.Field("headers", "validation.oneof", "Values", HeadersKeys+", "+HeadersLocalized))
	}
	if r.Discipline != "" && !slices.Contains(catalog.Disciplines, r.Discipline) {
		fields = append(fields, apperr.Field("discipline", "validation.oneof", "Values", strings.Join(catalog.Disciplines, ", ")))
	}
	statuses := CertificateStatuses
	if r.Kind == TrainingRecords {
		statuses = EnrollmentStatuses
	}
	if r.Status != "" && !slices.Contains(statuses, r.Status) {
		fields = append(fields, apperr.Field("status", "validation.oneof", "Values", strings.Join(statuses, ", ")))
	}
	c := criteria{Filter: r.Filter}
	for _, d := range []struct {
		field, value string
		into         *time.Time
	}{{"issued_from", r.IssuedFrom, &c.issuedFrom}, {"issued_to", r.IssuedTo, &c.issuedTo}, {"expiring_before", r.ExpiringBefore, &c.expiringBefore}} {
		if d.value == "" {
			continue
		}
		t, err := time.Parse(dateLayout, d.value)
		if err != nil {
			fields = append(fields, apperr.Field(d.field, KeyDateFormat, "Example", "2026-03-21"))
			continue
		}
		*d.into = t
	}
	if !c.issuedFrom.IsZero() && !c.issuedTo.IsZero() && c.issuedTo.Before(c.issuedFrom) {
		fields = append(fields, apperr.Field("issued_to", "validation.after", "Other", "issued_from"))
	}
	if len(fields) > 0 {
		return criteria{}, apperr.Invalid(fields...)
	}
	return c, nil
}

// Message keys of this package.
const (
	KeyDateFormat      = "export.date_format"
	CodePDFUnavailable = "pdf_unavailable" // no PDF renderer is configured
)
