package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"muster/internal/db/dbtest"
	"muster/internal/export/exporttest"
)

func TestNeutralise(t *testing.T) {
	for in, want := range map[string]string{
		"=2+3": "'=2+3", "+Ali": "'+Ali", "-Major": "'-Major", "@A1": "'@A1",
		"\tx": "'\tx", "\rx": "'\rx", "": "", "Ali": "Ali", "علی": "علی", "a=b": "a=b", "'=x": "'=x",
	} {
		if got := Neutralise(in); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCSVWriter: RFC 4180 quoting and CRLF line ends, the optional BOM.
func TestCSVWriter(t *testing.T) {
	var buf bytes.Buffer
	out := bufio.NewWriterSize(&buf, 64<<10)
	w := newCSVWriter(out, true)
	cells := make([]cell, 5)
	cells[0].setText(`a,b`)
	cells[1].setText(`say "hi"`)
	cells[2].setText("two\nlines")
	cells[3].setInt(42)
	cells[4].setDate(day{t: time.Date(2026, 3, 21, 0, 0, 0, 0, time.UTC), valid: true})
	if err := w.header([]string{"a", "b", "c", "d", "e"}); err != nil {
		t.Fatal(err)
	}
	if err := w.row(cells); err != nil {
		t.Fatal(err)
	}
	cells[0], cells[3], cells[4] = cell{}, cell{}, cell{}
	_ = w.row(cells)
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	// Line breaks inside a quoted field become CRLF too, as RFC 4180 writes them.
	want := "\xEF\xBB\xBFa,b,c,d,e\r\n\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\",42,2026-03-21\r\n,\"say \"\"hi\"\"\",\"two\r\nlines\",,\r\n"
	if got := buf.String(); got != want {
		t.Errorf("CSV:\n got %q\nwant %q", got, want)
	}
}

func TestJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote\back`, "ctl\x00\x1f\n\r\t", "علی رضایی", "Рустам", "ja\u2028va\u2029s", "<b>&"} {
		var back string
		if err := json.Unmarshal(appendJSONString(nil, s), &back); err != nil || back != s {
			t.Errorf("%q: round trip gives %q, %v", s, back, err)
		}
	}
	if got := string(appendJSONString(nil, "bad\xffbyte")); got != `"bad\ufffdbyte"` {
		t.Errorf("invalid UTF-8: %s", got)
	}
}

// TestScriptsPreserved: Persian and Cyrillic text comes out exactly in CSV
// (with and without BOM), XLSX (read back with excelize), JSON and NDJSON.
func TestScriptsPreserved(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := setup(t, gdb)
		// C2, C3 (Persian holder, Cyrillic title) and C6 (Cyrillic holder), in number order.
		only := Filter{Course: "BS-201"}
		wantNames := []string{exporttest.PersianName, exporttest.CyrillicName, exporttest.PersianName}

		no := false
		plain := w.export(t, w.admin, Request{Format: FormatCSV, BOM: &no, Filter: only})
		bom := w.export(t, w.admin, Request{Format: FormatCSV, Filter: only})
		if !bytes.Equal(bom, append([]byte(utf8BOM), plain...)) || bytes.HasPrefix(plain, []byte(utf8BOM)) {
			t.Errorf("the default CSV is not the BOM followed by the CSV of bom=0")
		}
		for _, s := range []string{exporttest.PersianName, exporttest.CyrillicName, exporttest.CyrillicTitle, exporttest.PersianRank} {
			if !bytes.Contains(plain, []byte(s)) {
				t.Errorf("CSV lacks %q", s)
			}
		}
		rows := w.csvRows(t, w.admin, Request{Filter: only})
		var got []string
		for _, r := range rows[1:] {
			got = append(got, r[2])
		}
		if !reflect.DeepEqual(got, wantNames) {
			t.Errorf("CSV holder names %q, want %q", got, wantNames)
		}

		var arr []map[string]any
		if err := json.Unmarshal(w.export(t, w.admin, Request{Format: FormatJSON, Filter: only}), &arr); err != nil {
			t.Fatalf("JSON array: %v", err)
		}
		nd := w.objects(t, w.admin, Request{Filter: only})
		for name, objs := range map[string][]map[string]any{"json": arr, "ndjson": nd} {
			got = got[:0]
			for _, o := range objs {
				got = append(got, o["holder_name"].(string))
				if o["course_title"] != exporttest.CyrillicTitle {
					t.Errorf("%s course_title %q", name, o["course_title"])
				}
			}
			if !reflect.DeepEqual(got, wantNames) {
				t.Errorf("%s holder names %q, want %q", name, got, wantNames)
			}
		}

		f, err := excelize.OpenReader(bytes.NewReader(w.export(t, w.admin, Request{Format: FormatXLSX, Filter: only})))
		if err != nil {
			t.Fatalf("open XLSX: %v", err)
		}
		defer f.Close()
		xrows, err := f.GetRows("Certificates")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(xrows[0], CertificateColumns) {
			t.Errorf("XLSX header %q", xrows[0])
		}
		got = got[:0]
		for _, r := range xrows[1:] {
			got = append(got, r[2])
			if r[9] != exporttest.CyrillicTitle || r[5] == "" {
				t.Errorf("XLSX row %q", r)
			}
		}
		if !reflect.DeepEqual(got, wantNames) {
			t.Errorf("XLSX holder names %q, want %q", got, wantNames)
		}
	})
}

// TestXLSXTypes: dates are date cells (numbers with a date format), numbers
// are numbers, missing values are empty cells, text is not neutralised.
func TestXLSXTypes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		w := setup(t, gdb)
		f, err := excelize.OpenReader(bytes.NewReader(w.export(t, w.admin, Request{Format: FormatXLSX, Filter: Filter{Course: "OC-301"}})))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		const sheet = "Certificates"
		// Row 2 is C4: issued 2025-06-01, no expiry, no score.
		if v, _ := f.GetCellValue(sheet, "O2"); v != "2025-06-01" {
			t.Errorf("issued_on shows %q", v)
		}
		raw, _ := f.GetCellValue(sheet, "O2", excelize.Options{RawCellValue: true})
		serial, err := strconv.ParseFloat(raw, 64)
		want, _ := excelize.ExcelDateToTime(serial, false)
		if err != nil || !want.Equal(time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("issued_on is stored as %q, not a date serial", raw)
		}
		if typ, _ := f.GetCellType(sheet, "M2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("hours has type %v", typ)
		}
		for _, ref := range []string{"N2", "P2", "Q2"} { // score, expires_on, renews_certificate
			if v, _ := f.GetCellValue(sheet, ref); v != "" {
				t.Errorf("%s = %q, want empty", ref, v)
			}
		}
		formula, _ := excelize.OpenReader(bytes.NewReader(w.export(t, w.admin, Request{Format: FormatXLSX, Filter: Filter{Course: "CN-101"}})))
		defer formula.Close()
		rows, _ := formula.GetRows(sheet)
		found := false
		for _, r := range rows {
			found = found || r[2] == exporttest.FormulaName
		}
		if !found {
			t.Errorf("XLSX does not keep %q as text: %q", exporttest.FormulaName, rows)
		}
		if fs, _ := formula.GetCellFormula(sheet, "C2"); fs != "" || strings.Contains(rows[0][0], "'") {
			t.Errorf("a formula was written: %q", fs)
		}
	})
}
