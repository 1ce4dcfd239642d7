package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/identity"
)

func (s *Server) apiAgencyList(c *gin.Context) {
	as, err := s.Identity.ListAgencies(c.Request.Context(), actor(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	if as == nil {
		as = []identity.Agency{}
	}
	for i := range as {
		as[i] = localAgency(c, as[i])
	}
	c.JSON(http.StatusOK, gin.H{"items": as, "total": len(as), "page": 1, "per_page": len(as)})
}

func (s *Server) apiAgencyGet(c *gin.Context) {
	a, err := s.Identity.GetAgency(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, localAgency(c, *a))
}

func (s *Server) apiAgencyCreate(c *gin.Context) {
	var req identity.AgencyInput
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	a, err := s.Identity.CreateAgency(c.Request.Context(), actor(c), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, localAgency(c, *a))
}

func (s *Server) apiAgencyUpdate(c *gin.Context) {
	a, err := s.Identity.GetAgency(c.Request.Context(), actor(c), c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	// PATCH: start from the stored values, overlay what the client sent.
	req := a.Input()
	if err := bindJSON(c, &req); err != nil {
		s.fail(c, err)
		return
	}
	a, err = s.Identity.UpdateAgency(c.Request.Context(), actor(c), a.ID, req)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, localAgency(c, *a))
}
