package certify

import (
	"context"
	"net/url"
	"strings"
	"time"

	"muster/internal/apperr"
	"muster/internal/catalog"
	"muster/internal/i18n"
	"muster/internal/plaintext"
)

// Verification is what anyone holding a verification code or a certificate
// number may learn: the certificate, the holder's name, the issuing (host)
// agency and the holder's agency, and nothing else about the person.
type Verification struct {
	Number              string `json:"number"`
	HolderName          string `json:"holder_name"`
	HolderNameLatin     string `json:"holder_name_latin,omitempty"`
	HolderAgency        string `json:"holder_agency"`
	HolderAgencyCountry string `json:"holder_agency_country"`
	IssuingAgency       string `json:"issuing_agency"`
	IssuingCountry      string `json:"issuing_agency_country"`
	CourseCode          string `json:"course_code"`
	CourseTitle         string `json:"course_title"`
	IssuedOn            Date   `json:"issued_on"`
	ExpiresOn           *Date  `json:"expires_on"`
	Status              string `json:"status"`
	RevokedOn           *Date  `json:"revoked_on,omitempty"`
	// RevokeReason is shown only when the revoker marked it public.
	RevokeReason string `json:"revoke_reason,omitempty"`
	// Code is how the certificate was found, for the page's canonical URL;
	// it is never sent to someone who asked by number.
	Code         string               `json:"-"`
	Translations catalog.Translations `json:"-"`
}

// TitleIn is the course title in lang, when the course has that translation.
func (v *Verification) TitleIn(lang string) string { return v.Translations.Title(lang, v.CourseTitle) }

// NormalizeNumber is a typed certificate number as it is stored: trimmed,
// upper case, Persian and Arabic-Indic digits read as ASCII.
func NormalizeNumber(number string) string {
	return strings.ToUpper(strings.TrimSpace(i18n.NormalizeDigits(number)))
}

// Verify answers a verification code; unknown codes are not_found.
func (s *Service) Verify(ctx context.Context, code string) (*Verification, error) {
	if !plausibleCode(code) {
		return nil, apperr.NotFound()
	}
	v, err := s.verify(ctx, "c.verification_code = ?", code)
	if v != nil {
		v.Code = code
	}
	return v, err
}

// VerifyNumber answers a typed certificate number with the same facts as a
// code. A number that cannot be one is invalid, naming the expected form; an
// unknown one is not_found.
func (s *Service) VerifyNumber(ctx context.Context, number string) (*Verification, error) {
	number = NormalizeNumber(number)
	if number == "" {
		return nil, apperr.Invalid(apperr.Field("number", "validation.required"))
	}
	if !numberPattern.MatchString(number) {
		return nil, apperr.Invalid(apperr.Field("number", KeyNumberFormat, "Example", s.ExampleNumber()))
	}
	return s.verify(ctx, "c.number = ?", number)
}

// KeyNumberFormat is the message of a malformed certificate number.
const KeyNumberFormat = "certify.verify.number_format"

func (s *Service) verify(ctx context.Context, where string, arg string) (*Verification, error) {
	var rows []struct {
		Certificate
		CourseCode          string
		CourseTitle         string
		Translations        catalog.Translations
		HolderAgency        string
		HolderAgencyCountry string
		IssuingAgency       string
		IssuingCountry      string
	}
	err := s.db(ctx).Table("certificates c").
		Select(`c.*, co.code AS course_code, co.title AS course_title, co.translations,
			COALESCE(ua.name, '') AS holder_agency, COALESCE(ua.country, '') AS holder_agency_country,
			COALESCE(ha.name, '') AS issuing_agency, COALESCE(ha.country, '') AS issuing_country`).
		Joins("JOIN courses co ON co.id = c.course_id").
		Joins("JOIN users u ON u.id = c.user_id").
		Joins("LEFT JOIN agencies ua ON ua.id = u.agency_id").
		Joins("LEFT JOIN agencies ha ON ha.id = c.host_agency_id").
		Where(where, arg).Limit(1).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.NotFound()
	}
	r := rows[0]
	// Names are refused with reordering characters, but certificates issued
	// before that may carry them: the public answer must read as stored.
	plain := plaintext.WithoutReordering
	v := &Verification{Number: r.Number, HolderName: plain(r.HolderName), HolderNameLatin: plain(r.HolderNameLatin),
		HolderAgency: plain(r.HolderAgency), HolderAgencyCountry: r.HolderAgencyCountry, IssuingAgency: plain(r.IssuingAgency),
		IssuingCountry: r.IssuingCountry, CourseCode: r.CourseCode, CourseTitle: plain(r.CourseTitle), Translations: r.Translations,
		IssuedOn: Date{r.IssuedOn}, ExpiresOn: datePtr(r.ExpiresOn), Status: r.Status(s.today())}
	if r.RevokedAt != nil {
		v.RevokedOn = &Date{Day(r.RevokedAt.In(time.UTC))}
		if r.RevokeReasonPublic {
			v.RevokeReason = plain(r.RevokeReason)
		}
	}
	return v, nil
}

// CanonicalURL is the public address of a verification: by code when it was
// found by code, else by number, so a code never reaches someone who only
// typed a number.
func (s *Service) CanonicalURL(v *Verification) string {
	if v.Code != "" {
		return s.VerificationURL(v.Code)
	}
	return strings.TrimRight(s.BaseURL, "/") + "/verify?number=" + url.QueryEscape(v.Number)
}

// ExampleNumber is a well-formed certificate number of this year, shown as
// a hint where people type one.
func (s *Service) ExampleNumber() string { return FormatNumber(s.prefix(), s.today().Year(), 123) }
