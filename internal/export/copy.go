package export

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"muster/internal/certify"
	"muster/internal/db"
)

// On PostgreSQL the certificate CSV is PostgreSQL's own COPY ... TO STDOUT
// WITH CSV of the export's query, with every cell already in its exported
// form, so rows pass from the database to the client without being decoded
// and encoded again in between: the export runs at the speed of COPY. The
// only change on the way is RFC 4180's CRLF line ends. Other formats, other
// kinds and SQLite go through the row writers; TestCopyMatchesRowWriter
// keeps both ways to the same file.

// usesCopy reports whether the export is written by COPY.
func (e *Export) usesCopy() bool {
	return e.format == FormatCSV && e.kind == Certificates && db.Dialect(e.svc.DB) == "postgres"
}

// neutralSQL is Neutralise in SQL: text a spreadsheet would read as a
// formula gets a leading single quote.
func neutralSQL(expr string) string {
	return fmt.Sprintf(`CASE WHEN left(%[1]s, 1) IN ('=', '+', '-', '@', E'\t', E'\r') THEN '''' || %[1]s ELSE %[1]s END`, expr)
}

// certificateCopySelect is certificateSelect with each cell as the CSV row
// writer writes it: text neutralised, empty text as an empty cell, the
// status as a word given as an argument. Its arguments are the words for
// revoked, today, the words for expired and valid, and the verification
// URL's prefix.
var certificateCopySelect = `SELECT c.number,
 ` + strings.NewReplacer("'"+certify.StatusRevoked+"'", "CAST(? AS TEXT)", "'"+certify.StatusExpired+"'", "CAST(? AS TEXT)",
	"'"+certify.StatusValid+"'", "CAST(? AS TEXT)").Replace(certify.StatusSQL("c")) + `,
 ` + neutralSQL("c.holder_name") + `, ` + neutralSQL("NULLIF(c.holder_name_latin, '')") + `,
 ` + neutralSQL("NULLIF(u.service_number, '')") + `, ` + neutralSQL("NULLIF(u.rank, '')") + `,
 ` + neutralSQL("a.short_name") + `, a.country, ` + neutralSQL("co.code") + `, ` + neutralSQL("co.title") + `,
 ` + neutralSQL("ch.code") + `, ` + neutralSQL("ha.short_name") + `, c.hours, e.score, c.issued_on, c.expires_on, r.number,
 CAST(? AS TEXT) || c.verification_code`

// copyQuery is the certificate CSV's COPY statement, arguments written in.
func (e *Export) copyQuery() (string, error) {
	word := func(s string) string {
		if e.labels != nil {
			return e.labels.status[s]
		}
		return s
	}
	var q query
	q.add(certificateCopySelect+certificateFrom,
		word(certify.StatusRevoked), e.today, word(certify.StatusExpired), word(certify.StatusValid), e.verifyPrefix)
	q.where(e.conditions())
	q.add("\nORDER BY c.number")
	sql, err := inline(q.sql.String(), q.args)
	if err != nil {
		return "", err
	}
	return "COPY (" + sql + ") TO STDOUT WITH (FORMAT csv)", nil
}

// inline writes the arguments into sql in place of its ? placeholders, as
// literals: COPY takes no parameters. Strings are escape-string literals,
// safe whatever standard_conforming_strings says; NUL cannot be written.
func inline(sql string, args []any) (string, error) {
	var b strings.Builder
	for _, a := range args {
		i := strings.IndexByte(sql, '?')
		if i < 0 {
			return "", errors.New("export: more arguments than placeholders")
		}
		b.WriteString(sql[:i])
		switch v := a.(type) {
		case time.Time:
			b.WriteString("DATE '" + v.Format(dateLayout) + "'")
		case string:
			if strings.IndexByte(v, 0) >= 0 {
				return "", errors.New("export: NUL in an argument")
			}
			b.WriteString("E'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(v) + "'")
		case int:
			fmt.Fprint(&b, v)
		default:
			return "", fmt.Errorf("export: cannot write %T into SQL", a)
		}
		sql = sql[i+1:]
	}
	if strings.IndexByte(sql, '?') >= 0 {
		return "", errors.New("export: fewer arguments than placeholders")
	}
	b.WriteString(sql)
	return b.String(), nil
}

// copyCSV writes the certificate CSV with COPY on one connection of the
// pool the other export queries read from (the replica's, when configured).
func (e *Export) copyCSV(ctx context.Context, w io.Writer) (int64, error) {
	sql, err := e.copyQuery()
	if err != nil {
		return 0, err
	}
	pool, err := db.ReadPool(e.svc.reads(ctx))
	if err != nil {
		return 0, err
	}
	conn, err := pool.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	out := &crlfWriter{e: e, ctx: ctx, w: w, out: bufio.NewWriterSize(w, 64<<10)}
	if e.bom {
		_, _ = out.out.WriteString(utf8BOM)
	}
	csv := newCSVWriter(out.out, false)
	if err := csv.header(e.header()); err != nil {
		return 0, err
	}
	if err := csv.flush(); err != nil {
		return 0, err
	}
	var rows int64
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("export: COPY needs a pgx connection, not %T", dc)
		}
		pg := c.Conn().PgConn()
		// Dates as YYYY-MM-DD whatever the server's default.
		if err := pg.Exec(ctx, "SET datestyle = 'ISO, YMD'").Close(); err != nil {
			return err
		}
		tag, err := pg.CopyTo(ctx, out, sql)
		rows = tag.RowsAffected()
		return err
	})
	if err != nil {
		return out.lines, err
	}
	if err := out.out.Flush(); err != nil {
		return rows, err
	}
	if f, ok := w.(flusher); ok {
		f.Flush()
	}
	return rows, nil
}

// crlfWriter passes COPY's CSV on with CRLF line ends, as encoding/csv's
// UseCRLF does: every LF becomes CRLF and a lone CR (only ever inside a
// quoted field) is dropped. Every flushEvery lines it flushes to the client
// and stops when the context has ended, as the row writers do.
type crlfWriter struct {
	e     *Export
	ctx   context.Context
	w     io.Writer
	out   *bufio.Writer
	lines int64
}

func (c *crlfWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		seg := p
		if i >= 0 {
			seg = p[:i]
		}
		if bytes.IndexByte(seg, '\r') >= 0 {
			seg = bytes.ReplaceAll(seg, []byte{'\r'}, nil)
		}
		if _, err := c.out.Write(seg); err != nil {
			return 0, err
		}
		if i < 0 {
			break
		}
		if _, err := c.out.WriteString("\r\n"); err != nil {
			return 0, err
		}
		p = p[i+1:]
		if c.lines++; c.lines%flushEvery == 0 {
			if err := c.out.Flush(); err != nil {
				return 0, err
			}
			if err := c.e.flushed(c.ctx, c.w, c.lines); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}
