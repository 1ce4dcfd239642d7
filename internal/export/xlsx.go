package export

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// xlsxWriter builds a workbook with excelize's StreamWriter. An XLSX file is
// a ZIP archive whose parts are complete only at the end, so rows go to the
// stream writer (which keeps them in a temporary file beyond 16 MiB) and the
// workbook is written out once the last row is in: memory stays flat, but the
// client receives the first byte only when the query has finished.
type xlsxWriter struct {
	out        io.Writer
	title      string // sheet name; later sheets get " 2", " 3"...
	file       *excelize.File
	sheet      *excelize.StreamWriter
	sheets     int
	line       int // last row written on the current sheet
	columns    []string
	headStyle  int
	dateStyle  int
	pctStyle   int
	values     []any
	cellValues []excelize.Cell
}

func newXLSXWriter(out io.Writer, title string) *xlsxWriter {
	return &xlsxWriter{out: out, title: title}
}

func (x *xlsxWriter) header(columns []string) error {
	x.file = excelize.NewFile()
	var err error
	bold := &excelize.Style{Font: &excelize.Font{Bold: true}}
	if x.headStyle, err = x.file.NewStyle(bold); err != nil {
		return err
	}
	dateFormat, pctFormat := "yyyy-mm-dd", "0.0"
	if x.dateStyle, err = x.file.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat}); err != nil {
		return err
	}
	if x.pctStyle, err = x.file.NewStyle(&excelize.Style{CustomNumFmt: &pctFormat}); err != nil {
		return err
	}
	x.columns = columns
	x.values = make([]any, len(columns))
	x.cellValues = make([]excelize.Cell, len(columns))
	return x.startSheet()
}

// startSheet begins a sheet with the header row; a sheet holds at most
// 1,048,576 rows, so long exports continue on further sheets.
func (x *xlsxWriter) startSheet() error {
	x.sheets++
	name := x.title
	if x.sheets == 1 {
		if err := x.file.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else {
		if err := x.sheet.Flush(); err != nil {
			return err
		}
		name = fmt.Sprintf("%s %d", x.title, x.sheets)
		if _, err := x.file.NewSheet(name); err != nil {
			return err
		}
	}
	sw, err := x.file.NewStreamWriter(name)
	if err != nil {
		return err
	}
	x.sheet, x.line = sw, 1
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	head := make([]any, len(x.columns))
	for i, c := range x.columns {
		head[i] = excelize.Cell{StyleID: x.headStyle, Value: c}
	}
	return sw.SetRow("A1", head)
}

func (x *xlsxWriter) row(cells []cell) error {
	if x.line >= excelize.TotalRows {
		if err := x.startSheet(); err != nil {
			return err
		}
	}
	x.line++
	for i := range cells {
		c := &cells[i]
		switch c.kind {
		case cellText:
			x.values[i] = c.text
		case cellInt:
			x.values[i] = c.num
		case cellDecimal:
			x.cellValues[i] = excelize.Cell{StyleID: x.pctStyle, Value: c.dec}
			x.values[i] = &x.cellValues[i]
		case cellDate:
			x.cellValues[i] = excelize.Cell{StyleID: x.dateStyle, Value: c.date}
			x.values[i] = &x.cellValues[i]
		default:
			x.values[i] = nil
		}
	}
	cellName, err := excelize.CoordinatesToCellName(1, x.line)
	if err != nil {
		return err
	}
	return x.sheet.SetRow(cellName, x.values)
}

// flush does nothing: the workbook can be sent only when complete.
func (x *xlsxWriter) flush() error { return nil }

func (x *xlsxWriter) close() error {
	defer x.file.Close() // removes the stream writer's temporary files
	if err := x.sheet.Flush(); err != nil {
		return err
	}
	return x.file.Write(x.out)
}

// discard releases the temporary files of an export that did not finish.
func (x *xlsxWriter) discard() {
	if x.file != nil {
		_ = x.file.Close()
	}
}
