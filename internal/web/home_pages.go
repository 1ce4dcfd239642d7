package web

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"muster/internal/access"
	"muster/internal/audit"
	"muster/internal/certify"
	"muster/internal/cohort"
	"muster/internal/enrollment"
	"muster/internal/identity"
	"muster/internal/paging"
)

// homeItems bounds each list of a home page; its total is shown beside it.
const homeItems = 5

// homeData is a signed-in person's home: one section per role they hold.
type homeData struct {
	Trainee    *traineeHome
	Coord      *coordinatorHome
	Instructor *instructorHome
	HR         *hrHome
	Admin      *agencyAdminHome
}

type traineeHome struct {
	Sessions    []enrollment.UpcomingSession
	Enrollments []enrollment.Row
	Expiring    paging.Page[certify.CertificateView]
}

type coordinatorHome struct {
	Approvals  paging.Page[enrollment.Row]
	Starting   []cohortSeats
	ToComplete []cohort.Summary
}

// cohortSeats is a cohort starting soon with its seats per agency.
type cohortSeats struct {
	cohort.Summary
	Quotas []cohort.QuotaLine
}

type instructorHome struct {
	Next, ToRecord []teachingView
}

type hrHome struct {
	Expiring paging.Page[certify.CertificateView]
	Exports  []audit.Story
}

type agencyAdminHome struct {
	NoFactor, Invited paging.Page[identity.User]
}

// homePage is the marketing page for visitors, and for signed-in people
// the work their roles have waiting.
func (s *Server) homePage(c *gin.Context) {
	a := actor(c)
	if !a.SignedIn() || a.UserID == "" {
		s.html(c, http.StatusOK, "home", s.view(c, "home.title"))
		return
	}
	d, err := s.homeOf(c.Request.Context(), a)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "dashboard.title")
	v.Data = d
	s.html(c, http.StatusOK, "dashboard", v)
}

func (s *Server) homeOf(ctx context.Context, a access.Actor) (*homeData, error) {
	d := &homeData{}
	var err error
	now := s.Clock.Now()
	few := paging.Params{PerPage: homeItems}
	if a.Has(access.Trainee) {
		if d.Trainee, err = s.traineeHome(ctx, a, few); err != nil {
			return nil, err
		}
	}
	if a.HasAny(access.Coordinator, access.Admin) {
		if d.Coord, err = s.coordinatorHome(ctx, a, now, few); err != nil {
			return nil, err
		}
	}
	if a.Has(access.Instructor) {
		ts, err := s.Roster.Teaching(ctx, a.UserID, now.AddDate(0, 0, -14))
		if err != nil {
			return nil, err
		}
		d.Instructor = &instructorHome{}
		for _, t := range ts {
			tv := teachingOf(t)
			switch {
			case t.EndsAt.Before(now) && t.CohortStatus != cohort.StatusCancelled:
				d.Instructor.ToRecord = append(d.Instructor.ToRecord, tv)
			case !t.EndsAt.Before(now) && len(d.Instructor.Next) < homeItems:
				d.Instructor.Next = append(d.Instructor.Next, tv)
			}
		}
	}
	if a.Has(access.HR) && a.AgencyID != "" {
		d.HR = &hrHome{}
		if d.HR.Expiring, err = s.Certify.List(ctx, a, s.Certify.ExpiringSoon(a.AgencyID, few)); err != nil {
			return nil, err
		}
		exports, err := s.Audit.List(ctx, a, audit.Filter{Action: "export.", AgencyID: a.AgencyID, Params: few})
		if err != nil {
			return nil, err
		}
		if d.HR.Exports, err = s.Audit.Stories(ctx, exports.Items); err != nil {
			return nil, err
		}
	}
	if a.Has(access.AgencyAdmin) && a.AgencyID != "" {
		d.Admin = &agencyAdminHome{}
		q := identity.UserQuery{Security: "no_second_factor", Params: few}
		if d.Admin.NoFactor, err = s.Identity.ListUsers(ctx, a, q); err != nil {
			return nil, err
		}
		q.Security = "invited"
		if d.Admin.Invited, err = s.Identity.ListUsers(ctx, a, q); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func (s *Server) traineeHome(ctx context.Context, a access.Actor, few paging.Params) (*traineeHome, error) {
	t, err := s.Enroll.Training(ctx, a, paging.Params{PerPage: paging.MaxPerPage})
	if err != nil {
		return nil, err
	}
	h := &traineeHome{Sessions: t.Sessions[:min(len(t.Sessions), homeItems)]}
	for _, e := range t.Enrollments.Items {
		if e.Live() {
			h.Enrollments = append(h.Enrollments, e)
		}
	}
	f := s.Certify.ExpiringSoon("", few)
	f.Holder = a.UserID
	h.Expiring, err = s.Certify.List(ctx, a, f)
	return h, err
}

func (s *Server) coordinatorHome(ctx context.Context, a access.Actor, now time.Time, few paging.Params) (*coordinatorHome, error) {
	h := &coordinatorHome{}
	var err error
	if h.Approvals, err = s.Enroll.Approvals(ctx, a, "", few); err != nil {
		return nil, err
	}
	mine := a.AgencyID
	if a.IsAdmin() {
		mine = ""
	}
	soon, err := s.Cohorts.List(ctx, a, cohort.Query{Involves: mine, Status: cohort.StatusOpen, From: now.Format(cohort.DateLayout),
		To: now.AddDate(0, 0, 30).Format(cohort.DateLayout), Params: few})
	if err != nil {
		return nil, err
	}
	for _, sum := range soon.Items {
		cs := cohortSeats{Summary: sum}
		if d, err := s.Cohorts.Get(ctx, a, sum.ID); err == nil {
			cs.Quotas = d.Quotas
		}
		h.Starting = append(h.Starting, cs)
	}
	// Hosted cohorts whose last day has passed and that wait for completion.
	running, err := s.Cohorts.List(ctx, a, cohort.Query{Host: mine, Status: cohort.StatusInProgress, Params: paging.Params{PerPage: paging.MaxPerPage}})
	if err != nil {
		return nil, err
	}
	today := now.Format(cohort.DateLayout)
	for _, sum := range running.Items {
		if sum.EndsOn.String() < today {
			h.ToComplete = append(h.ToComplete, sum)
		}
	}
	return h, nil
}
