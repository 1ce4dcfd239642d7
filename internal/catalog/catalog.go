// Package catalog is the course catalogue: courses with their languages of
// instruction and prerequisites, who may see and edit them, and the search
// behind GET /api/v1/courses.
package catalog

import (
	"context"

	"gorm.io/gorm"

	"muster/internal/clock"
)

// Course statuses. A course moves draft → published → archived, may be
// re-published from archived, and never returns to draft once published.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusArchived  = "archived"
)

// Statuses in display order.
var Statuses = []string{StatusDraft, StatusPublished, StatusArchived}

// Disciplines a course belongs to; each has the message key "discipline."+name.
var Disciplines = []string{
	"counter_narcotics", "border_security", "counter_terrorism", "organised_crime",
	"cybercrime", "forensics", "intelligence_analysis", "human_trafficking",
	"public_order", "leadership", "language", "other",
}

// Levels of a course; message key "level."+name.
var Levels = []string{"basic", "intermediate", "advanced"}

// Deliveries of a course; message key "delivery."+name.
var Deliveries = []string{"in_person", "online", "blended"}

// Languages of instruction a course may list (ISO 639-1); message key
// "language."+code. The validate tags of CourseInput and Query repeat this
// list, and a test keeps them equal.
var Languages = []string{
	"ar", "az", "de", "en", "es", "fa", "fr", "hi", "it", "ja", "kk",
	"ko", "ky", "ps", "ru", "tg", "tk", "tr", "uk", "ur", "uz", "zh",
}

// Message keys of the catalogue's own field errors.
const (
	KeyCodeFormat            = "catalog.code_format"
	KeyCodeTaken             = "catalog.code_taken"
	KeyUnknownPrerequisites  = "catalog.unknown_prerequisites"
	KeyPrerequisiteCycle     = "catalog.prerequisite_cycle"
	KeyPrerequisiteDraft     = "catalog.prerequisite_unpublished"
	KeyStatusTransition      = "catalog.status_transition"
	KeyUnknownAgency         = "catalog.unknown_agency"
	KeyOwnerAgencyNotAllowed = "catalog.owner_agency_not_allowed"
)

// Service runs the catalogue's use cases. Each change is one transaction
// with its audit event.
type Service struct {
	DB *gorm.DB
	// Reads serves catalogue searches, which may lag: the read replica
	// (db.Reads) when one is configured; DB when nil. A single course, and
	// every check behind a change, is read from DB.
	Reads *gorm.DB
	Clock clock.Clock

	counts countCache // totals of searches, under the catalogue's version
	titles titleCache // every course's titles, under the catalogue's version
}

func (s *Service) db(ctx context.Context) *gorm.DB { return s.DB.WithContext(ctx) }

// reads is the handle catalogue searches read through.
func (s *Service) reads(ctx context.Context) *gorm.DB {
	if s.Reads != nil {
		return s.Reads.WithContext(ctx)
	}
	return s.db(ctx)
}
