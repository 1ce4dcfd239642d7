package web_test

import (
	"net/http"
	"strings"
	"testing"

	"muster/internal/db/dbtest"
	"muster/internal/webtest"
)

// TestNotificationsAreListedToTheirPersonOnly: an enrollment's notification
// appears in the trainee's own list in the request's language, never in
// another person's; reading marks them read; the optional reminder is
// turned off and on, and an unknown kind is refused on its field.
func TestNotificationsAreListedToTheirPersonOnly(t *testing.T) {
	env := webtest.Start(t, dbtest.SQLite(t))
	c := newEnrollmentScene(t, env.App.DB, env.Clock.Now(), env.Agencies["a"].ID, 3, nil)
	trainee := env.As("a/trainee")
	if res := trainee.Do("POST", "/api/v1/cohorts/"+c.ID+"/enrollments", nil); res.Status != http.StatusCreated {
		t.Fatalf("enroll: %d %s", res.Status, res.Body)
	}
	var list struct {
		Items []struct {
			ID      string  `json:"id"`
			Kind    string  `json:"kind"`
			ReadAt  *string `json:"read_at"`
			Subject string  `json:"subject"`
			Body    string  `json:"body"`
		} `json:"items"`
		Total int `json:"total"`
	}
	res := trainee.Do("GET", "/api/v1/me/notifications", nil, "Accept-Language", "ru")
	res.JSON(&list)
	if res.Status != http.StatusOK || list.Total != 1 || list.Items[0].Kind != "enrolled" || list.Items[0].ReadAt != nil ||
		!strings.Contains(list.Items[0].Subject, c.Code) || list.Items[0].Body == "" {
		t.Fatalf("trainee's list: %d %s", res.Status, res.Body)
	}
	if res = env.As("b/trainee").Do("GET", "/api/v1/me/notifications", nil); res.Status != http.StatusOK || res.Map()["total"] != 0.0 {
		t.Errorf("another person's list: %d %s", res.Status, res.Body)
	}
	if res = trainee.Do("GET", "/api/v1/me/notifications?page=x", nil); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("malformed page: %d", res.Status)
	}
	if res = trainee.Do("POST", "/api/v1/me/notifications/read", nil); res.Status != http.StatusOK || res.Map()["marked"] != 1.0 {
		t.Fatalf("mark read: %d %s", res.Status, res.Body)
	}
	trainee.Do("GET", "/api/v1/me/notifications", nil).JSON(&list)
	if list.Items[0].ReadAt == nil {
		t.Errorf("still unread after reading")
	}

	res = trainee.Do("PUT", "/api/v1/me/notification-settings", map[string]any{"settings": []map[string]any{{"kind": "session_reminder", "enabled": false}}})
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `{"kind":"session_reminder","enabled":false}`) {
		t.Fatalf("turn off: %d %s", res.Status, res.Body)
	}
	if res = trainee.Do("GET", "/api/v1/me/notification-settings", nil); !strings.Contains(string(res.Body), `"enabled":false`) {
		t.Errorf("settings after turning off: %s", res.Body)
	}
	res = trainee.Do("PUT", "/api/v1/me/notification-settings", map[string]any{"settings": []map[string]any{{"kind": "enrolled", "enabled": false}}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `settings[0].kind`) {
		t.Errorf("decisions cannot be turned off: %d %s", res.Status, res.Body)
	}
	res = trainee.Do("PUT", "/api/v1/me/notification-settings", map[string]any{"settings": []map[string]any{{"kind": "session_reminder", "enabled": true}}})
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"enabled":true`) {
		t.Errorf("turn on again: %d %s", res.Status, res.Body)
	}
	if res = trainee.Do("GET", "/me/notifications", nil); res.Status != http.StatusOK || !strings.Contains(string(res.Body), c.Code) {
		t.Errorf("page: %d", res.Status)
	}
}
