-- +goose Up
-- Receivers of an agency's events (Standard Webhooks) and each delivery's last outcome.
CREATE TABLE webhooks (
    id         uuid PRIMARY KEY,
    agency_id  uuid NOT NULL REFERENCES agencies (id),
    url        text NOT NULL,
    -- The events it receives, space-separated.
    events     text NOT NULL,
    -- whsec_ secret, sealed under MUSTER_SECRET_KEY when one is set.
    secret     text NOT NULL,
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    deleted_at timestamptz
);
CREATE INDEX webhooks_agency_idx ON webhooks (agency_id) WHERE deleted_at IS NULL;
CREATE TABLE webhook_deliveries (
    id           uuid PRIMARY KEY,
    webhook_id   uuid NOT NULL REFERENCES webhooks (id),
    event        text NOT NULL,
    payload      text NOT NULL,
    created_at   timestamptz NOT NULL,
    attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_status  integer NOT NULL DEFAULT 0,
    last_error   text NOT NULL DEFAULT '',
    delivered_at timestamptz
);
CREATE INDEX webhook_deliveries_hook_idx ON webhook_deliveries (webhook_id, created_at);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
