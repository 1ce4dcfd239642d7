package apidoc

import (
	"encoding/json"
	"testing"
)

// TestDocumentIsValidOpenAPI31 loads the embedded document, validates it as
// OpenAPI 3.1 and checks that its JSON form says so.
func TestDocumentIsValidOpenAPI31(t *testing.T) {
	doc, err := Document()
	if err != nil {
		t.Fatal(err)
	}
	if !doc.IsOpenAPI31OrLater() || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != Prefix {
		t.Fatalf("servers %v, want one at %s", doc.Servers, Prefix)
	}
	b, err := JSON()
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["openapi"] != "3.1.0" || m["paths"] == nil || m["components"] == nil {
		t.Fatalf("JSON form lacks openapi 3.1.0, paths or components: %.200s", b)
	}
	// Every operation answers errors as problem documents.
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.Responses.Default() == nil {
				t.Errorf("%s %s has no default (problem document) response", method, path)
			}
			if op.Summary == "" {
				t.Errorf("%s %s has no summary", method, path)
			}
		}
	}
}

// TestReferenceListsEveryOperation: the reference page shows every
// operation once, under a tag the document declares.
func TestReferenceListsEveryOperation(t *testing.T) {
	doc, err := Document()
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, item := range doc.Paths.Map() {
		want += len(item.Operations())
	}
	ref, err := BuildReference()
	if err != nil {
		t.Fatal(err)
	}
	got, seen := 0, map[string]bool{}
	for _, g := range ref.Groups {
		for _, op := range g.Operations {
			got++
			if seen[op.ID] {
				t.Errorf("operation id %s twice", op.ID)
			}
			seen[op.ID] = true
		}
	}
	if got != want {
		t.Fatalf("reference lists %d operations, document has %d (an operation under an undeclared tag?)", got, want)
	}
	if len(ref.Schemas) < 50 {
		t.Fatalf("only %d schemas", len(ref.Schemas))
	}
}
