package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/enrollment"
	"muster/internal/i18n"
)

// signInSheet is what the printed sign-in sheet shows: one page per
// session day, each listing the expected people and a signature column per
// session of that day.
type signInSheet struct {
	*i18n.Localizer
	Roster     *enrollment.Roster
	Zone       string
	Days       []scheduleDay
	HostAgency string
}

// signInSheetPDF: GET /cohorts/{id}/roster.pdf, printed through the same
// Chromium printer as certificates.
func (s *Server) signInSheetPDF(c *gin.Context) {
	ctx := c.Request.Context()
	d, days, ok := s.cohortWithSchedule(c)
	if !ok {
		return
	}
	r, err := s.Enroll.SignInSheet(ctx, actor(c), d.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if len(days) == 0 { // no sessions yet: one page for the cohort's first day
		days = []scheduleDay{{Date: d.StartsOn.String()}}
	}
	lang := localizer(c).Lang
	r.CourseTitle = s.courseTitles(c)().In(r.CourseCode, lang, r.CourseTitle)
	html, err := s.render.document("enrollment_signin_pdf", signInSheet{Localizer: localizer(c), Roster: r,
		Zone: factsOf(d, s.Clock.Now()).Zone, Days: days, HostAgency: d.HostAgency.Names.In(lang, d.HostAgency.Name)})
	if err != nil {
		s.fail(c, err)
		return
	}
	pdf, err := s.Certify.Printer.Print(ctx, html)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="sign-in-`+d.Code+`.pdf"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "application/pdf", pdf)
}
