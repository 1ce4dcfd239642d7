package roster_test

import (
	"fmt"
	"sync"
	"testing"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/db/dbtest"
	"muster/internal/roster"
)

// TestConcurrentAssignment: coordinators of both agencies assign the same
// instructor to overlapping sessions at the same moment. Exactly one wins,
// every other gets instructor_conflict, round after round.
func TestConcurrentAssignment(t *testing.T) {
	const rounds, racers = 8, 8
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := newWorld(t, gdb)
		teh := w.online(w.CoordIR, "RACE-TEH", "CN-101", "fa", "Asia/Tehran", "2026-05-10", "2026-05-20")
		dyu := w.online(w.CoordTJ, "RACE-DYU", "CN-101", "tg", "Asia/Dushanbe", "2026-05-10", "2026-05-20")
		for round := range rounds {
			ins := w.instructor(fmt.Sprintf("racer-%d", round), w.IR, "CN-101")
			day := fmt.Sprintf("2026-05-%02d", 10+round)
			// Half the sessions in Tehran at 10:00, half in Dushanbe at 11:00:
			// 06:30Z and 06:00Z, overlapping each other.
			var sessions []string
			var actors []access.Actor
			for i := range racers {
				c, at, who := teh, "T10:00", w.CoordIR
				if i%2 == 1 {
					c, at, who = dyu, "T11:00", w.CoordTJ
				}
				s := w.Session(who, c.ID, day+at, day+at[:4]+"45", fmt.Sprintf("Round %d, seat %d", round, i), "")
				sessions, actors = append(sessions, s.ID), append(actors, who)
			}
			var wg sync.WaitGroup
			errs := make([]error, racers)
			start := make(chan struct{})
			for i := range racers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					_, errs[i] = w.Roster.Assign(w.Ctx, actors[i], sessions[i], roster.AssignInput{InstructorID: ins.UserID, Role: roster.RoleLead})
				}()
			}
			close(start)
			wg.Wait()
			wins := 0
			for i, err := range errs {
				switch {
				case err == nil:
					wins++
				case apperr.CodeOf(err) != roster.CodeInstructorConflict:
					t.Fatalf("round %d racer %d: %v", round, i, err)
				}
			}
			if wins != 1 {
				t.Fatalf("round %d: %d winners", round, wins)
			}
			var n int64
			gdb.Model(&roster.Assignment{}).Where("instructor_id = ?", ins.UserID).Count(&n)
			if n != 1 {
				t.Fatalf("round %d: %d assignments stored", round, n)
			}
		}
	})
}
