package web_test

import (
	"strconv"
	"testing"

	"muster/internal/webtest"
)

func init() {
	matrixFixtures = append(matrixFixtures, func(t *testing.T, env *webtest.Env) map[string]string {
		return map[string]string{"{credential year}": strconv.Itoa(env.Clock.Now().Year())}
	})
	// Rows are [anonymous, admin, coordinator, instructor, hr, trainee] of agency a.
	// A credential has its certificate's scope; the keys and revocation lists are public.
	extraMatrix = append(extraMatrix,
		matrixRow{"GET", "/api/v1/certificates/:number", "/api/v1/certificates/{certify certificate b}.vc.json", "", [7]int{401, 200, 404, 404, 404, 404, 404}},
		matrixRow{"GET", "/certificates/:number", "/certificates/{certify certificate b}.vc.json", "", [7]int{303, 200, 404, 404, 404, 404, 404}},
		matrixRow{"GET", "/.well-known/muster-issuer.json", "/.well-known/muster-issuer.json", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
		matrixRow{"GET", "/credentials/status/revocation/:year", "/credentials/status/revocation/{credential year}", "", [7]int{200, 200, 200, 200, 200, 200, 200}},
	)
}
