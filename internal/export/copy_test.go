package export

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"muster/internal/db/dbtest"
	"muster/internal/export/exporttest"
)

// TestCopyMatchesRowWriter: on PostgreSQL the certificate CSV is written by
// COPY; for every filter, scope and header form it reads back exactly as the
// row writer's CSV of the same export (formula-like names neutralised, empty
// cells empty, dates as YYYY-MM-DD, CRLF line ends, the BOM first).
func TestCopyMatchesRowWriter(t *testing.T) {
	w := setup(t, dbtest.Postgres(t))
	no := false
	for _, req := range []Request{
		{}, {BOM: &no}, {Headers: HeadersLocalized, Language: "fa"}, {Headers: HeadersLocalized, Language: "ru"},
		{Filter: Filter{Status: "expired"}}, {Filter: Filter{Status: "valid", Course: "BS-201"}}, {Filter: Filter{Status: "revoked"}},
		{Filter: Filter{Country: "TJ", IssuedFrom: "2025-01-01"}}, {Filter: Filter{ExpiringBefore: "2026-03-22"}},
	} {
		for _, who := range []struct {
			name string
			e    *Export
		}{{"admin", nil}, {"hr a", nil}} {
			actor := w.admin
			if who.name == "hr a" {
				actor = w.hrA
			}
			e, err := w.svc.Prepare(actor, req)
			if err != nil {
				t.Fatal(err)
			}
			if !e.usesCopy() {
				t.Fatal("a certificate CSV on PostgreSQL is not written by COPY")
			}
			var copied, written bytes.Buffer
			if _, err := e.copyCSV(w.ctx, &copied); err != nil {
				t.Fatalf("%+v: COPY: %v", req, err)
			}
			if _, err := e.streamRows(w.ctx, &written); err != nil {
				t.Fatal(err)
			}
			got, want := parseCSV(t, copied.Bytes()), parseCSV(t, written.Bytes())
			if !reflect.DeepEqual(got, want) || who.name == "admin" && len(want) < 2 {
				t.Errorf("%s %+v:\nCOPY %q\nrows %q", who.name, req, got, want)
			}
			if bytes.HasPrefix(copied.Bytes(), []byte(utf8BOM)) != req.WantsBOM() || !bytes.HasSuffix(copied.Bytes(), []byte("\r\n")) ||
				bytes.Count(copied.Bytes(), []byte("\n")) != bytes.Count(copied.Bytes(), []byte("\r\n")) {
				t.Errorf("%+v: BOM or line ends wrong: %q", req, copied.String())
			}
		}
	}
	all := parseCSV(t, w.export(t, w.admin, Request{Headers: HeadersLocalized, Language: "ru"}))
	if all[0][0] != "Номер сертификата" || !strings.Contains(strings.Join(flat(all), "|"), "Отозван") {
		t.Errorf("localized COPY export: %q", all)
	}
	for _, r := range all {
		if r[2] == exporttest.FormulaName {
			t.Errorf("formula name not neutralised: %q", r)
		}
	}
}

func parseCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte(utf8BOM)))).ReadAll()
	if err != nil {
		t.Fatalf("CSV %q: %v", b, err)
	}
	return rows
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// TestInline: arguments written into COPY's SQL stay literals, whatever
// they hold.
func TestInline(t *testing.T) {
	got, err := inline("a = ? AND b = ? AND c = ?", []any{`it's \' ? ;--`, exporttest.Today, 7})
	if err != nil || got != `a = E'it''s \\'' ? ;--' AND b = DATE '2026-03-21' AND c = 7` {
		t.Errorf("inline: %s, %v", got, err)
	}
	for _, args := range [][]any{{"a\x00b"}, {1, 2}, {}} {
		if _, err := inline("x = ?", args); err == nil {
			t.Errorf("inline %q: no error", args)
		}
	}
}
