package export

import (
	"slices"

	"muster/internal/i18n"
)

// labels are what a person reads in place of the stable keys: column titles
// and status words in one language, looked up once per export.
type labels struct {
	columns []string          // titles, in column order
	status  map[string]string // status code -> word
	sheet   string            // the XLSX sheet's name
}

func newLabels(loc *i18n.Localizer, kind string) *labels {
	keys, statuses, prefix := CertificateColumns, CertificateStatuses, "exports.certificate_status."
	if kind == TrainingRecords {
		keys, statuses, prefix = RecordColumns, EnrollmentStatuses, "exports.enrollment_status."
	}
	l := &labels{columns: make([]string, len(keys)), status: map[string]string{}, sheet: loc.T("exports.kind." + kind)}
	for i, k := range keys {
		l.columns[i] = loc.T("exports.column." + k)
	}
	for _, s := range statuses {
		l.status[s] = loc.T(prefix + s)
	}
	return l
}

// header is the first row of CSV and XLSX.
func (e *Export) header() []string {
	if e.labels != nil {
		return e.labels.columns
	}
	return e.columns()
}

// statusColumn is the index of the status column.
func (e *Export) statusColumn() int { return slices.Index(e.columns(), "status") }

// label puts the status word in place of the status code, when localized.
func (e *Export) label(cells []cell, status int) {
	if e.labels == nil || cells[status].kind != cellText {
		return
	}
	if w, ok := e.labels.status[cells[status].text]; ok {
		cells[status].text = w
	}
}
