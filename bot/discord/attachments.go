package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"briefbot/briefings"
	"briefbot/internal/retry"

	"github.com/bwmarrin/discordgo"
)

// DiscordCDNHosts are the hosts Discord serves attachments from; an
// AttachmentFetcher downloads from nowhere else unless told to.
var DiscordCDNHosts = []string{"cdn.discordapp.com", "media.discordapp.net"}

// DefaultFetchTimeout bounds one attachment download.
const DefaultFetchTimeout = 20 * time.Second

// AttachmentFetcher downloads the files attached to commands, for the
// gateway and HTTP runtimes: https only, from Discord's CDN only, within a
// size limit and a timeout. It implements commands.Attachments. The zero
// value is ready to use.
type AttachmentFetcher struct {
	// Client makes the requests; nil means a plain client. Redirects are
	// followed only to allowed hosts over https, whatever the client.
	Client *http.Client
	// Hosts are the host names downloads may come from; nil means
	// DiscordCDNHosts. Tests add the fake CDN's host here.
	Hosts []string
	// Timeout bounds one download; 0 means DefaultFetchTimeout.
	Timeout time.Duration
}

// Fetch downloads a's URL and returns at most maxBytes bytes. A file that
// is too large, a URL outside the allowed hosts and a file Discord no
// longer has are EINVALID errors that say what to do; network failures are
// internal errors.
func (f *AttachmentFetcher) Fetch(ctx context.Context, a *discordgo.MessageAttachment, maxBytes int64) ([]byte, error) {
	if a == nil || a.URL == "" {
		return nil, briefings.Errorf(briefings.EINVALID, "That attachment has no address to download it from. Attach the file again.")
	}
	name := attachmentName(a)
	if err := tooLarge(name, int64(a.Size), maxBytes); err != nil {
		return nil, err
	}
	u, err := url.Parse(a.URL)
	if err != nil || !f.allowed(u) {
		return nil, briefings.Errorf(briefings.EINVALID,
			"I only download attachments from Discord (https://%s), and %s is not there. Attach the file to the command itself.",
			f.hosts()[0], briefings.Truncate(name, 100))
	}
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = DefaultFetchTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := attachmentRetries.HTTP(ctx, func() (*http.Response, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return nil, err
		}
		resp, err := f.client().Do(req)
		if errors.Is(err, errRedirect) {
			err = retry.Final(err)
		}
		return resp, err
	}, nil)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
			return nil, briefings.Errorf(briefings.EINVALID, "Downloading %s from Discord took longer than %s. Try again in a moment.", briefings.Truncate(name, 100), timeout)
		}
		if errors.Is(err, errRedirect) {
			return nil, briefings.Errorf(briefings.EINVALID, "Discord sent %s somewhere I don't download from. Attach the file again.", briefings.Truncate(name, 100))
		}
		return nil, fmt.Errorf("download %s: %w", name, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone || resp.StatusCode == http.StatusForbidden:
		return nil, briefings.Errorf(briefings.EINVALID, "Discord no longer has %s (it answered %s). Attach the file again.", briefings.Truncate(name, 100), resp.Status)
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("download %s: %s", name, resp.Status)
	}
	if err := tooLarge(name, resp.ContentLength, maxBytes); err != nil {
		return nil, err
	}
	return readLimited(resp.Body, name, maxBytes)
}

// attachmentRetries is how a download that met a rate limit, a server
// error or a dropped connection is tried again, within Timeout.
var attachmentRetries = retry.Policy{Attempts: 3, Backoff: 250 * time.Millisecond, Max: 2 * time.Second}

// errRedirect stops a redirect away from the allowed hosts.
var errRedirect = errors.New("redirect to a host that is not allowed")

func (f *AttachmentFetcher) client() *http.Client {
	c := http.Client{}
	if f.Client != nil {
		c = *f.Client
	}
	next := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !f.allowed(req.URL) {
			return errRedirect
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		return nil
	}
	return &c
}

func (f *AttachmentFetcher) hosts() []string {
	if len(f.Hosts) == 0 {
		return DiscordCDNHosts
	}
	return f.Hosts
}

// allowed reports whether u is an https URL on one of the allowed hosts,
// without credentials.
func (f *AttachmentFetcher) allowed(u *url.URL) bool {
	return u != nil && u.Scheme == "https" && u.User == nil && slices.Contains(f.hosts(), strings.ToLower(u.Hostname()))
}

// LocalFiles reads the files the console attaches: an attachment's URL is
// a file:// URL of a local path. It implements commands.Attachments and
// refuses every other kind of URL.
type LocalFiles struct{}

// Fetch reads the file a names, at most maxBytes of it. A missing file, a
// directory and a file that is too large are EINVALID errors.
func (LocalFiles) Fetch(ctx context.Context, a *discordgo.MessageAttachment, maxBytes int64) ([]byte, error) {
	if a == nil {
		return nil, briefings.Errorf(briefings.EINVALID, "Give the path of a file, such as file:briefings.yaml.")
	}
	u, err := url.Parse(a.URL)
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return nil, briefings.Errorf(briefings.EINVALID, "The console reads local files only; give a path such as file:briefings.yaml.")
	}
	path := filepath.FromSlash(u.Path)
	name := attachmentName(a)
	file, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, briefings.Errorf(briefings.EINVALID, "There is no file at %s. Check the path.", briefings.Truncate(path, 200))
	} else if err != nil {
		return nil, briefings.Errorf(briefings.EINVALID, "I cannot read %s: %s.", briefings.Truncate(path, 200), unwrapPathError(err))
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", path, err)
	}
	if st.IsDir() {
		return nil, briefings.Errorf(briefings.EINVALID, "%s is a folder; give the path of a file in it.", briefings.Truncate(path, 200))
	}
	if err := tooLarge(name, st.Size(), maxBytes); err != nil {
		return nil, err
	}
	return readLimited(file, name, maxBytes)
}

// unwrapPathError keeps the reason of an *os.PathError, without the path
// that the message already names.
func unwrapPathError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// readLimited reads r to the end, failing when it holds more than maxBytes.
func readLimited(r io.Reader, name string, maxBytes int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(data)) > maxBytes {
		return nil, tooLarge(name, maxBytes+1, maxBytes)
	}
	return data, nil
}

// tooLarge refuses a declared or counted size over the limit; an unknown
// size (zero or negative) passes, to be counted while reading.
func tooLarge(name string, size, maxBytes int64) error {
	if size <= maxBytes {
		return nil
	}
	return briefings.Errorf(briefings.EINVALID, "%s is larger than %s, the most I import at once. Split it into smaller files.",
		briefings.Truncate(name, 100), byteSize(maxBytes))
}

func attachmentName(a *discordgo.MessageAttachment) string {
	if a.Filename != "" {
		return a.Filename
	}
	return "the attachment"
}

// byteSize shows a size in the unit people expect.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
