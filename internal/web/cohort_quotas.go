package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/calendar"
	"muster/internal/cohort"
	"muster/internal/identity"
)

// quotaRow is one agency on the quotas form: its seats ("" when it does not take part).
type quotaRow struct {
	Agency identity.Agency
	Seats  string
	Taken  int
}

type quotasData struct {
	Cohort *cohort.Detail
	Rows   []quotaRow
	Sum    int
}

func (s *Server) quotasPage(c *gin.Context) {
	d, ok := s.managedDetail(c)
	if !ok {
		return
	}
	seats := map[string]string{}
	for _, q := range d.Quotas {
		seats[q.AgencyID] = strconv.Itoa(q.Seats)
	}
	s.renderQuotas(c, http.StatusOK, d, seats, "")
}

func (s *Server) renderQuotas(c *gin.Context, status int, d *cohort.Detail, seats map[string]string, problem string) {
	agencies, err := s.Identity.ListAgencies(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	taken := map[string]int{}
	sum := 0
	for _, q := range d.Quotas {
		taken[q.AgencyID] = q.SeatsTaken
		sum += q.Seats
	}
	rows := make([]quotaRow, 0, len(agencies))
	for _, a := range agencies {
		rows = append(rows, quotaRow{Agency: a, Seats: seats[a.ID], Taken: taken[a.ID]})
	}
	v := s.view(c, "quotas.title")
	v.Title = v.Title + " · " + d.Code
	v.Data = quotasData{Cohort: d, Rows: rows, Sum: sum}
	if problem != "" {
		v.Errors = map[string]string{"form": problem}
	}
	s.html(c, status, "cohort_quotas", v)
}

// agencyLabel names an agency in the viewer's language for a message, or
// gives back the id when it is no agency.
func (s *Server) agencyLabel(c *gin.Context, id string) string {
	a, err := s.Identity.GetAgency(c.Request.Context(), actor(c), id)
	if err != nil {
		return id
	}
	return a.Names.In(localizer(c).Lang, a.Name)
}

// quotasSubmit reads one seats field per agency ("seats_<agency id>"); an
// empty field leaves the agency out.
func (s *Server) quotasSubmit(c *gin.Context) {
	d, ok := s.managedDetail(c)
	if !ok {
		return
	}
	if err := c.Request.ParseForm(); err != nil {
		s.fail(c, apperr.New(apperr.CodeMalformed).WithArgs("Reason", "unreadable form"))
		return
	}
	in := cohort.QuotasInput{Quotas: []cohort.QuotaInput{}}
	seats := map[string]string{}
	var bad []apperr.FieldError
	for key, vals := range c.Request.PostForm {
		id, ok := strings.CutPrefix(key, "seats_")
		if !ok || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		seats[id] = strings.TrimSpace(vals[0]) // shown again as typed
		n, err := strconv.Atoi(calendar.ASCIIDigits(seats[id]))
		if err != nil {
			bad = append(bad, apperr.Field("seats", "quotas.seats_number", "Agency", s.agencyLabel(c, id)))
			continue
		}
		in.Quotas = append(in.Quotas, cohort.QuotaInput{AgencyID: id, Seats: n})
	}
	var err error
	if len(bad) > 0 {
		err = apperr.Invalid(bad...)
	} else {
		_, err = s.Cohorts.SetQuotas(c.Request.Context(), actor(c), d.ID, in)
	}
	if err != nil {
		msg, status, ok := s.ruleMessage(c, err)
		if e, isApp := apperr.As(err); isApp && len(e.Fields) > 0 {
			msg, status, ok = localizer(c).TMap(e.Fields[0].Key, e.Fields[0].Args, nil), http.StatusUnprocessableEntity, true
		}
		if !ok {
			s.fail(c, err)
			return
		}
		s.renderQuotas(c, status, d, seats, msg)
		return
	}
	s.flash(c, "success", "quotas.saved")
	c.Redirect(http.StatusSeeOther, "/cohorts/"+d.ID)
}
