-- +goose Up
-- The catalogue's version: one row that every change to courses or their
-- languages moves forward, in the changing transaction (statement triggers,
-- so a bulk insert moves it once). Catalogue answers are tagged with it
-- (ETag, Last-Modified) and counts of matching courses are cached under it.
CREATE TABLE catalog_stamp (
    id         smallint PRIMARY KEY CHECK (id = 1),
    version    bigint NOT NULL,
    changed_unix bigint NOT NULL -- seconds since 1970, UTC
);
INSERT INTO catalog_stamp (id, version, changed_unix) VALUES (1, 1, extract(epoch FROM now())::bigint);

-- +goose StatementBegin
CREATE FUNCTION catalog_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_stamp SET version = version + 1, changed_unix = extract(epoch FROM clock_timestamp())::bigint WHERE id = 1;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER courses_touch AFTER INSERT OR UPDATE OR DELETE ON courses
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_touch();
CREATE TRIGGER course_languages_touch AFTER INSERT OR UPDATE OR DELETE ON course_languages
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_touch();

-- +goose Down
DROP TRIGGER course_languages_touch ON course_languages;
DROP TRIGGER courses_touch ON courses;
DROP FUNCTION catalog_touch();
DROP TABLE catalog_stamp;
