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
// kept in the database unless the configuration supplies the seed; a
// retired key is no longer used to sign but stays published, so the
// credentials it signed still verify.
type SigningKey struct {
	ID         string `gorm:"primaryKey"`
	Purpose    string
	PublicKey  string // base64 of the 32-byte public key
	PrivateKey string `json:"-"` // base64 of the 32-byte seed
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
// active stored key, generated on first use. It is read once per process.
func (s *Service) signer(ctx context.Context) (ed25519.PrivateKey, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.key != nil {
		return s.key, nil
	}
	if len(s.SigningSeed) > 0 {
		if len(s.SigningSeed) != ed25519.SeedSize {
			return nil, fmt.Errorf("signing key: %d bytes, want %d", len(s.SigningSeed), ed25519.SeedSize)
		}
		s.key = ed25519.NewKeyFromSeed(s.SigningSeed)
		return s.key, nil
	}
	k, err := s.storedKey(ctx)
	if err != nil {
		return nil, err
	}
	seed, err := base64.StdEncoding.DecodeString(k.PrivateKey)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("signing key %s: stored seed is malformed", k.ID)
	}
	s.key = ed25519.NewKeyFromSeed(seed)
	return s.key, nil
}

// storedKey reads the active key, creating it when there is none. The
// unique index on the active key of a purpose lets only one of several
// processes starting together insert; the others read the winner's key.
func (s *Service) storedKey(ctx context.Context) (*SigningKey, error) {
	var key SigningKey
	err := db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		found, err := activeKey(tx, &key)
		if err != nil || found {
			return err
		}
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		now := db.Now(tx, s.Clock)
		id := uuid.Must(uuid.NewV7()).String()
		res := tx.Exec("INSERT INTO signing_keys (id, purpose, public_key, private_key, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
			id, keyPurpose, base64.StdEncoding.EncodeToString(pub), base64.StdEncoding.EncodeToString(priv.Seed()), now)
		if res.Error != nil {
			return fmt.Errorf("signing key: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			if err := audit.Record(tx, now, access.System(), audit.Entry{Action: "signing_key.create", SubjectType: "signing_key", SubjectID: id,
				Details: map[string]any{"purpose": keyPurpose, "public_key": Multikey(pub)}}); err != nil {
				return err
			}
		}
		if found, err = activeKey(tx, &key); err == nil && !found {
			err = fmt.Errorf("signing key: none after creating one")
		}
		return err
	})
	return &key, err
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
