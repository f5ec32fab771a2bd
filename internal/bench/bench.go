// Package bench drives a running jxc through its HTTP API the way a busy
// company would — many clients at once, a TPC-C-like mix with sales orders
// of 5–15 lines that reserve stock as the main measure — and reports
// throughput, latency percentiles per transaction type and errors by code.
// Every write carries an Idempotency-Key and every acknowledged document is
// remembered, so that afterwards Verify can prove each one exists exactly
// once. It knows jxc only through HTTP: no jxc package is imported.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Config is one load run.
type Config struct {
	// URL is the running jxc, e.g. http://127.0.0.1:8080, or several
	// processes on one PostgreSQL database, comma-separated: the clients are
	// spread over them in turn.
	URL      string
	User     string        // a user who may sell, ship, buy and receive money
	Password string        //
	Clients  int           // concurrent clients
	Duration time.Duration // how long to run
	Hot      int           // > 0: every order and purchase draws from only this many items (contention)
	Mix      map[string]int
	Seed     uint64
	// Items, when set, are the items orders and purchases draw from instead
	// of every item in stock (jxc bench compare gives both sides the same);
	// Hot still takes the first Hot of them.
	Items []int64
	// Customers, when set, are the customers orders and money receipts go
	// to instead of every customer (jxc bench compare: LoadTestCustomers).
	Customers []int64
}

// URLs returns the jxc processes of the run.
func (c Config) URLs() []string {
	var out []string
	for _, u := range strings.Split(c.URL, ",") {
		if u = strings.TrimRight(strings.TrimSpace(u), "/"); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// OrderItems draws the items of one sales order of the mix: 5–15 lines,
// one unit of each, distinct items as far as there are enough.
func OrderItems(rng *rand.Rand, items []int64) []int64 {
	out := make([]int64, 5+rng.IntN(11))
	perm := rng.Perm(len(items))
	for i := range out {
		out[i] = items[perm[i%len(perm)]]
	}
	return out
}

// PurchaseLine is one line of a purchase receipt of the mix.
type PurchaseLine struct {
	ItemID int64
	Qty    int // units
	Price  int // per unit
}

// PurchaseLines draws one purchase receipt of the mix: 5 distinct items,
// 20 of each at 4–6 a unit, so that the moving average moves.
func PurchaseLines(rng *rand.Rand, items []int64) []PurchaseLine {
	perm := rng.Perm(len(items))
	out := make([]PurchaseLine, min(5, len(items)))
	for i := range out {
		out[i] = PurchaseLine{ItemID: items[perm[i]], Qty: 20, Price: 4 + rng.IntN(3)}
	}
	return out
}

// Transaction types of the mix.
const (
	TxOrder    = "order"    // a sales order of 5–15 lines, confirmed (stock reserved)
	TxShip     = "ship"     // a confirmed order shipped in full
	TxReceipt  = "receipt"  // money from a customer
	TxPurchase = "purchase" // goods received from a supplier (moving-average cost)
	TxStock    = "stock"    // on hand of one item
	TxLowStock = "lowstock" // the low-stock report
)

// DefaultMix weighs the transaction types like a wholesaler's day.
var DefaultMix = map[string]int{TxOrder: 45, TxShip: 20, TxReceipt: 10, TxPurchase: 10, TxStock: 10, TxLowStock: 5}

// ParseMix reads "order=45,ship=20,…".
func ParseMix(s string) (map[string]int, error) {
	if strings.TrimSpace(s) == "" {
		return DefaultMix, nil
	}
	out := map[string]int{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(v)
		if !ok || err != nil || n < 0 || !slices.Contains([]string{TxOrder, TxShip, TxReceipt, TxPurchase, TxStock, TxLowStock}, k) {
			return nil, fmt.Errorf("mix: %q is not type=weight with a known type", part)
		}
		out[k] = n
	}
	return out, nil
}

// Result is what a run measured.
type Result struct {
	Elapsed time.Duration
	Types   map[string]*TypeStats
	// Acknowledged documents by kind ("sales/orders", …): number → id.
	Acked map[string]map[string]int64
}

// TypeStats are one transaction type's figures.
type TypeStats struct {
	OK        int
	Errors    map[string]int // by problem code (or HTTP status, or "network")
	latencies []time.Duration
}

// Percentile returns the p-th percentile (0–100) of the successful calls.
func (t *TypeStats) Percentile(p float64) time.Duration {
	if len(t.latencies) == 0 {
		return 0
	}
	l := slices.Clone(t.latencies)
	slices.Sort(l)
	i := int(float64(len(l)-1) * p / 100)
	return l[i]
}

// Add adds another run's figures of the same type (jxc bench crash sums
// its rounds).
func (t *TypeStats) Add(o *TypeStats) {
	t.OK += o.OK
	t.latencies = append(t.latencies, o.latencies...)
	if t.Errors == nil {
		t.Errors = map[string]int{}
	}
	for code, n := range o.Errors {
		t.Errors[code] += n
	}
}

// client is one signed-in HTTP client.
type client struct {
	base   string
	http   *http.Client
	cookie string
}

type problem struct {
	Status int    `json:"status"`
	Code   string `json:"code"`
	Title  string `json:"title"`
}

func (c *client) do(ctx context.Context, method, path string, body any, key string, out any) (int, string, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, "", err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+"/api/v1"+path, rd)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", "en")
	if c.cookie != "" {
		req.Header.Set("Cookie", c.cookie)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, "network", err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, "network", err
	}
	if res.StatusCode >= 300 {
		var p problem
		_ = json.Unmarshal(data, &p)
		code := p.Code
		if code == "" {
			code = strconv.Itoa(res.StatusCode)
		}
		return res.StatusCode, code, fmt.Errorf("%s %s: %d %s %s", method, path, res.StatusCode, code, p.Title)
	}
	if sc := res.Header.Get("Set-Cookie"); sc != "" && strings.HasSuffix(path, "/auth/login") {
		c.cookie = strings.Split(sc, ";")[0]
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return res.StatusCode, "decode", err
		}
	}
	return res.StatusCode, "", nil
}

