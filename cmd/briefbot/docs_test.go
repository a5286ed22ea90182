package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// docsCompleteExample returns the complete example of
// docs/briefing-format.md.
func docsCompleteExample(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "briefing-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "## A complete example")
	if !ok {
		t.Fatal("docs/briefing-format.md has no complete example")
	}
	_, rest, _ = strings.Cut(rest, "```yaml\n")
	example, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("the example's code block is not closed")
	}
	return example
}

// TestDocs_CompleteExampleLeavesTheSampleAlone: importing the format's
// complete example into a new library, as a reader trying it would, adds
// its briefings and changes nothing the sample library holds.
func TestDocs_CompleteExampleLeavesTheSampleAlone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(dir, "lib.db")}
	newLibrary(t, env)
	before, _, err := run(t, env, "", "export", "--topic", "alaska-summit")
	if err != nil {
		t.Fatal(err)
	}
	example := writeFile(t, dir, "example.yaml", docsCompleteExample(t))
	out, errOut, err := run(t, env, "", "import", example)
	if err != nil {
		t.Fatalf("import the example: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "2 created, 0 updated") {
		t.Errorf("import of the example said %q, want two new briefings", out)
	}
	after, _, err := run(t, env, "", "export", "--topic", "alaska-summit")
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("importing the example changed the sample briefing:\n--- before\n%s\n--- after\n%s", before, after)
	}
}

// TestExport_TopicSlugsImportBackUnchanged: a file that writes its topics
// as slugs exports them as display names, as the format page says, and
// importing that export is not a change.
func TestExport_TopicSlugsImportBackUnchanged(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"BRIEFBOT_DB": filepath.Join(dir, "lib.db"), "BRIEFBOT_SAMPLE": "off"}
	bySlug := writeFile(t, dir, "by-slug.yaml", "slug: ferry-strike-ends\n"+strings.Replace(goodDoc, "topics: [Ports and ferries]", "topics: [ports-and-ferries]", 1))
	if _, errOut, err := run(t, env, "", "import", bySlug); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	exported, _, err := run(t, env, "", "export")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(exported, "topics: [Ports and ferries]") {
		t.Fatalf("the export does not write the topic's display name:\n%s", exported)
	}
	for _, file := range []string{writeFile(t, dir, "exported.yaml", exported), bySlug} {
		out, errOut, err := run(t, env, "", "import", file)
		if err != nil {
			t.Fatalf("%v\n%s", err, errOut)
		}
		if !strings.Contains(out, "0 created, 0 updated, 1 unchanged") {
			t.Errorf("importing %s said %q, want it unchanged", filepath.Base(file), out)
		}
	}
}
