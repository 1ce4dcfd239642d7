package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/cohort"
	"muster/internal/paging"
)

type venueData struct {
	Page  paging.Page[cohort.Venue]
	Venue *cohort.Venue // the venue being edited
	Zones []string
}

func (s *Server) venueListPage(c *gin.Context) {
	s.renderVenues(c, http.StatusOK, cohort.VenueInput{Capacity: 30}, nil)
}

func (s *Server) renderVenues(c *gin.Context, status int, form cohort.VenueInput, errs map[string]string) {
	var p paging.Params
	_ = c.ShouldBindQuery(&p)
	page, err := s.Cohorts.Venues(c.Request.Context(), actor(c), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.view(c, "venues.title")
	v.Data = venueData{Page: page, Zones: commonZones}
	v.Form, v.Errors = form, errs
	s.html(c, status, "venue_list", v)
}

func (s *Server) venueCreateSubmit(c *gin.Context) {
	var in cohort.VenueInput
	err := bindForm(c, &in)
	if err == nil {
		_, err = s.Cohorts.CreateVenue(c.Request.Context(), actor(c), in)
	}
	if errs, ok := formErrors(c, err); ok {
		s.renderVenues(c, http.StatusUnprocessableEntity, in, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "venues.saved")
	c.Redirect(http.StatusSeeOther, "/manage/venues")
}

func (s *Server) venueEditPage(c *gin.Context) {
	v, err := s.Cohorts.Venue(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	s.renderVenueForm(c, http.StatusOK, v, cohort.VenueInput{Name: v.Name, Names: v.Names, City: v.City, Country: v.Country, Address: v.Address,
		Capacity: v.Capacity, TimeZone: v.TimeZone}, nil)
}

func (s *Server) renderVenueForm(c *gin.Context, status int, venue *cohort.Venue, form cohort.VenueInput, errs map[string]string) {
	v := s.view(c, "venues.edit")
	v.Title = v.Title + " · " + v.Pick(venue.Names, venue.Name)
	v.Data = venueData{Venue: venue, Zones: commonZones}
	v.Form, v.Errors = form, errs
	s.html(c, status, "venue_form", v)
}

func (s *Server) venueUpdateSubmit(c *gin.Context) {
	venue, err := s.Cohorts.Venue(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	var in cohort.VenueInput
	err = bindForm(c, &in)
	if err == nil {
		_, err = s.Cohorts.UpdateVenue(c.Request.Context(), actor(c), venue.ID, in)
	}
	if errs, ok := formErrors(c, err); ok {
		s.renderVenueForm(c, http.StatusUnprocessableEntity, venue, in, errs)
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.flash(c, "success", "venues.saved")
	c.Redirect(http.StatusSeeOther, "/manage/venues")
}
