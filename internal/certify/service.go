package certify

import (
	"gorm.io/gorm"

	"muster/internal/clock"
)

// Service is the certify capability.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}
