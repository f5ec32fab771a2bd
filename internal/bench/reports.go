package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ReportConfig is one run of the report timings (`jxc bench reports`).
type ReportConfig struct {
	URL, User, Password string
	Warehouse           string // code or id; the first warehouse by code when empty
	AsOf                string // the past day; the day before last month's end when empty
	Days                int    // the movement report's range, ending today
	Rounds              int    // calls of each quick report
	SlowRounds          int    // calls of each report that reads a whole warehouse
	PID                 int    // the server process (its memory); 0: the local process listening on the URL's port
	Seed                uint64
}

// ReportTiming is what one report measured.
type ReportTiming struct {
	Name, Call string
	Stats      TypeStats
	Rows       int // rows the last call answered (a stream: lines after the header)
	Bytes      int64
	// Memory of the server during the call (streams): resident set before
	// and its peak, in bytes; 0 when unknown.
	RSSBefore, RSSPeak int64
	MemNote            string
	// The anonymous part of it (RssAnon: the heap and stacks, without the
	// pages of files mapped in, which are the kernel's page cache — SQLite
	// maps its database file), before and at its highest sample.
	AnonBefore, AnonPeak int64
	// CPU time the server spent on the calls (streams), from /proc: on a
	// shared machine the wall time also counts waiting for a core.
	ServerCPU time.Duration
}

// ReportResult is a whole run.
type ReportResult struct {
	Warehouse     string
	Items         int // items with stock in the warehouse
	AsOf, From    string
	To, YearFrom  string // the range of the movement report; a year ending today (the analyses)
	PID           int
	Timings       []*ReportTiming
	BalanceRows   int
	ServerMemNote string
}

