package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/cohort"
	"muster/internal/paging"
)

func (s *Server) apiVenueList(c *gin.Context) {
	var p paging.Params
	if err := bindQuery(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.Cohorts.Venues(c.Request.Context(), actor(c), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	for i := range page.Items {
		page.Items[i] = localVenue(c, page.Items[i])
	}
	c.JSON(http.StatusOK, page)
}

func (s *Server) apiVenueCreate(c *gin.Context) {
	var in cohort.VenueInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.Cohorts.CreateVenue(c.Request.Context(), actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, localVenue(c, *v))
}

func (s *Server) apiVenueGet(c *gin.Context) {
	v, err := s.Cohorts.Venue(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, localVenue(c, *v))
}

func (s *Server) apiVenueUpdate(c *gin.Context) {
	var in cohort.VenueInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.Cohorts.UpdateVenue(c.Request.Context(), actor(c), c.Param("id"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, localVenue(c, *v))
}

func (s *Server) apiCohortList(c *gin.Context) {
	var q cohort.Query
	if err := bindQuery(c, &q); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.Cohorts.List(c.Request.Context(), actor(c), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}

func (s *Server) apiCohortGet(c *gin.Context) {
	s.cohortDetail(c, http.StatusOK, c.Param("id"))
}

func (s *Server) apiCohortCreate(c *gin.Context) {
	var in cohort.CohortInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	co, err := s.Cohorts.Create(c.Request.Context(), actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.cohortDetail(c, http.StatusCreated, co.ID)
}

func (s *Server) apiCohortUpdate(c *gin.Context) {
	var p cohort.CohortPatch
	if err := bindJSON(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	co, err := s.Cohorts.Update(c.Request.Context(), actor(c), c.Param("id"), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.cohortDetail(c, http.StatusOK, co.ID)
}

func (s *Server) apiQuotasPut(c *gin.Context) {
	var in cohort.QuotasInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	if _, err := s.Cohorts.SetQuotas(c.Request.Context(), actor(c), c.Param("id"), in); err != nil {
		s.fail(c, err)
		return
	}
	s.cohortDetail(c, http.StatusOK, c.Param("id"))
}

// cohortDetail answers with the cohort as GET shows it.
func (s *Server) cohortDetail(c *gin.Context, status int, id string) {
	d, err := s.Cohorts.Get(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, d)
}
