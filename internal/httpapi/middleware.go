package httpapi

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/i18n"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

const sessionCookie = "jxc_session"

var ridRe = regexp.MustCompile(`^[A-Za-z0-9\-_.]{8,64}$`)

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (w *statusWriter) WriteHeader(s int) {
	if w.status == 0 {
		w.status = s
	}
	w.ResponseWriter.WriteHeader(s)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.size += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// base is the outermost middleware: request id, language, recovery, access
// log and metrics.
func (s *Server) base(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rid := r.Header.Get("X-Request-ID")
		if !ridRe.MatchString(rid) {
			var b [8]byte
			_, _ = rand.Read(b[:])
			rid = hex.EncodeToString(b[:])
		}
		w.Header().Set("X-Request-ID", rid)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("X-Frame-Options", "DENY")
		lang := i18n.Parse(r.Header.Get("Accept-Language"))
		ctx := context.WithValue(r.Context(), requestIDKey, rid)
		ctx = context.WithValue(ctx, langKey, lang)
		ctx = service.WithRequestID(ctx, rid)
		ctx = context.WithValue(ctx, clientIPKey, clientIP(r))
		route := new(string)
		ctx = context.WithValue(ctx, routeKey, route)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(ctx, "panic", "request_id", rid, "panic", v)
				if sw.status == 0 {
					writeProblem(sw, &Problem{Status: 500, Code: string(domain.EInternal),
						Title: i18n.T(lang, "error.internal", map[string]string{"request_id": rid}), RequestID: rid})
				}
			}
			d := time.Since(start)
			pattern := *route
			if pattern == "" {
				pattern = "other"
			}
			s.metrics.requests.WithLabelValues(r.Method, pattern, strconv.Itoa(sw.status)).Inc()
			s.metrics.duration.WithLabelValues(r.Method, pattern).Observe(d.Seconds())
			if strings.HasPrefix(r.URL.Path, "/api/") || sw.status >= 500 {
				s.log.LogAttrs(ctx, slog.LevelInfo, "http", slog.String("request_id", rid), slog.String("method", r.Method),
					slog.String("path", r.URL.Path), slog.Int("status", sw.status), slog.Int("bytes", sw.size),
					slog.Duration("took", d), slog.String("remote", clientIP(r)))
			}
		}()
		next.ServeHTTP(sw, r.WithContext(ctx))
	})
}

func writeProblem(w http.ResponseWriter, p *Problem) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// clientIP is the peer address. X-Forwarded-For is honoured only when the
// operator says a proxy is in front (TrustProxy), or anyone could spoof it.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// authenticate resolves the caller for API requests and stores the
// principal (or why there is none) in the context. Which operations need
// it is decided per operation in requirePerm.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/v1/") {
			next.ServeHTTP(w, r)
			return
		}
		var sess, bearer string
		if c, err := r.Cookie(sessionCookie); err == nil {
			sess = c.Value
		}
		if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
			bearer = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
		}
		var company int64
		if v := r.Header.Get("X-Company-ID"); v != "" {
			company, _ = strconv.ParseInt(v, 10, 64)
		}
		ctx := r.Context()
		if sess != "" || bearer != "" {
			p, err := s.svc.Authenticate(ctx, sess, bearer, company)
			if err != nil {
				ctx = context.WithValue(ctx, authErrKey, err)
			} else {
				ctx = context.WithValue(ctx, principalKey, p)
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func clientIPFrom(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey).(string)
	return ip
}

// withRoute records the matched route pattern for metrics (the mux sets
// r.Pattern on the request it was handed, which outer middleware never sees).
func withRoute(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		if p, ok := r.Context().Value(routeKey).(*string); ok {
			*p = r.Pattern
		}
	})
}

func principalOf(ctx context.Context) *domain.Principal {
	p, _ := ctx.Value(principalKey).(*domain.Principal)
	return p
}

// requirePerm is the huma middleware that makes every operation check its
// permission: "public", "auth" (any signed-in user), a permission name or an
// anyPerm. An operation without one does not register (see Server.register);
// one that somehow has none is refused to everybody.
func (s *Server) requirePerm(hctx huma.Context, next func(huma.Context)) {
	perm := hctx.Operation().Metadata["perm"]
	if perm == "public" {
		next(hctx)
		return
	}
	ctx := hctx.Context()
	p := principalOf(ctx)
	if p == nil {
		err, _ := ctx.Value(authErrKey).(error)
		if err == nil || domain.ErrorCode(err) == domain.EInternal && !errors.Is(err, context.Canceled) {
			if err != nil {
				s.log.ErrorContext(ctx, "authenticate", "request_id", requestIDOf(ctx), "err", err)
			}
			err = domain.ErrorKey(domain.EUnauthorized, "error.unauthorized", nil, "sign in first")
		}
		writeHumaProblem(hctx, problemFor(ctx, s.log, err))
		return
	}
	if need := permsOf(perm); perm != "auth" && (p.CompanyID == 0 || !p.CanAny(need...)) {
		writeHumaProblem(hctx, problemFor(ctx, s.log,
			domain.ErrorKey(domain.EForbidden, "error.forbidden", nil, "missing permission "+need.join(""))))
		return
	}
	next(hctx)
}

// permsOf reads an operation's permission other than "public" and "auth":
// a name (register, and operations registered by hand) or an anyPerm.
func permsOf(perm any) anyPerm {
	switch v := perm.(type) {
	case string:
		return anyPerm{domain.Perm(v)}
	case anyPerm:
		return v
	}
	return nil
}

