package web

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"

	"muster/internal/apperr"
	"muster/internal/calendar"
	"muster/internal/i18n"
	"muster/internal/plaintext"
	"muster/internal/validate"
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
	var raw json.RawMessage
	dec := json.NewDecoder(c.Request.Body)
	if err := dec.Decode(&raw); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return jsonError(err)
		}
		return apperr.New(apperr.CodeMalformed).WithArgs("Reason", "trailing data after the JSON value")
	}
	// Every body the API takes is an object: null, a list or a bare value
	// would otherwise read as an empty request.
	if raw = bytes.TrimSpace(raw); len(raw) == 0 || raw[0] != '{' {
		return apperr.New(apperr.CodeMalformed).WithArgs("Reason", "the body must be a JSON object")
	}
	dec = json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
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
		return tooLarge(mbe.Limit)
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
			return tooLarge(mbe.Limit)
		}
		return apperr.New(apperr.CodeMalformed).WithArgs("Reason", "unreadable form")
	}
	bad := readNumbers(c.Request, reflect.ValueOf(dst))
	if err := binding.Form.Bind(c.Request, dst); err != nil {
		return apperr.Invalid(apperr.Field(formFieldOf(err), "validation.whole_number"))
	}
	readNames(c.Request.PostForm, reflect.ValueOf(dst))
	plaintext.Scrub(dst)
	if len(bad) == 0 {
		return nil
	}
	// The other fields' errors are shown with the numbers' at once.
	fields := bad
	if e, ok := apperr.As(validate.Struct(dst)); ok {
		for _, f := range e.Fields {
			if !slices.ContainsFunc(bad, func(b apperr.FieldError) bool { return b.Field == f.Field }) {
				fields = append(fields, f)
			}
		}
	}
	return apperr.Invalid(fields...)
}

// readNumbers prepares a form's number fields for binding: Persian and
// Arabic-Indic digits become ASCII, and a value that is still no whole
// number is reported on its field and left out, so the rest of the form
// binds and is checked too. The page re-renders what was typed.
func readNumbers(r *http.Request, v reflect.Value) []apperr.FieldError {
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	var bad []apperr.FieldError
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("form"), ",")
		if f.Anonymous && name == "" {
			bad = append(bad, readNumbers(r, v.Field(i))...)
			continue
		}
		if name == "" || name == "-" || !isNumberKind(f.Type.Kind()) {
			continue
		}
		// r.Form is what binding reads; r.PostForm keeps the typed text for the page.
		for j, raw := range r.Form[name] {
			r.Form[name][j] = strings.TrimSpace(calendar.ASCIIDigits(raw))
		}
		raw := r.Form.Get(name)
		if raw == "" {
			continue
		}
		if _, err := strconv.ParseFloat(raw, 64); err != nil || (f.Type.Kind() != reflect.Float32 && f.Type.Kind() != reflect.Float64 && strings.ContainsAny(raw, ".eE")) {
			bad = append(bad, apperr.Field(name, "validation.whole_number"))
			r.Form.Del(name)
		}
	}
	return bad
}

// readNames fills a record's names per language (an i18n.Names field) from
// the form's names_fa, names_ru, names_tg and names_en fields.
func readNames(form url.Values, v reflect.Value) {
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for i := range v.NumField() {
		f := v.Field(i)
		if names, ok := f.Interface().(i18n.Names); ok && f.CanSet() {
			if names == nil {
				names = i18n.Names{}
			}
			for _, lang := range i18n.Languages {
				if vs, sent := form["names_"+lang]; sent && len(vs) > 0 {
					names[lang] = vs[0]
				}
			}
			f.Set(reflect.ValueOf(names))
		}
	}
}

func isNumberKind(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// formFieldOf extracts the field name from Gin's form-mapping error, if it names one.
func formFieldOf(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "field "); i >= 0 {
		return strings.Fields(msg[i+6:])[0]
	}
	return "form"
}

// bindQuery maps query parameters into dst by its form tags. A value that
// does not fit its field (text where a number or a day belongs) is reported
// on that parameter, by name.
func bindQuery(c *gin.Context, dst any) error {
	if err := c.ShouldBindQuery(dst); err != nil {
		name, isTime := badQueryField(c.Request.URL.Query(), reflect.ValueOf(dst))
		if name == "" || isTime {
			field := cmp.Or(name, "query") // no parameter to blame: the query string as a whole
			return apperr.Invalid(apperr.Field(field, "validation.invalid"))
		}
		return apperr.Invalid(apperr.Field(name, "validation.type", "Type", "number"))
	}
	return nil
}

var timeType = reflect.TypeFor[time.Time]()

// badQueryField names the first query parameter whose value its numeric,
// boolean or time field cannot hold, and whether that field is a time, or
// "" when it finds none; Gin's mapping error does not say which.
func badQueryField(q url.Values, v reflect.Value) (string, bool) {
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return "", false
	}
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("form"), ",")
		if f.Anonymous && name == "" {
			if n, isTime := badQueryField(q, v.Field(i)); n != "" {
				return n, isTime
			}
			continue
		}
		raw := q.Get(name)
		if name == "" || name == "-" || raw == "" {
			continue
		}
		if f.Type == timeType {
			layout := f.Tag.Get("time_format")
			if layout == "" {
				layout = time.RFC3339
			}
			if _, err := time.Parse(layout, raw); err != nil {
				return name, true
			}
			continue
		}
		var err error
		switch f.Type.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			_, err = strconv.ParseInt(raw, 10, f.Type.Bits())
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			_, err = strconv.ParseUint(raw, 10, f.Type.Bits())
		case reflect.Float32, reflect.Float64:
			_, err = strconv.ParseFloat(raw, f.Type.Bits())
		case reflect.Bool:
			_, err = strconv.ParseBool(raw)
		}
		if err != nil {
			return name, false
		}
	}
	return "", false
}
