-- +goose Up
-- Each certificate's printed PDF, kept once it has been printed and used
-- until what it shows changes (revocation, a new signatory or seal, the
-- holder's language, a translated title): the fingerprint is a SHA-256 of
-- the HTML the PDF was printed from.
CREATE TABLE certificate_pdfs (
    certificate_id text PRIMARY KEY REFERENCES certificates (id),
    fingerprint    text NOT NULL,
    pdf            blob NOT NULL,
    printed_at     datetime NOT NULL
);

-- +goose Down
DROP TABLE certificate_pdfs;
