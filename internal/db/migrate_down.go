package db

import (
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"strings"

	"gorm.io/gorm"

	"muster/migrations"
)

// Loss is a table whose rows, or some of whose columns, a down-migration
// would drop.
type Loss struct {
	Table string
	Rows  int64
	What  string // "table" or "column NAME"
}

func (l Loss) String() string {
	if l.What == "table" {
		return fmt.Sprintf("%s (%d rows)", l.Table, l.Rows)
	}
	return fmt.Sprintf("%s.%s (%d rows)", l.Table, strings.TrimPrefix(l.What, "column "), l.Rows)
}

var (
	dropTable  = regexp.MustCompile(`(?i)\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?([a-z_][a-z0-9_]*)`)
	dropColumn = regexp.MustCompile(`(?i)\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?([a-z_][a-z0-9_]*)\s+DROP\s+COLUMN\s+(?:IF\s+EXISTS\s+)?([a-z_][a-z0-9_]*)`)
)

// DownLosses lists the data rolling back the most recent migration would
// drop: the tables it drops and the tables it drops columns from, each with
// its rows, when it has any. An empty list means nothing is lost.
func (m *Migrator) DownLosses(ctx context.Context, gdb *gorm.DB) ([]Loss, error) {
	version, err := m.p.GetDBVersion(ctx)
	if err != nil || version == 0 {
		return nil, err
	}
	dir := "sqlite"
	if Dialect(gdb) == Postgres {
		dir = "postgres"
	}
	var down string
	for _, s := range m.p.ListSources() {
		if s.Version != version {
			continue
		}
		b, err := fs.ReadFile(migrations.FS, dir+"/"+s.Path[strings.LastIndex(s.Path, "/")+1:])
		if err != nil {
			return nil, err
		}
		if _, after, ok := strings.Cut(string(b), "-- +goose Down"); ok {
			down = after
		}
	}
	var losses []Loss
	add := func(table, what string) error {
		if !gdb.Migrator().HasTable(table) {
			return nil
		}
		var n int64
		if err := gdb.WithContext(ctx).Table(table).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			losses = append(losses, Loss{Table: table, Rows: n, What: what})
		}
		return nil
	}
	for _, mt := range dropTable.FindAllStringSubmatch(down, -1) {
		if err := add(strings.ToLower(mt[1]), "table"); err != nil {
			return nil, err
		}
	}
	for _, mt := range dropColumn.FindAllStringSubmatch(down, -1) {
		if err := add(strings.ToLower(mt[1]), "column "+strings.ToLower(mt[2])); err != nil {
			return nil, err
		}
	}
	return losses, nil
}
