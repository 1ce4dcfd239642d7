// Package apidoc holds muster's OpenAPI 3.1 document: written by hand in
// openapi.yaml, embedded in the binary, served as JSON and rendered as the
// API reference page.
package apidoc

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed openapi.yaml
var source []byte

var load = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(source)
	if err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.yaml: %w", err)
	}
	return doc, nil
})

var asJSON = sync.OnceValues(func() ([]byte, error) {
	doc, err := load()
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc)
})

// Document is the parsed and validated document. Callers must not change it.
func Document() (*openapi3.T, error) { return load() }

// JSON is the document as JSON, as GET /api/v1/openapi.json serves it.
func JSON() ([]byte, error) { return asJSON() }

// Prefix is where the document's paths are served (its one server URL).
const Prefix = "/api/v1"
