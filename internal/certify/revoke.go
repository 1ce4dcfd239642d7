package certify

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/plaintext"
	"muster/internal/validate"
)

// RevokeInput is POST /api/v1/certificates/{number}/revoke. The reason is
// internal unless Public is set, when the verification page shows it.
type RevokeInput struct {
	Reason string `json:"reason" form:"reason" validate:"notblank,max=1000"`
	Public bool   `json:"public" form:"public"`
}

// Revoke revokes a certificate with a reason, audited. The issuing host's
// coordinators and admins may revoke; others who may see it are forbidden,
// and the rest get not_found.
func (s *Service) Revoke(ctx context.Context, actor access.Actor, number string, in RevokeInput) (*CertificateDetail, error) {
	in.Reason = plaintext.Block(in.Reason)
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		c, err := byNumber(tx, number)
		if err != nil {
			return err
		}
		var holderAgency string
		if err := tx.Table("users").Where("id = ?", c.UserID).Pluck("agency_id", &holderAgency).Error; err != nil {
			return err
		}
		switch {
		case !canSee(actor, c, holderAgency):
			return apperr.NotFound()
		case !CanRevoke(actor, c.HostAgencyID):
			return apperr.New(apperr.CodeForbidden)
		case c.RevokedAt != nil:
			return apperr.New(CodeAlreadyRevoked)
		}
		if err := validate.Struct(in); err != nil {
			return err
		}
		now := db.Now(tx, s.Clock)
		var by *string
		if actor.UserID != "" {
			by = &actor.UserID
		}
		if err := tx.Model(&Certificate{}).Where("id = ?", c.ID).Updates(map[string]any{
			"revoked_at": now, "revoked_by": by, "revoke_reason": in.Reason, "revoke_reason_public": in.Public,
		}).Error; err != nil {
			return err
		}
		if err := audit.Record(tx, now, actor, audit.Entry{Action: "certificate.revoke", SubjectType: "certificate", SubjectID: c.ID,
			AgencyID: c.HostAgencyID, Details: map[string]any{"number": c.Number, "reason": in.Reason, "public": in.Public, "holder_agency_id": holderAgency}}); err != nil {
			return err
		}
		if s.Announcer == nil {
			return nil
		}
		c.RevokedAt = &now
		return s.Announcer.CertificateRevoked(tx, *c, holderAgency)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, actor, number)
}