func writeHumaProblem(hctx huma.Context, p *Problem) {
	hctx.SetHeader("Content-Type", "application/problem+json")
	hctx.SetStatus(p.Status)
	_ = json.NewEncoder(hctx.BodyWriter()).Encode(p)
}

// bufferWriter holds a whole response so that an idempotent request can
// store it, or drop it in favour of the stored one.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) WriteHeader(s int) {
	if b.status == 0 {
		b.status = s
	}
}
func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// idempotency honours the Idempotency-Key header on state-changing
// requests: the same key from the same user gets the same response, and the
// command runs once. The claim travels in the context to the first write
// transaction (see store.Claim), so it commits with the change.
func (s *Server) idempotency(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if key == "" || r.Method == http.MethodGet || r.Method == http.MethodHead || !strings.HasPrefix(r.URL.Path, "/api/v1/") {
			next.ServeHTTP(w, r)
			return
		}
		ctx := r.Context()
		lang := langOf(ctx)
		if len(key) > 200 {
			writeProblem(w, &Problem{Status: 400, Code: string(domain.EInvalid), Title: i18n.T(lang, "error.invalid", nil),
				RequestID: requestIDOf(ctx), Errors: []FieldProblem{fieldProblem(lang, "Idempotency-Key", "max_length", map[string]string{"max": "200"})}})
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxExportBytes+1))
		if err != nil {
			writeProblem(w, &Problem{Status: 400, Code: string(domain.EInvalid), Title: i18n.T(lang, "error.bad_request", nil), RequestID: requestIDOf(ctx)})
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		var uid int64
		if p := principalOf(ctx); p != nil {
			uid = p.UserID
		}
		sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.RequestURI()+"\n"), body...))
		claim := &store.Claim{UserID: uid, Key: key, Hash: hex.EncodeToString(sum[:])}
		bw := &bufferWriter{header: http.Header{}}
		// A command with a key runs to its end even if the client hangs
		// up: its answer is what a retry with the key gets, and a client
		// gone after the commit (while the answer was being read back)
		// used to leave a stored 500 for a command that had been carried
		// out (TestIdempotentAnswerAfterClientLeft). The context keeps its
		// values; only the client's cancellation is dropped.
		next.ServeHTTP(bw, r.WithContext(store.WithClaim(context.WithoutCancel(ctx), claim)))
		switch {
		case claim.Committed():
			if err := s.svc.DB().SaveResponse(context.WithoutCancel(ctx), claim, bw.status, bw.header.Get("Content-Type"), bw.body.Bytes()); err != nil {
				s.log.ErrorContext(ctx, "save idempotent response", "request_id", requestIDOf(ctx), "err", err)
			}
		case claim.Replayed():
			s.replay(w, r, claim)
			return
		}
		for k, v := range bw.header {
			w.Header()[k] = v
		}
		w.WriteHeader(bw.status)
		_, _ = w.Write(bw.body.Bytes())
	})
}

// answerLostAfter is how long after its transaction began a committed key
// without a stored answer is taken to have lost it. A handler may still be
// working after its commit (the answer is stored when it has written it),
// so not seconds.
const answerLostAfter = 2 * time.Minute

// replay writes the response stored for a used key, waiting briefly while
// the first request is still finishing.
func (s *Server) replay(w http.ResponseWriter, r *http.Request, c *store.Claim) {
	ctx := r.Context()
	lang, rid := langOf(ctx), requestIDOf(ctx)
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := s.svc.DB().LoadResponse(ctx, c.UserID, c.Key)
		if err != nil {
			writeProblem(w, problemFor(ctx, s.log, err))
			return
		}
		if st.Hash != c.Hash {
			writeProblem(w, &Problem{Status: http.StatusUnprocessableEntity, Code: string(domain.EIdempotencyKey),
				Title: i18n.T(lang, "error.idempotency_key_reused", nil), RequestID: rid})
			return
		}
		if st.Status != 0 {
			if st.ContentType != "" {
				w.Header().Set("Content-Type", st.ContentType)
			}
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(st.Status)
			_, _ = w.Write(st.Body)
			return
		}
		// The answer is stored moments after the command commits (which
		// is when the key becomes visible here), so a key long committed
		// without one lost it: the server stopped in between.
		if s.svc.DB().Now().Sub(st.ClaimedAt) > answerLostAfter {
			writeProblem(w, &Problem{Status: http.StatusConflict, Code: string(domain.EAnswerLost),
				Title: i18n.T(lang, "error.idempotency_answer_lost", nil), RequestID: rid})
			return
		}
		if time.Now().After(deadline) {
			writeProblem(w, &Problem{Status: http.StatusConflict, Code: string(domain.EInProgress),
				Title: i18n.T(lang, "error.request_in_progress", nil), RequestID: rid})
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// ipLimiter rate-limits sign-in attempts per client address, in memory.
// The per-account lockout (in the database) covers several processes.
type ipLimiter struct {
	mu   sync.Mutex
	m    map[string]*rate.Limiter
	last time.Time
}

func (l *ipLimiter) allow(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.m == nil || time.Since(l.last) > time.Hour { // forget old clients
		l.m, l.last = map[string]*rate.Limiter{}, time.Now()
	}
	lim := l.m[ip]
	if lim == nil {
		lim = rate.NewLimiter(rate.Every(6*time.Second), 10) // 10 at once, then 10 a minute
		l.m[ip] = lim
	}
	return lim.Allow()
}

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) metrics {
	m := metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jxc_http_requests_total", Help: "HTTP requests by method, route and status."},
			[]string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "jxc_http_request_duration_seconds", Help: "HTTP request latency.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}
