package plaintext

import (
	"reflect"
	"strings"
	"unicode/utf8"
)

// Clean makes s storable: valid UTF-8 and no NUL, which PostgreSQL refuses
// in text. It keeps everything else, so passwords and codes stay as typed.
func Clean(s string) string {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// Storable reports whether s is valid UTF-8 without NUL.
func Storable(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// Scrub cleans, in place, every string reachable from v (a pointer): struct
// fields, pointers, slices and map values, so no decoded request carries a
// NUL or invalid UTF-8 into the services.
func Scrub(v any) { scrub(reflect.ValueOf(v)) }

func scrub(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			e := v.Elem()
			if v.Kind() == reflect.Interface && e.Kind() == reflect.String {
				v.Set(reflect.ValueOf(Clean(e.String())).Convert(e.Type()))
				return
			}
			scrub(e)
		}
	case reflect.String:
		if v.CanSet() {
			v.SetString(Clean(v.String()))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				scrub(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			scrub(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			e := reflect.New(v.Type().Elem()).Elem()
			e.Set(v.MapIndex(k))
			scrub(e)
			v.SetMapIndex(k, e)
		}
	}
}
