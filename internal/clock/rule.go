package clock

import "time"

// The clock rule, decided once for all of muster: every instant a service
// stores or compares is UTC, cut to whole seconds. UTC because SQLite's
// driver hands back local time and the two databases must agree; whole
// seconds because SQLite compares instants as text, where a fraction sorts
// "10:00:00.5" after "10:00:01", and PostgreSQL keeps microseconds that a
// round trip through SQLite would lose.

// Now is c's instant under the clock rule; a nil c is the system clock.
func Now(c Clock) time.Time {
	if c == nil {
		c = System{}
	}
	return c.Now().UTC().Truncate(time.Second)
}

// Today is c's calendar day in UTC, at midnight, as dates are stored.
func Today(c Clock) time.Time { return Day(Now(c)) }

// Day is t's calendar day in UTC, at midnight.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
