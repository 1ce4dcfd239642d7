package web

import (
	"github.com/gin-gonic/gin"

	"muster/internal/access"
	"muster/internal/certify"
	"muster/internal/export"
)

// The routes of each capability, called from routes() in this order, each
// route with the roles it needs beside it. The services narrow every call
// further to the records the caller may see.

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
	p.GET("/cohorts/:id/week", s.cohortWeekPage)
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
	p.POST("/manage/cohorts/:id/schedule/copy", planners, s.scheduleCopySubmit)
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
	p.GET("/manage/instructors/:id/week", planners, s.instructorWeekPage)
	p.POST("/manage/instructors/:id", planners, s.instructorProfileSubmit)
	p.POST("/manage/instructors/:id/qualifications", planners, s.qualificationsSubmit)
	p.POST("/manage/instructors/:id/unavailability", planners, s.unavailabilitySubmit)
	p.POST("/manage/instructors/:id/unavailability/:period_id/delete", planners, s.unavailabilityDeleteSubmit)
	p.GET("/me/calendar", signedIn, s.myCalendarPage)
	p.GET("/me/calendar/week", signedIn, s.myWeekPage)
	p.POST("/me/calendar/feed", signedIn, s.feedCreateSubmit)
	p.POST("/me/calendar/feed/revoke", signedIn, s.feedRevokeSubmit)
	p.POST("/me/calendar/unavailability", signedIn, s.myUnavailabilitySubmit)
	p.POST("/me/calendar/unavailability/:period_id/delete", signedIn, s.myUnavailabilityDeleteSubmit)

	// Calendar apps subscribe without a session: the secret token is the credential.
	g.Root.GET("/feeds/:token", s.feed)
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
	a.POST("/cohorts/:id/decisions", deciders, s.apiDecisions)
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
	p.GET("/cohorts/:id/roster.pdf", signedIn, s.signInSheetPDF) // staff, and the cohort's instructors
	p.GET("/manage/cohorts/:id/nominate", deciders, s.nominatePage)
	p.GET("/manage/cohorts/:id/decisions", deciders, s.decisionsPage)
	p.POST("/manage/cohorts/:id/decisions", deciders, s.decisionsSubmit)
	p.POST("/manage/cohorts/:id/nominate", deciders, s.nominateSubmit)
}

// certifyRoutes registers attendance, results, completion, certificates,
// public verification and transcripts. Records are kept by instructors and
// host coordinators; completion and revocation by host coordinators; the
// services narrow each to its scope.
func (s *Server) certifyRoutes(g routeGroups) {
	records := s.require(access.Admin, access.Coordinator, access.Instructor)
	hosts := s.require(access.Admin, access.Coordinator)
	signedIn := s.require(anySignedIn...)
	verify := newVerifyLimiter(30, 20).limit(s)
	// A lookup by number spends from the same bucket; the bare form costs nothing.
	verifyNumber := func(c *gin.Context) {
		if _, asked := c.GetQuery("number"); asked {
			verify(c)
		}
	}

	a := g.API
	a.GET("/sessions/:id/attendance", records, s.apiAttendance)
	a.PUT("/sessions/:id/attendance", records, s.apiAttendanceRecord)
	a.GET("/cohorts/:id/results", records, s.apiResults)
	a.PUT("/enrollments/:id/result", records, s.apiResultRecord)
	a.GET("/cohorts/:id/completion", hosts, s.apiCompletionPreview)
	a.POST("/cohorts/:id/complete", hosts, s.apiComplete)
	a.GET("/certificates", signedIn, s.apiCertificateList)
	a.GET("/certificates/:number", signedIn, s.apiCertificateGet) // and /certificates/{number}.pdf
	a.POST("/certificates/:number/revoke", hosts, s.apiCertificateRevoke)
	a.GET("/transcripts/:id", signedIn, s.apiTranscript)
	a.GET("/verify/:code", verify, s.apiVerify)
	a.GET("/verify", verifyNumber, s.apiVerifyNumber) // ?number=

	p := g.Pages
	p.GET("/manage/sessions/:id/attendance", records, s.attendancePage)
	p.POST("/manage/sessions/:id/attendance", records, s.attendanceSubmit)
	p.GET("/manage/cohorts/:id/results", records, s.resultsPage)
	p.POST("/manage/cohorts/:id/results", records, s.resultsSubmit)
	p.GET("/manage/cohorts/:id/complete", hosts, s.completionPage)
	p.POST("/manage/cohorts/:id/complete", hosts, s.completionSubmit)
	p.GET("/certificates", s.require(staff...), s.certificateListPage)
	p.GET("/certificates/:number", signedIn, s.certificatePage) // and /certificates/{number}.pdf
	p.POST("/certificates/:number/revoke", hosts, s.certificateRevokeSubmit)
	p.GET("/me/certificates", signedIn, s.myCertificatesPage)
	p.GET("/transcripts/:id", signedIn, s.transcriptPage) // and /transcripts/{id}.pdf
	p.GET("/verify/:code", verify, s.verifyPage)
	p.GET("/verify", verifyNumber, s.verifyLookupPage) // the form, and ?number=
}

// credentialRoutes publishes what another system needs to check a signed
// certificate without an account: the issuer's DID document (its public
// keys) and the revocation lists. The credentials themselves are downloaded, in the
// certificate's scope, at /certificates/{number}.vc.json.
func (s *Server) credentialRoutes(g routeGroups) {
	g.Root.GET(certify.DIDDocumentPath(s.Config.BaseURL), s.issuerDocument)
	g.Root.GET(certify.StatusListPath+":year", s.revocationList)
}

func (s *Server) exportRoutes(g routeGroups) {
	g.API.GET("/exports/certificates", s.require(exporters...), s.apiExport(export.Certificates, ""))
	g.API.GET("/exports/certificates.zip", s.require(exporters...), s.apiExport(export.Certificates, export.FormatZIP))
	g.API.GET("/exports/training-records", s.require(exporters...), s.apiExport(export.TrainingRecords, ""))
	g.Pages.GET("/manage/exports", s.require(exporters...), s.exportPage)
	g.Pages.GET("/manage/exports/download", s.require(exporters...), s.exportDownload)
}

// notificationRoutes registers each person's notifications and webhooks.
func (s *Server) notificationRoutes(g routeGroups) {
	signedIn := s.require(anySignedIn...)
	a := g.API
	a.GET("/me/notifications", signedIn, s.apiNotificationList)
	a.POST("/me/notifications/read", signedIn, s.apiNotificationsRead)
	a.GET("/me/notification-settings", signedIn, s.apiNotificationSettings)
	a.PUT("/me/notification-settings", signedIn, s.apiNotificationSettingsPut)
	hooks := s.require(agencyAdmins...)
	a.GET("/webhooks", hooks, s.apiWebhookList)
	a.POST("/webhooks", hooks, s.apiWebhookCreate)
	a.GET("/webhooks/:id", hooks, s.apiWebhookGet)
	a.DELETE("/webhooks/:id", hooks, s.apiWebhookDelete)

	p := g.Pages
	p.GET("/me/notifications", signedIn, s.notificationsPage)
	p.POST("/me/notifications", signedIn, s.notificationSettingsSubmit)
}