type whRow struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// Reports times the stock reports of a running jxc through its API: on hand
// of one item and of 100 named items, a 100-item page of the balance list
// (without and with its total), per-warehouse totals, the whole balance list
// streamed (with the server's memory), stock at a past date for one
// warehouse, the movement summary and one item's ledger over the range.
func Reports(ctx context.Context, cfg ReportConfig) (*ReportResult, error) {
	if cfg.Rounds <= 0 {
		cfg.Rounds = 20
	}
	if cfg.SlowRounds <= 0 {
		cfg.SlowRounds = 5
	}
	if cfg.Days <= 0 {
		cfg.Days = 30
	}
	c, err := Login(ctx, cfg.URL, cfg.User, cfg.Password)
	if err != nil {
		return nil, err
	}
	c.http.Timeout = 10 * time.Minute
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x7265))
	res := &ReportResult{}

	var whs page[whRow]
	if _, _, err := c.do(ctx, http.MethodGet, "/warehouses?limit=500&sort=code", nil, "", &whs); err != nil || len(whs.Items) == 0 {
		return nil, fmt.Errorf("warehouses: %v (%d)", err, len(whs.Items))
	}
	wh := whs.Items[0]
	if cfg.Warehouse != "" {
		found := false
		for _, w := range whs.Items {
			if w.Code == cfg.Warehouse || strconv.FormatInt(w.ID, 10) == cfg.Warehouse {
				wh, found = w, true
			}
		}
		if !found {
			return nil, fmt.Errorf("no warehouse %q", cfg.Warehouse)
		}
	}
	res.Warehouse = fmt.Sprintf("%s %s (id %d)", wh.Code, wh.Name, wh.ID)
	w := strconv.FormatInt(wh.ID, 10)

	// The items with stock in the warehouse, to pick from.
	var first struct {
		page[stockRow]
		HasMore bool `json:"has_more"`
	}
	if _, _, err := c.do(ctx, http.MethodGet, "/stock/balances?group=item&limit=1&warehouse_id="+w, nil, "", &first); err != nil {
		return nil, err
	}
	res.Items = first.Total
	if res.Items < 100 {
		return nil, fmt.Errorf("warehouse %s has %d items with stock; the reports need 100", wh.Code, res.Items)
	}
	var sample []int64
	// The balance list's length, to hold the stream to.
	var all page[stockRow]
	if _, _, err := c.do(ctx, http.MethodGet, "/stock/balances?limit=1", nil, "", &all); err != nil {
		return nil, err
	}
	res.BalanceRows = all.Total
	seen := map[int64]bool{}
	for tries := 0; len(sample) < 500 && tries < 10; tries++ {
		off := rng.IntN(max(res.Items-500, 1))
		var p page[stockRow]
		if _, _, err := c.do(ctx, http.MethodGet, fmt.Sprintf("/stock/balances?group=item&limit=500&count=false&warehouse_id=%s&offset=%d", w, off), nil, "", &p); err != nil {
			return nil, err
		}
		for _, r := range p.Items {
			if !seen[r.ItemID] {
				seen[r.ItemID] = true
				sample = append(sample, r.ItemID)
			}
		}
	}
	item := func() string { return strconv.FormatInt(sample[rng.IntN(len(sample))], 10) }
	items100 := func() string { // 100 different items
		ids := make([]string, 0, 100)
		for _, i := range rng.Perm(len(sample))[:min(100, len(sample))] {
			ids = append(ids, strconv.FormatInt(sample[i], 10))
		}
		return strings.Join(ids, ",")
	}
	pages := (res.Items + 99) / 100

	now := time.Now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	res.To = today.Format(time.DateOnly)
	res.From = today.AddDate(0, 0, -(cfg.Days - 1)).Format(time.DateOnly)
	res.YearFrom = today.AddDate(-1, 0, 1).Format(time.DateOnly)
	res.AsOf = cfg.AsOf
	if res.AsOf == "" { // the worst case after monthly closes: one day short of a month-end snapshot
		res.AsOf = time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -2).Format(time.DateOnly)
	}

	pid := cfg.PID
	if pid == 0 {
		pid, res.ServerMemNote = listenerPID(cfg.URL)
	}
	res.PID = pid

	type report struct {
		name, call string
		rounds     int
		path       func() string
		stream     bool
	}
	reports := []report{
		{"onhand-1", "GET /stock/balances?group=item&item_id=<random>", cfg.Rounds,
			func() string { return "/stock/balances?group=item&item_id=" + item() }, false},
		{"onhand-100", "GET /stock/balances?group=item&warehouse_id=W&limit=100&item_ids=<100 random>", cfg.Rounds,
			func() string {
				return "/stock/balances?group=item&limit=100&warehouse_id=" + w + "&item_ids=" + items100()
			}, false},
		{"page-100-first", "GET /stock/balances?group=item&warehouse_id=W&limit=100&count=false (the first page)", cfg.Rounds,
			func() string { return "/stock/balances?group=item&limit=100&count=false&warehouse_id=" + w }, false},
		{"page-100", "GET /stock/balances?group=item&warehouse_id=W&limit=100&count=false&offset=<random page>", cfg.Rounds,
			func() string {
				return fmt.Sprintf("/stock/balances?group=item&limit=100&count=false&warehouse_id=%s&offset=%d", w, 100*rng.IntN(pages))
			}, false},
		{"page-100+total", "GET /stock/balances?group=item&warehouse_id=W&limit=100 (first page, counts every row)", cfg.SlowRounds,
			func() string { return "/stock/balances?group=item&limit=100&warehouse_id=" + w }, false},
		{"wh-totals", "GET /stock/warehouse-totals", cfg.SlowRounds,
			func() string { return "/stock/warehouse-totals" }, false},
		{"stream-all", "GET /stock/balances/export?format=csv (every balance row, group=location)", cfg.SlowRounds,
			func() string { return "/stock/balances/export?format=csv" }, true},
		{"as-of", "GET /stock/balances?as_of=" + res.AsOf + "&warehouse_id=W&group=item&limit=100", cfg.SlowRounds,
			func() string { return "/stock/balances?group=item&limit=100&warehouse_id=" + w + "&as_of=" + res.AsOf }, false},
		{"movements", fmt.Sprintf("GET /stock/movements?warehouse_id=W&from=%s&to=%s&limit=100", res.From, res.To), cfg.SlowRounds,
			func() string {
				return "/stock/movements?limit=100&warehouse_id=" + w + "&from=" + res.From + "&to=" + res.To
			}, false},
		{"ledger-item", fmt.Sprintf("GET /stock/ledger?item_id=<random>&warehouse_id=W&from=%s&to=%s", res.From, res.To), cfg.Rounds,
			func() string {
				return "/stock/ledger?item_id=" + item() + "&warehouse_id=" + w + "&from=" + res.From + "&to=" + res.To
			}, false},
	}
	// The analyses of 报表 read documents' lines rather than balances: over
	// the range (the home page's month) and over a year, the owner's usual
	// question, whose cost grows with the lines of the year.
	month, year := "&from="+res.From+"&to="+res.To, "&from="+res.YearFrom+"&to="+res.To
	for _, a := range []struct{ name, path string }{
		{"sales-item", "/reports/sales?by=item&limit=100" + month},
		{"sales-item-yr", "/reports/sales?by=item&limit=100" + year},
		{"sales-month-yr", "/reports/sales?by=month&limit=100" + year},
		{"sales-cust-yr", "/reports/sales?by=customer&limit=100" + year},
		{"purch-item-yr", "/reports/purchases?by=item&limit=100" + year},
		{"abc-yr", "/reports/abc?limit=100" + year},
		{"ageing-wh", "/reports/ageing?limit=100&warehouse_id=" + w},
		{"ageing-all", "/reports/ageing?limit=100"},
	} {
		reports = append(reports, report{a.name, "GET " + a.path, cfg.SlowRounds, func() string { return a.path }, false})
	}
	for _, r := range reports {
		t := &ReportTiming{Name: r.name, Call: r.call, Stats: TypeStats{Errors: map[string]int{}}}
		res.Timings = append(res.Timings, t)
		for range r.rounds {
			if err := ctx.Err(); err != nil {
				return res, err
			}
			var took time.Duration
			var code string
			var err error
			if r.stream {
				took, err = c.stream(ctx, r.path(), pid, t)
				switch {
				case err != nil:
					code = "stream"
				case t.Rows != res.BalanceRows:
					code, err = "rows", fmt.Errorf("streamed %d rows, the list has %d", t.Rows, res.BalanceRows)
				}
			} else {
				var out json.RawMessage
				t0 := time.Now()
				_, code, err = c.do(ctx, http.MethodGet, r.path(), nil, "", &out)
				took = time.Since(t0)
				t.Rows = countItems(out)
			}
			if err != nil {
				t.Stats.Errors[code]++
				if t.Stats.Errors[code] == 1 {
					fmt.Fprintf(os.Stderr, "%s: %v\n", r.name, err)
				}
				continue
			}
			t.Stats.OK++
			t.Stats.latencies = append(t.Stats.latencies, took)
		}
	}
	return res, nil
}

