package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// sealedPrefix marks a value sealed by a Box, so stored values say whether
// they are encrypted and under which scheme.
const sealedPrefix = "aesgcm1:"

// KeySize is the length of the key a Box is made from (AES-256).
const KeySize = 32

// ErrWrongKey answers a sealed value the box cannot open: another key
// sealed it, or it was changed, or it belongs to another record.
var ErrWrongKey = errors.New("cannot be decrypted with this MUSTER_SECRET_KEY (another key sealed it, or it was altered)")

// Box seals small secrets kept in the database (signing keys) under the
// operator's key with AES-256-GCM. The associated data binds a sealed value
// to its record, so a value copied onto another row does not open.
type Box struct {
	aead        cipher.AEAD
	fingerprint string
}

// ParseKey reads MUSTER_SECRET_KEY: 32 bytes in standard or URL-safe base64,
// with or without padding.
func ParseKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != KeySize {
				return nil, fmt.Errorf("%d bytes, want %d random bytes in base64 (for example `openssl rand -base64 32`)", len(b), KeySize)
			}
			return b, nil
		}
	}
	return nil, errors.New("not base64: want 32 random bytes in base64 (for example `openssl rand -base64 32`)")
}

// NewBox makes a box from a 32-byte key.
func NewBox(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key: %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(append([]byte("muster secret key fingerprint\x00"), key...))
	return &Box{aead: aead, fingerprint: hex.EncodeToString(sum[:4])}, nil
}

// Fingerprint names the key without revealing it, for logs and audit
// events that say which key sealed what.
func (b *Box) Fingerprint() string { return b.fingerprint }

// Seal encrypts plaintext bound to associated, under a fresh random nonce.
func (b *Box) Seal(plaintext, associated []byte) string {
	nonce := make([]byte, b.aead.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails on supported platforms
	out := b.aead.Seal(nonce, nonce, plaintext, associated)
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out)
}

// Open decrypts a value Seal made with the same associated data.
func (b *Box) Open(sealed string, associated []byte) ([]byte, error) {
	raw, ok := strings.CutPrefix(sealed, sealedPrefix)
	if !ok {
		return nil, errors.New("not a sealed value")
	}
	data, err := base64.RawStdEncoding.DecodeString(raw)
	if err != nil || len(data) < b.aead.NonceSize()+b.aead.Overhead() {
		return nil, errors.New("sealed value is malformed")
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, data[:n], data[n:], associated)
	if err != nil {
		return nil, ErrWrongKey
	}
	return plain, nil
}

// IsSealed reports whether a stored value was sealed by a Box.
func IsSealed(s string) bool { return strings.HasPrefix(s, sealedPrefix) }
