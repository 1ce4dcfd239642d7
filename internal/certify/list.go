package certify

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/paging"
	"muster/internal/validate"
)

// Filter is the certificate list request: GET /api/v1/certificates?agency=
// &course=&cohort=&status=&expiring_before=&holder=&page=&per_page=.
type Filter struct {
	Agency         string `form:"agency" json:"agency" validate:"omitempty,uuid"` // the holder's agency
	Course         string `form:"course" json:"course" validate:"max=20"`         // course code
	Cohort         string `form:"cohort" json:"cohort" validate:"omitempty,uuid"`
	Holder         string `form:"holder" json:"holder" validate:"omitempty,uuid"`
	Status         string `form:"status" json:"status" validate:"omitempty,oneof=valid expired revoked"`
	ExpiringBefore string `form:"expiring_before" json:"expiring_before" validate:"omitempty,datetime=2006-01-02"`
	paging.Params
}

// List returns the certificates the actor may see, filtered and paginated:
// admins all; hr and coordinators those of their agency's personnel;
// coordinators also those their agency issued; everyone their own. With
// expiring_before the soonest to expire come first, else the newest.
func (s *Service) List(ctx context.Context, actor access.Actor, f Filter) (paging.Page[CertificateView], error) {
	f.Course = strings.ToUpper(strings.TrimSpace(f.Course))
	if err := validate.Struct(f); err != nil {
		return paging.Page[CertificateView]{}, err
	}
	p := f.Params.Normalize()
	day := s.today()
	q := visibleTo(certQuery(s.db(ctx)), actor)
	q, err := f.apply(q, day)
	if err != nil {
		return paging.Page[CertificateView]{}, err
	}
	order := "c.year DESC, c.seq DESC"
	if f.ExpiringBefore != "" {
		order = "c.expires_on, c.year, c.seq"
	}
	var rows []certRow
	if err := q.Session(&gorm.Session{}).Select(certColumns + ", count(*) OVER () AS total").
		Order(order).Limit(p.PerPage).Offset(p.Offset()).Scan(&rows).Error; err != nil {
		return paging.Page[CertificateView]{}, err
	}
	var total int64
	if len(rows) > 0 {
		total = rows[0].Total
	} else if p.Page > 1 {
		if err := q.Count(&total).Error; err != nil {
			return paging.Page[CertificateView]{}, err
		}
	}
	items := make([]CertificateView, len(rows))
	for i, r := range rows {
		items[i] = s.toView(r, day)
	}
	return paging.New(items, total, p), nil
}

// ExpiringSoon is the filter of valid certificates of agency that expire
// within the recertification window from today.
func (s *Service) ExpiringSoon(agencyID string, p paging.Params) Filter {
	return Filter{Agency: agencyID, Status: StatusValid,
		ExpiringBefore: s.today().AddDate(0, 0, s.RecertWindowDays+1).Format(time.DateOnly), Params: p}
}

// apply narrows a certificate query by the filter.
func (f Filter) apply(q *gorm.DB, day time.Time) (*gorm.DB, error) {
	if f.Agency != "" {
		q = q.Where("u.agency_id = ?", f.Agency)
	}
	if f.Course != "" {
		q = q.Where("co.code = ?", f.Course)
	}
	if f.Cohort != "" {
		q = q.Where("c.cohort_id = ?", f.Cohort)
	}
	if f.Holder != "" {
		q = q.Where("c.user_id = ?", f.Holder)
	}
	switch f.Status {
	case StatusRevoked:
		q = q.Where(RevokedSQL("c"))
	case StatusExpired:
		q = q.Where(ExpiredSQL("c"), day)
	case StatusValid:
		q = q.Where(ValidSQL("c"), day)
	}
	if f.ExpiringBefore != "" {
		before, err := time.Parse(time.DateOnly, f.ExpiringBefore)
		if err != nil {
			return nil, apperr.Invalid(apperr.Field("expiring_before", "validation.invalid"))
		}
		q = q.Where("c.expires_on IS NOT NULL AND c.expires_on < ?", before)
	}
	return q, nil
}

// visibleTo narrows a certificate query (alias c, holder u) to the actor's scope.
func visibleTo(q *gorm.DB, actor access.Actor) *gorm.DB {
	switch {
	case actor.IsAdmin():
		return q
	case actor.UserID == "":
		return q.Where("1 = 0")
	}
	cond, args := "c.user_id = ?", []any{actor.UserID}
	if actor.AgencyID != "" && actor.HasAny(access.HR, access.Coordinator) {
		cond += " OR u.agency_id = ?"
		args = append(args, actor.AgencyID)
	}
	if actor.AgencyID != "" && actor.Has(access.Coordinator) {
		cond += " OR c.host_agency_id = ?"
		args = append(args, actor.AgencyID)
	}
	return q.Where("("+cond+")", args...)
}

// canSee reports whether actor may see a certificate held by someone of
// holderAgency and issued by hostAgency.
func canSee(actor access.Actor, c *Certificate, holderAgency string) bool {
	switch {
	case actor.IsAdmin(), actor.UserID != "" && c.UserID == actor.UserID:
		return true
	case actor.AgencyID == "":
		return false
	case actor.HasAny(access.HR, access.Coordinator) && holderAgency == actor.AgencyID:
		return true
	}
	return actor.Has(access.Coordinator) && c.HostAgencyID == actor.AgencyID
}

// CanRevoke reports whether actor may revoke a certificate issued by host:
// the issuing host's coordinators, and admins.
func CanRevoke(actor access.Actor, hostAgencyID string) bool { return hostsCohort(actor, hostAgencyID) }
