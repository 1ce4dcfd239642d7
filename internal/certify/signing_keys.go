package certify

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/db"
	"muster/internal/secret"
)

// ErrClearKeyRefused is the answer to generating a signing key that would be
// stored in the clear where the configuration demands it sealed.
var ErrClearKeyRefused = errors.New("refusing to store a generated signing key in the clear with an https MUSTER_BASE_URL: " +
	"set MUSTER_SECRET_KEY (32 random bytes in base64, or MUSTER_SECRET_KEY_FILE) so it is stored encrypted, or supply the key in MUSTER_SIGNING_KEY")

// ErrConfiguredKey refuses to rotate stored keys while MUSTER_SIGNING_KEY,
// which is never stored, is the one that signs.
var ErrConfiguredKey = errors.New("MUSTER_SIGNING_KEY supplies the signing key: rotate it by changing that setting, not with stored keys")

// KeyInfo describes a signing key for operators; never its private part.
type KeyInfo struct {
	ID        string     `json:"id"`
	PublicKey string     `json:"public_key"` // Multikey, also the key's fragment in the DID document
	CreatedAt time.Time  `json:"created_at"`
	RetiredAt *time.Time `json:"retired_at,omitempty"`
	Sealed    bool       `json:"sealed"` // stored encrypted under MUSTER_SECRET_KEY
}

// sealData binds a sealed seed to its key's row: a sealed seed copied onto
// another row does not open.
func sealData(id string) []byte { return []byte("muster signing key " + id) }

// storedSeed is the private_key column's value for a new key's seed.
func (s *Service) storedSeed(id string, seed []byte) (string, error) {
	switch {
	case s.Secrets != nil:
		return s.Secrets.Seal(seed, sealData(id)), nil
	case s.RequireSealedKeys:
		return "", ErrClearKeyRefused
	}
	return base64.StdEncoding.EncodeToString(seed), nil
}

// openSeed reads a stored key's seed, decrypting a sealed one.
func (s *Service) openSeed(k *SigningKey) ([]byte, error) {
	var seed []byte
	var err error
	if secret.IsSealed(k.PrivateKey) {
		if s.Secrets == nil {
			return nil, fmt.Errorf("signing key %s is stored encrypted: set MUSTER_SECRET_KEY (or MUSTER_SECRET_KEY_FILE) to the key that sealed it", k.ID)
		}
		if seed, err = s.Secrets.Open(k.PrivateKey, sealData(k.ID)); err != nil {
			return nil, fmt.Errorf("signing key %s: %w", k.ID, err)
		}
	} else if seed, err = base64.StdEncoding.DecodeString(k.PrivateKey); err != nil {
		return nil, fmt.Errorf("signing key %s: stored seed is malformed", k.ID)
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("signing key %s: stored seed is malformed", k.ID)
	}
	return seed, nil
}

// PrepareKeys readies signing at start: the signing key is read or
// generated; with a secret key, every stored key still in the clear is
// sealed (audited); and the current key must open. So a server that cannot
// sign (a wrong secret key, a key refused in the clear) stops at start, not
// at the first download. It answers how many stored keys remain in clear.
func (s *Service) PrepareKeys(ctx context.Context) (clear int, err error) {
	if _, err := s.signer(ctx); err != nil {
		return 0, err
	}
	err = db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		var keys []SigningKey
		if err := tx.Order("created_at").Find(&keys).Error; err != nil {
			return err
		}
		clear = 0
		for i := range keys {
			k := &keys[i]
			seed, err := s.openSeed(k)
			if err != nil && k.RetiredAt != nil {
				continue // never signs again; its public key alone keeps its credentials verifying
			}
			if err != nil {
				return err
			}
			if s.Secrets == nil || secret.IsSealed(k.PrivateKey) {
				if !secret.IsSealed(k.PrivateKey) {
					clear++
				}
				continue
			}
			sealed := s.Secrets.Seal(seed, sealData(k.ID))
			res := tx.Model(&SigningKey{}).Where("id = ? AND private_key = ?", k.ID, k.PrivateKey).Update("private_key", sealed)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 1 {
				if err := audit.Record(tx, db.Now(tx, s.Clock), access.System(), audit.Entry{Action: "signing_key.seal", SubjectType: "signing_key", SubjectID: k.ID,
					Details: map[string]any{"public_key": publicMultikey(k), "secret_key": s.Secrets.Fingerprint()}}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return clear, nil
}

// RotateKey makes a newly generated key the one that signs. The previous
// key is retired but stays published in the DID document, so what it signed
// still verifies. The change and both keys are audited.
func (s *Service) RotateKey(ctx context.Context, actor access.Actor) (*KeyInfo, error) {
	if len(s.SigningSeed) > 0 {
		return nil, ErrConfiguredKey
	}
	var info *KeyInfo
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		var old SigningKey
		had, err := activeKey(tx, &old)
		if err != nil {
			return err
		}
		extra := map[string]any{}
		if had {
			res := tx.Model(&SigningKey{}).Where("id = ? AND retired_at IS NULL", old.ID).Update("retired_at", db.Now(tx, s.Clock))
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				return fmt.Errorf("signing key: another rotation retired %s first; try again", old.ID)
			}
			extra["retired_key"] = old.ID
			extra["retired_public_key"] = publicMultikey(&old)
		}
		k, err := s.insertKey(tx, actor, "signing_key.rotate", extra)
		if err != nil {
			return err
		}
		if k == nil {
			return fmt.Errorf("signing key: another process made a new key at the same time; try again")
		}
		info = keyInfo(k)
		return nil
	})
	return info, err
}

// Keys lists the stored signing keys, the newest first.
func (s *Service) Keys(ctx context.Context) ([]KeyInfo, error) {
	var keys []SigningKey
	if err := s.db(ctx).Where("purpose = ?", keyPurpose).Order("created_at DESC, id DESC").Find(&keys).Error; err != nil {
		return nil, err
	}
	out := make([]KeyInfo, len(keys))
	for i := range keys {
		out[i] = *keyInfo(&keys[i])
	}
	return out, nil
}

func keyInfo(k *SigningKey) *KeyInfo {
	return &KeyInfo{ID: k.ID, PublicKey: publicMultikey(k), CreatedAt: k.CreatedAt.UTC(), RetiredAt: k.RetiredAt, Sealed: secret.IsSealed(k.PrivateKey)}
}

// publicMultikey is a stored key's public key as a Multikey, "" when malformed.
func publicMultikey(k *SigningKey) string {
	pub, err := base64.StdEncoding.DecodeString(k.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return ""
	}
	return Multikey(pub)
}
