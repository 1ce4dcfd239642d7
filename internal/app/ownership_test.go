package app

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// sharedColumns are the only columns a package may write in another's
// table, each with the reason. Enrollment keeps the seat counters and the
// queue sequence of cohorts and quotas: it moves them under the cohort's
// row lock in the same statement that checks capacity, which is what keeps
// a cohort from being overbooked.
var sharedColumns = map[string]map[string]bool{
	"enrollment cohorts":       {"seats_taken": true, "queue_seq": true},
	"enrollment cohort_quotas": {"seats_taken": true},
}

// fixtures are the test files still allowed to arrange other packages'
// rows directly, each with the reason; every other file, tests included,
// changes them through their owner's service.
var fixtures = map[string]string{
	"cmd/muster/audit_test.go":              "rewrites an audit event to prove verify finds it: no service rewrites history",
	"internal/webtest/webtest.go":           "forgets the last TOTP step so one test may sign in twice within a step",
	"internal/export/bench_pdf_test.go":     "empties the PDF cache so each benchmark run renders",
	"internal/ops/retention_test.go":        "dates notifications sent long ago, which only the sender stamps as it sends",
	"internal/enrollment/helpers_test.go":   "an enrollment window closing after the cohort starts, which the cohort service refuses",
	"internal/enrollment/seats_test.go":     "quotas adding up to more than the capacity, which the cohort service refuses",
	"internal/roster/assign_test.go":        "a venue clash left in the data, which the cohort service refuses to store",
	"internal/roster/report_test.go":        "sessions clashing with an instructor's teaching, which the services refuse to store",
	"internal/web/enrollment_storm_test.go": "inserts a thousand people in one batch, which the identity service would take minutes over",
	"internal/web/hostile_input_test.go":    "a holder name with direction overrides, stored before the services refused them",
}

// writeMethods are GORM's methods that change rows.
var writeMethods = map[string]bool{"Create": true, "CreateInBatches": true, "Save": true, "Update": true, "Updates": true,
	"UpdateColumn": true, "UpdateColumns": true, "Delete": true, "FirstOrCreate": true}

var rawWrite = regexp.MustCompile(`(?i)\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)`)

// rawSet reads the assignments of a raw UPDATE: "UPDATE t SET a = a + 1, b = ? WHERE ...".
var (
	rawSet    = regexp.MustCompile(`(?is)^UPDATE\s+[a-z_]+\s+SET\s+(.*?)(?:\bWHERE\b|\bRETURNING\b|\bFROM\b|$)`)
	rawAssign = regexp.MustCompile(`(?i)(?:^|,)\s*([a-z_]+)\s*=`)
)

// rawColumns lists the columns a raw UPDATE sets; none for inserts and deletes.
func rawColumns(sql string) []string {
	m := rawSet.FindStringSubmatch(sql)
	if m == nil {
		return nil
	}
	var cols []string
	for _, a := range rawAssign.FindAllStringSubmatch(m[1], -1) {
		cols = append(cols, strings.ToLower(a[1]))
	}
	return cols
}

// TestOnePackageWritesEachTable reads the code of every package and command,
// tests and test harnesses included, and fails when one writes a table whose
// model another package owns (Models names the owners), through Model,
// Table, the value it creates or raw SQL. Other capabilities' rows change
// through their owner's service; only the files listed in fixtures may not.
func TestOnePackageWritesEachTable(t *testing.T) {
	owner := map[string]string{}   // table -> owning package
	tableOf := map[string]string{} // "package.Type" -> table
	for _, m := range Models() {
		typ := reflect.TypeOf(m).Elem()
		pkg := filepath.Base(typ.PkgPath())
		table := m.(interface{ TableName() string }).TableName()
		owner[table], tableOf[pkg+"."+typ.Name()] = pkg, table
	}
	dirs, err := filepath.Glob("../*")
	if err != nil {
		t.Fatal(err)
	}
	commands, err := filepath.Glob("../../cmd/*")
	if err != nil {
		t.Fatal(err)
	}
	writes, stillWrites := 0, map[string]bool{}
	for _, dir := range append(dirs, commands...) {
		pkg := filepath.Base(dir)
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, path := range files {
			_, fixture := fixtures[repoPath(path)]
			for _, w := range tableWrites(t, path, pkg, tableOf) {
				writes++
				if o, ok := owner[w.table]; !ok || o == pkg {
					continue
				}
				allowed := sharedColumns[pkg+" "+w.table]
				ok := allowed != nil && len(w.columns) > 0
				for _, c := range w.columns {
					ok = ok && allowed[c]
				}
				if !ok && fixture {
					stillWrites[repoPath(path)] = true
				} else if !ok {
					t.Errorf("%s: package %s writes %s %v, which %s owns", w.at, pkg, w.table, w.columns, owner[w.table])
				}
			}
		}
	}
	for path := range fixtures {
		if !stillWrites[path] {
			t.Errorf("%s no longer writes another package's table: take it off the fixtures list", path)
		}
	}
	if writes < 50 {
		t.Fatalf("found only %d writes; is the reader still reading the code?", writes)
	}
}

// write is one statement that changes a table, with the columns it sets
// when they can be read from the call (none for inserts and deletes).
type write struct {
	at      string
	table   string
	columns []string
}

