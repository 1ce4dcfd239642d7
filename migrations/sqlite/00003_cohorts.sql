-- +goose Up
CREATE TABLE venues (
    id              text PRIMARY KEY,
    owner_agency_id text NOT NULL REFERENCES agencies (id),
    name            text NOT NULL CHECK (name <> ''),
    city            text NOT NULL DEFAULT '',
    country         text NOT NULL,
    address         text NOT NULL DEFAULT '',
    capacity        integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    time_zone       text NOT NULL,
    created_at      datetime NOT NULL,
    updated_at      datetime NOT NULL
);
CREATE INDEX venues_owner_idx ON venues (owner_agency_id, name);

CREATE TABLE cohorts (
    id                   text PRIMARY KEY,
    code                 text NOT NULL,
    course_id            text NOT NULL REFERENCES courses (id),
    host_agency_id       text NOT NULL REFERENCES agencies (id),
    venue_id             text REFERENCES venues (id),
    language             text NOT NULL,
    starts_on            date NOT NULL,
    ends_on              date NOT NULL,
    time_zone            text NOT NULL,
    capacity             integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    enrollment_opens_at  datetime NOT NULL,
    enrollment_closes_at datetime NOT NULL,
    requires_approval    boolean NOT NULL DEFAULT false,
    status               text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'in_progress', 'completed', 'cancelled')),
    -- Seats held (enrolled) and the next place in the request queue: kept in
    -- the row that every enrollment locks, so capacity holds under concurrency.
    seats_taken          integer NOT NULL DEFAULT 0,
    queue_seq            integer NOT NULL DEFAULT 0,
    completed_at         datetime,
    cancelled_at         datetime,
    created_at           datetime NOT NULL,
    updated_at           datetime NOT NULL,
    CHECK (ends_on >= starts_on),
    CHECK (enrollment_closes_at > enrollment_opens_at),
    CHECK (seats_taken BETWEEN 0 AND capacity)
);
CREATE UNIQUE INDEX cohorts_code_key ON cohorts (code);
CREATE INDEX cohorts_course_idx ON cohorts (course_id, starts_on);
CREATE INDEX cohorts_host_idx ON cohorts (host_agency_id, starts_on);
CREATE INDEX cohorts_status_idx ON cohorts (status, starts_on);

-- Seats per participating agency. No rows: open to every agency up to capacity.
CREATE TABLE cohort_quotas (
    cohort_id   text NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    agency_id   text NOT NULL REFERENCES agencies (id),
    seats       integer NOT NULL CHECK (seats >= 0),
    seats_taken integer NOT NULL DEFAULT 0,
    PRIMARY KEY (cohort_id, agency_id),
    CHECK (seats_taken BETWEEN 0 AND seats)
);

-- A block of a cohort's schedule ("session" in the domain; the sessions
-- table holds sign-in sessions).
CREATE TABLE cohort_sessions (
    id         text PRIMARY KEY,
    cohort_id  text NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
    starts_at  datetime NOT NULL,
    ends_at    datetime NOT NULL,
    topic      text NOT NULL,
    room       text NOT NULL DEFAULT '',
    created_at datetime NOT NULL,
    updated_at datetime NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX cohort_sessions_cohort_idx ON cohort_sessions (cohort_id, starts_at);
CREATE INDEX cohort_sessions_time_idx ON cohort_sessions (starts_at, ends_at);

CREATE TABLE instructor_profiles (
    user_id    text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    bio        text NOT NULL DEFAULT '',
    updated_at datetime NOT NULL
);

CREATE TABLE instructor_languages (
    user_id  text NOT NULL REFERENCES instructor_profiles (user_id) ON DELETE CASCADE,
    language text NOT NULL,
    PRIMARY KEY (user_id, language)
);

CREATE TABLE instructor_qualifications (
    user_id    text NOT NULL REFERENCES instructor_profiles (user_id) ON DELETE CASCADE,
    course_id  text NOT NULL REFERENCES courses (id),
    expires_on date,
    PRIMARY KEY (user_id, course_id)
);
CREATE INDEX instructor_qualifications_course_idx ON instructor_qualifications (course_id);

CREATE TABLE instructor_unavailability (
    id         text PRIMARY KEY,
    user_id    text NOT NULL REFERENCES instructor_profiles (user_id) ON DELETE CASCADE,
    starts_at  datetime NOT NULL,
    ends_at    datetime NOT NULL,
    reason     text NOT NULL DEFAULT '',
    created_at datetime NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX instructor_unavailability_user_idx ON instructor_unavailability (user_id, starts_at);

-- Instructors assigned to sessions. The session's instants are copied here so
-- the overlap check for one instructor reads one index.
CREATE TABLE session_instructors (
    session_id    text NOT NULL REFERENCES cohort_sessions (id) ON DELETE CASCADE,
    instructor_id text NOT NULL REFERENCES instructor_profiles (user_id),
    role          text NOT NULL CHECK (role IN ('lead', 'assistant')),
    starts_at     datetime NOT NULL,
    ends_at       datetime NOT NULL,
    created_at    datetime NOT NULL,
    PRIMARY KEY (session_id, instructor_id)
);
CREATE INDEX session_instructors_time_idx ON session_instructors (instructor_id, starts_at, ends_at);

-- Private calendar-feed tokens, one per user, stored hashed.
CREATE TABLE feed_tokens (
    user_id    text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash text NOT NULL,
    created_at datetime NOT NULL
);
CREATE UNIQUE INDEX feed_tokens_hash_key ON feed_tokens (token_hash);

-- +goose Down
DROP TABLE feed_tokens;
DROP TABLE session_instructors;
DROP TABLE instructor_unavailability;
DROP TABLE instructor_qualifications;
DROP TABLE instructor_languages;
DROP TABLE instructor_profiles;
DROP TABLE cohort_sessions;
DROP TABLE cohort_quotas;
DROP TABLE cohorts;
DROP TABLE venues;
