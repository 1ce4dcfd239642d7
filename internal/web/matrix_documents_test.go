package web_test

func init() {
	// Rows are [anonymous, admin, coordinator, instructor, hr, trainee, agency_admin] of agency a.
	extraMatrix = append(extraMatrix,
		// Without a number: the form, and an API answer naming the missing field.
		// (Lookups share the code's rate limit, which the rows above already spend.)
		matrixRow{"GET", "/api/v1/verify", "/api/v1/verify", "", [7]int{422, 422, 422, 422, 422, 422, 422}},
		matrixRow{"GET", "/verify", "/verify", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
		// Seals: admins (and agency admins of their own agency); a JSON body is no PNG.
		matrixRow{"PUT", "/api/v1/agencies/:id/seal", "/api/v1/agencies/{agency b}/seal", "{}", [7]int{401, 422, 403, 403, 403, 403, 403}},
		matrixRow{"DELETE", "/api/v1/agencies/:id/seal", "/api/v1/agencies/{agency b}/seal", "", [7]int{401, 204, 403, 403, 403, 403, 403}},
		matrixRow{"POST", "/manage/agencies/:id/seal", "/manage/agencies/{agency b}/seal", "remove=1", [7]int{303, 303, 403, 403, 403, 403, 403}},
	)
}
