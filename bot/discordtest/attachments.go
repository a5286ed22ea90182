package discordtest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// CDN is a fake of the host Discord serves attachments from: an HTTPS
// server on loopback with a certificate only its Client trusts. Files are
// served at /attachments/<channel>/<id>/<name> as on cdn.discordapp.com;
// anything else is 404.
type CDN struct {
	srv *httptest.Server

	mu     sync.Mutex
	nextID int64
	files  map[string][]byte // by path
	gets   []string          // paths requested, in order
}

// NewCDN starts a fake attachment host and shuts it down when the test
// ends.
func NewCDN(t testing.TB) *CDN {
	t.Helper()
	c := &CDN{nextID: 1300000000000000000, files: map[string][]byte{}}
	c.srv = httptest.NewTLSServer(http.HandlerFunc(c.serve))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *CDN) serve(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.gets = append(c.gets, r.URL.Path)
	data, ok := c.files[r.URL.Path]
	c.mu.Unlock()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "405: Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

// Client returns an HTTP client that trusts the CDN's certificate.
func (c *CDN) Client() *http.Client { return c.srv.Client() }

// Host returns the CDN's host name, for an allow-list of download hosts.
func (c *CDN) Host() string {
	u, _ := url.Parse(c.srv.URL)
	return u.Hostname()
}

// AddAttachment stores content as a file called name and returns the
// attachment Discord would put in an interaction's resolved data: a fresh
// ID, the name, the size and an https URL on the CDN.
func (c *CDN) AddAttachment(name string, content []byte) *discordgo.MessageAttachment {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextID++
	id := strconv.FormatInt(c.nextID, 10)
	path := "/attachments/" + ChannelID + "/" + id + "/" + url.PathEscape(name)
	c.files[path] = append([]byte(nil), content...)
	ct := "application/octet-stream"
	switch {
	case strings.HasSuffix(name, ".yaml"), strings.HasSuffix(name, ".yml"):
		ct = "application/yaml"
	case strings.HasSuffix(name, ".json"):
		ct = "application/json"
	}
	return &discordgo.MessageAttachment{
		ID: id, Filename: name, ContentType: ct, Size: len(content),
		URL: c.srv.URL + path + "?ex=6800&is=6700&hm=fake", ProxyURL: c.srv.URL + path,
	}
}

// Remove deletes a stored file, as Discord does when an attachment expires.
func (c *CDN) Remove(a *discordgo.MessageAttachment) {
	u, err := url.Parse(a.URL)
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.files, u.Path)
}

// Downloads returns the paths requested so far, in order.
func (c *CDN) Downloads() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.gets...)
}

// Attachment is an attachment option of a command whose value is a's ID;
// put a in the interaction's resolved data with Resolve.
func Attachment(name string, a *discordgo.MessageAttachment) *discordgo.ApplicationCommandInteractionDataOption {
	return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Type: discordgo.ApplicationCommandOptionAttachment, Value: a.ID}
}

// Resolve adds attachments to a command interaction's resolved data, keyed
// by ID as Discord sends them. It returns i.
func Resolve(i *discordgo.Interaction, attachments ...*discordgo.MessageAttachment) *discordgo.Interaction {
	data, ok := i.Data.(discordgo.ApplicationCommandInteractionData)
	if !ok {
		return i
	}
	if data.Resolved == nil {
		data.Resolved = &discordgo.ApplicationCommandInteractionDataResolved{}
	}
	if data.Resolved.Attachments == nil {
		data.Resolved.Attachments = map[string]*discordgo.MessageAttachment{}
	}
	for _, a := range attachments {
		data.Resolved.Attachments[a.ID] = a
	}
	i.Data = data
	return i
}
