-- +goose Up
-- The catalogue's version: one row that every change to courses or their
-- languages moves forward, in the changing transaction. Catalogue answers
-- are tagged with it (ETag, Last-Modified) and counts of matching courses
-- are cached under it.
CREATE TABLE catalog_stamp (
    id         integer PRIMARY KEY CHECK (id = 1),
    version    integer NOT NULL,
    changed_unix integer NOT NULL -- seconds since 1970, UTC
);
INSERT INTO catalog_stamp (id, version, changed_unix) VALUES (1, 1, unixepoch('now'));
-- +goose StatementBegin
CREATE TRIGGER courses_touch_insert AFTER INSERT ON courses
BEGIN UPDATE catalog_stamp SET version = version + 1, changed_unix = unixepoch('now') WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER courses_touch_update AFTER UPDATE ON courses
BEGIN UPDATE catalog_stamp SET version = version + 1, changed_unix = unixepoch('now') WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER courses_touch_delete AFTER DELETE ON courses
BEGIN UPDATE catalog_stamp SET version = version + 1, changed_unix = unixepoch('now') WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER course_languages_touch_insert AFTER INSERT ON course_languages
BEGIN UPDATE catalog_stamp SET version = version + 1, changed_unix = unixepoch('now') WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER course_languages_touch_update AFTER UPDATE ON course_languages
BEGIN UPDATE catalog_stamp SET version = version + 1, changed_unix = unixepoch('now') WHERE id = 1; END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER course_languages_touch_delete AFTER DELETE ON course_languages
BEGIN UPDATE catalog_stamp SET version = version + 1, changed_unix = unixepoch('now') WHERE id = 1; END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER courses_touch_insert;
DROP TRIGGER courses_touch_update;
DROP TRIGGER courses_touch_delete;
DROP TRIGGER course_languages_touch_insert;
DROP TRIGGER course_languages_touch_update;
DROP TRIGGER course_languages_touch_delete;
DROP TABLE catalog_stamp;