// countItems counts the rows of an answer: a list's items, or an array.
func countItems(b json.RawMessage) int {
	var list struct {
		Items []json.RawMessage `json:"items"`
	}
	if json.Unmarshal(b, &list) == nil && list.Items != nil {
		return len(list.Items)
	}
	var arr []json.RawMessage
	_ = json.Unmarshal(b, &arr)
	return len(arr)
}

// stream reads a streamed export to the end, counting its lines and bytes,
// and watches the server's resident memory meanwhile: the peak is the
// kernel's high-water mark after resetting it (clear_refs), or else the
// highest of samples taken every 5 ms.
func (c *client) stream(ctx context.Context, path string, pid int, t *ReportTiming) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/api/v1"+path, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Cookie", c.cookie)
	req.Header.Set("Accept-Language", "en")
	var before, peak, anon0, anon int64
	var hwm bool
	var mu sync.Mutex
	stop := make(chan struct{})
	var wg sync.WaitGroup
	cpu0, _ := procCPU(pid)
	if pid > 0 {
		before, _ = procStatus(pid, "VmRSS")
		anon0, _ = procStatus(pid, "RssAnon")
		anon = anon0
		hwm = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0) == nil
		peak = before
		wg.Add(1)
		go func() {
			defer wg.Done()
			tick := time.NewTicker(5 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tick.C:
					v, err1 := procStatus(pid, "VmRSS")
					a, err2 := procStatus(pid, "RssAnon")
					mu.Lock()
					if err1 == nil {
						peak = max(peak, v)
					}
					if err2 == nil {
						anon = max(anon, a)
					}
					mu.Unlock()
				}
			}
		}()
	}
	t0 := time.Now()
	res, err := c.http.Do(req)
	if err == nil {
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(res.Body)
			err = fmt.Errorf("GET %s: %d %s", path, res.StatusCode, b)
		}
	}
	var lines int
	var n int64
	if err == nil {
		br := bufio.NewReaderSize(res.Body, 64<<10)
		for {
			b, rerr := br.ReadSlice('\n')
			n += int64(len(b))
			if len(b) > 0 && b[len(b)-1] == '\n' {
				lines++
			}
			if errors.Is(rerr, bufio.ErrBufferFull) {
				lines-- // the rest of a long line follows
				continue
			}
			if rerr == io.EOF {
				break
			}
			if rerr != nil {
				err = rerr
				break
			}
		}
	}
	took := time.Since(t0)
	close(stop)
	wg.Wait()
	if err != nil {
		return took, err
	}
	if cpu1, err := procCPU(pid); err == nil && pid > 0 {
		t.ServerCPU += cpu1 - cpu0
	}
	t.Rows, t.Bytes = lines-1, n
	if pid > 0 {
		if hwm {
			if v, err := procStatus(pid, "VmHWM"); err == nil {
				peak = max(peak, v)
			}
		}
		if t.RSSPeak == 0 || peak-before > t.RSSPeak-t.RSSBefore { // the call that took the most
			t.RSSBefore, t.RSSPeak = before, peak
		}
		if t.AnonPeak == 0 || anon-anon0 > t.AnonPeak-t.AnonBefore {
			t.AnonBefore, t.AnonPeak = anon0, anon
		}
		t.MemNote = "peak = the kernel's high-water mark (VmHWM, reset before the call)"
		if !hwm {
			t.MemNote = "peak = highest VmRSS sampled every 5 ms"
		}
	}
	return took, nil
}

