// Package export streams certification and training records to HR systems
// as CSV, XLSX and JSON.
package export

import (
	"gorm.io/gorm"

	"muster/internal/clock"
)

// Service is the export capability.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}
