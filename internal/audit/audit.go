// Package audit writes and reads the audit trail: who changed what, when and
// from where. Events are written in the transaction of the change they record
// and never updated or deleted: the database refuses both, and each event is
// linked into a hash chain that Verify walks (see chain.go).
package audit

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/db"
)

// Event is one recorded action.
type Event struct {
	ID          int64     `gorm:"primaryKey"`
	At          time.Time `gorm:"not null"`
	ActorID     *string
	ActorName   string
	IP          string `gorm:"column:ip"`
	Action      string `gorm:"not null"`
	SubjectType string `gorm:"not null"`
	SubjectID   string `gorm:"not null"`
	AgencyID    *string
	Details     string `gorm:"not null"`
	// ContentHash is the SHA-256 of the event's canonical content (contentHash).
	ContentHash []byte
}

// TableName keeps the table name explicit.
func (Event) TableName() string { return "audit_events" }

// Entry describes an event to record.
type Entry struct {
	Action      string // noun.verb, such as "user.create" or "enrollment.approve"
	SubjectType string
	SubjectID   string
	AgencyID    string // the agency whose record changed, "" for none
	Details     any    // marshalled to JSON; never passwords or token secrets
}

// Record writes an event inside tx, the transaction of the change itself.
func Record(tx *gorm.DB, at time.Time, actor access.Actor, e Entry) error {
	details := []byte("{}")
	if e.Details != nil {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return fmt.Errorf("audit details: %w", err)
		}
		details = b
	}
	ev := Event{
		// PostgreSQL keeps microseconds: store exactly what the hash covers.
		At:          at.UTC().Truncate(time.Microsecond),
		ActorName:   actor.Name,
		IP:          actor.IP,
		Action:      e.Action,
		SubjectType: e.SubjectType,
		SubjectID:   e.SubjectID,
		Details:     string(details),
	}
	if actor.UserID != "" {
		ev.ActorID = &actor.UserID
	}
	if e.AgencyID != "" {
		ev.AgencyID = &e.AgencyID
	}
	sum, err := contentHash(&ev)
	if err != nil {
		return err
	}
	ev.ContentHash = sum
	if err := tx.Create(&ev).Error; err != nil {
		return err
	}
	// PostgreSQL links the event at commit, in its deferred trigger.
	if db.Dialect(tx) == db.SQLite {
		return appendLink(tx, &ev)
	}
	return nil
}

// Change is a field's value before and after an update.
type Change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// Diff compares two values of the same struct type field by field, by their
// json names, and returns the fields that differ. Fields tagged
// `audit:"-"` (secrets) are never included.
func Diff(before, after any) map[string]Change {
	out := map[string]Change{}
	bv, av := reflect.Indirect(reflect.ValueOf(before)), reflect.Indirect(reflect.ValueOf(after))
	t := bv.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("audit") == "-" {
			continue
		}
		name := f.Tag.Get("json")
		if name == "" || name == "-" {
			name = f.Name
		}
		b, a := bv.Field(i).Interface(), av.Field(i).Interface()
		if !reflect.DeepEqual(b, a) {
			out[name] = Change{From: b, To: a}
		}
	}
	return out
}
