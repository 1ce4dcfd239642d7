-- +goose Up
-- Where an online session meets: shown only to the cohort's enrolled
-- trainees, its instructors and its managers.
ALTER TABLE cohort_sessions ADD COLUMN meeting_url text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE cohort_sessions DROP COLUMN meeting_url;
