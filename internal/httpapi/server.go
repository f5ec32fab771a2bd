// Package httpapi is jxc's HTTP face: thin handlers that decode a request,
// make one service call and encode the answer. It owns authentication,
// permission checks, idempotency, errors in the caller's language and the
// OpenAPI document. Business rules live in domain, SQL in store.
package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// Options configure the server.
type Options struct {
	Version string
	// UI serves the web app at "/"; nil serves a page saying it is absent.
	UI http.Handler
	// SecureCookies marks the session cookie Secure (serve behind HTTPS).
	SecureCookies bool
	Log           *slog.Logger
	// Registry collects metrics; nil makes a fresh one.
	Registry *prometheus.Registry
}

// Server is the HTTP application.
type Server struct {
	svc     *service.Service
	log     *slog.Logger
	opt     Options
	api     huma.API
	mux     *http.ServeMux
	handler http.Handler
	login   ipLimiter
	metrics metrics
	reg     *prometheus.Registry
}

func init() {
	huma.NewErrorWithContext = humaProblem
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		return humaProblem(bgContext{}, status, msg, errs...)
	}
}

// New builds the server and registers every operation.
func New(svc *service.Service, opt Options) *Server {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Version == "" {
		opt.Version = "dev"
	}
	reg := opt.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	s := &Server{svc: svc, log: opt.Log, opt: opt, mux: http.NewServeMux(), reg: reg}
	s.metrics = newMetrics(reg)

	cfg := huma.DefaultConfig("jxc API", opt.Version)
	cfg.Info.Description = "jxc 进销存: purchasing, sales and inventory. Decimals are strings; errors are problem+json with a stable code."
	cfg.OpenAPIPath = "/api/openapi"
	cfg.DocsPath = ""    // huma's docs page loads from a CDN; jxc works offline
	cfg.SchemasPath = "" // schemas are inside the OpenAPI document
	cfg.CreateHooks = nil
	cfg.FieldsOptionalByDefault = true // required fields are domain rules, reported in the caller's language
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"session": {Type: "apiKey", In: "cookie", Name: sessionCookie},
		"bearer":  {Type: "http", Scheme: "bearer", Description: "API token created under /api/v1/tokens"},
	}
	s.api = humago.New(s.mux, cfg)
	s.api.UseMiddleware(s.requirePerm)

	s.routes()
	s.exportRoutes()
	s.labelRoutes()
	s.printRoutes()
	decimalPatterns(s.api)

	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	s.mux.HandleFunc("GET /readyz", s.ready)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, problemFor(r.Context(), s.log, domain.ErrorKey(domain.ENotFound, "error.not_found", map[string]string{"entity": "path"}, "no such API path")))
	})
	ui := opt.UI
	if ui == nil {
		ui = http.HandlerFunc(noUI)
	}
	s.mux.Handle("/", ui)

	h := withRoute(s.mux)
	h = s.idempotency(h)
	h = s.authenticate(h)
	h = http.MaxBytesHandler(h, maxExportBytes+1<<10) // per operation: 1 MiB (huma's default), exports 32 MiB
	h = http.NewCrossOriginProtection().Handler(h)
	s.handler = s.base(h)
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// OpenAPI returns the OpenAPI document.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.DB().Ping(ctx); err != nil {
		s.log.Error("readyz", "err", err)
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

func noUI(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = fmt.Fprint(w, `<!doctype html><meta charset="utf-8"><title>jxc</title>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>jxc 进销存</h1>
<p>这个版本没有包含网页界面（以 no_ui 构建）。API 在 <code>/api/v1</code>，说明文档在 <a href="/api/openapi.json">/api/openapi.json</a>。</p>
<p>This build has no web interface (built with no_ui). The API is at <code>/api/v1</code>; its description is at <a href="/api/openapi.json">/api/openapi.json</a>.</p>`)
}

// register adds one operation. perm is "public", "auth" or a permission of
// the catalogue; anything else is a programming error caught at start-up.
func register[I, O any](s *Server, method, path, id, tag, summary, perm string, h func(ctx context.Context, p *domain.Principal, in *I) (*O, error)) {
	if perm != "public" && perm != "auth" && !domain.KnownPerm(domain.Perm(perm)) {
		panic("httpapi: operation " + id + " has unknown permission " + perm)
	}
	registerOp(s, method, path, id, tag, summary, perm, "`"+perm+"`", h)
}

// anyPerm is what an operation needs when any one of several permissions
// will do: records that a read permission shows and that a working screen
// shows too (零售单: sales.pos.read, or sales.pos.use at the counter).
type anyPerm []domain.Perm

// join names the permissions, each between q, separated by " or ".
func (a anyPerm) join(q string) string {
	names := make([]string, len(a))
	for i, p := range a {
		names[i] = q + string(p) + q
	}
	return strings.Join(names, " or ")
}

