package certify

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"sync"
	"time"

	qrcode "github.com/skip2/go-qrcode"

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

func documents() (*template.Template, error) {
	docOnce.Do(func() {
		docs, docsErr = template.ParseFS(templates.FS, certificateTemplate, transcriptTemplate)
	})
	return docs, docsErr
}

// certificateDoc is what the certificate template prints.
type certificateDoc struct {
	*i18n.Localizer
	HolderName      string
	HolderNameLatin string
	CourseCode      string
	CourseTitle     string
	HostAgency      string
	Hours           int
	StartsOn        string
	EndsOn          string
	IssuedOn        string
	ExpiresOn       string
	Number          string
	Renews          string
	Revoked         bool
	VerificationURL string
	QR              template.URL // data: URI of a PNG of the verification URL
}

// RenderPDF prints the certificate with number as a PDF, in its holder's
// language. It checks no scope: callers decide who may download it.
func (s *Service) RenderPDF(ctx context.Context, number string) ([]byte, error) {
	html, err := s.CertificateHTML(ctx, number)
	if err != nil {
		return nil, err
	}
	return s.print(ctx, html)
}

// CertificateHTML is the printable certificate as an HTML document, the
// source of its PDF. It checks no scope.
func (s *Service) CertificateHTML(ctx context.Context, number string) ([]byte, error) {
	tx := s.db(ctx)
	r, err := s.row(tx, number)
	if err != nil {
		return nil, err
	}
	var extra struct {
		Language string
		StartsOn time.Time
		EndsOn   time.Time
	}
	if err := tx.Table("certificates c").Select("u.language, ch.starts_on, ch.ends_on").
		Joins("JOIN users u ON u.id = c.user_id").Joins("JOIN cohorts ch ON ch.id = c.cohort_id").
		Where("c.id = ?", r.ID).Take(&extra).Error; err != nil {
		return nil, err
	}
	loc := s.messages().For(extra.Language)
	url := s.VerificationURL(r.VerificationCode)
	qr, err := QRDataURI(url)
	if err != nil {
		return nil, err
	}
	v := s.toView(*r, s.today())
	doc := certificateDoc{
		Localizer: loc, HolderName: v.HolderName, HolderNameLatin: v.HolderNameLatin,
		CourseCode: v.CourseCode, CourseTitle: v.CourseTitle, HostAgency: v.HostAgency, Hours: v.Hours,
		StartsOn: extra.StartsOn.Format(time.DateOnly), EndsOn: extra.EndsOn.Format(time.DateOnly),
		IssuedOn: v.IssuedOn.String(), Number: v.Number, Revoked: v.Status == StatusRevoked,
		VerificationURL: url, QR: qr,
	}
	if v.ExpiresOn != nil {
		doc.ExpiresOn = v.ExpiresOn.String()
	}
	if v.Renews != nil {
		doc.Renews = *v.Renews
	}
	return execute(certificateTemplate, doc)
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
	return s.Printer.Print(ctx, html)
}
