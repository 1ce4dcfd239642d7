package apidoc

import (
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Reference is the document arranged for the API reference page.
type Reference struct {
	Version string
	Groups  []Group
	Schemas []Schema
}

// Group is the operations of one tag.
type Group struct {
	Tag, Description string
	Operations       []Operation
}

// Operation is one method on one path.
type Operation struct {
	ID, Method, Path, Summary, Description string
	Public                                 bool     // callable without signing in
	Schemes                                []string // the security schemes that may authenticate it
	Parameters                             []Field
	Body                                   []Content
	Responses                              []Response
}

// Field is a parameter or a schema property.
type Field struct {
	Name, In, Type, Description string
	Required                    bool
}

// Content is one media type of a body and its schema's name or type.
type Content struct{ MediaType, Type string }

// Response is one documented status.
type Response struct {
	Status, Description string
	Content             []Content
}

// Schema is one named schema with its properties.
type Schema struct {
	Name, Description, Type string
	Properties              []Field
}

// BuildReference arranges the document for reading, in its tag order.
func BuildReference() (*Reference, error) {
	doc, err := Document()
	if err != nil {
		return nil, err
	}
	ref := &Reference{Version: doc.Info.Version}
	byTag := map[string]*Group{}
	for _, t := range doc.Tags {
		ref.Groups = append(ref.Groups, Group{Tag: t.Name, Description: t.Description})
	}
	for i := range ref.Groups {
		byTag[ref.Groups[i].Tag] = &ref.Groups[i]
	}
	paths := doc.Paths.InMatchingOrder()
	slices.Sort(paths)
	for _, path := range paths {
		item := doc.Paths.Value(path)
		for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			op := item.GetOperation(method)
			if op == nil {
				continue
			}
			g := byTag[firstOr(op.Tags, "")]
			if g == nil {
				continue // TestReferenceListsEveryOperation forbids an unknown tag
			}
			g.Operations = append(g.Operations, operation(doc, method, path, op))
		}
	}
	names := make([]string, 0, len(doc.Components.Schemas))
	for name := range doc.Components.Schemas {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		s := doc.Components.Schemas[name].Value
		ref.Schemas = append(ref.Schemas, Schema{Name: name, Description: s.Description, Type: typeOf(doc.Components.Schemas[name], false), Properties: properties(s)})
	}
	return ref, nil
}

func operation(doc *openapi3.T, method, path string, op *openapi3.Operation) Operation {
	o := Operation{ID: strings.ToLower(method) + strings.NewReplacer("/", "-", "{", "", "}", "", ".", "-").Replace(path),
		Method: method, Path: Prefix + path, Summary: op.Summary, Description: op.Description}
	reqs := doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	if len(reqs) == 0 {
		o.Public = true
	}
	for _, r := range reqs {
		if len(r) == 0 {
			o.Public = true
		}
		var names []string
		for name := range r {
			names = append(names, name)
		}
		slices.Sort(names)
		if len(names) > 0 {
			o.Schemes = append(o.Schemes, strings.Join(names, " + "))
		}
	}
	for _, p := range op.Parameters {
		v := p.Value
		o.Parameters = append(o.Parameters, Field{Name: v.Name, In: v.In, Type: typeOf(v.Schema, true), Description: v.Description, Required: v.Required})
	}
	if op.RequestBody != nil {
		o.Body = contents(op.RequestBody.Value.Content)
	}
	codes := op.Responses.Map()
	statuses := make([]string, 0, len(codes))
	for code := range codes {
		statuses = append(statuses, code)
	}
	slices.Sort(statuses) // "default" sorts after the numbers
	for _, code := range statuses {
		r := codes[code].Value
		o.Responses = append(o.Responses, Response{Status: code, Description: deref(r.Description), Content: contents(r.Content)})
	}
	return o
}

func contents(c openapi3.Content) []Content {
	var out []Content
	for mt, m := range c {
		out = append(out, Content{MediaType: mt, Type: typeOf(m.Schema, true)})
	}
	slices.SortFunc(out, func(a, b Content) int { return strings.Compare(a.MediaType, b.MediaType) })
	return out
}

func properties(s *openapi3.Schema) []Field {
	var out []Field
	for _, part := range append([]*openapi3.SchemaRef{{Value: s}}, s.AllOf...) {
		if part.Ref != "" {
			continue
		}
		for name, p := range part.Value.Properties {
			out = append(out, Field{Name: name, Type: typeOf(p, true), Description: p.Value.Description, Required: slices.Contains(part.Value.Required, name)})
		}
	}
	slices.SortFunc(out, func(a, b Field) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// typeOf names a schema for a reader: a component's name, or its type.
func typeOf(r *openapi3.SchemaRef, useRef bool) string {
	if r == nil {
		return ""
	}
	if useRef && r.Ref != "" {
		return r.Ref[strings.LastIndex(r.Ref, "/")+1:]
	}
	s := r.Value
	var alts []string
	for _, a := range append(s.OneOf, s.AllOf...) {
		alts = append(alts, typeOf(a, true))
	}
	if len(alts) > 0 {
		return strings.Join(alts, " | ")
	}
	var types []string
	if s.Type != nil {
		// A copy: the loop below rewrites it, and the document is shared
		// with the request validator.
		types = slices.Clone(s.Type.Slice())
	}
	for i, t := range types {
		switch {
		case t == "array" && s.Items != nil:
			types[i] = "array of " + typeOf(s.Items, true)
		case s.Format != "":
			types[i] = t + " (" + s.Format + ")"
		}
	}
	if len(s.Enum) > 0 {
		var vals []string
		for _, v := range s.Enum {
			if str, ok := v.(string); ok {
				vals = append(vals, str)
			}
		}
		return strings.Join(types, " | ") + ": " + strings.Join(vals, ", ")
	}
	if len(types) == 0 {
		return "any"
	}
	return strings.Join(types, " | ")
}

func firstOr(s []string, def string) string {
	if len(s) == 0 {
		return def
	}
	return s[0]
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
