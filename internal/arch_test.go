// Package arch_test enforces the layering of jxc: imports run one way,
// cmd → httpapi → service → store → domain, and domain is standard library
// only. It reads the import graph with `go list`, so a package that does not
// exist yet simply is not checked.
package arch_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// rule says which packages of the module a layer (a directory under the
// module root, with everything below it) may import. A layer may always
// import its own subpackages.
type rule struct {
	dir     string   // module-relative directory, e.g. "internal/store"
	allow   []string // module-relative directories it may import
	stdOnly bool     // nothing outside the standard library at all
}

var rules = []rule{
	{dir: "internal/domain", stdOnly: true},
	{dir: "internal/store", allow: []string{"internal/domain"}},
	{dir: "internal/service", allow: []string{"internal/store", "internal/domain", "internal/pinyin", "internal/i18n"}},
	// httpapi uses store only for store.ErrReplay and the idempotency Claim.
	// It renders files through the leaf packages sheet (.xlsx, CSV) and pdf.
	{dir: "internal/httpapi", allow: []string{"internal/service", "internal/domain", "internal/i18n", "internal/store", "internal/sheet", "internal/pdf"}},
	// The demo company is made through the service, like any other user.
	{dir: "internal/demo", allow: []string{"internal/service", "internal/domain"}},
	// Leaf packages: no other jxc package (pdf may use domain's number types).
	{dir: "internal/pinyin"},
	{dir: "internal/i18n"},
	{dir: "internal/sheet"},
	{dir: "internal/pdf", allow: []string{"internal/domain"}},
	// The load tool knows jxc only through its HTTP API.
	{dir: "internal/bench"},
}

// Names that say nothing about what a package does.
var badNames = []string{"util", "common", "helpers", "models"}

// listedPkg is what `go list -json` reports about one package.
type listedPkg struct {
	ImportPath string
	Name       string
	Imports    []string
	Error      *struct{ Err string }
}

// violations checks the packages of module mod and returns one message per
// broken rule, "A imports B (why)" or "A is named N (why)".
func violations(mod string, pkgs []listedPkg) []string {
	rel := func(p string) (string, bool) {
		if p == mod {
			return ".", true
		}
		r, ok := strings.CutPrefix(p, mod+"/")
		return r, ok
	}
	under := func(r, dir string) bool { return r == dir || strings.HasPrefix(r, dir+"/") }
	isStd := func(p string) bool {
		first, _, _ := strings.Cut(p, "/")
		return p != "C" && !strings.Contains(first, ".") // "C" is cgo
	}

	var out []string
	for _, p := range pkgs {
		from, ok := rel(p.ImportPath)
		if !ok {
			continue
		}
		for _, name := range []string{p.Name, path.Base(p.ImportPath)} {
			if slices.Contains(badNames, name) {
				out = append(out, fmt.Sprintf("%s is named %s (name a package for what it provides, not util/common/helpers/models)", p.ImportPath, name))
				break
			}
		}
		var r *rule
		for i := range rules {
			if under(from, rules[i].dir) {
				r = &rules[i]
				break
			}
		}
		for _, imp := range p.Imports {
			to, own := rel(imp)
			switch {
			case own && under(from, "internal") && under(to, "cmd"):
				out = append(out, fmt.Sprintf("%s imports %s (nothing under internal imports cmd)", p.ImportPath, imp))
			case r == nil:
				// cmd, and packages without a rule yet, may import anything
				// but cmd.
			case r.stdOnly && (own || !isStd(imp)) && !(own && under(to, r.dir)):
				out = append(out, fmt.Sprintf("%s imports %s (%s is standard library only)", p.ImportPath, imp, r.dir))
			case own && !under(to, r.dir) && !slices.ContainsFunc(r.allow, func(d string) bool { return under(to, d) }):
				allowed := "no other jxc package"
				if len(r.allow) > 0 {
					allowed = strings.Join(r.allow, ", ")
				}
				out = append(out, fmt.Sprintf("%s imports %s (%s may import only %s)", p.ImportPath, imp, r.dir, allowed))
			}
		}
	}
	return out
}

// moduleRoot walks up from the working directory to go.mod and returns the
// directory and the module path.
func moduleRoot(t *testing.T) (dir, mod string) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil {
			sc := bufio.NewScanner(bytes.NewReader(b))
			for sc.Scan() {
				if m, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
					return dir, strings.Trim(strings.TrimSpace(m), `"`)
				}
			}
			t.Fatalf("%s/go.mod has no module line", dir)
		}
		if !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

