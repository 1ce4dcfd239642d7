-- +goose Up
-- A person's own time zone (IANA; '' = their agency's) and calendar
-- ('' = their language's: Jalali in Persian, else Gregorian).
ALTER TABLE users ADD COLUMN time_zone text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN calendar text NOT NULL DEFAULT '';

-- An agency's time zone, its people's default ('' = UTC).
ALTER TABLE agencies ADD COLUMN time_zone text NOT NULL DEFAULT '';

-- Agency and venue names per language: {"fa": "...", "ru": "..."}; the
-- plain name stays the default where none is given.
ALTER TABLE agencies ADD COLUMN names jsonb NOT NULL DEFAULT '{}';
ALTER TABLE venues ADD COLUMN names jsonb NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE venues DROP COLUMN names;
ALTER TABLE agencies DROP COLUMN names;
ALTER TABLE agencies DROP COLUMN time_zone;
ALTER TABLE users DROP COLUMN calendar;
ALTER TABLE users DROP COLUMN time_zone;
