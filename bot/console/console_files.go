package console

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"briefbot/briefings"

	"github.com/bwmarrin/discordgo"
)

// saveFiles writes the files of a response into Options.SaveDir
// and prints where each went.
func (c *Console) saveFiles(files []*discordgo.File) {
	if c.opts.SaveDir == "" {
		return
	}
	for _, f := range files {
		if f == nil || f.Reader == nil {
			continue
		}
		path, err := saveFile(c.opts.SaveDir, f.Name, f.Reader)
		if err != nil {
			fmt.Fprintln(c.opts.Err, "error: "+briefings.EscapeControl(err.Error()))
			continue
		}
		fmt.Fprintln(c.opts.Out, "Saved "+briefings.EscapeControl(path))
	}
}

// saveFile writes r into dir under name, or name-2, name-3… when a file
// of that name exists, and returns the path written. Only the base of
// name is used, so a response cannot write outside dir.
func saveFile(dir, name string, r io.Reader) (string, error) {
	name = filepath.Base(filepath.Clean("/" + strings.ReplaceAll(name, `\`, "/")))
	if name == "/" || name == "." || name == "" {
		name = "attachment"
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("save %s: %w", name, err)
	}
	for n := 1; n <= 1000; n++ {
		path := filepath.Join(abs, name)
		if n > 1 {
			path = filepath.Join(abs, stem+"-"+strconv.Itoa(n)+ext)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("save %s: %w", name, err)
		}
		_, err = io.Copy(f, r)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(path)
			return "", fmt.Errorf("save %s: %w", path, err)
		}
		return path, nil
	}
	return "", fmt.Errorf("save %s: too many files of that name in %s; move some away", name, abs)
}
