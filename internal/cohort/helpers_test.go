package cohort_test

import "muster/internal/catalog"

// draftCourse is an unpublished course: no cohort may be scheduled for it.
func draftCourse() catalog.CourseInput {
	return catalog.CourseInput{Code: "DR-101", Title: "Draft", Discipline: "other", Level: "basic", Delivery: "online",
		DurationHours: 4, Languages: []string{"fa"}}
}
