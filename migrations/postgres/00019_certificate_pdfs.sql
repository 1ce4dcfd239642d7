-- +goose Up
-- Each certificate's printed PDF, kept once it has been printed and used
-- until what it shows changes (revocation, a new signatory or seal, the
-- holder's language, a translated title): the fingerprint is a SHA-256 of
-- the HTML the PDF was printed from. Kept in the database, like every other
-- state, so every instance shares one copy and none needs a shared disk.
CREATE TABLE certificate_pdfs (
    certificate_id uuid PRIMARY KEY REFERENCES certificates (id),
    fingerprint    text NOT NULL,
    pdf            bytea NOT NULL,
    printed_at     timestamptz NOT NULL
);
-- PDFs are compressed already: store them as they are, out of line.
ALTER TABLE certificate_pdfs ALTER COLUMN pdf SET STORAGE EXTERNAL;

-- +goose Down
DROP TABLE certificate_pdfs;