// procCPU is the CPU time (user + system) a process has used, from
// /proc/<pid>/stat in clock ticks of 10 ms (Linux's USER_HZ).
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	s := string(b)
	fs := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]) // the name may hold spaces
	if len(fs) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	ut, err1 := strconv.ParseInt(fs[11], 10, 64)
	st, err2 := strconv.ParseInt(fs[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(ut+st) * 10 * time.Millisecond, nil
}

// procStatus reads a "kB" field of /proc/<pid>/status, in bytes.
func procStatus(pid int, field string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", field, pid)
}

// listenerPID finds the local process listening on the URL's port, through
// /proc (Linux, same user or root), or says why it cannot.
func listenerPID(raw string) (int, string) {
	u, err := url.Parse(raw)
	if err != nil {
		return 0, err.Error()
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = map[string]string{"https": "443"}[u.Scheme]
		if port == "" {
			port = "80"
		}
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return 0, "the server is not on this machine: memory not measured (use --pid on the server's machine)"
	}
	p, _ := strconv.Atoi(port)
	want := fmt.Sprintf(":%04X", p)
	inodes := map[string]bool{}
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, l := range strings.Split(string(b), "\n")[1:] {
			fs := strings.Fields(l)
			if len(fs) > 9 && strings.HasSuffix(fs[1], want) && fs[3] == "0A" { // 0A: LISTEN
				inodes["socket:["+fs[9]+"]"] = true
			}
		}
	}
	if len(inodes) == 0 {
		return 0, "no process listens on port " + port + ": memory not measured"
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/fd/*")
	for _, fd := range procs {
		if l, err := os.Readlink(fd); err == nil && inodes[l] {
			pid, _ := strconv.Atoi(strings.Split(fd, "/")[2])
			return pid, ""
		}
	}
	return 0, "the process listening on port " + port + " is not readable: memory not measured (use --pid)"
}

// PrintReports writes the figures of a run.
func PrintReports(w io.Writer, res *ReportResult) {
	fmt.Fprintf(w, "warehouse %s: %d items with stock; as of %s; range %s … %s\n", res.Warehouse, res.Items, res.AsOf, res.From, res.To)
	fmt.Fprintf(w, "%-15s %5s %9s %9s %9s %8s  %s\n", "report", "calls", "p50 ms", "p95 ms", "max ms", "rows", "call")
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
	for _, t := range res.Timings {
		errs := ""
		for _, code := range sortedKeys(t.Stats.Errors) {
			errs += fmt.Sprintf(" errors %s=%d", code, t.Stats.Errors[code])
		}
		fmt.Fprintf(w, "%-15s %5d %9s %9s %9s %8d  %s%s\n", t.Name, t.Stats.OK, ms(t.Stats.Percentile(50)), ms(t.Stats.Percentile(95)),
			ms(t.Stats.Percentile(100)), t.Rows, t.Call, errs)
	}
	for _, t := range res.Timings {
		if t.Bytes == 0 {
			continue
		}
		fmt.Fprintf(w, "%s: %d rows, %.1f MB", t.Name, t.Rows, float64(t.Bytes)/1e6)
		if t.RSSPeak > 0 {
			fmt.Fprintf(w, "; server (pid %d) CPU %.2f s a call; RSS %.1f MB before, peak %.1f MB: +%.1f MB (%s)", res.PID,
				t.ServerCPU.Seconds()/float64(max(t.Stats.OK, 1)), float64(t.RSSBefore)/(1<<20),
				float64(t.RSSPeak)/(1<<20), float64(t.RSSPeak-t.RSSBefore)/(1<<20), t.MemNote)
			if t.AnonPeak > 0 {
				fmt.Fprintf(w, "; of it anonymous (heap, stacks: RssAnon sampled every 5 ms) %.1f MB before, peak %.1f MB: +%.1f MB",
					float64(t.AnonBefore)/(1<<20), float64(t.AnonPeak)/(1<<20), float64(t.AnonPeak-t.AnonBefore)/(1<<20))
			}
		} else if res.ServerMemNote != "" {
			fmt.Fprintf(w, "; %s", res.ServerMemNote)
		}
		fmt.Fprintln(w)
	}
}

// Failed counts the failed calls.
func (r *ReportResult) Failed() int {
	n := 0
	for _, t := range r.Timings {
		for _, c := range t.Stats.Errors {
			n += c
		}
	}
	return n
}
