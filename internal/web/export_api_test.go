package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/db/dbtest"
	"muster/internal/export"
	"muster/internal/export/exporttest"
	"muster/internal/identity"
	"muster/internal/webtest"
)

// exportEnv is a server whose agencies a and b have the export fixture's
// records; on PostgreSQL it reads through the CI's streaming replica when
// there is one.
func exportEnv(t *testing.T, gdb *gorm.DB) (*webtest.Env, *exporttest.Fixture) {
	t.Helper()
	env := webtest.Start(t, dbtest.WithReplica(t, gdb))
	env.Clock.Set(exporttest.Today)
	return env, exporttest.Seed(t, gdb, env.Agencies["a"].ID, env.Agencies["b"].ID)
}

func readCSV(t *testing.T, body []byte) []map[string]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
		t.Errorf("CSV without its byte order mark: %q", body[:min(len(body), 20)])
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("CSV %q: %v", body, err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestExportAPIScope: hr of agency a downloads their own personnel's
// certificates and training records, never a row of agency b's personnel.
func TestExportAPIScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env, f := exportEnv(t, gdb)
		for who, want := range map[string][]string{
			"a/hr":    {f.Certificates["C1"].Number, f.Certificates["C2"].Number, f.Certificates["C3"].Number, f.Certificates["C5"].Number},
			"b/hr":    {f.Certificates["C4"].Number, f.Certificates["C6"].Number},
			"a/admin": {"C1", "C2", "C3", "C4", "C5", "C6"},
		} {
			res := env.As(who).Do("GET", "/api/v1/exports/certificates?format=csv", nil)
			if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8; header=present" ||
				res.Header.Get("Content-Disposition") != `attachment; filename=certificates-2026-03-21.csv` {
				t.Fatalf("%s: %d %v", who, res.Status, res.Header)
			}
			rows := readCSV(t, res.Body)
			if len(rows) != len(want) {
				t.Errorf("%s: %d rows, want %d", who, len(rows), len(want))
			}
			agency := strings.ToUpper(who[:1]) + "-AG"
			for _, r := range rows {
				if who != "a/admin" && r["agency"] != agency {
					t.Errorf("%s received %s of %s", who, r["certificate_number"], r["agency"])
				}
				if !strings.HasSuffix(r["verification_url"], "/verify/"+codeOf(f, r["certificate_number"])) {
					t.Errorf("verification_url %q", r["verification_url"])
				}
			}
			res = env.As(who).Do("GET", "/api/v1/exports/training-records?format=csv", nil)
			for _, r := range readCSV(t, res.Body) {
				if who != "a/admin" && r["agency"] != agency {
					t.Errorf("%s received the training record of %s of %s", who, r["full_name"], r["agency"])
				}
			}
		}
		// Asking for the other agency gives nothing, not their rows.
		res := env.As("a/hr").Do("GET", "/api/v1/exports/certificates?format=ndjson&agency="+env.Agencies["b"].ID, nil)
		if res.Status != http.StatusOK || len(res.Body) != 0 {
			t.Errorf("hr a asking for agency b: %d %q", res.Status, res.Body)
		}
		// The preview counts what the download would hold.
		res = env.As("a/hr").Do("GET", "/api/v1/exports/certificates?preview=1&status=valid", nil)
		if m := res.Map(); res.Status != http.StatusOK || m["rows"] != float64(2) {
			t.Errorf("preview: %d %s", res.Status, res.Body)
		}
	})
}

func codeOf(f *exporttest.Fixture, number string) string {
	for _, c := range f.Certificates {
		if c.Number == number {
			return c.VerificationCode
		}
	}
	return "?"
}

// TestExportAPIFormats: XLSX and JSON through HTTP, an invalid request
// answered 422 before any byte of a download, and the audit event.
func TestExportAPIFormats(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env, _ := exportEnv(t, gdb)
		hr := env.As("a/hr")
		res := hr.Do("GET", "/api/v1/exports/certificates?format=xlsx&course=BS-201", nil)
		if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Fatalf("xlsx: %d %v", res.Status, res.Header)
		}
		x, err := excelize.OpenReader(bytes.NewReader(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("Certificates")
		x.Close()
		if len(rows) != 3 || rows[1][2] != exporttest.PersianName || rows[1][9] != exporttest.CyrillicTitle {
			t.Errorf("xlsx rows %q", rows)
		}
		res = hr.Do("GET", "/api/v1/exports/training-records?format=json", nil)
		if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("json: %d %v", res.Status, res.Header)
		}
		var records []map[string]any
		res.JSON(&records)
		if len(records) != 5 {
			t.Errorf("%d training records for hr a, want 5", len(records))
		}

		for _, path := range []string{
			"/api/v1/exports/certificates?status=bogus", "/api/v1/exports/certificates?format=pdf",
			"/api/v1/exports/training-records?issued_from=yesterday", "/api/v1/exports/certificates.zip?status=bogus",
			"/api/v1/exports/certificates?bom=maybe",
		} {
			res := hr.Do("GET", path, nil)
			if res.Status != http.StatusUnprocessableEntity || res.Header.Get("Content-Type") != "application/problem+json" ||
				res.Header.Get("Content-Disposition") != "" {
				t.Errorf("%s: %d %v %s", path, res.Status, res.Header, res.Body)
			}
		}
		var events []audit.Event
		gdb.Where("action LIKE ?", "export.%").Order("id").Find(&events)
		if len(events) != 2 || events[0].IP == "" || events[0].AgencyID == nil || *events[0].AgencyID != env.Agencies["a"].ID {
			t.Errorf("audit events %+v", events)
		}
	})
}

