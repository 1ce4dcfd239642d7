package export

import (
	"bytes"
	"context"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"muster/internal/db/dbtest"
	"muster/internal/export/exporttest"
)

// countingWriter counts the bytes that reached it.
type countingWriter struct{ n int }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

// TestXLSXStreams: the workbook reaches the client while the rows are read,
// not after the query: bytes have arrived by the first flush.
func TestXLSXStreams(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := setup(t, gdb)
		exporttest.Bulk(t, gdb, w.f.A, 3*flushEvery)
		var out countingWriter
		var seen []int
		w.svc.Hooks.Flushed = func(_ context.Context, rows int64) { seen = append(seen, out.n) }
		e, err := w.svc.Prepare(w.admin, Request{Format: FormatXLSX})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Stream(w.ctx, &out); err != nil {
			t.Fatal(err)
		}
		if len(seen) < 3 || seen[0] == 0 || seen[0] >= seen[1] || seen[len(seen)-1] >= out.n {
			t.Fatalf("bytes sent at each flush %v of %d: the workbook is not streamed", seen, out.n)
		}
	})
}

// TestXLSXSheetsContinue: past a sheet's last row the export goes on in a
// new sheet with the header again, and a localized export names its sheets
// and columns in the caller's language.
func TestXLSXSheetsContinue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := setup(t, gdb)
		defer func(n int) { xlsxMaxRows = n }(xlsxMaxRows)
		xlsxMaxRows = 3 // the header and two rows
		want := w.csvRows(t, w.admin, Request{})
		for _, tc := range []struct {
			req    Request
			sheets []string
			header []string
			status string
		}{
			{Request{Format: FormatXLSX}, []string{"Certificates", "Certificates 2", "Certificates 3"}, CertificateColumns, "revoked"},
			{Request{Format: FormatXLSX, Headers: HeadersLocalized, Language: "fa"}, []string{"گواهی‌نامه‌ها", "گواهی‌نامه‌ها 2", "گواهی‌نامه‌ها 3"}, nil, "باطل‌شده"},
		} {
			f, err := excelize.OpenReader(bytes.NewReader(w.export(t, w.admin, tc.req)))
			if err != nil {
				t.Fatalf("open XLSX: %v", err)
			}
			if got := f.GetSheetList(); !reflect.DeepEqual(got, tc.sheets) {
				t.Errorf("sheets %q, want %q", got, tc.sheets)
			}
			var rows [][]string
			for i, s := range f.GetSheetList() {
				r, err := f.GetRows(s)
				if err != nil || len(r) == 0 || len(r) > 3 {
					t.Fatalf("sheet %s: %d rows, %v", s, len(r), err)
				}
				if i == 0 && tc.header != nil && !reflect.DeepEqual(r[0], tc.header) {
					t.Errorf("header %q", r[0])
				}
				if !reflect.DeepEqual(r[0], rowsHeader(f, tc.sheets[0])) {
					t.Errorf("sheet %s header %q", s, r[0])
				}
				rows = append(rows, r[1:]...)
			}
			_ = f.Close()
			if len(rows) != len(want)-1 {
				t.Fatalf("%d rows over the sheets, want %d", len(rows), len(want)-1)
			}
			statuses := map[string]bool{}
			for i, r := range rows {
				statuses[r[1]] = true
				if r[0] != want[i+1][0] {
					t.Errorf("row %d is %s, want %s", i, r[0], want[i+1][0])
				}
			}
			if !statuses[tc.status] {
				t.Errorf("no status %q in %v", tc.status, statuses)
			}
		}
	})
}

func rowsHeader(f *excelize.File, sheet string) []string {
	r, _ := f.GetRows(sheet)
	return r[0]
}

// TestInlineString: XML's special and forbidden characters come out as
// text a reader accepts.
func TestInlineString(t *testing.T) {
	got := string(appendInlineString(nil, " <a&b>\x01\xff "))
	if got != `<is><t xml:space="preserve"> &lt;a&amp;b&gt;`+"\uFFFD\uFFFD"+` </t></is></c>` {
		t.Errorf("inline string %q", got)
	}
	if columnLetters(0) != "A" || columnLetters(25) != "Z" || columnLetters(26) != "AA" || columnLetters(701) != "ZZ" || columnLetters(702) != "AAA" {
		t.Error("column letters")
	}
}
