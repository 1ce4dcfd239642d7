package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"gorm.io/gorm"
)

// The chain: every event's content hash is linked to the one before it, in
// the order the events were committed. On PostgreSQL a deferred trigger seals
// each event at COMMIT (migrations/postgres/00015_audit_chain.sql), so the one
// serialising lock, the head row, is held only for three statements inside
// the database and the commit itself rather than for the whole transaction,
// and several processes sharing the database can never claim the same
// predecessor. On SQLite the transaction already holds the database's write
// lock, so Record links the event itself (appendLink).

// Link is an event's place in the chain.
type Link struct {
	Seq      int64 `gorm:"primaryKey;autoIncrement:false"`
	EventID  int64 `gorm:"not null"`
	PrevHash []byte
	Hash     []byte
}

// TableName keeps the table name explicit.
func (Link) TableName() string { return "audit_chain" }

// Head is the end of the chain: its last link, and the last event that
// predates the chain.
type Head struct {
	ID            int `gorm:"primaryKey"`
	Seq           int64
	Hash          []byte
	LegacyThrough int64
}

// TableName keeps the table name explicit.
func (Head) TableName() string { return "audit_chain_head" }

// linkHash is sha256(prev || id as 8 big-endian bytes || content), the same
// sum the PostgreSQL trigger computes.
func linkHash(prev []byte, eventID int64, content []byte) []byte {
	h := sha256.New()
	h.Write(prev)
	_ = binary.Write(h, binary.BigEndian, eventID)
	h.Write(content)
	return h.Sum(nil)
}

// appendLink links ev after the head, inside the transaction that wrote it.
func appendLink(tx *gorm.DB, ev *Event) error {
	var head Head
	if err := tx.Take(&head, 1).Error; err != nil {
		return fmt.Errorf("audit chain head: %w", err)
	}
	link := Link{Seq: head.Seq + 1, EventID: ev.ID, PrevHash: head.Hash, Hash: linkHash(head.Hash, ev.ID, ev.ContentHash)}
	if err := tx.Create(&link).Error; err != nil {
		return err
	}
	return tx.Model(&Head{}).Where("id = 1").Updates(map[string]any{"seq": link.Seq, "hash": link.Hash}).Error
}

// contentHash is the SHA-256 of an event's canonical content: a version tag,
// then each field length-prefixed in a fixed order, nullable ones with a
// presence byte. The details JSON is canonicalised so PostgreSQL's jsonb
// (which reorders keys and respaces) reads back to the same bytes.
func contentHash(e *Event) ([]byte, error) {
	details, err := canonicalJSON(e.Details)
	if err != nil {
		return nil, fmt.Errorf("audit details: %w", err)
	}
	var b bytes.Buffer
	b.WriteString("muster.audit.v1")
	put := func(s string) {
		_ = binary.Write(&b, binary.BigEndian, uint64(len(s)))
		b.WriteString(s)
	}
	putNullable := func(s *string) {
		if s == nil {
			b.WriteByte(0)
			return
		}
		b.WriteByte(1)
		put(strings.ToLower(*s)) // uuids: PostgreSQL answers them in lower case
	}
	put(e.At.UTC().Format("2006-01-02T15:04:05.000000Z"))
	putNullable(e.ActorID)
	put(e.ActorName)
	put(e.IP)
	put(e.Action)
	put(e.SubjectType)
	put(e.SubjectID)
	putNullable(e.AgencyID)
	put(string(details))
	sum := sha256.Sum256(b.Bytes())
	return sum[:], nil
}

// canonicalJSON re-encodes a JSON document with sorted keys, no spaces, no
// HTML escaping and numbers as exact rationals, so any two spellings of the
// same value agree.
func canonicalJSON(s string) ([]byte, error) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	var b bytes.Buffer
	if err := writeCanonical(&b, v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeCanonical(b *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			if err := writeCanonical(b, v[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, x := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeCanonical(b, x); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case json.Number:
		r, ok := new(big.Rat).SetString(string(v))
		if !ok {
			return fmt.Errorf("number %q", v)
		}
		b.WriteString(r.RatString())
	case string:
		writeString(b, v)
	case bool:
		fmt.Fprint(b, v)
	case nil:
		b.WriteString("null")
	default:
		return fmt.Errorf("unexpected JSON value %T", v)
	}
	return nil
}

func writeString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode's newline
}

// zeroHash is the predecessor of the chain's first link.
var zeroHash = make([]byte, sha256.Size)

// hexShort names a hash in messages.
func hexShort(h []byte) string { return fmt.Sprintf("%x", h) }
