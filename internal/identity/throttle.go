package identity

import (
	"context"
	"math"
	"time"

	"gorm.io/gorm"

	"muster/internal/apperr"
)

// Throttle defaults: an account is tried at most accountAttempts times per
// accountWindow from anywhere; an address that fails addressFailures times
// per addressWindow is refused until the window ends. Failures, not
// sign-ins, count per address: a ministry's staff often share one.
const (
	accountAttempts = 20
	accountWindow   = 5 * time.Minute
	addressFailures = 30
	addressWindow   = 5 * time.Minute
	resetsPerHour   = 3
)

// errThrottled answers a refused attempt with when to come back.
func errThrottled(retry time.Duration) error {
	secs := int(math.Ceil(retry.Seconds()))
	return &apperr.Error{Code: apperr.CodeRateLimited, Key: "auth.throttled", Args: map[string]any{"Seconds": secs},
		Details: map[string]any{"retry_after": secs}}
}

// Throttle counts one attempt for key in the current fixed window of length
// per and refuses it past limit. The count lives in the database, so every
// muster process shares it.
func (s *Service) Throttle(ctx context.Context, key string, limit int, per time.Duration) error {
	now := s.now()
	start := now.Truncate(per)
	var n int
	err := s.DB.WithContext(ctx).Raw(`INSERT INTO auth_throttle (key, window_start, attempts) VALUES (?, ?, 1)
		ON CONFLICT (key, window_start) DO UPDATE SET attempts = auth_throttle.attempts + 1
		RETURNING attempts`, key, start).Scan(&n).Error
	if err != nil {
		return err
	}
	if n > limit {
		return errThrottled(start.Add(per).Sub(now))
	}
	return nil
}

// throttleLogin refuses a sign-in when the account has been tried too often
// or the address has failed too often.
func (s *Service) throttleLogin(ctx context.Context, email, ip string) error {
	now := s.now()
	start := now.Truncate(addressWindow)
	var failures int
	if err := s.DB.WithContext(ctx).Model(&ThrottleWindow{}).Where("key = ? AND window_start = ?", "fail:"+ip, start).
		Pluck("attempts", &failures).Error; err != nil {
		return err
	}
	if failures >= s.AddressFailureLimit {
		return errThrottled(start.Add(addressWindow).Sub(now))
	}
	return s.Throttle(ctx, "login:"+emailKey(email), s.AccountAttemptLimit, accountWindow)
}

// countAddressFailure adds a failed sign-in to the address's window.
func (s *Service) countAddressFailure(ctx context.Context, ip string) {
	_ = s.Throttle(context.WithoutCancel(ctx), "fail:"+ip, math.MaxInt32, addressWindow)
}

// PruneThrottleBefore removes, inside tx, the sign-in throttle windows
// (failed sign-in identifiers and client addresses) that started before
// cutoff; retention calls it with its period.
func PruneThrottleBefore(tx *gorm.DB, cutoff time.Time) (int64, error) {
	res := tx.Where("window_start < ?", cutoff).Delete(&ThrottleWindow{})
	return res.RowsAffected, res.Error
}
