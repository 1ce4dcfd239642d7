-- +goose Up
-- A calendar-feed token remembers its owner's session epoch when made, so a
-- changed password, a new second factor, new roles or a disabled account end
-- the feed link as they end sessions and API tokens. Links made before this
-- change keep working until the owner's next such change.
ALTER TABLE feed_tokens ADD COLUMN epoch integer NOT NULL DEFAULT 0;
UPDATE feed_tokens SET epoch = (SELECT u.session_epoch FROM users u WHERE u.id = feed_tokens.user_id);

-- +goose Down
ALTER TABLE feed_tokens DROP COLUMN epoch;