// tableWrites lists the writes in one file whose table can be told from
// the code.
func tableWrites(t *testing.T, path, pkg string, tableOf map[string]string) []write {
	t.Helper()
	fset := token.NewFileSet()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(fset, path, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []write
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil {
			continue
		}
		types := localTypes(fn)
		resolve := func(e ast.Expr) string { return tableOf[typeName(pkg, valueType(e, types))] }
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			at := fset.Position(call.Pos()).String()
			if (sel.Sel.Name == "Exec" || sel.Sel.Name == "Raw") && len(call.Args) > 0 {
				if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					sql, _ := strconv.Unquote(lit.Value)
					for _, m := range rawWrite.FindAllStringSubmatchIndex(sql, -1) {
						out = append(out, write{at: at, table: strings.ToLower(sql[m[2]:m[3]]), columns: rawColumns(sql[m[0]:])})
					}
				}
				return true
			}
			if !writeMethods[sel.Sel.Name] {
				return true
			}
			table := chainTable(sel.X, resolve)
			if table == "" && len(call.Args) > 0 && sel.Sel.Name != "Update" && sel.Sel.Name != "Updates" && sel.Sel.Name != "UpdateColumn" && sel.Sel.Name != "UpdateColumns" {
				table = resolve(call.Args[0])
			}
			if table != "" {
				out = append(out, write{at: at, table: table, columns: setColumns(sel.Sel.Name, call.Args)})
			}
			return true
		})
	}
	return out
}

// chainTable finds the table a query chain names with Model or Table.
func chainTable(e ast.Expr, resolve func(ast.Expr) string) string {
	for {
		call, ok := e.(*ast.CallExpr)
		if !ok {
			return ""
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return ""
		}
		switch {
		case sel.Sel.Name == "Model" && len(call.Args) == 1:
			return resolve(call.Args[0])
		case sel.Sel.Name == "Table" && len(call.Args) > 0:
			if lit, ok := call.Args[0].(*ast.BasicLit); ok {
				name, _ := strconv.Unquote(lit.Value)
				return strings.Fields(name)[0]
			}
		}
		e = sel.X
	}
}

// setColumns reads the columns an Update or Updates call sets.
func setColumns(method string, args []ast.Expr) []string {
	if len(args) == 0 {
		return nil
	}
	if lit, ok := args[0].(*ast.BasicLit); ok && (method == "Update" || method == "UpdateColumn") {
		c, _ := strconv.Unquote(lit.Value)
		return []string{c}
	}
	var cols []string
	if m, ok := args[0].(*ast.CompositeLit); ok && (method == "Updates" || method == "UpdateColumns") {
		for _, el := range m.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if lit, ok := kv.Key.(*ast.BasicLit); ok {
					c, _ := strconv.Unquote(lit.Value)
					cols = append(cols, c)
				}
			}
		}
	}
	return cols
}

// localTypes maps the names a function declares (parameters, var
// declarations, := of a composite literal) to their type expressions.
func localTypes(fn *ast.FuncDecl) map[string]ast.Expr {
	types := map[string]ast.Expr{}
	add := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				types[n.Name] = f.Type
			}
		}
	}
	add(fn.Recv)
	add(fn.Type.Params)
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch d := n.(type) {
		case *ast.FuncLit:
			add(d.Type.Params)
		case *ast.ValueSpec:
			for _, name := range d.Names {
				if d.Type != nil {
					types[name.Name] = d.Type
				}
			}
		case *ast.AssignStmt:
			for i, l := range d.Lhs {
				if id, ok := l.(*ast.Ident); ok && i < len(d.Rhs) && d.Tok == token.DEFINE {
					if t := literalType(d.Rhs[i]); t != nil {
						types[id.Name] = t
					}
				}
			}
		}
		return true
	})
	return types
}

// literalType is the type of a composite literal, &literal or make(T, ...).
func literalType(e ast.Expr) ast.Expr {
	switch v := e.(type) {
	case *ast.UnaryExpr:
		return literalType(v.X)
	case *ast.CompositeLit:
		return v.Type
	case *ast.CallExpr:
		if id, ok := v.Fun.(*ast.Ident); ok && id.Name == "make" && len(v.Args) > 0 {
			return v.Args[0]
		}
	}
	return nil
}

// valueType is the type expression of a value passed to Model or Create.
func valueType(e ast.Expr, types map[string]ast.Expr) ast.Expr {
	switch v := e.(type) {
	case *ast.UnaryExpr:
		return valueType(v.X, types)
	case *ast.CompositeLit:
		return v.Type
	case *ast.Ident:
		return types[v.Name]
	}
	return nil
}

// typeName turns a type expression into "package.Type", unwrapping
// pointers and slices; a bare name belongs to pkg.
func typeName(pkg string, e ast.Expr) string {
	switch v := e.(type) {
	case *ast.StarExpr:
		return typeName(pkg, v.X)
	case *ast.ArrayType:
		return typeName(pkg, v.Elt)
	case *ast.Ident:
		return pkg + "." + v.Name
	case *ast.SelectorExpr:
		if x, ok := v.X.(*ast.Ident); ok {
			return x.Name + "." + v.Sel.Name
		}
	}
	return ""
}

// repoPath turns a path read from this folder into one from the repository root.
func repoPath(path string) string {
	rel := strings.TrimPrefix(filepath.ToSlash(path), "../")
	if after, ok := strings.CutPrefix(rel, "../"); ok {
		return after
	}
	return "internal/" + rel
}
