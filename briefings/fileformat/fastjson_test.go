package fileformat

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"briefbot/briefings"
)

// decodeBoth decodes one part with the JSON fast path and with the YAML
// parser alone.
func decodeBoth(t *testing.T, text string) (fast, slow []any) {
	t.Helper()
	run := func(off bool) []any {
		noFastJSON = off
		defer func() { noFastJSON = false }()
		ds := docState{file: "f.json", slugDoc: map[string]int{}}
		var out []any
		ds.chunk(chunk{text: []byte(text), line: 1}, func(b *briefings.Briefing, doc int, problems []Problem) {
			out = append(out, b, doc, problems)
		})
		return out
	}
	return run(false), run(true)
}

// TestFastJSON_SameAsYAML: every briefing of the sample file, written as
// JSON compact and indented, and strings with every escape JSON has, read
// the same through the fast path as through the YAML parser.
func TestFastJSON_SameAsYAML(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "briefings.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	bs, err := Decode(bytes.NewReader(raw), "briefings.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, b := range bs {
		j := toJSON(b)
		compact, _ := json.Marshal(j)
		indented, _ := json.MarshalIndent(j, "", "  ")
		texts = append(texts, string(compact)+"\n", "---\n"+string(indented)+"\n")
	}
	escapes := toJSON(bs[0])
	escapes.Summary = "quote \" backslash \\ slash / line\nbreak tab\t é 中 😀 \u00a0 \u2028 <tag> & \u007f"
	escapes.Title = "Title with \u00e9 and \"quotes\""
	compact, _ := json.Marshal(escapes)
	texts = append(texts, string(compact), strings.ReplaceAll(string(compact), `\u003c`, `\u003C`))
	for i, text := range texts {
		fast, slow := decodeBoth(t, text)
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("text %d reads differently:\nfast %+v\nYAML %+v\n%s", i, fast, slow, text)
		}
		if _, ok := parseFastJSON([]byte(text)); !ok {
			t.Errorf("text %d did not take the fast path:\n%.300s", i, text)
		}
	}
}

// TestFastJSON_LeavesTheRestToYAML: what the fast path does not read
// exactly goes to the YAML parser, whose problems come back.
func TestFastJSON_LeavesTheRestToYAML(t *testing.T) {
	good := `{"title": "Talks", "published": "2025-08-12", "topics": ["alaska"], "summary": "They met."}`
	tests := map[string]string{
		"repeated key":   strings.Replace(good, `"summary"`, `"title": "Again", "summary"`, 1),
		"unknown key":    strings.Replace(good, `"summary"`, `"colour": "red", "summary"`, 1),
		"number":         strings.Replace(good, `"Talks"`, `42`, 1),
		"null":           strings.Replace(good, `["alaska"]`, `null`, 1),
		"comment":        good + "\n# done\n",
		"end marker":     good + "\n...\n",
		"invalid":        strings.Replace(good, `"They met."`, `""`, 1),
		"bad date":       strings.Replace(good, `2025-08-12`, `2025-13-12`, 1),
		"yaml escape":    strings.Replace(good, `They met.`, `They\x41 met.`, 1),
		"surrogate pair": strings.Replace(good, `They met.`, `They \ud83d\ude00 met.`, 1),
		"raw tab":        strings.Replace(good, `They met.`, "They\tmet.", 1),
		"case":           strings.Replace(good, `"title"`, `"Title"`, 1),
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			if _, ok := parseFastJSON([]byte(text)); ok && name != "invalid" && name != "bad date" {
				t.Errorf("the fast path read %s", text)
			}
			fast, slow := decodeBoth(t, text)
			if !reflect.DeepEqual(fast, slow) {
				t.Errorf("reads differently:\nfast %+v\nYAML %+v", fast, slow)
			}
		})
	}
	if _, ok := parseFastJSON([]byte(good)); !ok {
		t.Fatal("the plain document did not take the fast path; the cases above prove nothing")
	}
}
