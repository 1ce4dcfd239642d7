package identity

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image/png"
	"time"

	"github.com/google/uuid"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
)

// Limits of a seal or signature image: small enough to sit in a database
// row and on every certificate, large enough to print sharply.
const (
	MaxSealBytes = 256 << 10
	minSealSide  = 32
	maxSealSide  = 2048
)

// AgencySeal is the PNG seal or signature an agency prints on the
// certificates it issues as host.
type AgencySeal struct {
	AgencyID  string `gorm:"primaryKey"`
	PNG       []byte `gorm:"column:png"`
	Width     int
	Height    int
	UpdatedAt time.Time `gorm:"autoUpdateTime:false"`
}

// TableName keeps the table name explicit.
func (AgencySeal) TableName() string { return "agency_seals" }

// canEditSeal: admins for every agency, agency admins for their own.
func canEditSeal(actor access.Actor, agencyID string) bool {
	return actor.CanAdministerAgency(agencyID)
}

// checkSeal proves image is a PNG of sane size: the header is read first,
// so a small file that inflates to a huge bitmap is refused before decoding.
func checkSeal(image []byte) (width, height int, err error) {
	if len(image) > MaxSealBytes {
		return 0, 0, apperr.Invalid(apperr.Field("seal", "agency.seal_too_large", "Max", MaxSealBytes>>10))
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(image))
	if err != nil {
		return 0, 0, apperr.Invalid(apperr.Field("seal", "agency.seal_not_png"))
	}
	if cfg.Width < minSealSide || cfg.Height < minSealSide || cfg.Width > maxSealSide || cfg.Height > maxSealSide {
		return 0, 0, apperr.Invalid(apperr.Field("seal", "agency.seal_dimensions", "Min", minSealSide, "Max", maxSealSide))
	}
	if _, err := png.Decode(bytes.NewReader(image)); err != nil {
		return 0, 0, apperr.Invalid(apperr.Field("seal", "agency.seal_not_png"))
	}
	return cfg.Width, cfg.Height, nil
}

// SetSeal stores image as the agency's seal, replacing any earlier one.
func (s *Service) SetSeal(ctx context.Context, actor access.Actor, agencyID string, image []byte) (*AgencySeal, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	if !canEditSeal(actor, agencyID) {
		return nil, apperr.New(apperr.CodeForbidden)
	}
	w, h, err := checkSeal(image)
	if err != nil {
		return nil, err
	}
	seal := &AgencySeal{AgencyID: agencyID, PNG: image, Width: w, Height: h, UpdatedAt: s.now()}
	sum := sha256.Sum256(image)
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockAgency(tx, agencyID); err != nil {
			return err
		}
		if err := tx.Clauses(clause.OnConflict{UpdateAll: true}).Create(seal).Error; err != nil {
			return err
		}
		return s.record(tx, actor, audit.Entry{Action: "agency.seal_set", SubjectType: "agency", SubjectID: agencyID, AgencyID: agencyID,
			Details: map[string]any{"width": w, "height": h, "bytes": len(image), "sha256": hex.EncodeToString(sum[:])}})
	})
	if err != nil {
		return nil, err
	}
	return seal, nil
}

// DeleteSeal removes the agency's seal; certificates then print none.
func (s *Service) DeleteSeal(ctx context.Context, actor access.Actor, agencyID string) error {
	if !actor.SignedIn() {
		return apperr.New(apperr.CodeUnauthorized)
	}
	if !canEditSeal(actor, agencyID) {
		return apperr.New(apperr.CodeForbidden)
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockAgency(tx, agencyID); err != nil {
			return err
		}
		res := tx.Where("agency_id = ?", agencyID).Delete(&AgencySeal{})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return s.record(tx, actor, audit.Entry{Action: "agency.seal_delete", SubjectType: "agency", SubjectID: agencyID, AgencyID: agencyID})
	})
}

// Seal returns the agency's seal, or nil when it has none. Seals are printed
// on public certificates, so any signed-in user may read them.
func (s *Service) Seal(ctx context.Context, actor access.Actor, agencyID string) (*AgencySeal, error) {
	if !actor.SignedIn() {
		return nil, apperr.New(apperr.CodeUnauthorized)
	}
	var seals []AgencySeal
	if uuid.Validate(agencyID) != nil {
		return nil, nil
	}
	err := s.DB.WithContext(ctx).Where("agency_id = ?", agencyID).Limit(1).Find(&seals).Error
	if err != nil || len(seals) == 0 {
		return nil, err
	}
	return &seals[0], nil
}

// lockAgency holds the agency row for the change, or answers not_found.
func lockAgency(tx *gorm.DB, id string) error {
	if uuid.Validate(id) != nil {
		return apperr.NotFound()
	}
	var a Agency
	err := db.ForUpdate(tx).Select("id").Where("id = ?", id).Take(&a).Error
	if db.IsNotFound(err) {
		return apperr.NotFound()
	}
	return err
}
