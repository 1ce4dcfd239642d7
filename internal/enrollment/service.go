package enrollment

import (
	"gorm.io/gorm"

	"muster/internal/clock"
)

// Service is the enrollment capability.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}
