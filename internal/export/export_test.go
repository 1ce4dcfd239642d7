package export

import (
	"fmt"
	"strings"
	"time"
)

// CopyQuery is the export's own query with its arguments written in as
// literals, for PostgreSQL's COPY, which takes no parameters: the benchmark
// compares the export with COPY of exactly the same rows.
func CopyQuery(e *Export) string {
	sql, args := e.rowsQuery()
	var b strings.Builder
	for _, a := range args {
		i := strings.IndexByte(sql, '?')
		b.WriteString(sql[:i])
		switch v := a.(type) {
		case time.Time:
			fmt.Fprintf(&b, "DATE '%s'", v.Format(dateLayout))
		case string:
			b.WriteString("'" + strings.ReplaceAll(v, "'", "''") + "'")
		default:
			fmt.Fprint(&b, v)
		}
		sql = sql[i+1:]
	}
	b.WriteString(sql)
	return b.String()
}
