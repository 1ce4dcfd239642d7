package web

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/cohort"
	"muster/internal/paging"
	"muster/internal/roster"
)

func (s *Server) apiSessionList(c *gin.Context) {
	sched, err := s.Roster.Schedule(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, paging.All(sched))
}

func (s *Server) apiSessionCreate(c *gin.Context) {
	var in cohort.SessionInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	list, err := s.Cohorts.AddSessions(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	if in.Repeat == nil {
		c.JSON(http.StatusCreated, list[0])
		return
	}
	c.JSON(http.StatusCreated, gin.H{"sessions": list}) // a series answers every session it made

}

func (s *Server) apiSessionUpdate(c *gin.Context) {
	var p cohort.SessionPatch
	if err := bindJSON(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	ses, err := s.Cohorts.UpdateSession(c.Request.Context(), actor(c), c.Param("id"), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ses)
}

func (s *Server) apiSessionDelete(c *gin.Context) {
	if err := s.Cohorts.DeleteSession(c.Request.Context(), actor(c), c.Param("id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) apiAssign(c *gin.Context) {
	var in roster.AssignInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.Roster.Assign(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, a)
}

func (s *Server) apiUnassign(c *gin.Context) {
	if err := s.Roster.Unassign(c.Request.Context(), actor(c), c.Param("id"), c.Param("instructor_id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) apiConflicts(c *gin.Context) {
	cs, err := s.Roster.Conflicts(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, paging.All(cs))
}

func (s *Server) apiCohortCalendar(c *gin.Context) {
	name, events, err := s.Roster.CohortEvents(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	roster.InLanguage(events, localizer(c).Lang)
	s.writeCalendar(c, name, events)
}

// writeCalendar answers with an iCalendar document.
func (s *Server) writeCalendar(c *gin.Context, name string, events []roster.CalendarEvent) {
	var buf bytes.Buffer
	if err := roster.WriteCalendar(&buf, name, events); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Cache-Control", "private, max-age=300")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", buf.Bytes())
}
