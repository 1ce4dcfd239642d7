package web

import (
	"net/http"

	"muster/internal/access"
	"muster/internal/enrollment"
)

func init() {
	routeSets = append(routeSets, (*Server).enrollmentRoutes)
	// Refusals that depend on the cohort's or the request's state answer 409;
	// missing prerequisites are the trainee's to fix first, 422.
	for _, code := range []string{enrollment.CodeCohortNotOpen, enrollment.CodeAgencyNotParticipating, enrollment.CodeAlreadyEnrolled,
		enrollment.CodeAlreadyCertified, enrollment.CodeCohortStarted, enrollment.CodeCohortNotStarted, enrollment.CodeWrongStatus} {
		statusOf[code] = http.StatusConflict
	}
	statusOf[enrollment.CodePrerequisitesMissing] = http.StatusUnprocessableEntity
}

// enrollmentRoutes registers requests, nominations, decisions, the approval
// queue, rosters and "My training". Trainees ask for themselves;
// coordinators decide for their own agency's people; the service narrows
// each call to the records the caller may see.
func (s *Server) enrollmentRoutes(g routeGroups) {
	signedIn := s.require(anySignedIn...)
	deciders := s.require(access.Admin, access.Coordinator)
	readers := s.require(staff...)

	a := g.API
	a.POST("/cohorts/:id/enrollments", signedIn, s.apiEnroll)
	a.GET("/cohorts/:id/enrollments", readers, s.apiCohortEnrollments)
	a.POST("/cohorts/:id/nominations", deciders, s.apiNominate)
	a.GET("/me/enrollments", signedIn, s.apiMyEnrollments)
	a.GET("/approvals", deciders, s.apiApprovals)
	a.GET("/enrollments/:id", signedIn, s.apiEnrollmentGet)
	a.POST("/enrollments/:id/approve", deciders, s.apiApprove)
	a.POST("/enrollments/:id/reject", deciders, s.apiReject)
	a.POST("/enrollments/:id/withdraw", signedIn, s.apiWithdraw)
	a.POST("/enrollments/:id/no-show", deciders, s.apiNoShow)

	p := g.Pages
	p.GET("/cohorts/:id/enroll", signedIn, s.enrollPage)
	p.POST("/cohorts/:id/enroll", signedIn, s.enrollSubmit)
	p.GET("/me/training", signedIn, s.trainingPage)
	p.GET("/enrollments/:id", signedIn, s.enrollmentPage)
	p.POST("/enrollments/:id/withdraw", signedIn, s.withdrawSubmit)
	p.GET("/manage/approvals", deciders, s.approvalsPage)
	p.POST("/manage/enrollments/:id/approve", deciders, s.approveSubmit)
	p.POST("/manage/enrollments/:id/reject", deciders, s.rejectSubmit)
	p.POST("/manage/enrollments/:id/no-show", deciders, s.noShowSubmit)
	p.GET("/manage/cohorts/:id/roster", readers, s.cohortRosterPage)
	p.GET("/manage/cohorts/:id/nominate", deciders, s.nominatePage)
	p.POST("/manage/cohorts/:id/nominate", deciders, s.nominateSubmit)
}
