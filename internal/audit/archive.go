package audit

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/db"
)

// ArchiveDetails are the details of an audit.archive event: where the
// remaining chain starts and what the exported file holds.
type ArchiveDetails struct {
	Before      string `json:"before"`
	ThroughSeq  int64  `json:"through_seq"`
	ThroughHash []byte `json:"through_hash"`
	Events      int64  `json:"events"`
	Legacy      int64  `json:"legacy"`
	FileSHA256  string `json:"file_sha256"`
}

// archivedEvent is one line of an archive file: the event and its link.
type archivedEvent struct {
	Event
	Link *Link `json:"link,omitempty"`
}

// Archive exports every event recorded before the start of day before (and
// its link) to w as JSON lines, then deletes them, in one transaction that
// also records an audit.archive event naming the last removed link, from
// which Verify resumes. It removes a prefix of the chain only, and refuses
// when the chain does not verify: a broken trail is evidence to keep.
// durable is called before the deletion commits (a file's Sync), so events
// leave the database only once their export is safely stored.
func (s *Service) Archive(ctx context.Context, actor access.Actor, before time.Time, w io.Writer, durable func() error) (ArchiveDetails, error) {
	before = before.UTC()
	d := ArchiveDetails{Before: before.Format(time.DateOnly)}
	rep, err := s.Verify(ctx)
	if err != nil {
		return d, err
	}
	if rep.Break != nil {
		return d, fmt.Errorf("refusing to archive a broken trail: %w", rep.Break)
	}
	sum := sha256.New()
	enc := json.NewEncoder(io.MultiWriter(w, sum))
	err = db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		if err := allowArchive(tx); err != nil {
			return err
		}
		// Links sealed after this read all lie past head.Seq, beyond the cut.
		var head Head
		if err := tx.Take(&head, 1).Error; err != nil {
			return err
		}
		// The chain is cut after the last link whose every predecessor is old enough.
		var young []int64
		if err := tx.Table("audit_chain c").Joins("JOIN audit_events e ON e.id = c.event_id").
			Where("e.at >= ?", before).Order("c.seq").Limit(1).Pluck("c.seq", &young).Error; err != nil {
			return err
		}
		through := head.Seq
		if len(young) > 0 {
			through = young[0] - 1
		}
		if err := exportLegacy(tx, enc, head.LegacyThrough, before, &d); err != nil {
			return err
		}
		if err := exportLinks(tx, enc, through, &d); err != nil {
			return err
		}
		if err := denyArchive(tx); err != nil {
			return err
		}
		if d.Events+d.Legacy == 0 {
			return nil
		}
		d.FileSHA256 = fmt.Sprintf("%x", sum.Sum(nil))
		if err := durable(); err != nil {
			return err
		}
		return Record(tx, s.now(), actor, Entry{Action: ActionArchive, SubjectType: "audit", SubjectID: d.Before, Details: d})
	})
	return d, err
}

// exportLegacy writes and deletes the events that predate the chain.
func exportLegacy(tx *gorm.DB, enc *json.Encoder, legacy int64, before time.Time, d *ArchiveDetails) error {
	var events []Event
	if err := tx.Where("id <= ? AND at < ?", legacy, before).Order("id").Find(&events).Error; err != nil {
		return err
	}
	for i := range events {
		if err := enc.Encode(archivedEvent{Event: events[i]}); err != nil {
			return err
		}
	}
	d.Legacy = int64(len(events))
	return tx.Where("id <= ? AND at < ?", legacy, before).Delete(&Event{}).Error
}

// exportLinks writes and deletes the links up to seq through and their events.
func exportLinks(tx *gorm.DB, enc *json.Encoder, through int64, d *ArchiveDetails) error {
	svc := &Service{DB: tx}
	for lo := int64(1); ; {
		var first []int64
		if err := tx.Model(&Link{}).Where("seq >= ? AND seq <= ?", lo, through).Order("seq").Limit(1).Pluck("seq", &first).Error; err != nil {
			return err
		}
		if len(first) == 0 {
			break
		}
		rows, err := svc.links(tx, first[0], min(first[0]+verifyBatch-1, through))
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.Event == nil {
				return fmt.Errorf("link %d has no event", r.Seq)
			}
			if err := enc.Encode(archivedEvent{Event: *r.Event, Link: &r.Link}); err != nil {
				return err
			}
			d.Events++
			d.ThroughSeq, d.ThroughHash = r.Seq, r.Hash
		}
		lo = rows[len(rows)-1].Seq + 1
	}
	if d.Events == 0 {
		return nil
	}
	if err := tx.Where("id IN (?)", tx.Model(&Link{}).Select("event_id").Where("seq <= ?", through)).Delete(&Event{}).Error; err != nil {
		return err
	}
	return tx.Where("seq <= ?", through).Delete(&Link{}).Error
}

// allowArchive lifts the append-only guard for this transaction only.
func allowArchive(tx *gorm.DB) error {
	if db.Dialect(tx) == db.Postgres {
		return tx.Exec("SELECT set_config('muster.audit_archive', 'on', true)").Error
	}
	return tx.Exec("INSERT INTO audit_archive_permits (id) VALUES (1)").Error
}

// denyArchive puts the guard back before the transaction records its event.
func denyArchive(tx *gorm.DB) error {
	if db.Dialect(tx) == db.Postgres {
		return tx.Exec("SELECT set_config('muster.audit_archive', 'off', true)").Error
	}
	return tx.Exec("DELETE FROM audit_archive_permits").Error
}
