package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jxc-erp/jxc/internal/bench"
	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// The floor side of bench compare (docs/PERFORMANCE.md, "The floor"): a
// minimal HTTP service written for the yardstick alone, in the load tool's
// own process, that takes the same sales order JSON the API takes and
// posts it with store.FloorOrder — the raw order plus the API's promises,
// each the minimal way. What it leaves out is what any real service adds
// on top: routing and middleware, permissions beyond a valid session,
// pricing, tax, translated errors, an answer a client can work with. So
// the floor is faster than any implementation that keeps the promises
// could be, and floor / raw bounds the ratio such an implementation can
// reach from above.
type floorServer struct {
	db     *store.DB
	target store.RawTarget
	failed atomic.Int64
	log    io.Writer
}

type floorOrderBody struct {
	PartnerID   int64 `json:"partner_id"`
	WarehouseID int64 `json:"warehouse_id"`
	Lines       []struct {
		ItemID int64        `json:"item_id"`
		Qty    domain.Qty   `json:"qty"`
		Price  domain.Price `json:"price"`
	} `json:"lines"`
}

func (f *floorServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || (r.URL.Path != "/orders" && r.URL.Path != "/receipts") {
		floorProblem(w, http.StatusNotFound, "not_found")
		return
	}
	ck, err := r.Cookie("jxc_session")
	key := r.Header.Get("Idempotency-Key")
	if err != nil || key == "" {
		floorProblem(w, http.StatusUnauthorized, "unauthorized")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	var in floorOrderBody
	if err == nil {
		err = json.Unmarshal(body, &in)
	}
	if err != nil || in.WarehouseID != f.target.WarehouseID || len(in.Lines) == 0 {
		floorProblem(w, http.StatusBadRequest, "validation")
		return
	}
	token := sha256.Sum256([]byte(ck.Value))
	req := sha256.Sum256(append([]byte(r.Method+" "+r.URL.RequestURI()+"\n"), body...))
	fr := store.FloorRequest{TokenHash: hex.EncodeToString(token[:]), Key: key, RequestHash: hex.EncodeToString(req[:])}
	var answer []byte
	if r.URL.Path == "/orders" {
		o := store.FloorOrderIn{FloorRequest: fr, PartnerID: in.PartnerID}
		for _, l := range in.Lines {
			o.Lines = append(o.Lines, store.FloorLine{ItemID: l.ItemID, Qty: l.Qty, Price: l.Price})
		}
		answer, err = f.db.FloorOrder(r.Context(), f.target, o)
	} else {
		o := store.FloorReceiptIn{FloorRequest: fr, SupplierID: in.PartnerID}
		for _, l := range in.Lines {
			o.Lines = append(o.Lines, store.RawReceiptLine{ItemID: l.ItemID, Qty: l.Qty, Price: l.Price})
		}
		answer, err = f.db.FloorReceipt(r.Context(), f.target, o)
	}
	switch {
	case err == nil:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(answer)
	case errors.Is(err, store.ErrRawShort):
		floorProblem(w, http.StatusConflict, string(domain.EInsufficientStock))
	case errors.Is(err, store.ErrFloorCredit):
		floorProblem(w, http.StatusConflict, string(domain.ECreditLimit))
	case errors.Is(err, store.ErrFloorUnauthorized):
		floorProblem(w, http.StatusUnauthorized, "unauthorized")
	case errors.Is(err, store.ErrFloorInput):
		floorProblem(w, http.StatusBadRequest, "validation")
	case errors.Is(err, store.ErrFloorClosed):
		floorProblem(w, http.StatusConflict, "period_closed")
	case errors.Is(err, store.ErrRawUnsupported):
		floorProblem(w, http.StatusConflict, "unsupported")
	default:
		if r.Context().Err() == nil && f.failed.Add(1) == 1 { // the first real failure, for the reader
			fmt.Fprintf(f.log, "floor %s: %v\n", r.URL.Path, err)
		}
		floorProblem(w, http.StatusInternalServerError, store.RawErrorCode(err))
	}
}

func floorProblem(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": status, "code": code})
}

// startFloor serves the floor on a loopback port until ctx ends and returns
// its address.
func startFloor(ctx context.Context, f *floorServer) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: f, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	return "http://" + ln.Addr().String(), nil
}

// floorClient posts the API side's orders to the floor the way the load
// tool's client posts them to jxc: JSON over a kept-alive connection, the
// session cookie, a fresh Idempotency-Key, the answer read and decoded.
type floorClient struct {
	url    string
	cookie string
	http   *http.Client
	seq    atomic.Int64
}

func newFloorClient(url, cookie string) *floorClient {
	return &floorClient{url: url, cookie: cookie, http: &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
}

// order posts one sales order the way the API side draws it.
func (c *floorClient) order(ctx context.Context, rng *rand.Rand, t bench.Target) (string, error) {
	items := bench.OrderItems(rng, t.Items)
	lines := make([]map[string]any, len(items))
	for i, it := range items {
		lines[i] = map[string]any{"item_id": it, "qty": "1", "price": "10"}
	}
	return c.post(ctx, "/orders", map[string]any{"partner_id": t.Customers[rng.IntN(len(t.Customers))], "warehouse_id": t.WarehouseID, "lines": lines})
}

// receipt posts one purchase receipt the way the API side draws it.
func (c *floorClient) receipt(ctx context.Context, rng *rand.Rand, t bench.Target, items []int64) (string, error) {
	pl := bench.PurchaseLines(rng, items)
	lines := make([]map[string]any, len(pl))
	for i, l := range pl {
		lines[i] = map[string]any{"item_id": l.ItemID, "qty": strconv.Itoa(l.Qty), "price": strconv.Itoa(l.Price)}
	}
	return c.post(ctx, "/receipts", map[string]any{"partner_id": t.Supplier, "warehouse_id": t.WarehouseID, "lines": lines})
}

func (c *floorClient) post(ctx context.Context, path string, doc map[string]any) (string, error) {
	body, err := json.Marshal(doc)
	if err != nil {
		return "error", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url+path, bytes.NewReader(body))
	if err != nil {
		return "error", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Cookie", c.cookie)
	req.Header.Set("Idempotency-Key", fmt.Sprintf("floor-%d-%d", time.Now().UnixNano(), c.seq.Add(1)))
	res, err := c.http.Do(req)
	if err != nil {
		return "network", err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return "network", err
	}
	if res.StatusCode != http.StatusCreated {
		var p struct {
			Code string `json:"code"`
		}
		_ = json.Unmarshal(data, &p)
		return p.Code, fmt.Errorf("floor: %d %s", res.StatusCode, p.Code)
	}
	var got struct {
		ID    int64 `json:"id"`
		Lines []struct {
			ID int64 `json:"id"`
		} `json:"lines"`
	}
	if err := json.Unmarshal(data, &got); err != nil || got.ID == 0 || len(got.Lines) == 0 {
		return "decode", fmt.Errorf("floor answer: %v %s", err, strings.TrimSpace(string(data)))
	}
	return "", nil
}
