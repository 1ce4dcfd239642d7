package export

import (
	"reflect"
	"testing"

	"gorm.io/gorm"

	"muster/internal/db/dbtest"
	"muster/internal/export/exporttest"
)

// TestCertificateColumns checks every column of certificates with and
// without expiry, renewal and latin name, in the documented order.
func TestCertificateColumns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := setup(t, gdb)
		rows := w.csvRows(t, w.admin, Request{})
		if !reflect.DeepEqual(rows[0], CertificateColumns) {
			t.Fatalf("header = %q", rows[0])
		}
		want := []string{
			"certificate_number", "status", "holder_name", "holder_name_latin", "service_number", "rank", "agency", "country",
			"course_code", "course_title", "cohort_code", "host_agency", "hours", "score", "issued_on", "expires_on",
			"renews_certificate", "verification_url",
		}
		if !reflect.DeepEqual(CertificateColumns, want) {
			t.Fatalf("columns = %q, want %q", CertificateColumns, want)
		}
		got := map[string][]string{}
		for _, r := range rows[1:] {
			got[r[0]] = r
		}
		if len(got) != 6 {
			t.Fatalf("%d certificates exported, want 6", len(got))
		}
		c := w.f.Certificates
		url := func(name string) string { return exporttest.BaseURL + "/verify/" + c[name].VerificationCode }
		for name, row := range map[string][]string{
			// Expiring, with a latin name, issued by the holder's own agency.
			"C1": {c["C1"].Number, "valid", exporttest.PersianName, "Ali Rezaei", "IR-1001", exporttest.PersianRank, "PDC", "IR",
				"CN-101", "Counter-narcotics basics", "CN-101-2025-A", "PDC", "40", "92", "2025-01-10", "2028-01-10", "", url("C1")},
			// Hosted by the other agency, expired.
			"C2": {c["C2"].Number, "expired", exporttest.PersianName, "Ali Rezaei", "IR-1001", exporttest.PersianRank, "PDC", "IR",
				"BS-201", exporttest.CyrillicTitle, "BS-201-2023-B", "DCA", "24", "75", "2023-02-01", "2026-02-01", "", url("C2")},
			// A renewal names the certificate it renews.
			"C3": {c["C3"].Number, "valid", exporttest.PersianName, "Ali Rezaei", "IR-1001", exporttest.PersianRank, "PDC", "IR",
				"BS-201", exporttest.CyrillicTitle, "BS-201-2026-B", "DCA", "24", "88", "2026-03-01", "2029-03-01", c["C2"].Number, url("C3")},
			// No expiry, no latin name, no score, revoked.
			"C4": {c["C4"].Number, "revoked", exporttest.CyrillicName, "", "TJ-2002", exporttest.CyrillicRank, "DCA", "TJ",
				"OC-301", "Organised crime", "OC-301-2025-A", "PDC", "16", "", "2025-06-01", "", "", url("C4")},
			// Expires today: expired. Formula-like text is neutralised.
			"C5": {c["C5"].Number, "expired", "'" + exporttest.FormulaName, "'" + exporttest.FormulaLatin, "'" + exporttest.FormulaNumber,
				"'" + exporttest.FormulaRank, "PDC", "IR", "CN-101", "Counter-narcotics basics", "CN-101-2025-A", "PDC", "40", "60",
				"2023-03-21", "2026-03-21", "", url("C5")},
			// Expires tomorrow: still valid.
			"C6": {c["C6"].Number, "valid", exporttest.CyrillicName, "", "TJ-2002", exporttest.CyrillicRank, "DCA", "TJ",
				"BS-201", exporttest.CyrillicTitle, "BS-201-2023-B", "DCA", "24", "70", "2023-03-22", "2026-03-22", "", url("C6")},
		} {
			if g := got[row[0]]; !reflect.DeepEqual(g, row) {
				t.Errorf("%s:\n got %q\nwant %q", name, g, row)
			}
		}
		// Rows come in certificate-number order.
		for i := 2; i < len(rows); i++ {
			if rows[i-1][0] >= rows[i][0] {
				t.Errorf("row %d (%s) after %s: not in number order", i, rows[i][0], rows[i-1][0])
			}
		}
	})
}

// TestRecordColumns checks the training-records export: every enrollment,
// with its status, attendance and score, and the certificate it earned.
func TestRecordColumns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := setup(t, gdb)
		rows := w.csvRows(t, w.admin, Request{Kind: TrainingRecords})
		if !reflect.DeepEqual(rows[0], RecordColumns) {
			t.Fatalf("header = %q", rows[0])
		}
		if len(rows) != 9 {
			t.Fatalf("%d records, want 8", len(rows)-1)
		}
		got := map[string]map[string]string{}
		for _, r := range rows[1:] {
			m := byColumn(rows[0], r)
			got[m["full_name"]+"|"+m["cohort_code"]] = m
		}
		c := w.f.Certificates
		for key, want := range map[string]map[string]string{
			exporttest.PersianName + "|CN-101-2025-A": {"full_name_latin": "Ali Rezaei", "service_number": "IR-1001", "rank": exporttest.PersianRank,
				"agency": "PDC", "country": "IR", "course_code": "CN-101", "course_title": "Counter-narcotics basics", "host_agency": "PDC",
				"starts_on": "2025-01-01", "ends_on": "2025-01-11", "status": "completed", "sessions": "4", "sessions_attended": "3",
				"attendance_percent": "75", "score": "92", "certificate_number": c["C1"].Number},
			"'" + exporttest.FormulaName + "|CN-101-2025-A": {"status": "completed", "sessions": "4", "sessions_attended": "2",
				"attendance_percent": "50", "score": "60", "certificate_number": c["C5"].Number},
			exporttest.CyrillicName + "|CN-101-2025-A": {"full_name_latin": "", "status": "failed", "sessions": "4", "sessions_attended": "0",
				"attendance_percent": "0", "score": "40", "certificate_number": "", "agency": "DCA", "country": "TJ", "host_agency": "PDC"},
			exporttest.PersianName + "|OC-301-2025-A": {"status": "withdrawn", "sessions": "0", "sessions_attended": "0",
				"attendance_percent": "", "score": "", "certificate_number": ""},
			exporttest.PersianName + "|BS-201-2026-B": {"status": "completed", "host_agency": "DCA", "course_title": exporttest.CyrillicTitle,
				"certificate_number": c["C3"].Number},
		} {
			g, ok := got[key]
			if !ok {
				t.Errorf("no record %s", key)
				continue
			}
			for col, v := range want {
				if g[col] != v {
					t.Errorf("%s: %s = %q, want %q", key, col, g[col], v)
				}
			}
		}
	})
}
