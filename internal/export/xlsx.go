package export

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"io"
	"strconv"
	"time"
	"unicode/utf8"
)

// xlsxWriter writes an Office Open XML workbook straight into a ZIP archive
// on the response: each row is appended to the sheet's XML as it is read and
// compressed on the way out, so the client receives the file while the query
// runs and memory stays flat whatever the number of rows. The parts whose
// content depends on the whole export (the workbook's list of sheets, its
// relationships, the content types) come after the sheets: a ZIP archive's
// directory is at its end, so the order of its entries does not matter.
// Strings are inline (no shared-string table to hold in memory).
type xlsxWriter struct {
	out     *bufio.Writer
	title   string // sheet name; later sheets get " 2", " 3"...
	modTime time.Time
	zw      *zip.Writer
	sheet   io.Writer // the current sheet's entry
	sheets  int
	line    int // last row written on the current sheet
	columns []string
	refs    []string // column letters, A, B, ...
	buf     []byte
}

// xlsxMaxRows is the most rows a sheet holds, the header included (a
// variable so that tests can fill sheets quickly).
var xlsxMaxRows = 1 << 20

// Styles of styles.xml, by their index in cellXfs.
const (
	xlsxStyleHeader  = "1" // bold
	xlsxStyleDate    = "2" // yyyy-mm-dd
	xlsxStylePercent = "3" // 0.0
)

func newXLSXWriter(out *bufio.Writer, title string, modTime time.Time) *xlsxWriter {
	return &xlsxWriter{out: out, title: title, modTime: modTime}
}

func (x *xlsxWriter) header(columns []string) error {
	x.zw = zip.NewWriter(x.out)
	// The fastest deflate: the text compresses about tenfold anyway, and the
	// export should not wait for the compressor.
	x.zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	x.columns = columns
	x.refs = make([]string, len(columns))
	for i := range columns {
		x.refs[i] = columnLetters(i)
	}
	return x.startSheet()
}

// columnLetters is the spreadsheet name of the column at index i: A..Z, AA...
func columnLetters(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

const xlsxSheetStart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
	`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` +
	`<sheetData>`

const xlsxSheetEnd = `</sheetData></worksheet>`

// startSheet ends the current sheet, if any, and begins the next with the
// header row: a sheet holds at most 1,048,576 rows, so long exports go on.
func (x *xlsxWriter) startSheet() error {
	if x.sheet != nil {
		if _, err := io.WriteString(x.sheet, xlsxSheetEnd); err != nil {
			return err
		}
	}
	x.sheets++
	w, err := x.create("xl/worksheets/sheet"+strconv.Itoa(x.sheets)+".xml", zip.Deflate)
	if err != nil {
		return err
	}
	x.sheet, x.line = w, 1
	b := append(x.buf[:0], xlsxSheetStart...)
	b = append(b, `<row r="1">`...)
	for i, c := range x.columns {
		b = x.appendRef(b, i, xlsxStyleHeader, `t="inlineStr"`)
		b = appendInlineString(b, c)
	}
	b = append(b, `</row>`...)
	x.buf = b
	_, err = x.sheet.Write(b)
	return err
}

func (x *xlsxWriter) create(name string, method uint16) (io.Writer, error) {
	return x.zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: x.modTime})
}

// appendRef opens a cell: <c r="B7" s=".." t="..">.
func (x *xlsxWriter) appendRef(b []byte, col int, style, typ string) []byte {
	b = append(b, `<c r="`...)
	b = append(b, x.refs[col]...)
	b = strconv.AppendInt(b, int64(x.line), 10)
	b = append(b, '"')
	if style != "" {
		b = append(b, ` s="`...)
		b = append(b, style...)
		b = append(b, '"')
	}
	if typ != "" {
		b = append(b, ' ')
		b = append(b, typ...)
	}
	return append(b, '>')
}

func (x *xlsxWriter) row(cells []cell) error {
	if x.line >= xlsxMaxRows {
		if err := x.startSheet(); err != nil {
			return err
		}
	}
	x.line++
	b := append(x.buf[:0], `<row r="`...)
	b = strconv.AppendInt(b, int64(x.line), 10)
	b = append(b, `">`...)
	for i := range cells {
		c := &cells[i]
		switch c.kind {
		case cellText:
			b = x.appendRef(b, i, "", `t="inlineStr"`)
			b = appendInlineString(b, c.text)
		case cellInt:
			b = x.appendRef(b, i, "", "")
			b = append(b, `<v>`...)
			b = strconv.AppendInt(b, c.num, 10)
			b = append(b, `</v></c>`...)
		case cellDecimal:
			b = x.appendRef(b, i, xlsxStylePercent, "")
			b = append(b, `<v>`...)
			b = strconv.AppendFloat(b, c.dec, 'f', -1, 64)
			b = append(b, `</v></c>`...)
		case cellDate:
			b = x.appendRef(b, i, xlsxStyleDate, "")
			b = append(b, `<v>`...)
			b = strconv.AppendInt(b, excelSerial(c.date), 10)
			b = append(b, `</v></c>`...)
		}
	}
	b = append(b, `</row>`...)
	x.buf = b
	_, err := x.sheet.Write(b)
	return err
}

// excelSerial is a day as a spreadsheet date serial: days since 1899-12-30.
func excelSerial(t time.Time) int64 {
	return t.Unix()/86400 + 25569
}

// appendInlineString writes text as <is><t>...</t></is></c>, escaped for
// XML. Characters XML 1.0 forbids (most control characters) and invalid
// UTF-8 become U+FFFD; leading or trailing spaces are kept.
func appendInlineString(b []byte, s string) []byte {
	b = append(b, `<is><t`...)
	if s != "" && (s[0] == ' ' || s[len(s)-1] == ' ' || s[0] == '\t' || s[0] == '\n') {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				b = append(b, "&amp;"...)
			case c == '<':
				b = append(b, "&lt;"...)
			case c == '>':
				b = append(b, "&gt;"...)
			case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
				b = append(b, "\uFFFD"...)
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, `</t></is></c>`...)
}

// flush hands the compressed rows so far to the response.
func (x *xlsxWriter) flush() error {
	if err := x.zw.Flush(); err != nil {
		return err
	}
	return x.out.Flush()
}

// close ends the last sheet and writes the parts that list the sheets.
func (x *xlsxWriter) close() error {
	if _, err := io.WriteString(x.sheet, xlsxSheetEnd); err != nil {
		return err
	}
	for _, p := range x.packageParts() {
		w, err := x.create(p.name, zip.Deflate)
		if err != nil {
			return err
		}
		if _, err := w.Write(p.body); err != nil {
			return err
		}
	}
	if err := x.zw.Close(); err != nil {
		return err
	}
	return x.out.Flush()
}