// Login signs in and returns a client.
func Login(ctx context.Context, base, user, password string) (*client, error) {
	c := &client{base: strings.TrimRight(base, "/"), http: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	if _, _, err := c.do(ctx, http.MethodPost, "/auth/login", map[string]string{"username": user, "password": password}, "", nil); err != nil {
		return nil, fmt.Errorf("sign in as %s: %w", user, err)
	}
	return c, nil
}

type idName struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Kind string `json:"kind"`
}

type page[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

type stockRow struct {
	ItemID    int64  `json:"item_id"`
	Available string `json:"available"`
}

// world is what the run works with, read once before it starts.
type world struct {
	warehouse int64
	customers []int64
	supplier  int64
	account   int64
	items     []int64 // with stock in the warehouse
}

// world reads what a run of cfg works with: cfg.Items, cfg.Hot and
// cfg.Customers narrow what it finds.
func (c *client) world(ctx context.Context, cfg Config) (world, error) {
	hot, only := cfg.Hot, cfg.Items
	var w world
	var whs page[idName]
	if _, _, err := c.do(ctx, http.MethodGet, "/warehouses?limit=50&sort=code", nil, "", &whs); err != nil || len(whs.Items) == 0 {
		return w, fmt.Errorf("warehouses: %v (%d)", err, len(whs.Items))
	}
	// Items sold by quantity alone (serials and batches are picked by hand).
	plain := map[int64]bool{}
	for offset := 0; ; offset += 500 {
		var its page[struct {
			ID         int64  `json:"id"`
			Tracking   string `json:"tracking"`
			IsTemplate bool   `json:"is_template"`
		}]
		if _, _, err := c.do(ctx, http.MethodGet, fmt.Sprintf("/items?limit=500&offset=%d", offset), nil, "", &its); err != nil {
			return w, err
		}
		for _, it := range its.Items {
			plain[it.ID] = it.Tracking == "none" && !it.IsTemplate
		}
		if len(its.Items) < 500 {
			break
		}
	}
	// The warehouse with the most such items in stock.
	best := 0
	for _, wh := range whs.Items {
		var rows page[stockRow]
		if _, _, err := c.do(ctx, http.MethodGet, fmt.Sprintf("/stock/balances?warehouse_id=%d&group=item&limit=500", wh.ID), nil, "", &rows); err != nil {
			return w, err
		}
		var items []int64
		for _, r := range rows.Items {
			if a, _ := strconv.ParseFloat(r.Available, 64); a >= 20 && plain[r.ItemID] {
				items = append(items, r.ItemID)
			}
		}
		if len(items) > best {
			best, w.warehouse, w.items = len(items), wh.ID, items
		}
	}
	if len(w.items) < 15 {
		return w, fmt.Errorf("no warehouse has 15 items with stock to sell (best: %d)", best)
	}
	if len(only) > 0 {
		w.items = only
	}
	if hot > 0 && hot < len(w.items) {
		w.items = w.items[:hot]
	}
	var ps page[idName]
	if _, _, err := c.do(ctx, http.MethodGet, "/partners?limit=200&sort=code", nil, "", &ps); err != nil {
		return w, err
	}
	for _, p := range ps.Items {
		switch p.Kind {
		case "customer":
			w.customers = append(w.customers, p.ID)
		case "supplier", "both":
			if w.supplier == 0 {
				w.supplier = p.ID
			}
		}
	}
	var accts page[idName]
	if _, _, err := c.do(ctx, http.MethodGet, "/accounts?limit=50", nil, "", &accts); err != nil {
		return w, err
	}
	if len(accts.Items) > 0 {
		w.account = accts.Items[0].ID
	}
	if len(cfg.Customers) > 0 {
		w.customers = cfg.Customers
	}
	if len(w.customers) == 0 || w.supplier == 0 || w.account == 0 {
		return w, fmt.Errorf("the company needs customers (%d), a supplier (%d) and a money account (%d)", len(w.customers), w.supplier, w.account)
	}
	return w, nil
}

type doc struct {
	ID     int64  `json:"id"`
	Number string `json:"number"`
	Lines  []struct {
		ID  int64  `json:"id"`
		Qty string `json:"qty"`
	} `json:"lines"`
}

// Run drives the load and returns what it measured.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Clients <= 0 {
		cfg.Clients = 1
	}
	if cfg.Mix == nil {
		cfg.Mix = DefaultMix
	}
	urls := cfg.URLs()
	if len(urls) == 0 {
		return nil, fmt.Errorf("no jxc URL to run against")
	}
	// One signed-in client per process; the first reads the world.
	procs := make([]*client, len(urls))
	for i, u := range urls {
		c, err := Login(ctx, u, cfg.User, cfg.Password)
		if err != nil {
			return nil, err
		}
		procs[i] = c
	}
	w, err := procs[0].world(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var kinds []string
	var total int
	for _, k := range []string{TxOrder, TxShip, TxReceipt, TxPurchase, TxStock, TxLowStock} {
		if cfg.Mix[k] > 0 {
			kinds = append(kinds, k)
			total += cfg.Mix[k]
		}
	}
	if total == 0 {
		return nil, fmt.Errorf("mix: nothing to run")
	}
	res := &Result{Types: map[string]*TypeStats{}, Acked: map[string]map[string]int64{}}
	for _, k := range kinds {
		res.Types[k] = &TypeStats{Errors: map[string]int{}}
	}
	var mu sync.Mutex
	ack := func(kind string, d doc) {
		if res.Acked[kind] == nil {
			res.Acked[kind] = map[string]int64{}
		}
		res.Acked[kind][d.Number] = d.ID
	}
	run := strconv.FormatInt(time.Now().UnixNano(), 36) // keys never repeat across runs of one seed
	var open []doc                                      // confirmed orders not yet shipped, shared by the clients
	runCtx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for n := range cfg.Clients {
		p := procs[n%len(procs)]
		c := &client{base: p.base, http: p.http, cookie: p.cookie}
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(n)+1))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := 0; runCtx.Err() == nil; seq++ {
				k := pick(rng, kinds, cfg.Mix, total)
				key := fmt.Sprintf("bench-%s-%d-%d-%s", run, n, seq, k)
				t0 := time.Now()
				var code string
				var err error
				var got doc
				switch k {
				case TxOrder:
					items := OrderItems(rng, w.items)
					lines := make([]map[string]any, len(items))
					for i, it := range items {
						lines[i] = map[string]any{"item_id": it, "qty": "1", "price": "10"}
					}
					_, code, err = c.do(runCtx, http.MethodPost, "/sales/orders?post=true", map[string]any{
						"partner_id": w.customers[rng.IntN(len(w.customers))], "warehouse_id": w.warehouse, "lines": lines}, key, &got)
				case TxShip:
					mu.Lock()
					if len(open) == 0 {
						mu.Unlock()
						continue
					}
					o := open[0]
					open = open[1:]
					mu.Unlock()
					var full struct {
						doc
						PartnerID int64 `json:"partner_id"`
					}
					if _, code, err = c.do(runCtx, http.MethodGet, fmt.Sprintf("/sales/orders/%d", o.ID), nil, "", &full); err == nil {
						lines := make([]map[string]any, len(full.Lines))
						for i, l := range full.Lines {
							lines[i] = map[string]any{"source_line_id": l.ID, "qty": l.Qty}
						}
						_, code, err = c.do(runCtx, http.MethodPost, "/sales/shipments?post=true", map[string]any{
							"partner_id": full.PartnerID, "warehouse_id": w.warehouse, "lines": lines}, key, &got)
					}
				case TxReceipt:
					_, code, err = c.do(runCtx, http.MethodPost, "/sales/receipts?post=true", map[string]any{
						"partner_id": w.customers[rng.IntN(len(w.customers))], "account_id": w.account, "amount": strconv.Itoa(10 + rng.IntN(500))}, key, &got)
				case TxPurchase:
					pl := PurchaseLines(rng, w.items)
					lines := make([]map[string]any, len(pl))
					for i, l := range pl {
						lines[i] = map[string]any{"item_id": l.ItemID, "qty": strconv.Itoa(l.Qty), "price": strconv.Itoa(l.Price)}
					}
					_, code, err = c.do(runCtx, http.MethodPost, "/purchase/receipts?post=true", map[string]any{
						"partner_id": w.supplier, "warehouse_id": w.warehouse, "lines": lines}, key, &got)
				case TxStock:
					_, code, err = c.do(runCtx, http.MethodGet, fmt.Sprintf("/stock/balances?item_id=%d&warehouse_id=%d", w.items[rng.IntN(len(w.items))], w.warehouse), nil, "", nil)
				case TxLowStock:
					_, code, err = c.do(runCtx, http.MethodGet, fmt.Sprintf("/stock/alerts?warehouse_id=%d", w.warehouse), nil, "", nil)
				}
				took := time.Since(t0)
				if runCtx.Err() != nil && err != nil { // cut off by the end of the run: not an answer
					return
				}
				mu.Lock()
				st := res.Types[k]
				if err != nil {
					st.Errors[code]++
				} else {
					st.OK++
					st.latencies = append(st.latencies, took)
					switch k {
					case TxOrder:
						ack("sales/orders", got)
						open = append(open, got)
					case TxShip:
						ack("sales/shipments", got)
					case TxReceipt:
						ack("sales/receipts", got)
					case TxPurchase:
						ack("purchase/receipts", got)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	return res, nil
}

func pick(rng *rand.Rand, kinds []string, mix map[string]int, total int) string {
	n := rng.IntN(total)
	for _, k := range kinds {
		if n < mix[k] {
			return k
		}
		n -= mix[k]
	}
	return kinds[len(kinds)-1]
}

// Verify proves that every acknowledged document exists, posted, exactly
// once: it lists each kind's posted documents and looks every acknowledged
// number up. It returns one line per problem.
func Verify(ctx context.Context, cfg Config, res *Result) ([]string, error) {
	c, err := Login(ctx, first(cfg), cfg.User, cfg.Password)
	if err != nil {
		return nil, err
	}
	var probs []string
	for _, kind := range sortedKeys(res.Acked) {
		want := res.Acked[kind]
		// Documents, not rows of the listing: a command whose client was
		// cut off by the end of the run still commits (keyed commands run
		// to their end), and one that lands while the pages are read
		// shifts the newest-first listing, so a document can come again on
		// the next page. Posted documents are never deleted, so none is
		// skipped that way.
		seen := map[string]map[int64]bool{}
		for offset := 0; ; offset += 500 {
			var p page[doc]
			if _, _, err := c.do(ctx, http.MethodGet, "/"+kind+"?state=posted&limit=500&offset="+strconv.Itoa(offset), nil, "", &p); err != nil {
				return nil, err
			}
			for _, d := range p.Items {
				if _, ok := want[d.Number]; ok {
					if seen[d.Number] == nil {
						seen[d.Number] = map[int64]bool{}
					}
					seen[d.Number][d.ID] = true
				}
			}
			if len(p.Items) < 500 {
				break
			}
		}
		for number := range want {
			if len(seen[number]) != 1 {
				probs = append(probs, fmt.Sprintf("%s %s acknowledged but found %d times", kind, number, len(seen[number])))
			}
		}
	}
	sort.Strings(probs)
	return probs, nil
}

// first is the process that reads and verifies: any would do, they share
// one database.
func first(cfg Config) string {
	if u := cfg.URLs(); len(u) > 0 {
		return u[0]
	}
	return cfg.URL
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

// Report writes the figures: per type, calls per second, p50/p95/p99 and
// errors by code.
func Report(w io.Writer, cfg Config, res *Result) {
	fmt.Fprintf(w, "%d client(s), %s", cfg.Clients, res.Elapsed.Round(time.Millisecond))
	if n := len(cfg.URLs()); n > 1 {
		fmt.Fprintf(w, ", %d jxc processes", n)
	}
	if cfg.Hot > 0 {
		fmt.Fprintf(w, ", hot items: %d", cfg.Hot)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-10s %8s %9s %9s %9s %9s  %s\n", "type", "ok", "per s", "p50 ms", "p95 ms", "p99 ms", "errors")
	for _, k := range []string{TxOrder, TxShip, TxReceipt, TxPurchase, TxStock, TxLowStock} {
		st, ok := res.Types[k]
		if !ok {
			continue
		}
		ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
		fmt.Fprintf(w, "%-10s %8d %9.1f %9s %9s %9s  %s\n", k, st.OK, float64(st.OK)/res.Elapsed.Seconds(),
			ms(st.Percentile(50)), ms(st.Percentile(95)), ms(st.Percentile(99)), st.ErrorCodes())
	}
}

// ErrorCodes lists the failed calls by code: "insufficient_stock=3 internal=1".
func (t *TypeStats) ErrorCodes() string {
	var errs []string
	for _, code := range sortedKeys(t.Errors) {
		errs = append(errs, fmt.Sprintf("%s=%d", code, t.Errors[code]))
	}
	return strings.Join(errs, " ")
}

// Errors counts the failed calls whose code is not in allowed.
func (r *Result) Errors(allowed ...string) int {
	n := 0
	for _, st := range r.Types {
		for code, c := range st.Errors {
			if !slices.Contains(allowed, code) {
				n += c
			}
		}
	}
	return n
}

// Target is what a run sells from and to, as the API shows it: the
// warehouse, the customers and the items with stock (for the raw
// yardstick, which posts the same orders straight into the database).
type Target struct {
	WarehouseID int64
	Customers   []int64
	Supplier    int64
	Items       []int64
	Session     string // the session cookie (name=value) of the sign-in that read it
}

// FindTarget signs in and reads the target a run would use.
func FindTarget(ctx context.Context, cfg Config) (Target, error) {
	c, err := Login(ctx, first(cfg), cfg.User, cfg.Password)
	if err != nil {
		return Target{}, err
	}
	w, err := c.world(ctx, cfg)
	return Target{WarehouseID: w.warehouse, Customers: w.customers, Supplier: w.supplier, Items: w.items, Session: c.cookie}, err
}

// BenchCustomers is how many load-test customers jxc bench compare sells
// to, and BenchCustomerCode the prefix of their codes.
const (
	BenchCustomers    = 10
	BenchCustomerCode = "JXC-BENCH-"
)

// LoadTestCustomers returns the ids of the company's load-test customers,
// making them through the API the first time: customers whose credit limit
// (ten billion, blocking) is checked on every order like any other's but
// never reached. The demo's customers have limits that a long
// comparison's orders — confirmed, never shipped or invoiced — fill within
// seconds, after which most API orders are refused while the raw
// yardstick, which checks no credit, goes on posting: the ratio would
// measure refusals, not postings. Ten of them, so that the kept credit
// figure each order moves on its customer's row is not one row every
// order waits for.
func LoadTestCustomers(ctx context.Context, cfg Config) ([]int64, error) {
	c, err := Login(ctx, first(cfg), cfg.User, cfg.Password)
	if err != nil {
		return nil, err
	}
	var ps page[struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
	}]
	if _, _, err := c.do(ctx, http.MethodGet, "/partners?kind=customer&limit=100&q="+BenchCustomerCode, nil, "", &ps); err != nil {
		return nil, err
	}
	have := map[string]int64{}
	for _, p := range ps.Items {
		have[p.Code] = p.ID
	}
	ids := make([]int64, 0, BenchCustomers)
	for i := 1; i <= BenchCustomers; i++ {
		code := fmt.Sprintf("%s%02d", BenchCustomerCode, i)
		if id, ok := have[code]; ok {
			ids = append(ids, id)
			continue
		}
		var got struct {
			ID int64 `json:"id"`
		}
		if _, _, err := c.do(ctx, http.MethodPost, "/partners", map[string]any{"code": code, "name": fmt.Sprintf("压测客户 %02d (jxc bench)", i),
			"name_en": fmt.Sprintf("Load-test customer %02d (jxc bench)", i), "kind": "customer", "credit_limit": "10000000000", "credit_mode": "block"}, "", &got); err != nil {
			return nil, err
		}
		ids = append(ids, got.ID)
	}
	return ids, nil
}

// Restock receives qty of every target item from the supplier through the
// API (one purchase receipt per 500 items), so that a long comparison
// measures posting, not running out of stock.
func Restock(ctx context.Context, cfg Config, t Target, qty int) error {
	c, err := Login(ctx, first(cfg), cfg.User, cfg.Password)
	if err != nil {
		return err
	}
	for start := 0; start < len(t.Items); start += 500 {
		var lines []map[string]any
		for _, it := range t.Items[start:min(start+500, len(t.Items))] {
			lines = append(lines, map[string]any{"item_id": it, "qty": strconv.Itoa(qty), "price": "5"})
		}
		if _, _, err := c.do(ctx, http.MethodPost, "/purchase/receipts?post=true", map[string]any{
			"partner_id": t.Supplier, "warehouse_id": t.WarehouseID, "lines": lines}, "", nil); err != nil {
			return fmt.Errorf("restock: %w", err)
		}
	}
	return nil
}

// Timed runs fn from clients goroutines for d and measures it like Run
// measures the API: calls, latencies and errors by code (the code is what
// fn returns besides its error). It is how the raw yardstick is timed.
func Timed(ctx context.Context, kind string, clients int, d time.Duration, seed uint64, fn func(ctx context.Context, rng *rand.Rand) (string, error)) *Result {
	res := &Result{Types: map[string]*TypeStats{kind: {Errors: map[string]int{}}}, Acked: map[string]map[string]int64{}}
	var mu sync.Mutex
	runCtx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for n := range clients {
		rng := rand.New(rand.NewPCG(seed, uint64(n)+1))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for runCtx.Err() == nil {
				t0 := time.Now()
				code, err := fn(runCtx, rng)
				took := time.Since(t0)
				if runCtx.Err() != nil && err != nil {
					return
				}
				mu.Lock()
				st := res.Types[kind]
				if err != nil {
					st.Errors[code]++
				} else {
					st.OK++
					st.latencies = append(st.latencies, took)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	return res
}
