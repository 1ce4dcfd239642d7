package web

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"muster/internal/db"
)

// healthz says the process is alive; it never touches the database.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz says whether the database answers, so a load balancer stops sending
// traffic while it is down and resumes once it is back.
func (s *Server) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if err := db.Ping(ctx, s.DB); err != nil {
		s.Logger.Warn("not ready", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "database": "unreachable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "database": db.Dialect(s.DB)})
}
