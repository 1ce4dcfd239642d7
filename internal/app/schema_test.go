package app

import (
	"sync"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"muster/internal/db/dbtest"
)

// TestSchemaMatchesModels proves the migrations and the GORM models agree on
// both dialects: every model field has its column and every column its field.
func TestSchemaMatchesModels(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, gdb *gorm.DB) {
		for _, m := range Models() {
			s, err := schema.Parse(m, &sync.Map{}, gdb.NamingStrategy)
			if err != nil {
				t.Fatal(err)
			}
			if !gdb.Migrator().HasTable(s.Table) {
				t.Errorf("model %s: no table %s", s.Name, s.Table)
				continue
			}
			cols, err := gdb.Migrator().ColumnTypes(m)
			if err != nil {
				t.Fatal(err)
			}
			have := map[string]bool{}
			for _, c := range cols {
				have[c.Name()] = true
			}
			fields := map[string]bool{}
			for _, f := range s.Fields {
				if f.DBName == "" {
					continue // associations
				}
				fields[f.DBName] = true
				if !have[f.DBName] {
					t.Errorf("model %s field %s: table %s has no column %s", s.Name, f.Name, s.Table, f.DBName)
				}
			}
			for c := range have {
				if !fields[c] {
					t.Errorf("table %s column %s: model %s has no field for it", s.Table, c, s.Name)
				}
			}
		}
		// The job queue's tables come from River's own migrations, run by the same migrator.
		for _, table := range []string{"river_job", "river_leader", "river_queue", "river_migration"} {
			if !gdb.Migrator().HasTable(table) {
				t.Errorf("no job queue table %s", table)
			}
		}
	})
}
