package main

import (
	"os/exec"
	"strings"
	"testing"
)

// layerOf names the layer of a package of this module: cmd → bot →
// commands → briefings ← db. Benchmark programs stand outside the layers.
func layerOf(pkg string) string {
	for _, l := range []string{"cmd", "bot", "commands", "briefings", "db", "bench"} {
		if pkg == "briefbot/"+l || strings.HasPrefix(pkg, "briefbot/"+l+"/") {
			return l
		}
	}
	return ""
}

// mayImport lists, for each layer, the layers its packages may import.
var mayImport = map[string][]string{
	"cmd":       {"cmd", "bot", "commands", "briefings", "db"},
	"bot":       {"bot", "commands", "briefings"},
	"commands":  {"commands", "briefings"},
	"briefings": {"briefings"},
	"db":        {"db", "briefings"},
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
		t.Errorf("upward import %s: imports run cmd → bot → commands → briefings ← db", bad)
	}
}
