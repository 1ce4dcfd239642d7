package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"muster/internal/access"
	"muster/internal/cohort"
	"muster/internal/roster"
)

// teachingView is one of the viewer's sessions, shown in its cohort's zone.
type teachingView struct {
	roster.TeachingSession
	Day, Weekday, Start, End, Offset string
}

// teachingOf shows a teaching session in its cohort's zone.
func teachingOf(t roster.TeachingSession) teachingView {
	loc := cohort.ZoneOf(t.TimeZone)
	st := t.StartsAt.In(loc)
	return teachingView{TeachingSession: t, Day: st.Format(cohort.DateLayout), Weekday: strings.ToLower(st.Weekday().String()),
		Start: st.Format("15:04"), End: t.EndsAt.In(loc).Format("15:04"), Offset: cohort.ZoneLabel(t.StartsAt, loc)}
}

type calendarData struct {
	Teaching   []teachingView
	FeedSince  *time.Time
	FeedURL    string       // just created: shown once
	WebcalURL  template.URL // the feed for calendar apps; html/template would refuse a plain webcal:// string
	Instructor *instructorData
}

func (s *Server) myCalendarPage(c *gin.Context) {
	s.renderMyCalendar(c, http.StatusOK, "", nil, nil)
}

func (s *Server) renderMyCalendar(c *gin.Context, status int, secret string, form any, errs map[string]string) {
	ctx, a := c.Request.Context(), actor(c)
	ts, err := s.Roster.Teaching(ctx, a.UserID, s.Clock.Now().AddDate(0, 0, -1))
	if err != nil {
		s.fail(c, err)
		return
	}
	data := calendarData{}
	for _, t := range ts {
		data.Teaching = append(data.Teaching, teachingOf(t))
	}
	if data.FeedSince, err = s.Roster.FeedTokenSince(ctx, a.UserID); err != nil {
		s.fail(c, err)
		return
	}
	if secret != "" {
		data.FeedURL = s.feedURL(secret)
		data.WebcalURL = webcalURL(data.FeedURL)
	}
	if a.Has(access.Instructor) {
		in, err := s.Roster.Get(ctx, a, a.UserID)
		if err != nil {
			s.fail(c, err)
			return
		}
		iv := s.instructorView(c, in, "/me/calendar")
		data.Instructor = &iv
	}
	if form == nil {
		form = roster.UnavailabilityInput{}
	}
	v := s.view(c, "calendar.title")
	v.Data, v.Form, v.Errors = data, form, errs
	s.html(c, status, "roster_calendar", v)
}

func (s *Server) feedCreateSubmit(c *gin.Context) {
	secret, err := s.Roster.CreateFeedToken(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Referrer-Policy", "no-referrer")
	s.renderMyCalendar(c, http.StatusOK, secret, nil, nil)
}

func (s *Server) feedRevokeSubmit(c *gin.Context) {
	if err := s.Roster.RevokeFeedToken(c.Request.Context(), actor(c)); err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "calendar.feed_revoked")
	c.Redirect(http.StatusSeeOther, "/me/calendar")
}

func (s *Server) myUnavailabilitySubmit(c *gin.Context) {
	var in roster.UnavailabilityInput
	err := bindForm(c, &in)
	if err == nil {
		_, err = s.Roster.AddUnavailability(c.Request.Context(), actor(c), actor(c).UserID, in)
	}
	if errs, ok := formErrors(c, err); ok {
		s.renderMyCalendar(c, http.StatusUnprocessableEntity, "", in, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "roster.unavailability_saved")
	c.Redirect(http.StatusSeeOther, "/me/calendar")
}

func (s *Server) myUnavailabilityDeleteSubmit(c *gin.Context) {
	if err := s.Roster.RemoveUnavailability(c.Request.Context(), actor(c), actor(c).UserID, c.Param("period_id")); err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "roster.unavailability_removed")
	c.Redirect(http.StatusSeeOther, "/me/calendar")
}

// webcalURL is an http(s) feed URL with the webcal scheme calendar apps
// subscribe to. The URL is built by this server from its own base URL and a
// random token, and parsed here again, so only that shape is ever marked safe.
func webcalURL(feed string) template.URL {
	u, err := url.Parse(feed)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	u.Scheme = "webcal"
	return template.URL(u.String())
}
