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
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// specEnv names the environment variable that points at Discord's OpenAPI
// document when it is not at ../shared/discord-api-spec/openapi.json next to
// the module root.
const specEnv = "BRIEFBOT_DISCORD_SPEC"

// spec validates requests against Discord's OpenAPI document: kin-openapi
// finds the route and checks parameters; bodies are checked by JSON Schema
// validators compiled once per route and content type and then reused
// (kin-openapi would compile the schema again for every request, which
// was most of the CPU time of the slowest tests).
type spec struct {
	router routers.Router
	docURL string // the document's resource URL in compiler
	// mu guards compiler and bodies; validating with a compiled schema
	// needs no lock.
	mu       sync.Mutex
	compiler *jsonschema.Compiler
	bodies   map[string]*jsonschema.Schema // by route path and method
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
// document cannot be found or read. In CI (CI=true) a missing document
// fails the test instead: the checks must not switch themselves off there.
func loadSpec(t testing.TB, path string) *spec {
	if path == "" {
		path = os.Getenv(specEnv)
	}
	var l loadedSpec
	if path == "" {
		path, l.err = defaultSpecPath()
	}
	if l.err == nil {
		specMu.Lock()
		var ok bool
		if l, ok = specCache[path]; !ok {
			l.spec, l.err = readSpec(path)
			specCache[path] = l
		}
		specMu.Unlock()
	}
	if l.err != nil {
		if inCI() {
			t.Fatalf("discordtest: OpenAPI validation is required in CI (CI=true): %v", l.err)
		}
		skipOnce.Do(func() { t.Logf("discordtest: skipping OpenAPI validation: %v", l.err) })
		return nil
	}
	return l.spec
}

// inCI reports whether the tests run in continuous integration, where CI
// is set to true, as GitHub Actions, GitLab CI and most others do.
func inCI() bool {
	v, err := strconv.ParseBool(os.Getenv("CI"))
	return err == nil && v
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
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load spec %s: %w", path, err)
	}
	defer f.Close()
	raw, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("load spec %s: %w", path, err)
	}
	const docURL = "https://discord.com/openapi.json"
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020) // OpenAPI 3.1 schemas are JSON Schema 2020-12
	if err := c.AddResource(docURL, raw); err != nil {
		return nil, fmt.Errorf("load spec %s: %w", path, err)
	}
	return &spec{router: router, docURL: docURL, compiler: c, bodies: map[string]*jsonschema.Schema{}}, nil
}

// bodySchema returns the compiled schema of a route's JSON request body,
// compiling it on first use; nil when the route takes no JSON body.
func (sp *spec) bodySchema(route *routers.Route) (*jsonschema.Schema, error) {
	key := route.Method + " " + route.Path
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sch, ok := sp.bodies[key]; ok {
		return sch, nil
	}
	var sch *jsonschema.Schema
	if op := route.Operation; op != nil && op.RequestBody != nil && op.RequestBody.Value != nil &&
		op.RequestBody.Value.Content.Get("application/json") != nil {
		esc := strings.NewReplacer("~", "~0", "/", "~1")
		ptr := "/paths/" + esc.Replace(route.Path) + "/" + strings.ToLower(route.Method) +
			"/requestBody/content/" + esc.Replace("application/json") + "/schema"
		var err error
		if sch, err = sp.compiler.Compile(sp.docURL + "#" + ptr); err != nil {
			return nil, fmt.Errorf("compile the body schema of %s: %w", key, err)
		}
	}
	sp.bodies[key] = sch
	return sch, nil
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
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: true},
	}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			return formError(se.JSONPointer(), "BASE_TYPE_INVALID", "does not match Discord's OpenAPI schema: "+err.Error())
		}
		return formError(nil, "BASE_TYPE_INVALID", "does not match Discord's OpenAPI schema: "+err.Error())
	}
	if body == nil {
		return nil
	}
	sch, err := sp.bodySchema(route)
	if err != nil {
		return formError(nil, "BASE_TYPE_INVALID", err.Error())
	}
	if sch == nil {
		return nil
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return formError(nil, "BASE_TYPE_INVALID", "the body is not JSON: "+err.Error())
	}
	if err := sch.Validate(v); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return formError(ve.InstanceLocation, "BASE_TYPE_INVALID", "does not match Discord's OpenAPI schema: "+ve.Error())
		}
		return formError(nil, "BASE_TYPE_INVALID", "does not match Discord's OpenAPI schema: "+err.Error())
	}
	return nil
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
