-- +goose Up
CREATE TABLE enrollments (
    id           text PRIMARY KEY,
    cohort_id    text NOT NULL REFERENCES cohorts (id),
    user_id      text NOT NULL REFERENCES users (id),
    -- The trainee's agency when they asked: the quota the seat counts against.
    agency_id    text NOT NULL REFERENCES agencies (id),
    status       text NOT NULL CHECK (status IN ('pending', 'enrolled', 'waitlisted', 'rejected', 'withdrawn',
                                                 'no_show', 'cancelled', 'completed', 'failed')),
    -- Place in the cohort's request queue (cohorts.queue_seq): the waitlist order.
    queue_no     integer NOT NULL,
    requested_at datetime NOT NULL,
    nominated_by text REFERENCES users (id),
    decided_by   text REFERENCES users (id),
    decided_at   datetime,
    reason       text NOT NULL DEFAULT '',
    score        integer CHECK (score BETWEEN 0 AND 100),
    assessed_by  text REFERENCES users (id),
    assessed_at  datetime,
    created_at   datetime NOT NULL,
    updated_at   datetime NOT NULL
);
-- One live request per person and cohort.
CREATE UNIQUE INDEX enrollments_live_key ON enrollments (cohort_id, user_id) WHERE status IN ('pending', 'enrolled', 'waitlisted');
CREATE UNIQUE INDEX enrollments_queue_key ON enrollments (cohort_id, queue_no);
CREATE INDEX enrollments_user_idx ON enrollments (user_id, created_at);
CREATE INDEX enrollments_cohort_status_idx ON enrollments (cohort_id, status, queue_no);

CREATE TABLE attendance (
    session_id    text NOT NULL REFERENCES cohort_sessions (id) ON DELETE CASCADE,
    enrollment_id text NOT NULL REFERENCES enrollments (id),
    status        text NOT NULL CHECK (status IN ('present', 'late', 'absent', 'excused')),
    recorded_by   text NOT NULL REFERENCES users (id),
    recorded_at   datetime NOT NULL,
    PRIMARY KEY (session_id, enrollment_id)
);
CREATE INDEX attendance_enrollment_idx ON attendance (enrollment_id);

-- +goose Down
DROP TABLE attendance;
DROP TABLE enrollments;
