-- +goose Up
-- The audit trail becomes tamper-evident and append-only.
--
-- Each event carries the SHA-256 of its canonical content, and the
-- application links it into the chain in the same transaction: the link hash
-- is sha256(previous link hash || event id as 8 big-endian bytes || content
-- hash). SQLite transactions hold the database's one write lock from BEGIN
-- IMMEDIATE, so chaining in the transaction adds no contention.
ALTER TABLE audit_events ADD COLUMN content_hash blob;

CREATE TABLE audit_chain (
    seq       integer PRIMARY KEY,
    event_id  integer NOT NULL UNIQUE,
    prev_hash blob NOT NULL,
    hash      blob NOT NULL
);

-- The end of the chain, so a deleted tail shows as a head the chain no longer reaches.
CREATE TABLE audit_chain_head (
    id             integer PRIMARY KEY CHECK (id = 1),
    seq            integer NOT NULL,
    hash           blob NOT NULL,
    -- Events with an id up to this one predate the chain and are not covered by it.
    legacy_through integer NOT NULL
);
INSERT INTO audit_chain_head (id, seq, hash, legacy_through)
SELECT 1, 0, zeroblob(32), coalesce(max(id), 0) FROM audit_events;

-- A row here, inserted and removed again inside the archive command's
-- transaction, is the one permission to delete events and links.
CREATE TABLE audit_archive_permits (id integer PRIMARY KEY);

-- +goose StatementBegin
CREATE TRIGGER audit_events_hashed BEFORE INSERT ON audit_events WHEN NEW.content_hash IS NULL
BEGIN SELECT RAISE(ABORT, 'audit event without a content hash'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE on audit_events refused'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT EXISTS (SELECT 1 FROM audit_archive_permits)
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE on audit_events refused (archive with muster audit archive)'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: UPDATE on audit_chain refused'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
WHEN NOT EXISTS (SELECT 1 FROM audit_archive_permits)
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: DELETE on audit_chain refused (archive with muster audit archive)'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head
BEGIN SELECT RAISE(ABORT, 'the audit chain head is never deleted'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER audit_chain_head_no_delete;
DROP TRIGGER audit_chain_no_delete;
DROP TRIGGER audit_chain_no_update;
DROP TRIGGER audit_events_no_delete;
DROP TRIGGER audit_events_no_update;
DROP TRIGGER audit_events_hashed;
DROP TABLE audit_archive_permits;
DROP TABLE audit_chain_head;
DROP TABLE audit_chain;
ALTER TABLE audit_events DROP COLUMN content_hash;
