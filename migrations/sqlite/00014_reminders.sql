-- +goose Up
-- Notifications are sent by the job queue and listed to their people: kinds
-- lose their "enrollment." prefix, and a person's reading is kept.
UPDATE notifications SET kind = substr(kind, 12) WHERE kind LIKE 'enrollment.%';
ALTER TABLE notifications ADD COLUMN read_at datetime;
-- The optional kinds (reminders, digests) each person has turned off.
CREATE TABLE notification_opt_outs (
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    created_at datetime NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- +goose Down
DROP TABLE notification_opt_outs;
ALTER TABLE notifications DROP COLUMN read_at;
UPDATE notifications SET kind = 'enrollment.' || kind
    WHERE kind IN ('enrolled', 'waitlisted', 'pending', 'approved', 'rejected', 'withdrawn', 'promoted', 'cancelled', 'closed');
