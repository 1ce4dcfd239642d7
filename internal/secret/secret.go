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
