package web

import (
	"net/http"

	"muster/internal/cohort"
)

func init() {
	routeSets = append(routeSets, (*Server).cohortRoutes, (*Server).rosterRoutes)
	// Quotas that add up to more than the capacity are bad input, not a clash with stored state.
	statusOf[cohort.CodeQuotasOverCapacity] = http.StatusUnprocessableEntity
}

// cohortRoutes registers venues, cohorts, quotas and schedules.
func (s *Server) cohortRoutes(g routeGroups) {
	planners := s.require(catalogEditors...)
	a := g.API
	a.GET("/venues", planners, s.apiVenueList)
	a.POST("/venues", planners, s.apiVenueCreate)
	a.GET("/venues/:id", planners, s.apiVenueGet)
	a.PATCH("/venues/:id", planners, s.apiVenueUpdate)
	a.GET("/cohorts", s.apiCohortList)
	a.POST("/cohorts", planners, s.apiCohortCreate)
	a.GET("/cohorts/:id", s.apiCohortGet)
	a.PATCH("/cohorts/:id", planners, s.apiCohortUpdate)
	a.PUT("/cohorts/:id/quotas", planners, s.apiQuotasPut)
	a.GET("/cohorts/:id/sessions", s.apiSessionList)
	a.POST("/cohorts/:id/sessions", planners, s.apiSessionCreate)
	a.GET("/cohorts/:id/conflicts", planners, s.apiConflicts)
	a.GET("/cohorts/:id/calendar.ics", s.apiCohortCalendar)
	a.PATCH("/sessions/:id", planners, s.apiSessionUpdate)
	a.DELETE("/sessions/:id", planners, s.apiSessionDelete)
	a.POST("/sessions/:id/instructors", planners, s.apiAssign)
	a.DELETE("/sessions/:id/instructors/:instructor_id", planners, s.apiUnassign)

	p := g.Pages
	p.GET("/cohorts", s.cohortListPage)
	p.GET("/cohorts/:id", s.cohortPage)
	p.GET("/manage/cohorts", planners, s.cohortManageListPage)
	p.GET("/manage/cohorts/new", planners, s.cohortNewPage)
	p.POST("/manage/cohorts", planners, s.cohortCreateSubmit)
	p.GET("/manage/cohorts/:id", planners, s.cohortEditPage)
	p.POST("/manage/cohorts/:id", planners, s.cohortUpdateSubmit)
	p.POST("/manage/cohorts/:id/status", planners, s.cohortStatusSubmit)
	p.GET("/manage/cohorts/:id/quotas", planners, s.quotasPage)
	p.POST("/manage/cohorts/:id/quotas", planners, s.quotasSubmit)
	p.GET("/manage/cohorts/:id/schedule", planners, s.schedulePage)
	p.POST("/manage/cohorts/:id/sessions", planners, s.sessionCreateSubmit)
	p.GET("/manage/cohorts/:id/conflicts", planners, s.conflictsPage)
	p.GET("/manage/sessions/:id", planners, s.sessionEditPage)
	p.POST("/manage/sessions/:id", planners, s.sessionUpdateSubmit)
	p.POST("/manage/sessions/:id/delete", planners, s.sessionDeleteSubmit)
	p.POST("/manage/sessions/:id/instructors", planners, s.assignSubmit)
	p.POST("/manage/sessions/:id/instructors/:instructor_id/remove", planners, s.unassignSubmit)
	p.GET("/manage/venues", planners, s.venueListPage)
	p.POST("/manage/venues", planners, s.venueCreateSubmit)
	p.GET("/manage/venues/:id", planners, s.venueEditPage)
	p.POST("/manage/venues/:id", planners, s.venueUpdateSubmit)
}

// rosterRoutes registers instructors, their calendars and the feeds.
func (s *Server) rosterRoutes(g routeGroups) {
	planners := s.require(catalogEditors...)
	signedIn := s.require(anySignedIn...)
	a := g.API
	a.GET("/instructors", planners, s.apiInstructorList)
	a.GET("/instructors/:id", signedIn, s.apiInstructorGet)
	a.PATCH("/instructors/:id", signedIn, s.apiInstructorUpdate)
	a.PUT("/instructors/:id/qualifications", planners, s.apiQualificationsPut)
	a.POST("/instructors/:id/unavailability", signedIn, s.apiUnavailabilityCreate)
	a.DELETE("/instructors/:id/unavailability/:period_id", signedIn, s.apiUnavailabilityDelete)
	a.GET("/me/teaching", signedIn, s.apiMyTeaching)
	a.GET("/me/calendar.ics", signedIn, s.apiMyCalendar)
	a.POST("/me/feed-token", signedIn, s.apiFeedTokenCreate)
	a.DELETE("/me/feed-token", signedIn, s.apiFeedTokenDelete)

	p := g.Pages
	p.GET("/manage/instructors", planners, s.rosterPage)
	p.GET("/manage/instructors/:id", planners, s.instructorPage)
	p.POST("/manage/instructors/:id", planners, s.instructorProfileSubmit)
	p.POST("/manage/instructors/:id/qualifications", planners, s.qualificationsSubmit)
	p.POST("/manage/instructors/:id/unavailability", planners, s.unavailabilitySubmit)
	p.POST("/manage/instructors/:id/unavailability/:period_id/delete", planners, s.unavailabilityDeleteSubmit)
	p.GET("/me/calendar", signedIn, s.myCalendarPage)
	p.POST("/me/calendar/feed", signedIn, s.feedCreateSubmit)
	p.POST("/me/calendar/feed/revoke", signedIn, s.feedRevokeSubmit)
	p.POST("/me/calendar/unavailability", signedIn, s.myUnavailabilitySubmit)
	p.POST("/me/calendar/unavailability/:period_id/delete", signedIn, s.myUnavailabilityDeleteSubmit)

	// Calendar apps subscribe without a session: the secret token is the credential.
	g.Root.GET("/feeds/:token", s.feed)
}
