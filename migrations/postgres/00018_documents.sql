-- +goose Up
-- A course's title, summary and description per language:
-- {"fa": {"title", "summary", "description"}, ...}; the plain columns stay
-- the default shown where no translation exists.
ALTER TABLE courses ADD COLUMN translations jsonb NOT NULL DEFAULT '{}';

-- Who signs the certificates an agency issues as host.
ALTER TABLE agencies ADD COLUMN signatory_name text NOT NULL DEFAULT '';
ALTER TABLE agencies ADD COLUMN signatory_title text NOT NULL DEFAULT '';

-- An agency's seal or signature, printed on its certificates: a checked PNG,
-- kept apart from agencies so listing agencies never reads images.
CREATE TABLE agency_seals (
    agency_id  uuid PRIMARY KEY REFERENCES agencies (id),
    png        bytea NOT NULL,
    width      integer NOT NULL CHECK (width > 0),
    height     integer NOT NULL CHECK (height > 0),
    updated_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE agency_seals;
ALTER TABLE agencies DROP COLUMN signatory_title;
ALTER TABLE agencies DROP COLUMN signatory_name;
ALTER TABLE courses DROP COLUMN translations;
