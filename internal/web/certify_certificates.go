package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"muster/internal/certify"
	"muster/internal/identity"
	"muster/internal/paging"
)

// certListData feeds the certificate list pages.
type certListData struct {
	Page        paging.Page[certify.CertificateView]
	Filter      certify.Filter
	QueryString string
	Expiring    bool // the "expiring soon" view
	Agencies    []identity.Agency
	Statuses    []string
}

// certificateListPage lists the certificates in the viewer's scope with
// filters; view=expiring shows the agency's valid certificates that expire
// within the recertification window.
func (s *Server) certificateListPage(c *gin.Context) {
	var f certify.Filter
	_ = c.ShouldBindQuery(&f) // a malformed page number falls back to the first page
	a := actor(c)
	expiring := c.Query("view") == "expiring"
	if expiring {
		agency := f.Agency
		if !a.IsAdmin() {
			agency = a.AgencyID
		}
		f = s.Certify.ExpiringSoon(agency, f.Params)
	}
	page, err := s.Certify.List(c.Request.Context(), a, f)
	errs, invalid := formErrors(c, err)
	if err != nil && !invalid {
		s.fail(c, err)
		return
	}
	var agencies []identity.Agency
	if a.IsAdmin() {
		agencies, _ = s.Identity.ListAgencies(c.Request.Context(), a)
	}
	qs := url.Values{}
	for k, v := range map[string]string{"agency": f.Agency, "course": f.Course, "cohort": f.Cohort, "status": f.Status, "expiring_before": f.ExpiringBefore} {
		if v != "" {
			qs.Set(k, v)
		}
	}
	if expiring {
		qs = url.Values{"view": {"expiring"}, "agency": {f.Agency}}
	}
	v := s.view(c, "certify.list.title")
	v.Data = certListData{Page: page, Filter: f, QueryString: qs.Encode(), Expiring: expiring, Agencies: agencies,
		Statuses: []string{certify.StatusValid, certify.StatusExpired, certify.StatusRevoked}}
	v.Errors = errs
	status := http.StatusOK
	if invalid {
		status = http.StatusUnprocessableEntity
	}
	s.html(c, status, "certify_certificates", v)
}

func (s *Server) myCertificatesPage(c *gin.Context) {
	var p paging.Params
	_ = c.ShouldBindQuery(&p)
	a := actor(c)
	page, err := s.Certify.List(c.Request.Context(), a, certify.Filter{Holder: a.UserID, Params: p})
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "certify.mine.title")
	v.Data = certListData{Page: page}
	s.html(c, http.StatusOK, "certify_mine", v)
}

// certificatePage shows one certificate with its renewal chain and, to those
// allowed, the revocation form; /certificates/{number}.pdf downloads it and
// /certificates/{number}.vc.json its signed credential.
func (s *Server) certificatePage(c *gin.Context) {
	if number, ok := strings.CutSuffix(c.Param("number"), ".pdf"); ok {
		s.certificatePDF(c, number)
		return
	}
	if number, ok := strings.CutSuffix(c.Param("number"), credentialSuffix); ok {
		s.certificateCredential(c, number)
		return
	}
	s.renderCertificate(c, http.StatusOK, certify.RevokeInput{}, nil)
}

func (s *Server) renderCertificate(c *gin.Context, status int, form certify.RevokeInput, errs map[string]string) {
	d, err := s.Certify.Get(c.Request.Context(), actor(c), c.Param("number"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "certify.detail.title")
	v.Title = d.Number
	v.Data, v.Form, v.Errors = d, form, errs
	s.html(c, status, "certify_certificate", v)
}

func (s *Server) certificateRevokeSubmit(c *gin.Context) {
	var in certify.RevokeInput
	err := bindForm(c, &in)
	if err == nil {
		_, err = s.Certify.Revoke(c.Request.Context(), actor(c), c.Param("number"), in)
	}
	if errs, ok := formErrors(c, err); ok {
		s.renderCertificate(c, http.StatusUnprocessableEntity, in, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "certify.revoke.done")
	c.Redirect(http.StatusSeeOther, "/certificates/"+url.PathEscape(strings.ToUpper(c.Param("number"))))
}
