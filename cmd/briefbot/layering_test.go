package main

import (
	"os/exec"
	"strings"
	"testing"
)

// layerOf names the layer of a package of this module: cmd → bot →
// commands → briefings ← db. Beside them, internal/ holds leaves (one job
// each, such as the retry policy) that any package may import and that
// import nothing of ours, and the test fixtures (the synthetic library, the
// test helpers) that tests and benchmark programs use and no product
// package imports. Benchmark programs stand outside the layers.
func layerOf(pkg string) string {
	for _, f := range fixtures {
		if pkg == "briefbot/internal/"+f || strings.HasPrefix(pkg, "briefbot/internal/"+f+"/") {
			return "fixture"
		}
	}
	for _, l := range []string{"cmd", "bot", "commands", "briefings", "db", "internal", "bench"} {
		if pkg == "briefbot/"+l || strings.HasPrefix(pkg, "briefbot/"+l+"/") {
			return l
		}
	}
	return ""
}

// fixtures are the packages under internal/ that build test data rather
// than serve the product.
var fixtures = []string{"gen", "testlib"}

// mayImport lists, for each layer, the layers its packages may import.
var mayImport = map[string][]string{
	"cmd":       {"cmd", "bot", "commands", "briefings", "db", "internal"},
	"bot":       {"bot", "commands", "briefings", "internal"},
	"commands":  {"commands", "briefings", "internal"},
	"briefings": {"briefings", "internal"},
	"db":        {"db", "briefings", "internal"},
	"internal":  {},
	"fixture":   {"fixture", "bot", "commands", "briefings", "db", "internal"},
}

// upwardImports returns "from → to" for every import in graph (package →
// its imports) that runs against the layers.
func upwardImports(graph map[string][]string) []string {
	var bad []string
	for from, imports := range graph {
		fl := layerOf(from)
		allowed, checked := mayImport[fl]
		if !checked {
			continue
		}
		for _, to := range imports {
			tl := layerOf(to)
			if tl == "" {
				continue // the standard library or another module
			}
			ok := false
			for _, a := range allowed {
				ok = ok || a == tl
			}
			if !ok {
				bad = append(bad, from+" → "+to)
			}
		}
	}
	return bad
}

// TestImportDirection: the packages' own imports (not their tests') run
// one way, cmd → bot → commands → briefings ← db, as `go list` reports
// them. The checker itself is tried on graphs with an upward import.
func TestImportDirection(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		graph map[string][]string
		want  int
	}{
		{"OneWay", map[string][]string{"briefbot/bot": {"briefbot/commands", "net/http"}, "briefbot/db": {"briefbot/briefings"}}, 0},
		{"BriefingsImportsDB", map[string][]string{"briefbot/briefings/answer": {"briefbot/db"}}, 1},
		{"CommandsImportsBot", map[string][]string{"briefbot/commands": {"briefbot/bot/web"}}, 1},
		{"DBImportsCommands", map[string][]string{"briefbot/db": {"briefbot/commands", "briefbot/briefings"}}, 1},
		{"BotImportsCmd", map[string][]string{"briefbot/bot": {"briefbot/cmd/briefbot"}}, 1},
		{"SubpackagesOneWay", map[string][]string{"briefbot/bot/discord": {"briefbot/bot/delivery", "briefbot/commands", "briefbot/internal/retry"}, "briefbot/briefings/llm": {"briefbot/internal/retry"}}, 0},
		{"LeafImportsBriefings", map[string][]string{"briefbot/internal/retry": {"briefbot/briefings"}}, 1},
		{"ProductImportsFixture", map[string][]string{"briefbot/db": {"briefbot/internal/gen"}, "briefbot/bot/console": {"briefbot/internal/testlib"}}, 2},
		{"FixtureImportsCmd", map[string][]string{"briefbot/internal/gen": {"briefbot/db", "briefbot/cmd/briefbot"}}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := upwardImports(tt.graph); len(got) != tt.want {
				t.Errorf("upwardImports = %q, want %d", got, tt.want)
			}
		})
	}

	cmd := exec.Command("go", "list", "-tags", "sqlite_fts5", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		if len(f) > 0 {
			graph[f[0]] = f[1:]
		}
	}
	if len(graph) < 10 || layerOf("briefbot/bot") != "bot" {
		t.Fatalf("go list found %d packages: %s", len(graph), out)
	}
	for _, bad := range upwardImports(graph) {
		t.Errorf("upward import %s: imports run cmd → bot → commands → briefings ← db, internal leaves import nothing of ours, and only tests and benchmarks import fixtures", bad)
	}
}
