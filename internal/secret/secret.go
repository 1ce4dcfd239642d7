// Package secret makes the random tokens muster hands out (access tokens,
// calendar-feed links) and the hashes they are stored as, so a database
// leak does not give the tokens away.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// New returns 256 random bits, URL-safe.
func New() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// Hash is the stored form of a token: hex SHA-256. Tokens carry 256 random
// bits, so a fast hash is enough; there is nothing to guess.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Base32 returns n random characters of the RFC 4648 base32 alphabet (five
// bits each), for codes people type.
func Base32(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[b[i]&31]
	}
	return string(b)
}
