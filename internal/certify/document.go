package certify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"sync"

	qrcode "github.com/skip2/go-qrcode"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"muster/internal/apperr"
	"muster/internal/calendar"
	"muster/internal/catalog"
	"muster/internal/db"
	"muster/internal/i18n"
	"muster/templates"
)

// Printed documents: templates of their own, outside the site's layout.
const (
	certificateTemplate = "certify_certificate_pdf.html"
	transcriptTemplate  = "certify_transcript_pdf.html"
)

var (
	docOnce sync.Once
	docs    *template.Template
	docsErr error
)

// documentFuncs: dict passes the document and a value to a shared block.
var documentFuncs = template.FuncMap{
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
}

func documents() (*template.Template, error) {
	docOnce.Do(func() {
		docs, docsErr = template.New(certificateTemplate).Funcs(documentFuncs).ParseFS(templates.FS, certificateTemplate, transcriptTemplate)
	})
	return docs, docsErr
}

// certificateDoc is what the certificate template prints: the holder's
// language, with English beside it when that is another language.
type certificateDoc struct {
	*i18n.Localizer
	En              *i18n.Localizer
	HolderName      string
	HolderNameLatin string
	CourseCode      string
	CourseTitle     string // in the holder's language when translated
	CourseTitleEn   string // the English title, printed when it differs
	HostAgency      string
	Hours           int
	StartsOn        Date
	EndsOn          Date
	IssuedOn        Date
	ExpiresOn       *Date
	Number          string
	Renews          string
	Revoked         bool
	SignatoryName   string
	SignatoryTitle  string
	Seal            template.URL // data: URI of the host agency's PNG seal, if any
	VerificationURL string
	QR              template.URL // data: URI of a PNG of the verification URL
}

// DateAcross writes a day for a document that crosses borders: in Persian
// the Jalali date with the Gregorian one in parentheses, elsewhere the
// language's own date.
func (d certificateDoc) DateAcross(day calendar.Day) string {
	if d.Lang == "fa" {
		// The Gregorian day in ASCII digits, isolated left-to-right, so any reader can check it.
		return d.Date(day) + " (\u2066" + calendar.ISO(day) + "\u2069)"
	}
	return d.Date(day)
}

// Bilingual reports whether English is printed beside the holder's language.
func (d certificateDoc) Bilingual() bool { return d.Lang != "en" }

// documentFacts are what a printed certificate needs beyond its view.
type documentFacts struct {
	Language       string
	StartsOn       Date
	EndsOn         Date
	Translations   catalog.Translations
	SignatoryName  string
	SignatoryTitle string
	Seal           []byte
}

// RenderPDF returns the certificate with number as a PDF, in its holder's
// language. A certificate is printed once: the PDF is kept with the
// fingerprint of the HTML it was printed from and returned again while that
// HTML stays the same; a revocation, a new signatory or seal, another
// language or title changes the HTML, and the certificate is printed anew.
// It checks no scope: callers decide who may download it.
func (s *Service) RenderPDF(ctx context.Context, number string) ([]byte, error) {
	id, doc, err := s.certificateDoc(ctx, number)
	if err != nil {
		return nil, err
	}
	// The QR code is drawn from the verification URL, which the HTML holds
	// already, so the fingerprint is taken without drawing it.
	src, err := execute(certificateTemplate, doc)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(src)
	fingerprint := hex.EncodeToString(sum[:])
	var stored StoredPDF
	err = s.db(ctx).Where("certificate_id = ? AND fingerprint = ?", id, fingerprint).Take(&stored).Error
	switch {
	case err == nil:
		return stored.PDF, nil
	case !errors.Is(err, gorm.ErrRecordNotFound):
		return nil, err
	}
	if doc.QR, err = QRDataURI(doc.VerificationURL); err != nil {
		return nil, err
	}
	html, err := execute(certificateTemplate, doc)
	if err != nil {
		return nil, err
	}
	pdf, err := s.print(ctx, html)
	if err != nil {
		return nil, err
	}
	return pdf, s.storePDF(ctx, StoredPDF{CertificateID: id, Fingerprint: fingerprint, PDF: pdf})
}

