-- +goose Up
CREATE TABLE agencies (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    short_name  text NOT NULL,
    country     char(2) NOT NULL,
    kind        text NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX agencies_short_name_key ON agencies (lower(short_name));

CREATE TABLE users (
    id                   uuid PRIMARY KEY,
    agency_id            uuid NOT NULL REFERENCES agencies (id),
    email                text NOT NULL,
    email_key            text NOT NULL,
    full_name            text NOT NULL,
    full_name_latin      text NOT NULL DEFAULT '',
    rank                 text NOT NULL DEFAULT '',
    service_number       text NOT NULL DEFAULT '',
    language             text NOT NULL DEFAULT 'en',
    password_hash        text NOT NULL DEFAULT '',
    must_change_password boolean NOT NULL DEFAULT false,
    disabled_at          timestamptz,
    failed_logins        integer NOT NULL DEFAULT 0,
    locked_until         timestamptz,
    session_epoch        integer NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email_key);
-- A service number is unique within its agency; users without one are exempt.
CREATE UNIQUE INDEX users_agency_service_number_key ON users (agency_id, service_number) WHERE service_number <> '';
CREATE INDEX users_agency_idx ON users (agency_id, full_name);

CREATE TABLE user_roles (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    text NOT NULL CHECK (role IN ('admin', 'coordinator', 'instructor', 'hr', 'trainee')),
    PRIMARY KEY (user_id, role)
);
CREATE INDEX user_roles_role_idx ON user_roles (role, user_id);

-- Server-side sessions (alexedwards/scs), shared by every muster process.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

CREATE TABLE access_tokens (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    token_hash   text NOT NULL,
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX access_tokens_hash_key ON access_tokens (token_hash);
CREATE INDEX access_tokens_user_idx ON access_tokens (user_id, created_at);

-- Append-only: the application inserts and reads, never updates or deletes.
CREATE TABLE audit_events (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL,
    actor_id     uuid,
    actor_name   text NOT NULL DEFAULT '',
    ip           text NOT NULL DEFAULT '',
    action       text NOT NULL,
    subject_type text NOT NULL,
    subject_id   text NOT NULL,
    agency_id    uuid,
    details      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_at_idx ON audit_events (at DESC, id DESC);
CREATE INDEX audit_events_agency_idx ON audit_events (agency_id, at DESC);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_id, at DESC);
CREATE INDEX audit_events_subject_idx ON audit_events (subject_type, subject_id);
CREATE INDEX audit_events_action_idx ON audit_events (action, at DESC);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE access_tokens;
DROP TABLE sessions;
DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE agencies;