// registerAnyOf adds an operation open to callers holding any one of perms,
// each a permission of the catalogue.
func registerAnyOf[I, O any](s *Server, method, path, id, tag, summary string, perms anyPerm, h func(ctx context.Context, p *domain.Principal, in *I) (*O, error)) {
	if len(perms) == 0 {
		panic("httpapi: operation " + id + " names no permission")
	}
	for _, p := range perms {
		if !domain.KnownPerm(p) {
			panic("httpapi: operation " + id + " has unknown permission " + string(p))
		}
	}
	registerOp(s, method, path, id, tag, summary, perms, perms.join("`"), h)
}

// registerOp adds an operation whose permission, which requirePerm checks,
// is perm: "public", "auth", a permission name or an anyPerm; doc names it
// in the operation's description.
func registerOp[I, O any](s *Server, method, path, id, tag, summary string, perm any, doc string, h func(ctx context.Context, p *domain.Principal, in *I) (*O, error)) {
	op := huma.Operation{
		OperationID: id, Method: method, Path: "/api/v1" + path, Tags: []string{tag}, Summary: summary,
		Metadata: map[string]any{"perm": perm},
	}
	if perm != "public" {
		op.Security = []map[string][]string{{"session": {}}, {"bearer": {}}}
		op.Description = "Permission: " + doc + "."
	}
	if method == http.MethodPost && strings.HasPrefix(id, "create") {
		op.DefaultStatus = http.StatusCreated
	}
	if method == http.MethodDelete || strings.HasPrefix(id, "archive") || strings.HasPrefix(id, "restore") {
		op.DefaultStatus = http.StatusNoContent
	}
	huma.Register(s.api, op, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, principalOf(ctx), in)
		if err != nil && method == http.MethodGet && store.ConnectionEnded(err) && ctx.Err() == nil {
			// PostgreSQL ended the connection a read met (a restart): the
			// store has emptied the pool of the others, and a read is asked
			// again. (The caller, kept for a second, no longer opens every
			// request with a read that would have met it first.)
			out, err = h(ctx, principalOf(ctx), in)
		}
		if err != nil {
			return nil, problemFor(ctx, s.log, err)
		}
		return out, nil
	})
}

// decimalPatterns gives every fixed-point and date field of the API a
// pattern, so a malformed number is refused by validation with the field
// named, before it reaches a handler.
func decimalPatterns(api huma.API) {
	patterns := map[reflect.Type]string{
		reflect.TypeFor[domain.Qty]():   decimalPattern(domain.QtyScale),
		reflect.TypeFor[domain.Price](): decimalPattern(domain.PriceScale),
		reflect.TypeFor[domain.Money](): decimalPattern(domain.MoneyScale),
		reflect.TypeFor[domain.Rate]():  decimalPattern(domain.RateScale),
		reflect.TypeFor[domain.Date]():  `^\d{4}-\d{2}-\d{2}$`,
	}
	reg := api.OpenAPI().Components.Schemas
	for name, schema := range reg.Map() {
		t := reg.TypeFromRef("#/components/schemas/" + name)
		if t == nil || t.Kind() != reflect.Struct {
			continue
		}
		changed := false
		var walk func(t reflect.Type)
		walk = func(t reflect.Type) {
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
					walk(f.Type)
					continue
				}
				jn := strings.Split(f.Tag.Get("json"), ",")[0]
				ft := f.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				pat, ok := patterns[ft]
				prop := schema.Properties[jn]
				if !ok || prop == nil {
					continue
				}
				prop.Pattern = pat
				if ft == reflect.TypeFor[domain.Date]() {
					prop.Format = "date"
				} else {
					prop.Examples = []any{exampleDecimal(ft)}
				}
				changed = true
			}
		}
		walk(t)
		if changed {
			schema.PrecomputeMessages()
		}
	}
}

func decimalPattern(scale int) string {
	return fmt.Sprintf(`^-?\d+(\.\d{1,%d})?$`, scale)
}

func exampleDecimal(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[domain.Qty]():
		return "12.5000"
	case reflect.TypeFor[domain.Money]():
		return "12.50"
	case reflect.TypeFor[domain.Rate]():
		return "13.00"
	}
	return "3.5000"
}

// bgContext is a minimal huma.Context for errors created without one.
type bgContext struct{ humaContext }

type humaContext = huma.Context

func (bgContext) Context() context.Context { return context.Background() }

// MarshalOpenAPI returns the OpenAPI document as indented JSON (snapshot).
func (s *Server) MarshalOpenAPI() ([]byte, error) {
	b, err := json.MarshalIndent(s.api.OpenAPI(), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
