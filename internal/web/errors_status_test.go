package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEveryCodeHasAStatus reads every error code constant declared in
// muster's packages (a const named Code... or code... with a string value)
// and requires statusOf to name it, so a new rule code gets its HTTP status
// by decision rather than by default.
func TestEveryCodeHasAStatus(t *testing.T) {
	codes := map[string]string{} // value -> where it is declared
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if !strings.HasPrefix(strings.ToLower(name.Name), "code") || i >= len(vs.Values) {
						continue
					}
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						codes[v] = path + ": " + name.Name
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) < 40 {
		t.Fatalf("found only %d codes; is the walk reading the packages?", len(codes))
	}
	for code, where := range codes {
		if _, ok := statusOf[code]; !ok {
			t.Errorf("%s (%s) has no status in statusOf", code, where)
		}
	}
}
