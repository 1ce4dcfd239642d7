package roster

import (
	"gorm.io/gorm"

	"muster/internal/clock"
)

// Service is the roster capability.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}
