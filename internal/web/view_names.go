package web

import (
	"github.com/gin-gonic/gin"

	"muster/internal/cohort"
	"muster/internal/i18n"
	"muster/internal/identity"
)

// Pick is a name in the page's language, else the default name.
func (v *View) Pick(names i18n.Names, fallback string) string { return names.In(v.Lang, fallback) }

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
