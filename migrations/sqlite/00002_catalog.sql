-- +goose Up
CREATE TABLE courses (
    id                     text PRIMARY KEY,
    -- The exact pattern is checked in Go (SQLite has no regular expressions);
    -- the database still refuses lower case and absurd lengths.
    code                   text NOT NULL CHECK (code = upper(code) AND length(code) BETWEEN 5 AND 12 AND code LIKE '%-%'),
    owner_agency_id        text NOT NULL REFERENCES agencies (id),
    title                  text NOT NULL CHECK (title <> '' AND length(title) <= 200),
    summary                text NOT NULL DEFAULT '' CHECK (length(summary) <= 500),
    description            text NOT NULL DEFAULT '' CHECK (length(description) <= 20000),
    discipline             text NOT NULL CHECK (discipline IN ('counter_narcotics', 'border_security', 'counter_terrorism',
                               'organised_crime', 'cybercrime', 'forensics', 'intelligence_analysis', 'human_trafficking',
                               'public_order', 'leadership', 'language', 'other')),
    level                  text NOT NULL CHECK (level IN ('basic', 'intermediate', 'advanced')),
    delivery               text NOT NULL CHECK (delivery IN ('in_person', 'online', 'blended')),
    duration_hours         integer NOT NULL CHECK (duration_hours BETWEEN 1 AND 2000),
    pass_mark              integer NOT NULL DEFAULT 0 CHECK (pass_mark BETWEEN 0 AND 100),
    min_attendance_percent integer NOT NULL DEFAULT 0 CHECK (min_attendance_percent BETWEEN 0 AND 100),
    validity_months        integer NOT NULL DEFAULT 0 CHECK (validity_months BETWEEN 0 AND 240),
    status                 text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    -- Lower-cased, Persian-normalised code, title and summary, computed in Go
    -- when saving, so one LIKE serves every script on both databases.
    search_text            text NOT NULL DEFAULT '',
    created_at             datetime NOT NULL,
    updated_at             datetime NOT NULL
);
-- Codes are stored upper-case, so this makes them unique case-insensitively;
-- it also serves lookups by code and the catalogue's ORDER BY code.
CREATE UNIQUE INDEX courses_code_key ON courses (code);
-- Every catalogue query filters by status (visibility) and sorts by code.
-- Search (LIKE '%term%') scans: SQLite has no trigram index, and an embedded
-- catalogue is small enough for that.
CREATE INDEX courses_status_code_idx ON courses (status, code);
CREATE INDEX courses_discipline_idx ON courses (discipline, status, code);
CREATE INDEX courses_level_idx ON courses (level, status, code);
CREATE INDEX courses_delivery_idx ON courses (delivery, status, code);
-- A coordinator's view: published courses plus their own agency's drafts.
CREATE INDEX courses_owner_idx ON courses (owner_agency_id, status);

CREATE TABLE course_languages (
    course_id text NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    language  text NOT NULL CHECK (length(language) = 2 AND language = lower(language)),
    PRIMARY KEY (course_id, language)
);
-- Serves the catalogue's language filter (EXISTS ... WHERE language = ?).
CREATE INDEX course_languages_language_idx ON course_languages (language, course_id);

CREATE TABLE course_prerequisites (
    course_id       text NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    prerequisite_id text NOT NULL REFERENCES courses (id),
    PRIMARY KEY (course_id, prerequisite_id),
    CHECK (course_id <> prerequisite_id)
);
-- Which courses require this one (reverse lookups and the foreign key).
CREATE INDEX course_prerequisites_prerequisite_idx ON course_prerequisites (prerequisite_id);

-- +goose Down
DROP TABLE course_prerequisites;
DROP TABLE course_languages;
DROP TABLE courses;
