-- +goose Up
-- The outbox of e-mails to people, written in the transaction of the change
-- they tell about and delivered later by the sender.
CREATE TABLE notifications (
    id              text PRIMARY KEY,
    user_id         text NOT NULL REFERENCES users (id),
    kind            text NOT NULL,
    -- The facts the message names (cohort code, course title, dates, position, reason).
    data            text NOT NULL DEFAULT '{}',
    created_at      datetime NOT NULL,
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- When the sender may next try; NULL once sent or given up.
    next_attempt_at datetime,
    sent_at         datetime,
    last_error      text NOT NULL DEFAULT ''
);
-- The sender's queue: only the notifications still waiting, soonest first.
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at);

-- +goose Down
DROP TABLE notifications;
