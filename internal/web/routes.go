package web

import (
	"github.com/gin-gonic/gin"

	"muster/internal/access"
)

// Role groups used where routes are registered.
var (
	staff          = []string{access.Admin, access.AgencyAdmin, access.Coordinator, access.HR}
	adminOnly      = []string{access.Admin}
	agencyAdmins   = []string{access.Admin, access.AgencyAdmin}
	catalogEditors = []string{access.Admin, access.Coordinator}
	anySignedIn    []string
)

// routeGroups are the groups the capabilities' routes are registered on.
type routeGroups struct {
	Root  *gin.Engine      // no authentication (health, feeds with their own tokens)
	Pages *gin.RouterGroup // "/" with authentication and CSRF
	API   *gin.RouterGroup // "/api/v1" with authentication and CSRF
}

// routes registers every page and API route with the roles it needs, so
// this one screen shows who may call what.
func (s *Server) routes() {
	e := s.engine
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metricsHandler())
	e.GET("/static/*filepath", s.render.serveStatic)
	e.HEAD("/static/*filepath", s.render.serveStatic)

	// Pages.
	p := e.Group("/", s.authenticate, s.checkCSRF)
	p.GET("/", s.homePage)
	p.GET("/login", s.loginPage)
	p.POST("/login", s.loginSubmit)
	p.GET("/login/mfa", s.loginMFAPage)
	p.POST("/login/mfa", s.loginMFASubmit)
	p.POST("/logout", s.logoutSubmit)
	p.GET("/password-reset", s.passwordResetPage)
	p.POST("/password-reset", s.passwordResetSubmit)
	p.GET("/password-reset/confirm", s.passwordSetPage)
	p.POST("/password-reset/confirm", s.passwordSetSubmit)
	p.POST("/lang", s.languageSubmit)
	p.GET("/courses", s.courseListPage)
	p.GET("/courses/:code", s.coursePage)
	p.GET("/api-reference", s.apiReferencePage)

	me := p.Group("/me", s.require(anySignedIn...))
	me.GET("", s.mePage)
	me.POST("/preferences", s.preferencesSubmit)
	me.GET("/password", s.passwordPage)
	me.POST("/password", s.passwordSubmit)
	me.GET("/mfa", s.mfaPage)
	me.POST("/mfa/totp", s.mfaBeginSubmit)
	me.POST("/mfa/totp/confirm", s.mfaConfirmSubmit)
	me.POST("/mfa/remove", s.mfaRemoveSubmit)
	me.POST("/tokens", s.tokenCreateSubmit)
	me.POST("/tokens/:id/revoke", s.tokenRevokeSubmit)

	m := p.Group("/manage", s.require(staff...))
	m.GET("/users", s.userListPage)
	m.GET("/users/new", s.userNewPage)
	m.POST("/users", s.userCreateSubmit)
	m.GET("/users/import", s.userImportPage)
	m.POST("/users/import", s.userImportSubmit)
	m.GET("/users/:id", s.userEditPage)
	m.POST("/users/:id", s.userUpdateSubmit)
	m.POST("/users/:id/reset-password", s.require(agencyAdmins...), s.userResetSubmit)
	m.POST("/users/:id/mfa-reset", s.require(agencyAdmins...), s.userMFAResetSubmit)
	m.POST("/users/:id/pseudonymise", s.require(agencyAdmins...), s.userPseudonymiseSubmit)
	m.GET("/audit", s.auditPage)
	mc := p.Group("/manage/courses", s.require(catalogEditors...))
	mc.GET("/new", s.courseNewPage)
	mc.POST("", s.courseCreateSubmit)
	mc.GET("/:code/edit", s.courseEditPage)
	mc.POST("/:code", s.courseUpdateSubmit)
	ma := p.Group("/manage/agencies", s.require(adminOnly...))
	ma.GET("", s.agencyListPage)
	ma.POST("", s.agencyCreateSubmit)
	ma.GET("/:id", s.agencyEditPage)
	ma.POST("/:id", s.agencyUpdateSubmit)
	ma.POST("/:id/seal", s.agencySealSubmit)

	// JSON API.
	a := e.Group("/api/v1", s.authenticate, s.checkCSRF)
	a.POST("/auth/login", s.apiLogin)
	a.POST("/auth/mfa", s.apiMFA)
	a.POST("/auth/logout", s.require(anySignedIn...), s.apiLogout)
	a.POST("/auth/password-reset", s.apiPasswordReset)
	a.POST("/auth/password-reset/confirm", s.apiPasswordResetConfirm)
	a.GET("/me", s.require(anySignedIn...), s.apiMe)
	a.PATCH("/me", s.require(anySignedIn...), s.apiMePatch)
	a.POST("/me/password", s.require(anySignedIn...), s.apiPasswordChange)
	a.POST("/me/mfa/totp", s.require(anySignedIn...), s.apiTOTPBegin)
	a.POST("/me/mfa/totp/confirm", s.require(anySignedIn...), s.apiTOTPConfirm)
	a.DELETE("/me/mfa", s.require(anySignedIn...), s.apiMFARemove)
	a.GET("/tokens", s.require(anySignedIn...), s.apiTokenList)
	a.POST("/tokens", s.require(anySignedIn...), s.apiTokenCreate)
	a.DELETE("/tokens/:id", s.require(anySignedIn...), s.apiTokenRevoke)
	a.GET("/agencies", s.require(anySignedIn...), s.apiAgencyList)
	a.POST("/agencies", s.require(adminOnly...), s.apiAgencyCreate)
	a.GET("/agencies/:id", s.require(anySignedIn...), s.apiAgencyGet)
	a.PATCH("/agencies/:id", s.require(adminOnly...), s.apiAgencyUpdate)
	// Seals: admins, and agency admins for their own agency (the service decides).
	a.PUT("/agencies/:id/seal", s.require(anySignedIn...), s.apiAgencySealPut)
	a.DELETE("/agencies/:id/seal", s.require(anySignedIn...), s.apiAgencySealDelete)
	a.GET("/users", s.require(staff...), s.apiUserList)
	a.POST("/users", s.require(staff...), s.apiUserCreate)
	a.POST("/users/import", s.require(staff...), s.apiUserImport)
	a.GET("/users/:id", s.require(anySignedIn...), s.apiUserGet)
	a.PATCH("/users/:id", s.require(staff...), s.apiUserUpdate)
	a.POST("/users/:id/reset-password", s.require(agencyAdmins...), s.apiUserReset)
	a.POST("/users/:id/mfa/reset", s.require(agencyAdmins...), s.apiUserMFAReset)
	a.GET("/audit-events", s.require(staff...), s.apiAuditList)
	a.GET("/courses", s.apiCourseList)
	a.POST("/courses", s.require(catalogEditors...), s.apiCourseCreate)
	a.GET("/courses/:code", s.apiCourseGet)
	a.GET("/openapi.json", s.apiOpenAPI)
	a.PATCH("/courses/:code", s.require(catalogEditors...), s.apiCourseUpdate)

	// The capabilities' routes (capability_routes.go).
	g := routeGroups{Root: e, Pages: p, API: a}
	s.cohortRoutes(g)
	s.rosterRoutes(g)
	s.enrollmentRoutes(g)
	s.certifyRoutes(g)
	s.credentialRoutes(g)
	s.exportRoutes(g)
	s.notificationRoutes(g)
}
