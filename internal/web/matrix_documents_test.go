package web_test

// documentMatrixRows are [anonymous, admin, coordinator, instructor, hr, trainee, agency_admin] of agency a.
var documentMatrixRows = []matrixRow{
	// Without a number: the form, and an API answer naming the missing field.
	// (Lookups share the code's rate limit, which the rows above already spend.)
	{"GET", "/api/v1/verify", "/api/v1/verify", "", [7]int{422, 422, 422, 422, 422, 422, 422}},
	{"GET", "/verify", "/verify", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	// Seals: admins (and agency admins of their own agency); a JSON body is no PNG.
	{"PUT", "/api/v1/agencies/:id/seal", "/api/v1/agencies/{agency b}/seal", "{}", [7]int{401, 422, 403, 403, 403, 403, 403}},
	{"DELETE", "/api/v1/agencies/:id/seal", "/api/v1/agencies/{agency b}/seal", "", [7]int{401, 204, 403, 403, 403, 403, 403}},
	{"POST", "/manage/agencies/:id/seal", "/manage/agencies/{agency b}/seal", "remove=1", [7]int{303, 303, 403, 403, 403, 403, 403}},
}
