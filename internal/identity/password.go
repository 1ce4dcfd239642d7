package identity

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"

	"muster/internal/apperr"
)

// Argon2id parameters, in one place. Hashes carry their parameters, so these
// can be raised later and old hashes still verify.
var hashParams = argonParams{Memory: 64 * 1024, Time: 2, Threads: 2, KeyLen: 32, SaltLen: 16}

type argonParams struct {
	Memory  uint32
	Time    uint32
	Threads uint8
	KeyLen  uint32
	SaltLen int
}

// hashing bounds concurrent argon2id runs: each takes 64 MiB and a core's
// worth of work. Waiters beyond hashQueue are refused at once, and a waiter
// whose request is cancelled gives up its place.
var (
	hashing   = make(chan struct{}, 2)
	hashQueue = make(chan struct{}, 64)
)

// errBusy answers a sign-in when too many are already waiting to be checked.
func errBusy() error {
	return &apperr.Error{Code: apperr.CodeRateLimited, Key: "auth.busy", Details: map[string]any{"retry_after": 1}}
}

// acquireHash waits for a hashing slot, bounded by the queue and by ctx.
func acquireHash(ctx context.Context) (release func(), err error) {
	select {
	case hashQueue <- struct{}{}:
	default:
		return nil, errBusy()
	}
	defer func() { <-hashQueue }()
	select {
	case hashing <- struct{}{}:
		return func() { <-hashing }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// HashPassword returns an argon2id PHC string: $argon2id$v=19$m=..,t=..,p=..$salt$key.
func HashPassword(pw string) (string, error) {
	p := hashParams
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	release, err := acquireHash(context.Background())
	if err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	release()
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches the PHC hash, in constant time.
func VerifyPassword(hash, pw string) (bool, error) {
	return verifyPassword(context.Background(), hash, pw)
}

// verifyPassword is VerifyPassword that gives up when ctx ends while it waits.
func verifyPassword(ctx context.Context, hash, pw string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("unsupported argon2 version")
	}
	var p argonParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, fmt.Errorf("argon2 parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, err
	}
	release, err := acquireHash(ctx)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	release()
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when the email is unknown, so a failed
// sign-in takes as long whether or not the account exists.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("muster-dummy-password-for-timing")
	if err != nil {
		panic(err)
	}
	return h
})

// GeneratePassword makes a one-time password of 20 URL-safe characters.
func GeneratePassword() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
