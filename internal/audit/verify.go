package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// ActionArchive is the event the archive command records: it names the last
// link it removed, where the remaining chain now starts.
const ActionArchive = "audit.archive"

// Report is what Verify found.
type Report struct {
	Links      int64  // events checked along the chain
	FirstSeq   int64  // first link present (after any archive)
	HeadSeq    int64  // the head the walk had to reach
	HeadHash   []byte // its hash: record it elsewhere to anchor the chain
	Legacy     int64  // events that predate the chain, not covered
	ArchivedTo int64  // links removed by archives, up to this seq
	Break      *Break // the first problem, nil when the chain is intact
}

// Break names the first broken event.
type Break struct {
	Seq     int64
	EventID int64
	Problem string
}

func (b *Break) Error() string {
	return fmt.Sprintf("audit chain broken at seq %d (event id %d): %s", b.Seq, b.EventID, b.Problem)
}

// Anchor is a link recorded earlier (seq and hash); Verify checks the chain
// still passes through it, which a rewritten chain would not.
type Anchor struct {
	Seq  int64
	Hash []byte
}

// verifyBatch is how many links one query reads.
const verifyBatch = 2000

// linkRow is a link with its event, nil when the event is gone.
type linkRow struct {
	Link
	Event *Event
}

// Verify walks the chain from its first link to the head read at the start,
// recomputing each event's content hash and link. It needs no transaction:
// later events only extend the chain past the head it checks.
func (s *Service) Verify(ctx context.Context, anchors ...Anchor) (Report, error) {
	gdb := s.DB.WithContext(ctx)
	var r Report
	var head Head
	if err := gdb.Take(&head, 1).Error; err != nil {
		return r, fmt.Errorf("audit chain head: %w", err)
	}
	r.HeadSeq, r.HeadHash = head.Seq, head.Hash
	if err := gdb.Model(&Event{}).Where("id <= ?", head.LegacyThrough).Count(&r.Legacy).Error; err != nil {
		return r, err
	}
	var first Link
	err := gdb.Order("seq").Limit(1).Take(&first).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		first = Link{Seq: head.Seq + 1}
	case err != nil:
		return r, err
	}
	r.FirstSeq = first.Seq
	prev, brk, err := s.chainStart(gdb, first)
	if err != nil || brk != nil {
		r.Break = brk
		return r, err
	}
	r.ArchivedTo = first.Seq - 1
	want := map[int64][]byte{}
	for _, a := range anchors {
		want[a.Seq] = a.Hash
	}
	next := first.Seq
	for next <= head.Seq {
		rows, err := s.links(gdb, next, min(next+verifyBatch-1, head.Seq))
		if err != nil {
			return r, err
		}
		for _, row := range rows {
			if brk := checkLink(row, next, prev); brk != nil {
				r.Break = brk
				return r, nil
			}
			if h, ok := want[row.Seq]; ok && !bytes.Equal(h, row.Hash) {
				r.Break = &Break{Seq: row.Seq, EventID: row.EventID, Problem: fmt.Sprintf("the chain no longer passes through the anchor recorded for seq %d: it was rewritten from here or earlier", row.Seq)}
				return r, nil
			}
			prev, next = row.Hash, next+1
			r.Links++
		}
		if len(rows) == 0 {
			break
		}
	}
	if next <= head.Seq {
		r.Break = &Break{Seq: next, Problem: fmt.Sprintf("the chain ends at seq %d but its head records seq %d: the latest events were deleted", next-1, head.Seq)}
		return r, nil
	}
	if !bytes.Equal(prev, head.Hash) {
		r.Break = &Break{Seq: head.Seq, Problem: "the head's hash does not match the last link"}
		return r, nil
	}
	for seq := range want {
		if seq < first.Seq || seq > head.Seq {
			r.Break = &Break{Seq: seq, Problem: fmt.Sprintf("anchor seq %d is outside the chain (%d..%d)", seq, first.Seq, head.Seq)}
			return r, nil
		}
	}
	r.Break, err = s.unlinked(gdb, head.LegacyThrough)
	return r, err
}

// links reads the links from seq lo to hi with their events.
func (s *Service) links(gdb *gorm.DB, lo, hi int64) ([]linkRow, error) {
	var links []Link
	if err := gdb.Where("seq BETWEEN ? AND ?", lo, hi).Order("seq").Find(&links).Error; err != nil || len(links) == 0 {
		return nil, err
	}
	ids := make([]int64, len(links))
	for i, l := range links {
		ids[i] = l.EventID
	}
	var events []Event
	if err := gdb.Where("id IN ?", ids).Find(&events).Error; err != nil {
		return nil, err
	}
	byID := make(map[int64]*Event, len(events))
	for i := range events {
		byID[events[i].ID] = &events[i]
	}
	rows := make([]linkRow, len(links))
	for i, l := range links {
		rows[i] = linkRow{Link: l, Event: byID[l.EventID]}
	}
	return rows, nil
}

// checkLink checks one link against its expected seq and predecessor.
func checkLink(row linkRow, seq int64, prev []byte) *Break {
	brk := func(format string, args ...any) *Break {
		return &Break{Seq: seq, EventID: row.EventID, Problem: fmt.Sprintf(format, args...)}
	}
	switch {
	case row.Seq != seq:
		return &Break{Seq: seq, Problem: fmt.Sprintf("seq %d is missing (the next link is %d): an event was deleted", seq, row.Seq)}
	case !bytes.Equal(row.PrevHash, prev):
		return brk("its link does not follow the previous one (prev_hash %s, expected %s)", hexShort(row.PrevHash), hexShort(prev))
	case row.Event == nil:
		return brk("the event was deleted")
	}
	sum, err := contentHash(row.Event)
	switch {
	case err != nil:
		return brk("its content cannot be read: %v", err)
	case !bytes.Equal(sum, row.Event.ContentHash):
		return brk("its recorded fields were changed: they no longer match its content hash")
	case !bytes.Equal(linkHash(prev, row.EventID, sum), row.Hash):
		return brk("its link hash does not match its content and predecessor")
	}
	return nil
}

// chainStart returns the hash the first present link must follow: zero for
// seq 1, else the last hash an audit.archive event says it removed.
func (s *Service) chainStart(gdb *gorm.DB, first Link) ([]byte, *Break, error) {
	if first.Seq == 1 {
		return zeroHash, nil, nil
	}
	var archives []Event
	if err := gdb.Where("action = ?", ActionArchive).Order("id DESC").Find(&archives).Error; err != nil {
		return nil, nil, err
	}
	for _, a := range archives {
		var d ArchiveDetails
		if json.Unmarshal([]byte(a.Details), &d) == nil && d.ThroughSeq == first.Seq-1 {
			return d.ThroughHash, nil, nil
		}
	}
	return nil, &Break{Seq: first.Seq, EventID: first.EventID,
		Problem: fmt.Sprintf("links 1..%d are missing and no audit.archive event accounts for them", first.Seq-1)}, nil
}

// unlinked finds the first event after the legacy ones that is not in the
// chain: written with the sealing trigger disabled, or its link deleted.
func (s *Service) unlinked(gdb *gorm.DB, legacy int64) (*Break, error) {
	var ids []int64
	err := gdb.Table("audit_events e").Select("e.id").
		Where("e.id > ? AND NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)", legacy).
		Order("e.id").Limit(1).Pluck("e.id", &ids).Error
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return &Break{EventID: ids[0], Problem: "the event is not in the chain: it was inserted around it"}, nil
}
