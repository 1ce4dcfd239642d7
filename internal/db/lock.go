package db

import (
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ForUpdate locks the selected rows on PostgreSQL. SQLite needs no row
// locks: its transactions begin IMMEDIATE and so hold the write lock.
func ForUpdate(tx *gorm.DB) *gorm.DB {
	if Dialect(tx) == Postgres {
		return tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return tx
}
