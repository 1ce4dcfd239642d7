package db_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"muster/internal/clock"
	"muster/internal/db"
	"muster/internal/db/dbtest"
)

// sqlState is an error as the PostgreSQL driver reports a refusal.
type sqlState string

func (s sqlState) Error() string    { return "refused: " + string(s) }
func (s sqlState) SQLState() string { return string(s) }

// TestTxStampsOneInstantAndRetriesTransientRefusals: every statement of a
// transaction sees the instant taken when it began, whole seconds in UTC,
// even as the clock moves; a serialization failure runs it again with a
// fresh instant, and any other error does not.
func TestTxStampsOneInstantAndRetriesTransientRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		ctx := context.Background()
		clk := clock.NewFixed(time.Date(2026, 3, 10, 9, 0, 0, 500_000_000, time.FixedZone("Tehran", 12600)))
		runs := 0
		var seen []time.Time
		err := db.Tx(ctx, gdb, clk, func(tx *gorm.DB) error {
			runs++
			first := db.Now(tx, clk)
			clk.Advance(time.Minute)
			if again := db.Now(tx, clk); !again.Equal(first) {
				t.Fatalf("the instant moved inside one transaction: %v then %v", first, again)
			}
			seen = append(seen, first)
			if runs == 1 {
				return sqlState("40001")
			}
			return nil
		})
		if err != nil || runs != 2 {
			t.Fatalf("err %v after %d runs, want success on the second", err, runs)
		}
		if want := time.Date(2026, 3, 10, 5, 30, 0, 0, time.UTC); !seen[0].Equal(want) || seen[0].Location() != time.UTC {
			t.Fatalf("stamp %v, want %v in UTC, whole seconds", seen[0], want)
		}
		if !seen[1].After(seen[0]) {
			t.Fatalf("the retry kept the old instant %v", seen[1])
		}
		if got := db.Now(gdb, clk); !got.Equal(clock.Now(clk)) {
			t.Fatalf("outside a transaction Now = %v, want the clock's %v", got, clock.Now(clk))
		}

		runs = 0
		boom := errors.New("a rule refused")
		if err := db.Tx(ctx, gdb, clk, func(*gorm.DB) error { runs++; return boom }); !errors.Is(err, boom) || runs != 1 {
			t.Fatalf("err %v after %d runs, want the refusal after one", err, runs)
		}
	})
}
