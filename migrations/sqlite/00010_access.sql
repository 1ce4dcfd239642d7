-- +goose Up
-- Agency administrators: one agency's people, roles and second factors.
-- SQLite cannot alter a CHECK constraint, so user_roles is rebuilt.
CREATE TABLE user_roles_new (
    user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    text NOT NULL CHECK (role IN ('admin', 'agency_admin', 'coordinator', 'instructor', 'hr', 'trainee')),
    PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles_new (user_id, role) SELECT user_id, role FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_new RENAME TO user_roles;
CREATE INDEX user_roles_role_idx ON user_roles (role, user_id);

-- A token acts only while its owner's session epoch is unchanged: a new
-- password, new roles or a disabled account end it. Read-only tokens may
-- not change anything.
ALTER TABLE access_tokens ADD COLUMN epoch integer NOT NULL DEFAULT 0;
ALTER TABLE access_tokens ADD COLUMN read_only boolean NOT NULL DEFAULT false;

-- The time-based one-time password factor (RFC 6238). last_step is the
-- last accepted time step, so each code is accepted once.
CREATE TABLE user_totp (
    user_id      text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       text NOT NULL,
    confirmed_at datetime,
    last_step    integer NOT NULL DEFAULT 0,
    created_at   datetime NOT NULL
);

-- One-time recovery codes, kept hashed.
CREATE TABLE recovery_codes (
    id        text PRIMARY KEY,
    user_id   text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash text NOT NULL,
    used_at   datetime
);
CREATE UNIQUE INDEX recovery_codes_hash_key ON recovery_codes (user_id, code_hash);

-- Single-use links that set a password: self-service resets and invitations.
CREATE TABLE password_tokens (
    id         text PRIMARY KEY,
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('reset', 'invite')),
    token_hash text NOT NULL,
    expires_at datetime NOT NULL,
    used_at    datetime,
    created_at datetime NOT NULL
);
CREATE UNIQUE INDEX password_tokens_hash_key ON password_tokens (token_hash);
CREATE INDEX password_tokens_user_idx ON password_tokens (user_id, created_at);

-- Sign-in attempts per client address and per account in fixed windows,
-- shared by every muster process.
CREATE TABLE auth_throttle (
    key          text NOT NULL,
    window_start datetime NOT NULL,
    attempts     integer NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX auth_throttle_window_idx ON auth_throttle (window_start);

-- +goose Down
DROP TABLE auth_throttle;
DROP TABLE password_tokens;
DROP TABLE recovery_codes;
DROP TABLE user_totp;
ALTER TABLE access_tokens DROP COLUMN read_only;
ALTER TABLE access_tokens DROP COLUMN epoch;
DELETE FROM user_roles WHERE role = 'agency_admin';
