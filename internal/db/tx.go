package db

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"muster/internal/clock"
)

// Retries bounds how often a transaction refused for a transient reason
// (serialization failure, deadlock, busy database) is run again.
const Retries = 8

// stampKey carries a transaction's instant in its context.
type stampKey struct{}

// Tx runs fn in one transaction bound to ctx: committed when fn returns nil,
// rolled back otherwise (and on panic). The transaction runs at one instant,
// taken from clk under the clock rule when it starts, which Now(tx) answers
// inside fn, so every row and audit event it writes carries the same time.
// A transaction the database refuses for a transient reason is run again,
// with a fresh instant, up to Retries times; fn must therefore not keep
// state between runs beyond what it overwrites.
func Tx(ctx context.Context, gdb *gorm.DB, clk clock.Clock, fn func(tx *gorm.DB) error) error {
	for attempt := 0; ; attempt++ {
		at := clock.Now(clk)
		err := gdb.WithContext(context.WithValue(ctx, stampKey{}, at)).Transaction(fn)
		if err == nil || attempt >= Retries || !Transient(err) {
			return err
		}
		// Back off a little, with jitter, so retried transactions do not collide again.
		wait := time.Duration(1+rand.IntN(5<<attempt)) * time.Millisecond
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// Now is the instant of the transaction tx belongs to, as Tx stamped it;
// outside one (a plain read), clk's instant under the clock rule.
func Now(tx *gorm.DB, clk clock.Clock) time.Time {
	if tx != nil && tx.Statement != nil && tx.Statement.Context != nil {
		if at, ok := tx.Statement.Context.Value(stampKey{}).(time.Time); ok {
			return at
		}
	}
	return clock.Now(clk)
}

// Transient reports whether err is a refusal that running the transaction
// again can cure: PostgreSQL's serialization failure, deadlock or lock
// timeout, and SQLite's busy or locked database.
func Transient(err error) bool {
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) {
		switch pg.SQLState() {
		case "40001", "40P01", "55P03":
			return true
		}
		return false
	}
	var lite interface{ Code() int }
	if errors.As(err, &lite) {
		switch lite.Code() & 0xff {
		case 5, 6: // SQLITE_BUSY, SQLITE_LOCKED
			return true
		}
	}
	return false
}
