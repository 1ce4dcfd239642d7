package catalog

import (
	"context"
	"sync"
	"time"
)

// Stamp is the catalogue's version: database triggers move it forward with
// every change to a course or its languages, in the changing transaction.
type Stamp struct {
	ID          int `gorm:"primaryKey"`
	Version     int64
	ChangedUnix int64
}

// TableName keeps the table name explicit.
func (Stamp) TableName() string { return "catalog_stamp" }

// ChangedAt is when the catalogue last changed, to the second.
func (s Stamp) ChangedAt() time.Time { return time.Unix(s.ChangedUnix, 0).UTC() }

// Stamp reads the catalogue's current version: one primary-key read, so
// conditional requests are answered without searching.
func (s *Service) Stamp(ctx context.Context) (Stamp, error) {
	var st Stamp
	err := s.db(ctx).Take(&st, 1).Error
	return st, err
}

// countCache keeps the totals of catalogue queries under the version they
// were counted at. Any change to the catalogue moves the version, so a total
// is never served for a catalogue it was not counted on, whichever process
// made the change.
type countCache struct {
	mu      sync.Mutex
	version int64
	totals  map[string]int64
}

// countCacheSize bounds the distinct queries remembered per version.
const countCacheSize = 4096

func (c *countCache) get(version int64, key string) (int64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return 0, false
	}
	n, ok := c.totals[key]
	return n, ok
}

func (c *countCache) put(version int64, key string, total int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version < c.version {
		return // counted on an older catalogue than the one cached
	}
	if version > c.version || len(c.totals) >= countCacheSize {
		c.version, c.totals = version, map[string]int64{}
	}
	c.totals[key] = total
}
