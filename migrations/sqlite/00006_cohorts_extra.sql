-- +goose Up
-- Venue clashes are found from a venue's cohorts.
CREATE INDEX cohorts_venue_idx ON cohorts (venue_id, starts_on);
-- A session has at most one lead instructor.
CREATE UNIQUE INDEX session_instructors_lead_key ON session_instructors (session_id) WHERE role = 'lead';

-- +goose Down
DROP INDEX session_instructors_lead_key;
DROP INDEX cohorts_venue_idx;
