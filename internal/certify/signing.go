package certify

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/db"
)

// keyPurpose names the keys that sign credentials and revocation lists.
const keyPurpose = "credentials"

// SigningKey is a stored Ed25519 key pair that signs credentials. Keys are
// kept in the database, their seed sealed under MUSTER_SECRET_KEY when one
// is configured, unless the configuration supplies the seed; a
// retired key is no longer used to sign but stays published, so the
// credentials it signed still verify.
type SigningKey struct {
	ID         string `gorm:"primaryKey"`
	Purpose    string
	PublicKey  string // base64 of the 32-byte public key
	PrivateKey string `json:"-"` // base64 of the 32-byte seed, or the seed sealed by a secret.Box
	CreatedAt  time.Time
	RetiredAt  *time.Time
}

// TableName keeps the table name explicit.
func (SigningKey) TableName() string { return "signing_keys" }

// ParseSigningSeed reads a configured signing key: a 32-byte Ed25519 seed in
// standard or URL-safe base64, with or without padding.
func ParseSigningSeed(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != ed25519.SeedSize {
				return nil, fmt.Errorf("signing key: %d bytes, want a %d-byte Ed25519 seed", len(b), ed25519.SeedSize)
			}
			return b, nil
		}
	}
	return nil, fmt.Errorf("signing key: not base64")
}

// signer returns the key that signs now: the configured seed, else the
// active stored key, generated on first use. The active key is looked up on
// every call, so a rotation by another process is followed at once; its
// seed is decrypted only when the key changes.
func (s *Service) signer(ctx context.Context) (ed25519.PrivateKey, error) {
	if len(s.SigningSeed) > 0 {
		if len(s.SigningSeed) != ed25519.SeedSize {
			return nil, fmt.Errorf("signing key: %d bytes, want %d", len(s.SigningSeed), ed25519.SeedSize)
		}
		return ed25519.NewKeyFromSeed(s.SigningSeed), nil
	}
	k, err := s.storedKey(ctx)
	if err != nil {
		return nil, err
	}
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.key != nil && s.keyID == k.ID {
		return s.key, nil
	}
	seed, err := s.openSeed(k)
	if err != nil {
		return nil, err
	}
	s.key, s.keyID = ed25519.NewKeyFromSeed(seed), k.ID
	return s.key, nil
}

// storedKey reads the active key, creating it when there is none. The
// unique index on the active key of a purpose lets only one of several
// processes starting together insert; the others read the winner's key.
func (s *Service) storedKey(ctx context.Context) (*SigningKey, error) {
	var key SigningKey
	if found, err := activeKey(s.db(ctx), &key); err != nil || found {
		return &key, err
	}
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		found, err := activeKey(tx, &key)
		if err != nil || found {
			return err
		}
		if _, err := s.insertKey(tx, access.System(), "signing_key.create", nil); err != nil {
			return err
		}
		if found, err = activeKey(tx, &key); err == nil && !found {
			err = fmt.Errorf("signing key: none after creating one")
		}
		return err
	})
	return &key, err
}

// insertKey generates a key pair and stores it as the active key, sealed
// when a secret key is configured, with its audit event; extra details go
// into the event. Another process's key inserted first wins silently (nil).
func (s *Service) insertKey(tx *gorm.DB, actor access.Actor, action string, extra map[string]any) (*SigningKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	now := db.Now(tx, s.Clock)
	k := &SigningKey{ID: uuid.Must(uuid.NewV7()).String(), Purpose: keyPurpose, PublicKey: base64.StdEncoding.EncodeToString(pub), CreatedAt: now}
	if k.PrivateKey, err = s.storedSeed(k.ID, priv.Seed()); err != nil {
		return nil, err
	}
	res := tx.Exec("INSERT INTO signing_keys (id, purpose, public_key, private_key, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
		k.ID, k.Purpose, k.PublicKey, k.PrivateKey, now)
	if res.Error != nil {
		return nil, fmt.Errorf("signing key: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return nil, nil
	}
	details := map[string]any{"purpose": keyPurpose, "public_key": Multikey(pub), "sealed": s.Secrets != nil}
	if s.Secrets != nil {
		details["secret_key"] = s.Secrets.Fingerprint()
	}
	for name, v := range extra {
		details[name] = v
	}
	return k, audit.Record(tx, now, actor, audit.Entry{Action: action, SubjectType: "signing_key", SubjectID: k.ID, Details: details})
}

func activeKey(tx *gorm.DB, key *SigningKey) (bool, error) {
	var rows []SigningKey
	if err := tx.Where("purpose = ? AND retired_at IS NULL", keyPurpose).Limit(1).Find(&rows).Error; err != nil {
		return false, err
	}
	if len(rows) == 0 {
		return false, nil
	}
	*key = rows[0]
	return true, nil
}

// publishedKeys are the public keys whose signatures muster stands by: the
// one signing now first, then every stored key, retired ones included.
func (s *Service) publishedKeys(ctx context.Context) ([]ed25519.PublicKey, error) {
	current, err := s.signer(ctx)
	if err != nil {
		return nil, err
	}
	keys := []ed25519.PublicKey{current.Public().(ed25519.PublicKey)}
	var stored []SigningKey
	if err := s.db(ctx).Where("purpose = ?", keyPurpose).Order("created_at").Find(&stored).Error; err != nil {
		return nil, err
	}
	for _, k := range stored {
		pub, err := base64.StdEncoding.DecodeString(k.PublicKey)
		if err != nil || len(pub) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("signing key %s: stored public key is malformed", k.ID)
		}
		if !ed25519.PublicKey(pub).Equal(keys[0]) {
			keys = append(keys, pub)
		}
	}
	return keys, nil
}
