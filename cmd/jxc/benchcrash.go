package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/jxc-erp/jxc/internal/bench"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// benchCrashCmd is the crash test (docs/PERFORMANCE.md): it runs jxc serve
// itself, drives the load, SIGKILLs the server at random moments and
// restarts it, then proves that every acknowledged document exists exactly
// once, that no posted document is half-written and that jxc check is clean.
func benchCrashCmd(g *globals) *cobra.Command {
	var cfg bench.Config
	var mix, bin string
	var kills int
	var minRound, maxRound time.Duration
	c := &cobra.Command{
		Use:   "crash",
		Short: "Kill jxc serve (SIGKILL) at random moments under load, restart it, and prove nothing acknowledged was lost and nothing is half-posted",
		Long: `jxc bench crash starts "jxc serve --db DSN --demo" itself on a free port, creates the
administrator (first run), then --kills times: runs the load for a random 0.5–3 s while a timer
SIGKILLs the server at a random moment inside that window, and restarts it. A call cut off by the
kill is not acknowledged. At the end, on the database as the last kill left it: no posted sales
order, shipment, receipt or purchase receipt is half-written, and jxc check is clean; then on a
restarted server: every acknowledged document exists, posted, exactly once.`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			if cfg.Mix, err = bench.ParseMix(mix); err != nil {
				return err
			}
			if kills < 1 || minRound <= 0 || maxRound < minRound {
				return errors.New("need --kills ≥ 1 and 0 < --min-round ≤ --max-round")
			}
			if bin == "" {
				if bin, err = os.Executable(); err != nil {
					return err
				}
			}
			if cfg.Seed == 0 {
				cfg.Seed = uint64(time.Now().UnixNano())
			}
			return crash(cmd.Context(), cmd.OutOrStdout(), g, bin, cfg, kills, minRound, maxRound)
		},
	}
	f := c.Flags()
	f.StringVar(&bin, "bin", "", "the jxc binary to run as the server (default: this one)")
	f.IntVar(&kills, "kills", 20, "how many times to kill the server")
	f.IntVar(&cfg.Clients, "clients", 4, "concurrent clients")
	f.StringVar(&cfg.User, "user", "bench", "the administrator to create on a new database (or sign in as)")
	f.StringVar(&cfg.Password, "password", "jxc bench crash password 1", "their password")
	f.DurationVar(&minRound, "min-round", 500*time.Millisecond, "shortest load window of a round")
	f.DurationVar(&maxRound, "max-round", 3*time.Second, "longest load window of a round")
	f.IntVar(&cfg.Hot, "hot", 0, "every order draws from only this many items (contention); 0 = all")
	f.StringVar(&mix, "mix", "", "weights, as for jxc bench run")
	f.Uint64Var(&cfg.Seed, "seed", 0, "random seed of the load and the kill moments (0: from the clock)")
	return c
}

// server is one jxc serve child process.
type server struct {
	bin, dsn, addr string
	logs           *lockedBuffer
	cmd            *exec.Cmd
	done           chan struct{} // closed when the process has exited
}

func (s *server) url() string { return "http://" + s.addr }

// start runs jxc serve and waits until it is ready.
func (s *server) start(ctx context.Context) error {
	s.cmd = exec.Command(s.bin, "serve", "--db", s.dsn, "--addr", s.addr, "--demo", "--log-level", "warn", "--log-format", "text")
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		return err
	}
	s.done = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { _ = cmd.Wait(); close(done) }(s.cmd, s.done)
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return fmt.Errorf("jxc serve exited while starting:\n%s", s.logs.tail(4000))
		case <-ctx.Done():
			s.kill()
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if r, err := http.Get(s.url() + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	s.kill()
	return fmt.Errorf("jxc serve did not become ready in 2 minutes:\n%s", s.logs.tail(4000))
}

// kill sends SIGKILL and waits until the process is gone.
func (s *server) kill() {
	_ = s.cmd.Process.Kill()
	<-s.done
}

// stop asks the server to shut down and waits (SIGKILL after 30 s).
func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.kill()
	}
}

