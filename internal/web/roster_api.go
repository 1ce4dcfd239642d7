package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"muster/internal/apperr"
	"muster/internal/paging"
	"muster/internal/roster"
)

func (s *Server) apiInstructorList(c *gin.Context) {
	var q roster.Query
	if err := bindQuery(c, &q); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.Roster.Search(c.Request.Context(), actor(c), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (s *Server) apiInstructorGet(c *gin.Context) {
	in, err := s.Roster.Get(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, in)
}

func (s *Server) apiInstructorUpdate(c *gin.Context) {
	var p roster.ProfileInput
	if err := bindJSON(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	in, err := s.Roster.UpdateProfile(c.Request.Context(), actor(c), c.Param("id"), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, in)
}

func (s *Server) apiQualificationsPut(c *gin.Context) {
	var q roster.QualificationsInput
	if err := bindJSON(c, &q); err != nil {
		s.fail(c, err)
		return
	}
	in, err := s.Roster.SetQualifications(c.Request.Context(), actor(c), c.Param("id"), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, in)
}

func (s *Server) apiUnavailabilityCreate(c *gin.Context) {
	var in roster.UnavailabilityInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	u, err := s.Roster.AddUnavailability(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, u)
}

func (s *Server) apiUnavailabilityDelete(c *gin.Context) {
	if err := s.Roster.RemoveUnavailability(c.Request.Context(), actor(c), c.Param("id"), c.Param("period_id")); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) apiMyTeaching(c *gin.Context) {
	ts, err := s.Roster.Teaching(c.Request.Context(), actor(c).UserID, s.Clock.Now().AddDate(0, 0, -1))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, paging.All(ts))
}

func (s *Server) apiMyCalendar(c *gin.Context) {
	s.userCalendar(c, actor(c).UserID)
}

func (s *Server) apiFeedTokenCreate(c *gin.Context) {
	secret, err := s.Roster.CreateFeedToken(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"token": secret, "url": s.feedURL(secret)})
}

func (s *Server) apiFeedTokenDelete(c *gin.Context) {
	if err := s.Roster.RevokeFeedToken(c.Request.Context(), actor(c)); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// feed serves a user's calendar to a calendar app holding their private
// link; an unknown or revoked token is a plain 404.
func (s *Server) feed(c *gin.Context) {
	secret, ok := strings.CutSuffix(c.Param("token"), ".ics")
	if !ok {
		c.Status(http.StatusNotFound)
		return
	}
	userID, err := s.Roster.FeedOwner(c.Request.Context(), secret)
	if apperr.CodeOf(err) == apperr.CodeNotFound {
		c.Status(http.StatusNotFound)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Referrer-Policy", "no-referrer")
	s.userCalendar(c, userID)
}

// userCalendar answers with a user's own feed.
func (s *Server) userCalendar(c *gin.Context, userID string) {
	events, err := s.Roster.UserEvents(c.Request.Context(), userID)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.writeCalendar(c, "muster", events)
}

// feedURL is the private subscription link of a feed token.
func (s *Server) feedURL(secret string) string {
	return strings.TrimRight(s.Config.BaseURL, "/") + "/feeds/" + secret + ".ics"
}
