package certify

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/audit"
	"muster/internal/db"
)

// Downloads of personal records are audited: who took which certificate or
// transcript out of muster, in which form. The event is written once the
// document is ready, so a failed print is not recorded as a download.

// CertificatePDF prints a certificate the actor may see, records the
// download and returns the certificate's number with the PDF.
func (s *Service) CertificatePDF(ctx context.Context, actor access.Actor, number string) (string, []byte, error) {
	r, err := s.row(s.db(ctx), number)
	if err != nil {
		return "", nil, err
	}
	if !canSee(actor, &r.Certificate, r.HolderAgencyID) {
		return "", nil, apperr.NotFound()
	}
	pdf, err := s.RenderPDF(ctx, r.Number)
	if err != nil {
		return "", nil, err
	}
	return r.Number, pdf, s.recordDownload(ctx, actor, "certificate.download", "certificate", r.ID, r.HolderAgencyID,
		map[string]any{"number": r.Number, "format": "pdf"})
}

// DownloadCredential signs a certificate's credential for the actor, as
// Credential does, and records the download.
func (s *Service) DownloadCredential(ctx context.Context, actor access.Actor, number string) (*Credential, error) {
	c, err := s.Credential(ctx, actor, number)
	if err != nil {
		return nil, err
	}
	r, err := s.row(s.db(ctx), number)
	if err != nil {
		return nil, err
	}
	return c, s.recordDownload(ctx, actor, "certificate.download", "certificate", r.ID, r.HolderAgencyID,
		map[string]any{"number": r.Number, "format": "vc"})
}

func (s *Service) recordDownload(ctx context.Context, actor access.Actor, action, subjectType, subjectID, agencyID string, details map[string]any) error {
	return db.Tx(ctx, s.DB, s.Clock, func(tx *gorm.DB) error {
		return audit.Record(tx, db.Now(tx, s.Clock), actor, audit.Entry{Action: action, SubjectType: subjectType, SubjectID: subjectID, AgencyID: agencyID, Details: details})
	})
}
