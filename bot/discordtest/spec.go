package discordtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// specEnv names the environment variable that points at Discord's OpenAPI
// document when it is not at ../shared/discord-api-spec/openapi.json next to
// the module root.
const specEnv = "BRIEFBOT_DISCORD_SPEC"

// spec validates request bodies against Discord's OpenAPI document.
type spec struct {
	router routers.Router
}

type loadedSpec struct {
	spec *spec
	err  error
}

var (
	specMu    sync.Mutex
	specCache = map[string]loadedSpec{} // by path: loading takes a fraction of a second, so once per process
	skipOnce  sync.Once
)

// loadSpec returns the validator, or nil (logging once why) when the
// document cannot be found or read.
func loadSpec(t testing.TB, path string) *spec {
	if path == "" {
		path = os.Getenv(specEnv)
	}
	if path == "" {
		p, err := defaultSpecPath()
		if err != nil {
			skipOnce.Do(func() { t.Logf("discordtest: skipping OpenAPI validation: %v", err) })
			return nil
		}
		path = p
	}
	specMu.Lock()
	defer specMu.Unlock()
	l, ok := specCache[path]
	if !ok {
		l.spec, l.err = readSpec(path)
		specCache[path] = l
	}
	if l.err != nil {
		skipOnce.Do(func() { t.Logf("discordtest: skipping OpenAPI validation: %v", l.err) })
		return nil
	}
	return l.spec
}

// defaultSpecPath walks up from the working directory (a package directory
// under go test) to go.mod and looks next to the module root.
func defaultSpecPath() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find spec: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "discord-api-spec", "openapi.json"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("find spec: no go.mod above the working directory; set %s", specEnv)
		}
		dir = parent
	}
}

func readSpec(path string) (*spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("load spec %s (set %s to point elsewhere): %w", path, specEnv, err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route spec %s: %w", path, err)
	}
	return &spec{router: router}, nil
}

// validate checks a JSON body sent to method and p (a path without /api/vN)
// against the v10 document; discordgo calls v9, whose routes and bodies are
// the same for everything the fake serves. It returns nil when the body
// conforms, and a Discord-shaped field error otherwise.
func (sp *spec) validate(ctx context.Context, method, p, rawQuery string, body []byte) *apiError {
	body = permissionsAsInteger(body)
	u := "https://discord.com/api/v10" + p
	if rawQuery != "" {
		u += "?" + rawQuery
	}
	var rd *bytes.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return formError(nil, "BASE_TYPE_INVALID", err.Error())
	}
	if rd != nil {
		req, _ = http.NewRequestWithContext(ctx, method, u, rd)
		req.Header.Set("Content-Type", "application/json")
	}
	route, params, err := sp.router.FindRoute(req)
	if err != nil {
		return nil // routes the spec lacks are reported by the REST handler
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	err = openapi3filter.ValidateRequest(ctx, in)
	if err == nil {
		return nil
	}
	var se *openapi3.SchemaError
	if errors.As(err, &se) {
		return formError(se.JSONPointer(), "BASE_TYPE_INVALID", "does not match Discord's OpenAPI schema: "+err.Error())
	}
	return formError(nil, "BASE_TYPE_INVALID", "does not match Discord's OpenAPI schema: "+err.Error())
}

// permissionsAsInteger rewrites default_member_permissions from a string to
// a number. The spec types it as an integer, but Discord sends and accepts a
// string (permissions outgrow 53 bits) and discordgo marshals it as one; this
// is the one place the fake knowingly departs from the document.
func permissionsAsInteger(body []byte) []byte {
	if !bytes.Contains(body, []byte(`"default_member_permissions"`)) {
		return body
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return body
	}
	var walk func(any)
	walk = func(x any) {
		switch x := x.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			if s, ok := x["default_member_permissions"].(string); ok {
				if n, err := strconv.ParseInt(s, 10, 64); err == nil {
					x["default_member_permissions"] = n
				}
			}
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}
