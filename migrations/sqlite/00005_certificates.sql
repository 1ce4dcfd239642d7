-- +goose Up
-- The last number given out in each year; the row lock taken to raise it
-- makes numbering gap-free and unique across processes.
CREATE TABLE certificate_counters (
    year integer PRIMARY KEY,
    last integer NOT NULL
);

CREATE TABLE certificates (
    id                   text PRIMARY KEY,
    number               text NOT NULL,
    year                 integer NOT NULL,
    seq                  integer NOT NULL,
    verification_code    text NOT NULL,
    user_id              text NOT NULL REFERENCES users (id),
    course_id            text NOT NULL REFERENCES courses (id),
    cohort_id            text NOT NULL REFERENCES cohorts (id),
    enrollment_id        text NOT NULL REFERENCES enrollments (id),
    host_agency_id       text NOT NULL REFERENCES agencies (id),
    -- As printed: the holder's names and the hours when it was issued.
    holder_name          text NOT NULL,
    holder_name_latin    text NOT NULL DEFAULT '',
    hours                integer NOT NULL,
    issued_on            date NOT NULL,
    expires_on           date,
    renews_id            text REFERENCES certificates (id),
    revoked_at           datetime,
    revoked_by           text REFERENCES users (id),
    revoke_reason        text NOT NULL DEFAULT '',
    revoke_reason_public boolean NOT NULL DEFAULT false,
    created_at           datetime NOT NULL,
    CHECK (expires_on IS NULL OR expires_on > issued_on)
);
CREATE UNIQUE INDEX certificates_number_key ON certificates (number);
CREATE UNIQUE INDEX certificates_year_seq_key ON certificates (year, seq);
CREATE UNIQUE INDEX certificates_code_key ON certificates (verification_code);
CREATE UNIQUE INDEX certificates_enrollment_key ON certificates (enrollment_id);
CREATE INDEX certificates_user_idx ON certificates (user_id, course_id);
CREATE INDEX certificates_course_idx ON certificates (course_id, issued_on);
CREATE INDEX certificates_expiry_idx ON certificates (expires_on);

-- +goose Down
DROP TABLE certificates;
DROP TABLE certificate_counters;
