-- +goose Up
-- Ed25519 keys that sign certificate credentials and revocation lists. The
-- private key (a base64 seed) is kept here unless MUSTER_SIGNING_KEY supplies
-- one, which is never stored. A retired key stays published, so credentials
-- it signed still verify; at most one key per purpose is active, which makes
-- two processes generating the first key at once end with one.
CREATE TABLE signing_keys (
    id          uuid PRIMARY KEY,
    purpose     text NOT NULL,
    public_key  text NOT NULL,
    private_key text NOT NULL,
    created_at  timestamptz NOT NULL,
    retired_at  timestamptz
);
CREATE UNIQUE INDEX signing_keys_active_key ON signing_keys (purpose) WHERE retired_at IS NULL;
CREATE UNIQUE INDEX signing_keys_public_key ON signing_keys (public_key);

-- +goose Down
DROP TABLE signing_keys;
