package web_test

// The export routes: hr and admin only (DESIGN.md). The archive is asked
// with a bad filter, so allowed callers get 422 whether or not a PDF
// renderer is configured.
var exportMatrixRows = []matrixRow{
	{"GET", "/api/v1/exports/certificates", "/api/v1/exports/certificates", "", [7]int{401, 200, 403, 403, 200, 403, 403}},
	{"GET", "/api/v1/exports/certificates.zip", "/api/v1/exports/certificates.zip?status=bogus", "", [7]int{401, 422, 403, 403, 422, 403, 403}},
	{"GET", "/api/v1/exports/training-records", "/api/v1/exports/training-records", "", [7]int{401, 200, 403, 403, 200, 403, 403}},
	{"GET", "/manage/exports", "/manage/exports", "", [7]int{303, 200, 403, 403, 200, 403, 403}},
	{"GET", "/manage/exports/download", "/manage/exports/download", "", [7]int{303, 200, 403, 403, 200, 403, 403}},
}
