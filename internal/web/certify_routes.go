package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/access"
	"muster/internal/certify"
)

func init() {
	routeSets = append(routeSets, (*Server).certifyRoutes)
	statusOf[certify.CodePDFUnavailable] = http.StatusServiceUnavailable
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
