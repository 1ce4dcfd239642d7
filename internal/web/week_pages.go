package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"muster/internal/cohort"
	"muster/internal/roster"
)

// viewerZone is the signed-in viewer's zone, else fallback.
func viewerZone(c *gin.Context, fallback *time.Location) *time.Location {
	if me := viewer(c); me != nil && me.Zone != nil {
		return me.Zone
	}
	return fallback
}

// cohortWeekPage shows a week of a cohort's schedule to whoever may see the
// cohort; by default the week of its next session.
func (s *Server) cohortWeekPage(c *gin.Context) {
	ctx, a := c.Request.Context(), actor(c)
	d, err := s.Cohorts.Get(ctx, a, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	sched, err := s.Roster.Schedule(ctx, a, d.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	now := s.Clock.Now()
	fallback := now
	items := make([]weekItem, 0, len(sched))
	for _, ses := range sched {
		if fallback == now && ses.EndsAt.After(now) {
			fallback = ses.StartsAt
		}
		items = append(items, weekItem{Start: ses.StartsAt, End: ses.EndsAt, Title: ses.Topic, Detail: ses.Room, Href: "/cohorts/" + d.ID + "#session-" + ses.ID})
	}
	start, err := chosenWeek(c, viewerZone(c, d.Location()), fallback, localizer(c).Lang)
	if err != nil {
		s.fail(c, err)
		return
	}
	w := newWeek(start, now, "/cohorts/"+d.ID+"/week", items)
	w.Heading, w.Back = d.Code, "/cohorts/"+d.ID
	s.renderWeek(c, w)
}

// myWeekPage shows a week of the sessions the viewer teaches or attends.
func (s *Server) myWeekPage(c *gin.Context) {
	ctx, a := c.Request.Context(), actor(c)
	start, err := chosenWeek(c, viewerZone(c, time.UTC), s.Clock.Now(), localizer(c).Lang)
	if err != nil {
		s.fail(c, err)
		return
	}
	events, err := s.Roster.UserEvents(ctx, a.UserID)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]weekItem, 0, len(events))
	for _, e := range events {
		items = append(items, weekItem{Start: e.Start, End: e.End, Title: e.Summary, Detail: e.Location, Cancelled: e.Cancelled})
	}
	w := newWeek(start, s.Clock.Now(), "/me/calendar/week", items)
	w.Heading, w.Back = a.Name, "/me/calendar"
	s.renderWeek(c, w)
}

// instructorWeekPage shows a week of an instructor's teaching to the
// coordinators who may see the instructor, without the cohorts they may
// not see.
func (s *Server) instructorWeekPage(c *gin.Context) {
	ctx, a := c.Request.Context(), actor(c)
	in, err := s.Roster.Get(ctx, a, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	start, err := chosenWeek(c, viewerZone(c, time.UTC), s.Clock.Now(), localizer(c).Lang)
	if err != nil {
		s.fail(c, err)
		return
	}
	ts, err := s.Roster.TeachingSeenBy(ctx, a, in.UserID, start)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]weekItem, 0, len(ts))
	for _, t := range ts {
		items = append(items, teachingItem(t))
	}
	base := "/manage/instructors/" + in.UserID + "/week"
	w := newWeek(start, s.Clock.Now(), base, items)
	w.Heading, w.Back = in.FullName, "/manage/instructors/"+in.UserID
	s.renderWeek(c, w)
}

func teachingItem(t roster.TeachingSession) weekItem {
	return weekItem{Start: t.StartsAt, End: t.EndsAt, Title: t.CourseCode + " · " + t.Topic, Detail: t.CohortCode,
		Href: "/cohorts/" + t.CohortID, Cancelled: t.CohortStatus == cohort.StatusCancelled}
}

func (s *Server) renderWeek(c *gin.Context, w weekData) {
	v := s.view(c, "week.title")
	v.Title = w.Heading + " · " + v.Title
	v.Data = w
	s.html(c, http.StatusOK, "week", v)
}