func listPackages(t *testing.T, root, mod string) []listedPkg {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go command not found: %v", err)
	}
	// -e: a package that does not build (someone is half-way through
	// editing it) is still listed with the imports that could be read; the
	// compiler reports the error elsewhere.
	cmd := exec.Command(goBin, "list", "-e", "-json=ImportPath,Name,Imports,Error", mod+"/...")
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	var pkgs []listedPkg
	dec := json.NewDecoder(bytes.NewReader(stdout))
	for {
		var p listedPkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("go list output: %v", err)
		}
		if p.Error != nil {
			t.Logf("note: %s: %s", p.ImportPath, p.Error.Err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func TestLayering(t *testing.T) {
	root, mod := moduleRoot(t)
	pkgs := listPackages(t, root, mod)
	// The layers that exist from the start must be seen, or the test checks
	// nothing.
	for _, want := range []string{mod + "/internal/domain", mod + "/internal/store"} {
		if !slices.ContainsFunc(pkgs, func(p listedPkg) bool { return p.ImportPath == want }) {
			t.Fatalf("go list did not report %s", want)
		}
	}
	for _, v := range violations(mod, pkgs) {
		t.Error(v)
	}
}

// The checker itself, on a made-up module, so it is known to bite before
// every layer exists.
func TestLayeringRules(t *testing.T) {
	const m = "example.com/jxc"
	pkgs := []listedPkg{
		// Allowed.
		{ImportPath: m + "/internal/domain", Name: "domain", Imports: []string{"fmt", "math/bits"}},
		{ImportPath: m + "/internal/store", Name: "store", Imports: []string{"database/sql", "github.com/uptrace/bun", m + "/internal/domain", m + "/internal/store/sqlx"}},
		{ImportPath: m + "/internal/store/storetest", Name: "storetest", Imports: []string{"testing", m + "/internal/store"}},
		{ImportPath: m + "/internal/service", Name: "service", Imports: []string{m + "/internal/store", m + "/internal/domain", m + "/internal/pinyin", m + "/internal/i18n"}},
		{ImportPath: m + "/internal/httpapi", Name: "httpapi", Imports: []string{"net/http", m + "/internal/service", m + "/internal/domain", m + "/internal/i18n", m + "/internal/store"}},
		{ImportPath: m + "/internal/i18n", Name: "i18n", Imports: []string{"golang.org/x/text/language"}},
		{ImportPath: m + "/cmd/jxc", Name: "main", Imports: []string{m + "/internal/httpapi", m + "/internal/store", m + "/internal/service"}},
		{ImportPath: m + "/internal/report", Name: "report", Imports: []string{m + "/internal/store"}},
		// Not allowed.
		{ImportPath: m + "/internal/domain/money", Name: "money", Imports: []string{"github.com/shopspring/decimal", "C", m + "/internal/domain", m + "/internal/store"}},
		{ImportPath: m + "/internal/store/pg", Name: "pg", Imports: []string{m + "/internal/service"}},
		{ImportPath: m + "/internal/service/items", Name: "items", Imports: []string{m + "/internal/httpapi", m + "/cmd/jxc"}},
		{ImportPath: m + "/internal/httpapi/mw", Name: "mw", Imports: []string{m + "/cmd/jxc", m + "/internal/pinyin"}},
		{ImportPath: m + "/internal/pinyin", Name: "pinyin", Imports: []string{"github.com/mozillazg/go-pinyin", m + "/internal/domain"}},
		{ImportPath: m + "/internal/report/x", Name: "x", Imports: []string{m + "/cmd/jxc"}},
		{ImportPath: m + "/internal/util", Name: "util"},
		{ImportPath: m + "/internal/store/common", Name: "store"},
		{ImportPath: m + "/internal/models", Name: "models"},
		{ImportPath: m + "/internal/helpers"}, // Name unknown: a package with errors
	}
	want := []string{
		m + "/internal/domain/money imports github.com/shopspring/decimal",
		m + "/internal/domain/money imports C",
		m + "/internal/domain/money imports " + m + "/internal/store",
		m + "/internal/store/pg imports " + m + "/internal/service",
		m + "/internal/service/items imports " + m + "/internal/httpapi",
		m + "/internal/service/items imports " + m + "/cmd/jxc",
		m + "/internal/httpapi/mw imports " + m + "/cmd/jxc",
		m + "/internal/httpapi/mw imports " + m + "/internal/pinyin",
		m + "/internal/pinyin imports " + m + "/internal/domain",
		m + "/internal/report/x imports " + m + "/cmd/jxc",
		m + "/internal/util is named util",
		m + "/internal/store/common is named common",
		m + "/internal/models is named models",
		m + "/internal/helpers is named helpers",
	}
	var got []string
	for _, v := range violations(m, pkgs) {
		// Compare without the explanation in parentheses.
		got = append(got, strings.TrimSpace(v[:strings.Index(v+" (", " (")]))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("violations:\n  got  %q\n  want %q", got, want)
	}
}
