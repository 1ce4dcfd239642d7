package certify

import (
	"context"

	"muster/internal/apperr"
	"muster/internal/plaintext"
)

// Verification is what anyone holding a verification code may learn: the
// certificate, the holder's name, and nothing else about the person.
type Verification struct {
	Number          string `json:"number"`
	HolderName      string `json:"holder_name"`
	HolderNameLatin string `json:"holder_name_latin,omitempty"`
	CourseCode      string `json:"course_code"`
	CourseTitle     string `json:"course_title"`
	IssuedOn        Date   `json:"issued_on"`
	ExpiresOn       *Date  `json:"expires_on"`
	Status          string `json:"status"`
	// RevokeReason is shown only when the revoker marked it public.
	RevokeReason string `json:"revoke_reason,omitempty"`
}

// Verify answers a verification code; unknown codes are not_found.
func (s *Service) Verify(ctx context.Context, code string) (*Verification, error) {
	if !plausibleCode(code) {
		return nil, apperr.NotFound()
	}
	var rows []struct {
		Certificate
		CourseCode  string
		CourseTitle string
	}
	err := s.db(ctx).Table("certificates c").Select("c.*, co.code AS course_code, co.title AS course_title").
		Joins("JOIN courses co ON co.id = c.course_id").Where("c.verification_code = ?", code).Limit(1).Scan(&rows).Error
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
	v := &Verification{Number: r.Number, HolderName: plain(r.HolderName), HolderNameLatin: plain(r.HolderNameLatin), CourseCode: r.CourseCode,
		CourseTitle: plain(r.CourseTitle), IssuedOn: Date{r.IssuedOn}, ExpiresOn: datePtr(r.ExpiresOn), Status: r.Status(s.today())}
	if r.RevokedAt != nil && r.RevokeReasonPublic {
		v.RevokeReason = plain(r.RevokeReason)
	}
	return v, nil
}
