package cohort

import (
	"strings"
	"time"

	"gorm.io/gorm"

	"muster/internal/apperr"
)

// SessionRef names a session of some cohort: what a conflict message shows.
type SessionRef struct {
	SessionID  string    `json:"session_id"`
	CohortID   string    `json:"cohort_id"`
	CohortCode string    `json:"cohort_code"`
	Topic      string    `json:"topic"`
	Room       string    `json:"room"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	TimeZone   string    `json:"time_zone"`
}

// refColumns select a SessionRef from cohort_sessions s joined to cohorts c.
const refColumns = "s.id AS session_id, s.cohort_id, c.code AS cohort_code, s.topic, s.room, s.starts_at, s.ends_at, c.time_zone"

// Refs is a query of sessions as SessionRefs, for other packages' clash
// checks: cohort_sessions s joined to cohorts c, cancelled cohorts left out
// since their sessions no longer take place.
func Refs(tx *gorm.DB) *gorm.DB {
	return tx.Table("cohort_sessions AS s").Select(refColumns).
		Joins("JOIN cohorts c ON c.id = s.cohort_id").Where("c.status <> ?", StatusCancelled)
}

// VenueClash returns a session that uses venue (and the same room, or the
// whole venue) between starts and ends, other than session except, or nil.
// Overlap is on instants: back-to-back sessions do not clash.
func VenueClash(tx *gorm.DB, venueID, room string, starts, ends time.Time, except string) (*SessionRef, error) {
	q := Refs(tx).Where("c.venue_id = ? AND s.starts_at < ? AND s.ends_at > ?", venueID, ends.UTC(), starts.UTC())
	if room = strings.TrimSpace(room); room != "" {
		// An unnamed room is the whole venue, which clashes with every room.
		q = q.Where("(s.room = '' OR lower(s.room) = lower(?))", room)
	}
	if except != "" {
		q = q.Where("s.id <> ?", except)
	}
	var refs []SessionRef
	if err := q.Order("s.starts_at").Limit(1).Scan(&refs).Error; err != nil || len(refs) == 0 {
		return nil, err
	}
	refs[0].StartsAt, refs[0].EndsAt = refs[0].StartsAt.UTC(), refs[0].EndsAt.UTC()
	return &refs[0], nil
}

// ClashError is a refusal with code that names the clashing session, its
// times shown in loc (the zone of the cohort being scheduled), and carries
// the session in Details for clients.
func ClashError(code string, ref SessionRef, loc *time.Location, kv ...any) *apperr.Error {
	e := apperr.New(code).WithArgs("Cohort", ref.CohortCode, "Topic", ref.Topic, "Room", ref.Room,
		"Start", FormatLocal(ref.StartsAt, loc), "End", FormatLocal(ref.EndsAt, loc), "Zone", loc.String())
	e.WithArgs(kv...)
	e.Details = map[string]any{"session": ref}
	return e
}

// venueClashError refuses a session at c's venue that clashes with ref.
func venueClashError(ref SessionRef, c *Cohort) *apperr.Error {
	return ClashError(CodeVenueConflict, ref, ZoneOf(c.TimeZone))
}

// checkVenueForSessions refuses moving c to its (new) venue when one of
// its sessions would clash there.
func checkVenueForSessions(tx *gorm.DB, c *Cohort) error {
	if _, err := venueByID(tx, *c.VenueID, true); err != nil {
		return err
	}
	var sessions []Session
	if err := tx.Where("cohort_id = ?", c.ID).Order("starts_at").Find(&sessions).Error; err != nil {
		return err
	}
	for _, s := range sessions {
		ref, err := VenueClash(tx, *c.VenueID, s.Room, s.StartsAt, s.EndsAt, s.ID)
		if err != nil {
			return err
		}
		if ref != nil {
			return venueClashError(*ref, c)
		}
	}
	return nil
}
