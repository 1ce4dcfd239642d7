// Package csvfile reads the CSV files people upload from spreadsheets.
package csvfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
)

var bom = []byte("\xef\xbb\xbf")

// Reader returns a csv.Reader over r that drops a UTF-8 byte order mark and
// takes a semicolon as the delimiter when the first line has more semicolons
// than commas (as spreadsheets in many locales write). Records may have any
// number of fields.
func Reader(r io.Reader) *csv.Reader {
	br := bufio.NewReaderSize(r, 4096)
	first, _ := br.Peek(4096) // a short or failing read shows up at the first Read
	if bytes.HasPrefix(first, bom) {
		_, _ = br.Discard(len(bom))
		first = first[len(bom):]
	}
	line, _, _ := bytes.Cut(first, []byte("\n"))
	cr := csv.NewReader(br)
	if bytes.Count(line, []byte(";")) > bytes.Count(line, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	return cr
}
