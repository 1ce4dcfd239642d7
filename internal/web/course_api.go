package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"muster/internal/catalog"
)

func (s *Server) apiCourseList(c *gin.Context) {
	var q catalog.Query
	if err := bindQuery(c, &q); err != nil {
		s.fail(c, err)
		return
	}
	tag, answered := s.catalogueConditional(c)
	if answered {
		return
	}
	page, err := s.Courses.Search(c.Request.Context(), actor(c), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	localCourses(c, page.Items)
	tag.apply(c)
	c.JSON(http.StatusOK, page)
}

func (s *Server) apiCourseGet(c *gin.Context) {
	d, err := s.Courses.Get(c.Request.Context(), actor(c), c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	d.Localize(localizer(c).Lang)
	c.JSON(http.StatusOK, d)
}

func (s *Server) apiCourseCreate(c *gin.Context) {
	var in catalog.CourseInput
	if err := bindJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	course, err := s.Courses.Create(c.Request.Context(), actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.courseDetail(c, http.StatusCreated, course.Code)
}

func (s *Server) apiCourseUpdate(c *gin.Context) {
	var p catalog.CoursePatch
	if err := bindJSON(c, &p); err != nil {
		s.fail(c, err)
		return
	}
	course, err := s.Courses.Update(c.Request.Context(), actor(c), c.Param("code"), p)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.courseDetail(c, http.StatusOK, course.Code)
}

// courseDetail answers with the course as GET shows it.
func (s *Server) courseDetail(c *gin.Context, status int, code string) {
	d, err := s.Courses.Get(c.Request.Context(), actor(c), code)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(status, d)
}
