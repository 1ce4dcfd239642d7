package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"muster/internal/audit"
)

type auditResponse struct {
	ID          string          `json:"id"`
	At          time.Time       `json:"at"`
	ActorID     *string         `json:"actor_id"`
	ActorName   string          `json:"actor_name"`
	IP          string          `json:"ip"`
	Action      string          `json:"action"`
	SubjectType string          `json:"subject_type"`
	SubjectID   string          `json:"subject_id"`
	AgencyID    *string         `json:"agency_id"`
	Details     json.RawMessage `json:"details"`
}

func (s *Server) apiAuditList(c *gin.Context) {
	var f audit.Filter
	if err := bindQuery(c, &f); err != nil {
		s.fail(c, err)
		return
	}
	page, err := s.Audit.List(c.Request.Context(), actor(c), f)
	if err != nil {
		s.fail(c, err)
		return
	}
	items := make([]auditResponse, 0, len(page.Items))
	for _, e := range page.Items {
		items = append(items, auditResponse{ID: strconv.FormatInt(e.ID, 10), At: e.At, ActorID: e.ActorID, ActorName: e.ActorName, IP: e.IP,
			Action: e.Action, SubjectType: e.SubjectType, SubjectID: e.SubjectID, AgencyID: e.AgencyID, Details: json.RawMessage(e.Details)})
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "total": page.Total, "page": page.Page, "per_page": page.PerPage})
}
