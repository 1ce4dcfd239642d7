package export

import (
	"bufio"
	"encoding/csv"
	"strconv"
	"unicode/utf8"
)

// rowWriter writes rows in one format.
type rowWriter interface {
	header(columns []string) error
	row(cells []cell) error
	flush() error // hands what is buffered to the underlying writer
	close() error // completes the document
}

// utf8BOM lets spreadsheet programs recognise a CSV file as UTF-8.
const utf8BOM = "\xEF\xBB\xBF"

// csvWriter writes RFC 4180 CSV: CRLF line ends, fields quoted when needed.
type csvWriter struct {
	out    *bufio.Writer
	w      *csv.Writer
	bom    bool
	record []string
}

func newCSVWriter(out *bufio.Writer, bom bool) *csvWriter {
	w := csv.NewWriter(out) // reuses out, which is larger than csv's own buffer
	w.UseCRLF = true
	return &csvWriter{out: out, w: w, bom: bom}
}

func (c *csvWriter) header(columns []string) error {
	if c.bom {
		if _, err := c.out.WriteString(utf8BOM); err != nil {
			return err
		}
	}
	c.record = make([]string, len(columns))
	return c.w.Write(columns)
}

func (c *csvWriter) row(cells []cell) error {
	for i := range cells {
		c.record[i] = csvField(&cells[i])
	}
	return c.w.Write(c.record)
}

func (c *csvWriter) flush() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.out.Flush()
}

func (c *csvWriter) close() error { return c.flush() }

// csvField is a cell as CSV text; text is neutralised against formulas.
func csvField(c *cell) string {
	switch c.kind {
	case cellText:
		return Neutralise(c.text)
	case cellInt:
		return strconv.FormatInt(c.num, 10)
	case cellDecimal:
		return strconv.FormatFloat(c.dec, 'f', -1, 64)
	case cellDate:
		return c.date.Format(dateLayout)
	}
	return ""
}

// Neutralise keeps a spreadsheet from reading a cell as a formula (OWASP CSV
// injection): text that begins with =, +, -, @, a tab or a carriage return
// gets a leading single quote.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// jsonWriter writes a JSON array of objects, or one object per line (NDJSON).
// Keys follow the column order; missing values are null.
type jsonWriter struct {
	out   *bufio.Writer
	array bool
	keys  [][]byte // `"column":` for each column
	buf   []byte
	rows  int64
}

func newJSONWriter(out *bufio.Writer, array bool) *jsonWriter {
	return &jsonWriter{out: out, array: array}
}

func (j *jsonWriter) header(columns []string) error {
	for _, c := range columns {
		j.keys = append(j.keys, append(appendJSONString(nil, c), ':'))
	}
	if j.array {
		_, err := j.out.WriteString("[")
		return err
	}
	return nil
}

func (j *jsonWriter) row(cells []cell) error {
	b := j.buf[:0]
	if j.array {
		if j.rows > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
	}
	b = append(b, '{')
	for i := range cells {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, j.keys[i]...)
		b = appendJSONValue(b, &cells[i])
	}
	b = append(b, '}')
	if !j.array {
		b = append(b, '\n')
	}
	j.buf = b
	j.rows++
	_, err := j.out.Write(b)
	return err
}

func (j *jsonWriter) flush() error { return j.out.Flush() }

func (j *jsonWriter) close() error {
	if j.array {
		if _, err := j.out.WriteString("\n]\n"); err != nil {
			return err
		}
	}
	return j.out.Flush()
}

func appendJSONValue(b []byte, c *cell) []byte {
	switch c.kind {
	case cellText:
		return appendJSONString(b, c.text)
	case cellInt:
		return strconv.AppendInt(b, c.num, 10)
	case cellDecimal:
		return strconv.AppendFloat(b, c.dec, 'f', -1, 64)
	case cellDate:
		b = append(b, '"')
		b = c.date.AppendFormat(b, dateLayout)
		return append(b, '"')
	}
	return append(b, "null"...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced, every other character
// (Persian, Cyrillic) written as it is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		// U+2028 and U+2029 end lines in JavaScript source.
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