// storePDF keeps a printed certificate in place of an earlier print.
func (s *Service) storePDF(ctx context.Context, p StoredPDF) error {
	return db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		p.PrintedAt = db.Now(tx, s.Clock)
		return tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "certificate_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"fingerprint", "pdf", "printed_at"}),
		}).Create(&p).Error
	})
}

// CertificateHTML is the printable certificate as an HTML document, the
// source of its PDF. It checks no scope.
func (s *Service) CertificateHTML(ctx context.Context, number string) ([]byte, error) {
	_, doc, err := s.certificateDoc(ctx, number)
	if err != nil {
		return nil, err
	}
	if doc.QR, err = QRDataURI(doc.VerificationURL); err != nil {
		return nil, err
	}
	return execute(certificateTemplate, doc)
}

// certificateDoc reads what the certificate with number shows, without its
// QR code, and returns the certificate's id with it.
func (s *Service) certificateDoc(ctx context.Context, number string) (string, certificateDoc, error) {
	tx := s.db(ctx)
	r, err := s.row(tx, number)
	if err != nil {
		return "", certificateDoc{}, err
	}
	var f documentFacts
	if err := tx.Table("certificates c").
		Select(`u.language, ch.starts_on, ch.ends_on, co.translations, COALESCE(ha.signatory_name, '') AS signatory_name,
			COALESCE(ha.signatory_title, '') AS signatory_title, se.png AS seal`).
		Joins("JOIN users u ON u.id = c.user_id").Joins("JOIN cohorts ch ON ch.id = c.cohort_id").
		Joins("JOIN courses co ON co.id = c.course_id").Joins("LEFT JOIN agencies ha ON ha.id = c.host_agency_id").
		Joins("LEFT JOIN agency_seals se ON se.agency_id = c.host_agency_id").
		Where("c.id = ?", r.ID).Take(&f).Error; err != nil {
		return "", certificateDoc{}, err
	}
	loc := s.messages().For(f.Language)
	v := s.toView(*r, s.today())
	doc := certificateDoc{
		Localizer: loc, En: s.messages().For("en"), HolderName: v.HolderName, HolderNameLatin: v.HolderNameLatin,
		CourseCode: v.CourseCode, CourseTitle: f.Translations.Title(loc.Lang, v.CourseTitle),
		CourseTitleEn: f.Translations.Title("en", v.CourseTitle), HostAgency: v.HostAgency, Hours: v.Hours,
		StartsOn: f.StartsOn, EndsOn: f.EndsOn, IssuedOn: v.IssuedOn, ExpiresOn: v.ExpiresOn,
		Number: v.Number, Revoked: v.Status == StatusRevoked, SignatoryName: f.SignatoryName, SignatoryTitle: f.SignatoryTitle,
		VerificationURL: s.VerificationURL(r.VerificationCode),
	}
	if len(f.Seal) > 0 {
		doc.Seal = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(f.Seal))
	}
	if v.Renews != nil {
		doc.Renews = *v.Renews
	}
	return r.ID, doc, nil
}

// QRDataURI encodes text as a QR code in a PNG data: URI.
func QRDataURI(text string) (template.URL, error) {
	png, err := qrcode.Encode(text, qrcode.Medium, 512)
	if err != nil {
		return "", fmt.Errorf("QR code: %w", err)
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

func execute(name string, data any) ([]byte, error) {
	t, err := documents()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// print turns a document into PDF with the configured printer.
func (s *Service) print(ctx context.Context, html []byte) ([]byte, error) {
	if s.Printer == nil {
		return nil, apperr.New(CodePDFUnavailable)
	}
	return s.Printer.Print(ctx, html)
}
