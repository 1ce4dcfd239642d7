package certify

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/db"
)

// CertificateDetail is one certificate with its renewal chain and what the
// viewer may do with it.
type CertificateDetail struct {
	CertificateView
	Chain     []ChainLink `json:"chain"` // oldest first, this one included
	CanRevoke bool        `json:"-"`
}

// ChainLink is one certificate of a renewal chain.
type ChainLink struct {
	Number    string `json:"number"`
	IssuedOn  Date   `json:"issued_on"`
	ExpiresOn *Date  `json:"expires_on"`
	Status    string `json:"status"`
	Current   bool   `json:"current,omitempty"`
}

// maxChain bounds the walk along renewals.
const maxChain = 50

// Get returns a certificate the actor may see, else not_found.
func (s *Service) Get(ctx context.Context, actor access.Actor, number string) (*CertificateDetail, error) {
	tx := s.db(ctx)
	r, err := s.row(tx, number)
	if err != nil {
		return nil, err
	}
	if !canSee(actor, &r.Certificate, r.HolderAgencyID) {
		return nil, apperr.NotFound()
	}
	day := s.today()
	chain, err := chainOf(tx, &r.Certificate, day)
	if err != nil {
		return nil, err
	}
	return &CertificateDetail{CertificateView: s.toView(*r, day), Chain: chain, CanRevoke: CanRevoke(actor, r.HostAgencyID)}, nil
}

// row reads the certificate with number (any case), or not_found.
func (s *Service) row(tx *gorm.DB, number string) (*certRow, error) {
	number = strings.ToUpper(strings.TrimSpace(number))
	var rows []certRow
	if err := certQuery(tx).Select(certColumns).Where("c.number = ?", number).Limit(1).Scan(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, apperr.NotFound()
	}
	return &rows[0], nil
}

// chainOf walks from c back along the certificates it renews and forward
// along those that renew it.
func chainOf(tx *gorm.DB, c *Certificate, day time.Time) ([]ChainLink, error) {
	link := func(x *Certificate, current bool) ChainLink {
		return ChainLink{Number: x.Number, IssuedOn: Date{x.IssuedOn}, ExpiresOn: datePtr(x.ExpiresOn), Status: x.Status(day), Current: current}
	}
	chain := []ChainLink{link(c, true)}
	for prev, n := c.RenewsID, 0; prev != nil && n < maxChain; n++ {
		var x Certificate
		if err := tx.Where("id = ?", *prev).Take(&x).Error; err != nil {
			return nil, err
		}
		chain = append([]ChainLink{link(&x, false)}, chain...)
		prev = x.RenewsID
	}
	for id, n := c.ID, 0; n < maxChain; n++ {
		var next []Certificate
		if err := tx.Where("renews_id = ?", id).Order("issued_on DESC, seq DESC").Limit(1).Find(&next).Error; err != nil {
			return nil, err
		}
		if len(next) == 0 {
			break
		}
		chain = append(chain, link(&next[0], false))
		id = next[0].ID
	}
	return chain, nil
}

// byNumber reads a bare certificate for a change, locked; not_found when absent.
func byNumber(tx *gorm.DB, number string) (*Certificate, error) {
	var c Certificate
	err := db.ForUpdate(tx).Where("number = ?", strings.ToUpper(strings.TrimSpace(number))).Take(&c).Error
	if db.IsNotFound(err) {
		return nil, apperr.NotFound()
	}
	return &c, err
}
