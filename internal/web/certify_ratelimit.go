package web

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"muster/internal/apperr"
)

// verifyLimiter is a token bucket per client IP, so verification codes
// cannot be enumerated. It is per process: behind a load balancer each
// process allows the rate, which still keeps enumeration of 128-bit codes
// out of reach.
type verifyLimiter struct {
	every rate.Limit
	burst int

	mu       sync.Mutex
	visitors map[string]*verifyVisitor
	swept    time.Time
}

type verifyVisitor struct {
	bucket *rate.Limiter
	seen   time.Time
}

func newVerifyLimiter(perMinute float64, burst int) *verifyLimiter {
	return &verifyLimiter{every: rate.Limit(perMinute / 60), burst: burst, visitors: map[string]*verifyVisitor{}}
}

// refill is how long a bucket takes to fill again: an entry idle that long
// is the same as a new one, so dropping it loses nothing.
func (l *verifyLimiter) refill() time.Duration {
	return time.Duration(float64(l.burst) / float64(l.every) * float64(time.Second))
}

// reserve takes a token for key at now, or says how long to wait for one.
func (l *verifyLimiter) reserve(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > l.refill() {
		for k, v := range l.visitors {
			if now.Sub(v.seen) > l.refill() {
				delete(l.visitors, k)
			}
		}
		l.swept = now
	}
	v, ok := l.visitors[key]
	if !ok {
		v = &verifyVisitor{bucket: rate.NewLimiter(l.every, l.burst)}
		l.visitors[key] = v
	}
	v.seen = now
	r := v.bucket.ReserveN(now, 1)
	if delay := r.DelayFrom(now); delay > 0 {
		r.CancelAt(now)
		return false, delay
	}
	return true, 0
}

// limit answers 429 rate_limited, with Retry-After, to a client over its rate.
func (l *verifyLimiter) limit(s *Server) gin.HandlerFunc {
	return func(c *gin.Context) {
		ok, wait := l.reserve(c.ClientIP(), time.Now())
		if !ok {
			c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			s.fail(c, apperr.New(apperr.CodeRateLimited))
			return
		}
		c.Next()
	}
}
