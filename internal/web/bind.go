package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"

	"muster/internal/apperr"
	"muster/internal/plaintext"
)

// bindJSON decodes the request body strictly into dst: one JSON value, no
// unknown fields, right types. Its errors name the field at fault.
func bindJSON(c *gin.Context, dst any) error {
	if ct := c.GetHeader("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return apperr.New(codeUnsupportedMedia)
		}
	}
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return jsonError(err)
		}
		return apperr.New(apperr.CodeMalformed).WithArgs("Reason", "trailing data after the JSON value")
	}
	plaintext.Scrub(dst) // a JSON string may carry \u0000, which PostgreSQL cannot store
	return nil
}

// jsonError maps encoding/json's failures to precise client errors.
func jsonError(err error) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		mbe    *http.MaxBytesError
	)
	switch {
	case errors.As(err, &mbe):
		return apperr.New(apperr.CodeTooLarge).WithArgs("Limit", mbe.Limit)
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.CodeMalformed).WithArgs("Reason", "empty body")
	case errors.As(err, &syntax):
		return apperr.New(apperr.CodeMalformed).WithArgs("Reason", fmt.Sprintf("invalid JSON at byte %d", syntax.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.New(apperr.CodeMalformed).WithArgs("Reason", "unexpected end of JSON")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return apperr.New(apperr.CodeMalformed).WithArgs("Reason", "the body must be a JSON "+jsonKind(typ.Type.Kind().String()))
		}
		return apperr.Invalid(apperr.Field(field, "validation.type", "Type", jsonKind(typ.Type.Kind().String())))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apperr.Invalid(apperr.Field(name, "validation.unknown_field"))
	}
	return apperr.New(apperr.CodeMalformed).WithArgs("Reason", "invalid JSON")
}

// jsonKind names a Go kind the way a JSON client thinks of it.
func jsonKind(kind string) string {
	switch kind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "float32", "float64":
		return "number"
	case "bool":
		return "boolean"
	case "slice", "array":
		return "array"
	case "map", "struct":
		return "object"
	}
	return kind
}

// bindForm maps an HTML form into dst by its form tags. A number field with
// text in it is reported on that field.
func bindForm(c *gin.Context, dst any) error {
	if err := c.Request.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.New(apperr.CodeTooLarge).WithArgs("Limit", mbe.Limit)
		}
		return apperr.New(apperr.CodeMalformed).WithArgs("Reason", "unreadable form")
	}
	if err := binding.Form.Bind(c.Request, dst); err != nil {
		return apperr.Invalid(apperr.Field(formFieldOf(err), "validation.type", "Type", "number"))
	}
	plaintext.Scrub(dst)
	return nil
}

// formFieldOf extracts the field name from Gin's form-mapping error, if it names one.
func formFieldOf(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "field "); i >= 0 {
		return strings.Fields(msg[i+6:])[0]
	}
	return "form"
}
