package web

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"muster/internal/cohort"
	"muster/internal/i18n"
	"muster/internal/identity"
)

// Pick is a name in the page's language, else the default name.
func (v *View) Pick(names i18n.Names, fallback string) string { return names.In(v.Lang, fallback) }

// RowLabel names a list's line in the page's language for a field like
// "row 3" ("Line 3:"), or "" for any other field.
func (v *View) RowLabel(field string) string {
	n, ok := strings.CutPrefix(field, "row ")
	if !ok {
		return ""
	}
	if _, err := strconv.Atoi(n); err != nil {
		return ""
	}
	return v.T("list.line", "Line", v.Digits(n))
}

// localAgency answers an agency with its name in the request's language
// (the signed-in person's, else Accept-Language); names keeps them all.
func localAgency(c *gin.Context, a identity.Agency) identity.Agency {
	a.Name = a.Names.In(localizer(c).Lang, a.Name)
	return a
}

// localVenue is localAgency for a venue.
func localVenue(c *gin.Context, v cohort.Venue) cohort.Venue {
	v.Name = v.Names.In(localizer(c).Lang, v.Name)
	return v
}
