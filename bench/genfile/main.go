// Command genfile writes the synthetic library of internal/gen as a briefing
// file, YAML or JSON, for timing `briefbot import` as a process:
//
//	go run ./bench/genfile -n 100000 -format json -o /tmp/lib-100k.json
//
// YAML comes from fileformat.Encode and JSON from fileformat.EncodeJSON:
// one object per document, each on its own line, documents separated by
// "---" lines, as docs/briefing-format.md allows.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"briefbot/briefings"
	"briefbot/briefings/fileformat"
	"briefbot/internal/gen"
)

func main() {
	n := flag.Int("n", 10_000, "how many briefings")
	format := flag.String("format", "yaml", "yaml or json")
	out := flag.String("o", "", "write to this file instead of standard output")
	flag.Parse()
	w := io.Writer(os.Stdout)
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := write(bw, *n, *format); err != nil {
		fail(err)
	}
	if err := bw.Flush(); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "genfile:", err)
	os.Exit(1)
}

func write(w io.Writer, n int, format string) error {
	g := gen.New(n)
	first := true
	for {
		batch := g.Next(500)
		if len(batch) == 0 {
			return nil
		}
		for _, b := range batch {
			if !first {
				if _, err := io.WriteString(w, "---\n"); err != nil {
					return err
				}
			}
			first = false
			var err error
			switch format {
			case "yaml":
				err = fileformat.Encode(w, []*briefings.Briefing{b})
			case "json":
				err = fileformat.EncodeJSON(w, b)
			default:
				return fmt.Errorf("-format %q: want yaml or json", format)
			}
			if err != nil {
				return err
			}
		}
	}
}