func crash(ctx context.Context, out io.Writer, g *globals, bin string, cfg bench.Config, kills int, minRound, maxRound time.Duration) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	srv := &server{bin: bin, dsn: g.db, addr: addr, logs: &lockedBuffer{}}
	if err := srv.start(ctx); err != nil {
		return err
	}
	running := true
	defer func() {
		if running {
			srv.stop()
		}
	}()
	cfg.URL = srv.url()
	if err := setupAdmin(cfg); err != nil {
		return err
	}
	fmt.Fprintf(out, "jxc serve (%s) at %s; %d kill(s), %d client(s), seed %d\n", bin, cfg.URL, kills, cfg.Clients, cfg.Seed)

	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6b696c6c))
	total := &bench.Result{Types: map[string]*bench.TypeStats{}, Acked: map[string]map[string]int64{}}
	var loadTime time.Duration
	for round := 1; round <= kills; round++ {
		window := minRound + time.Duration(rng.Int64N(int64(maxRound-minRound)+1))
		killAt := window/10 + time.Duration(rng.Int64N(int64(window-window/10)+1))
		rcfg := cfg
		rcfg.Duration = window
		rcfg.Seed = cfg.Seed + uint64(round)
		rctx, cancel := context.WithCancel(ctx)
		fired, killed := make(chan struct{}), make(chan struct{})
		go func() {
			defer close(killed)
			select {
			case <-time.After(killAt):
			case <-rctx.Done():
			}
			close(fired)
			_ = srv.cmd.Process.Kill()
			cancel() // what was in flight is cut off: not acknowledged
			<-srv.done
		}()
		res, runErr := bench.Run(rctx, rcfg)
		select {
		case <-fired:
		default: // the load failed on its own, not because of the kill
			cancel()
			<-killed
			running = false
			if runErr == nil {
				runErr = errors.New("the load ended before the kill")
			}
			return fmt.Errorf("round %d: %w", round, runErr)
		}
		<-killed
		acked := 0
		if res != nil {
			merge(total, res)
			loadTime += res.Elapsed
			for _, docs := range res.Acked {
				acked += len(docs)
			}
		}
		note := ""
		if runErr != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			note = " (killed before the load started: " + firstLine(runErr.Error()) + ")"
		}
		fmt.Fprintf(out, "round %2d: killed after %5s of a %5s window, %4d document(s) acknowledged%s\n",
			round, killAt.Round(time.Millisecond), window.Round(time.Millisecond), acked, note)
		if round == kills {
			break
		}
		t0 := time.Now()
		if err := srv.start(ctx); err != nil {
			running = false
			return fmt.Errorf("restart after kill %d: %w", round, err)
		}
		fmt.Fprintf(out, "          restarted, ready in %s\n", time.Since(t0).Round(time.Millisecond))
	}
	running = false
	total.Elapsed = loadTime
	fmt.Fprintln(out)
	bench.Report(out, cfg, total)
	fmt.Fprintln(out)

	// The database as the last kill left it, before anything restarts.
	var probs []string
	half, err := checkDatabase(ctx, g)
	if err != nil {
		return err
	}
	probs = append(probs, half...)

	// Then the server restarted on it: every acknowledged document, once.
	if err := srv.start(ctx); err != nil {
		return fmt.Errorf("final restart: %w", err)
	}
	running = true
	missing, err := bench.Verify(ctx, cfg, total)
	if err != nil {
		return err
	}
	probs = append(probs, missing...)

	acked := 0
	for _, docs := range total.Acked {
		acked += len(docs)
	}
	if acked == 0 {
		probs = append(probs, "no document was acknowledged: the load never got going (kills too early?)")
	}
	for _, p := range probs {
		fmt.Fprintln(out, "  "+p)
	}
	fmt.Fprintf(out, "kills: %d, documents acknowledged: %d, problems: %d\n", kills, acked, len(probs))
	if len(probs) > 0 {
		return fmt.Errorf("the crash test found %d problem(s) (see above)", len(probs))
	}
	fmt.Fprintln(out, "every acknowledged document exists exactly once, nothing is half-posted, jxc check: ok")
	return nil
}

// checkDatabase opens the database directly, as jxc check does, and lists
// the half-posted documents and broken stock invariants of every company.
func checkDatabase(ctx context.Context, g *globals) ([]string, error) {
	db, err := g.open(ctx, false)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	cos, err := service.New(db, g.logger(), service.DefaultConfig()).CheckAllStock(ctx)
	if err != nil {
		return nil, err
	}
	var probs []string
	for _, co := range cos {
		var half []string
		if err := db.View(ctx, func(tx *store.Tx) (err error) { half, err = tx.HalfPosted(ctx, co.Company.ID); return err }); err != nil {
			return nil, err
		}
		for _, p := range half {
			probs = append(probs, fmt.Sprintf("half-posted in %s: %s", co.Company.Code, p))
		}
		for _, p := range co.Problems {
			probs = append(probs, fmt.Sprintf("check %s: %s", co.Company.Code, p))
		}
	}
	return probs, nil
}

// setupAdmin creates the administrator on a new database; on one that is
// already set up it leaves it to the sign-in to prove the user exists.
func setupAdmin(cfg bench.Config) error {
	b, _ := json.Marshal(map[string]string{"username": cfg.User, "password": cfg.Password})
	res, err := http.Post(cfg.URL+"/api/v1/setup", "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode == http.StatusCreated || bytes.Contains(body, []byte(`"setup_done"`)) {
		return nil
	}
	return fmt.Errorf("setup: %d %s", res.StatusCode, body)
}

// merge adds a round's figures and acknowledged documents to the total.
func merge(total, r *bench.Result) {
	for k, st := range r.Types {
		if total.Types[k] == nil {
			total.Types[k] = &bench.TypeStats{Errors: map[string]int{}}
		}
		total.Types[k].Add(st)
	}
	for kind, docs := range r.Acked {
		if total.Acked[kind] == nil {
			total.Acked[kind] = map[string]int64{}
		}
		for n, id := range docs {
			total.Acked[kind][n] = id
		}
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// lockedBuffer collects a child's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return s
}
