package catalog

import (
	"slices"
	"strings"

	"gorm.io/gorm"

	"muster/internal/access"
	"muster/internal/apperr"
	"muster/internal/db"
)

// courseRef is the little the prerequisite rules need to know of a course.
type courseRef struct {
	ID            string
	Code          string
	Title         string
	Status        string
	OwnerAgencyID string
}

// canSee reports whether actor may read a course: drafts only by admins and
// coordinators of the owning agency; published and archived by everyone.
func canSee(actor access.Actor, status, ownerAgencyID string) bool {
	return status != StatusDraft || actor.CanManageCatalog(ownerAgencyID)
}

// checkPrerequisites resolves the prerequisite codes of in for course self
// (ID empty when it is being created) and applies the rules: every code names
// a course the actor can see, only a draft of the same agency requires a
// draft, and no course requires itself, directly or through others (searched
// only when the list differs from before: the stored graph has no cycle). It
// returns the prerequisites' ids and the field messages for rules broken.
// A caller changing prerequisites holds lockPrerequisiteGraph.
func checkPrerequisites(tx *gorm.DB, actor access.Actor, selfID string, in *CourseInput, before []string) ([]string, []apperr.FieldError, error) {
	codes := in.Prerequisites
	if len(codes) == 0 {
		return nil, nil, nil
	}
	if slices.Contains(codes, in.Code) {
		return nil, []apperr.FieldError{cycleField([]string{in.Code, in.Code})}, nil
	}
	var refs []courseRef
	err := tx.Model(&Course{}).Select("id, code, title, status, owner_agency_id").
		Where("code IN ?", codes).Order("code").Find(&refs).Error
	if err != nil {
		return nil, nil, err
	}
	found := map[string]bool{}
	var ids, drafts []string
	for _, r := range refs {
		if !canSee(actor, r.Status, r.OwnerAgencyID) {
			continue // another agency's draft answers as unknown, like a 404
		}
		if r.ID == selfID { // the course's former code, when renaming
			return nil, []apperr.FieldError{cycleField([]string{in.Code, in.Code})}, nil
		}
		found[r.Code] = true
		ids = append(ids, r.ID)
		// Drafts are private to their agency: only a draft of the same agency
		// may require one, so no reader ever meets a prerequisite they cannot see.
		if r.Status == StatusDraft && (in.Status != StatusDraft || r.OwnerAgencyID != in.OwnerAgencyID) {
			drafts = append(drafts, r.Code)
		}
	}
	var unknown []string
	for _, c := range codes {
		if !found[c] {
			unknown = append(unknown, c)
		}
	}
	if len(unknown) > 0 {
		return nil, []apperr.FieldError{apperr.Field("prerequisites", KeyUnknownPrerequisites, "Codes", strings.Join(unknown, ", "))}, nil
	}
	if len(drafts) > 0 {
		return nil, []apperr.FieldError{apperr.Field("prerequisites", KeyPrerequisiteDraft, "Codes", strings.Join(drafts, ", "))}, nil
	}
	if selfID == "" {
		return ids, nil, nil // nothing can require a course that does not exist yet
	}
	if sameSet(codes, before) {
		return ids, nil, nil
	}
	cycle, err := findCycle(tx, selfID, in.Code, refs)
	if err != nil {
		return nil, nil, err
	}
	if cycle != nil {
		return nil, []apperr.FieldError{cycleField(cycle)}, nil
	}
	return ids, nil, nil
}

func cycleField(codes []string) apperr.FieldError {
	return apperr.Field("prerequisites", KeyPrerequisiteCycle, "Cycle", strings.Join(codes, " → "))
}

// graphLockKey names the PostgreSQL advisory lock that serialises changes to
// prerequisites ("must" "cat1" in ASCII).
const graphLockKey int64 = 0x6d75737463617431

// lockPrerequisiteGraph makes two concurrent edits (A requires B, B requires
// A) check one after the other, so together they cannot close a cycle. It is
// taken before any course row is locked, so it cannot deadlock with them.
// SQLite already runs one writing transaction at a time.
func lockPrerequisiteGraph(tx *gorm.DB) error {
	if db.Dialect(tx) != db.Postgres {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(?)", graphLockKey).Error
}

// findCycle searches breadth first from the new prerequisites of course self
// for a path back to it, and returns the shortest such cycle as codes
// (self, ..., self), or nil.
func findCycle(tx *gorm.DB, selfID, selfCode string, start []courseRef) ([]string, error) {
	parent := map[string]string{}
	code := map[string]string{selfID: selfCode}
	var frontier []string
	for _, r := range start {
		parent[r.ID], code[r.ID] = selfID, r.Code
		frontier = append(frontier, r.ID)
	}
	type edge struct{ CourseID, PrerequisiteID, Code string }
	for len(frontier) > 0 {
		var edges []edge
		err := tx.Table("course_prerequisites AS cp").
			Select("cp.course_id, cp.prerequisite_id, p.code").
			Joins("JOIN courses p ON p.id = cp.prerequisite_id").
			Joins("JOIN courses c ON c.id = cp.course_id").
			Where("cp.course_id IN ?", frontier).
			Order("c.code, p.code").Scan(&edges).Error
		if err != nil {
			return nil, err
		}
		var next []string
		for _, e := range edges {
			if e.PrerequisiteID == selfID {
				return cyclePath(e.CourseID, selfID, parent, code), nil
			}
			if _, seen := parent[e.PrerequisiteID]; seen {
				continue
			}
			parent[e.PrerequisiteID], code[e.PrerequisiteID] = e.CourseID, e.Code
			next = append(next, e.PrerequisiteID)
		}
		frontier = next
	}
	return nil, nil
}

// cyclePath walks back from last to self: self → ... → last → self.
func cyclePath(last, selfID string, parent, code map[string]string) []string {
	path := []string{code[selfID]}
	for id := last; id != selfID; id = parent[id] {
		path = append(path, code[id])
	}
	path = append(path, code[selfID])
	slices.Reverse(path[1 : len(path)-1])
	return path
}

// sameSet reports whether a and b hold the same codes, in any order.
func sameSet(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}
