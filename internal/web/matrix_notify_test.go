package web_test

// notifyMatrixRows are [anonymous, admin, coordinator, instructor, hr, trainee, agency_admin] of agency a:
// everyone signed in reads and sets their own notices; webhooks belong to
// agency admins and admins, and another agency's hook answers 404.
var notifyMatrixRows = []matrixRow{
	{"GET", "/api/v1/me/notifications", "/api/v1/me/notifications", "", [7]int{401, 200, 200, 200, 200, 200, 200}},
	{"POST", "/api/v1/me/notifications/read", "/api/v1/me/notifications/read", "", [7]int{401, 200, 200, 200, 200, 200, 200}},
	{"GET", "/api/v1/me/notification-settings", "/api/v1/me/notification-settings", "", [7]int{401, 200, 200, 200, 200, 200, 200}},
	{"PUT", "/api/v1/me/notification-settings", "/api/v1/me/notification-settings", "{}", [7]int{401, 200, 200, 200, 200, 200, 200}},
	{"GET", "/api/v1/webhooks", "/api/v1/webhooks", "", [7]int{401, 200, 403, 403, 403, 403, 200}},
	{"POST", "/api/v1/webhooks", "/api/v1/webhooks", "{}", [7]int{401, 422, 403, 403, 403, 403, 422}},
	{"GET", "/api/v1/webhooks/:id", "/api/v1/webhooks/00000000-0000-0000-0000-000000000000", "", [7]int{401, 404, 403, 403, 403, 403, 404}},
	{"DELETE", "/api/v1/webhooks/:id", "/api/v1/webhooks/00000000-0000-0000-0000-000000000000", "", [7]int{401, 404, 403, 403, 403, 403, 404}},
	{"GET", "/me/notifications", "/me/notifications", "", [7]int{303, 200, 200, 200, 200, 200, 200}},
	{"POST", "/me/notifications", "/me/notifications", "reminder=on", [7]int{303, 303, 303, 303, 303, 303, 303}},
}
