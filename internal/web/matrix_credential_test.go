package web_test

import (
	"strconv"
	"testing"

	"muster/internal/webtest"
)

// credentialMatrixFixture makes the records the credential rows name.
func credentialMatrixFixture(t *testing.T, env *webtest.Env) map[string]string {
	return map[string]string{"{credential year}": strconv.Itoa(env.Clock.Now().Year())}
}

// Rows are [anonymous, admin, coordinator, instructor, hr, trainee] of agency a.
// A credential has its certificate's scope; the keys and revocation lists are public.
var credentialMatrixRows = []matrixRow{
	{"GET", "/api/v1/certificates/:number", "/api/v1/certificates/{certify certificate b}.vc.json", "", [7]int{401, 200, 404, 404, 404, 404, 404}},
	{"GET", "/certificates/:number", "/certificates/{certify certificate b}.vc.json", "", [7]int{303, 200, 404, 404, 404, 404, 404}},
	{"GET", "/.well-known/did.json", "/.well-known/did.json", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	{"GET", "/credentials/status/revocation/:year", "/credentials/status/revocation/{credential year}", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
}
