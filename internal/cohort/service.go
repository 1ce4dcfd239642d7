package cohort

import (
	"gorm.io/gorm"

	"muster/internal/clock"
)

// Service is the cohort capability.
type Service struct {
	DB    *gorm.DB
	Clock clock.Clock
}
