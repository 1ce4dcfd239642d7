-- +goose Up
-- The audit trail becomes tamper-evident and append-only.
--
-- Each event carries the SHA-256 of its canonical content (computed by the
-- application, which owns the canonical form). Its place in the chain is
-- sealed at COMMIT by a deferred trigger: the link hash is
-- sha256(previous link hash || event id as 8 big-endian bytes || content hash).
-- Sealing at commit keeps the one serialising lock (the head row) held only
-- for the trigger's few statements and the commit itself, not for the whole
-- transaction, and puts the chain in commit order across every process
-- sharing this database.
ALTER TABLE audit_events ADD COLUMN content_hash bytea;
-- Events written before this migration have none; every later one must.
ALTER TABLE audit_events ADD CONSTRAINT audit_events_content_hash_check CHECK (content_hash IS NOT NULL) NOT VALID;

CREATE TABLE audit_chain (
    seq       bigint PRIMARY KEY,
    event_id  bigint NOT NULL UNIQUE,
    prev_hash bytea NOT NULL,
    hash      bytea NOT NULL
);

-- The end of the chain: one row, locked by each sealing, so a deleted tail
-- shows as a head the chain no longer reaches.
CREATE TABLE audit_chain_head (
    id             smallint PRIMARY KEY CHECK (id = 1),
    seq            bigint NOT NULL,
    hash           bytea NOT NULL,
    -- Events with an id up to this one predate the chain and are not covered by it.
    legacy_through bigint NOT NULL
);
INSERT INTO audit_chain_head (id, seq, hash, legacy_through)
SELECT 1, 0, decode(repeat('00', 32), 'hex'), coalesce(max(id), 0) FROM audit_events;

-- +goose StatementBegin
CREATE FUNCTION audit_chain_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head audit_chain_head%ROWTYPE;
    link bytea;
BEGIN
    SELECT * INTO head FROM audit_chain_head WHERE id = 1 FOR UPDATE;
    link := sha256(head.hash || int8send(NEW.id) || NEW.content_hash);
    INSERT INTO audit_chain (seq, event_id, prev_hash, hash) VALUES (head.seq + 1, NEW.id, head.hash, link);
    UPDATE audit_chain_head SET seq = head.seq + 1, hash = link WHERE id = 1;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER audit_events_chain AFTER INSERT ON audit_events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_chain_append();

-- Events and links are never updated. They are deleted only by the archive
-- command, whose transaction sets muster.audit_archive locally and records
-- an audit.archive event naming the last archived link. The head moves only
-- from inside the sealing trigger.
-- +goose StatementBegin
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME <> 'audit_chain_head'
       AND current_setting('muster.audit_archive', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_chain_head' AND pg_trigger_depth() > 1 THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege', HINT = 'Old events are archived with: muster audit archive --before DATE --out FILE';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_head_guard BEFORE UPDATE OR DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- +goose Down
DROP TABLE audit_chain_head;
DROP TABLE audit_chain;
DROP TRIGGER audit_events_no_truncate ON audit_events;
DROP TRIGGER audit_events_append_only ON audit_events;
DROP TRIGGER audit_events_chain ON audit_events;
DROP FUNCTION audit_refuse_change();
DROP FUNCTION audit_chain_append();
ALTER TABLE audit_events DROP CONSTRAINT audit_events_content_hash_check;
ALTER TABLE audit_events DROP COLUMN content_hash;