// TestExportAPIZip: without a PDF renderer the archive answers 503
// pdf_unavailable; with one it streams a ZIP of the scoped certificates.
func TestExportAPIZip(t *testing.T) {
	env, f := exportEnv(t, dbtest.SQLite(t))
	svc := env.App.Exports
	svc.PDF = nil
	res := env.As("b/hr").Do("GET", "/api/v1/exports/certificates.zip", nil)
	if res.Status != http.StatusServiceUnavailable || res.Map()["code"] != export.CodePDFUnavailable {
		t.Fatalf("no renderer: %d %s", res.Status, res.Body)
	}
	svc.PDF = pdfStub{}
	res = env.As("b/hr").Do("GET", "/api/v1/exports/certificates.zip", nil)
	if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("zip: %d %v", res.Status, res.Header)
	}
	for _, want := range []string{f.Certificates["C4"].Number + ".pdf", f.Certificates["C6"].Number + ".pdf"} {
		if !bytes.Contains(res.Body, []byte(want)) {
			t.Errorf("archive lacks %s", want)
		}
	}
	if bytes.Contains(res.Body, []byte(f.Certificates["C1"].Number)) {
		t.Errorf("hr b's archive holds agency a's certificate")
	}
}

type pdfStub struct{}

func (pdfStub) RenderPDF(_ context.Context, number string) ([]byte, error) {
	return []byte("%PDF-1.4\n% " + number + "\n%%EOF\n"), nil
}

// TestExportDisconnect: a client that reads a little and hangs up stops the
// server's query: the export's row loop ends with context.Canceled long
// before the last row, and the audit event records the partial export.
func TestExportDisconnect(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		env, f := exportEnv(t, gdb)
		const total = 20000
		exporttest.Bulk(t, gdb, f.A, total)
		flushed := make(chan struct{})
		cancelled := make(chan bool, 1)
		finished := make(chan export.Result, 1)
		var once sync.Once
		env.App.Exports.Hooks = export.Hooks{
			// Hold the export after its first batch until the request's
			// context ends, which only the client's disconnect can cause.
			Flushed: func(ctx context.Context, _ int64) {
				once.Do(func() {
					close(flushed)
					select {
					case <-ctx.Done():
						cancelled <- true
					case <-time.After(20 * time.Second):
						cancelled <- false
					}
				})
			},
			Finished: func(r export.Result) { finished <- r },
		}
		client := env.As("a/admin")
		ctx, hangUp := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", env.URL+"/api/v1/exports/certificates?format=csv", nil)
		resp, err := client.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(resp.Body, make([]byte, 512)); err != nil {
			t.Fatalf("first bytes: %v", err)
		}
		<-flushed
		hangUp()
		resp.Body.Close()
		if !<-cancelled {
			t.Fatal("the request's context was not cancelled when the client hung up")
		}
		select {
		case r := <-finished:
			if !errors.Is(r.Err, context.Canceled) || r.Rows >= total {
				t.Fatalf("export ended with %+v, want context.Canceled before row %d", r, total)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the export did not stop after the client hung up")
		}
		var details string
		gdb.Model(&audit.Event{}).Where("action = ?", "export.certificates").Pluck("details", &details)
		if !strings.Contains(details, `"cancelled"`) {
			t.Errorf("audit details %s", details)
		}
	})
}

// TestExportAPILocalizedHeaders: headers=localized gives column titles and
// status words in the caller's language, the default keeps the keys, and
// bom=0 leaves the byte order mark out.
func TestExportAPILocalizedHeaders(t *testing.T) {
	gdb := dbtest.SQLite(t)
	env, _ := exportEnv(t, gdb)
	// The signed-in person's language is the request's.
	ru := "ru"
	if _, err := env.App.Identity.UpdateUser(context.Background(), access.System(), env.Users["b/hr"].ID, identity.UserPatch{Language: &ru}); err != nil {
		t.Fatal(err)
	}
	hr := env.As("b/hr")
	res := hr.Do("GET", "/api/v1/exports/certificates?headers=localized", nil)
	if res.Status != http.StatusOK {
		t.Fatalf("localized: %d %s", res.Status, res.Body)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(res.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil || len(rows) < 2 || rows[0][0] != "Номер сертификата" || rows[0][1] != "Статус" {
		t.Fatalf("localized CSV %q, %v", rows, err)
	}
	words := map[string]bool{}
	for _, r := range rows[1:] {
		words[r[1]] = true
	}
	if !words["Отозван"] || words["revoked"] {
		t.Errorf("status words %v", words)
	}
	plain := hr.Do("GET", "/api/v1/exports/certificates?bom=0", nil)
	if bytes.HasPrefix(plain.Body, []byte("\xEF\xBB\xBF")) || !bytes.HasPrefix(plain.Body, []byte("certificate_number,status,")) {
		t.Errorf("bom=0 keys: %.60q", plain.Body)
	}
	if bad := hr.Do("GET", "/api/v1/exports/certificates?headers=fancy", nil); bad.Status != http.StatusUnprocessableEntity {
		t.Errorf("headers=fancy: %d", bad.Status)
	}
}
