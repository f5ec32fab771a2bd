package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/i18n"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// Streamed exports: rows go to the client as the database hands them over,
// so a list of any length costs the server the same little memory. The
// status and headers wait for the first bytes, so an error before them is
// still an ordinary problem response; an error after them cuts the
// connection, so a client never takes a truncated file for a whole one.

type ExportFormat struct {
	Format string `query:"format" enum:"csv,ndjson" default:"csv" doc:"csv: UTF-8 with BOM and headers in the caller's language (Excel opens it); ndjson: one JSON object a line, as in the list"`
	Lang   string `query:"lang" enum:",zh-CN,en" doc:"Language of the CSV headers; the caller's by default"`
}

type balanceExportIn struct {
	BalanceFilterParams
	ExportFormat
}

const (
	csvType    = "text/csv; charset=utf-8"
	ndjsonType = "application/x-ndjson"
)

// tableStream writes a table as CSV or NDJSON.
type tableStream struct {
	w    *lazyWriter
	buf  *bufio.Writer
	json *json.Encoder
	line csvLine
}

// newTableStream starts a file named name (without extension) whose CSV
// columns are the export.col.* names of cols in the language asked for.
// exportLang is the language of an export: the one asked for, else the caller's.
func exportLang(ctx context.Context, in ExportFormat) i18n.Lang {
	if in.Lang != "" {
		return i18n.Parse(in.Lang)
	}
	return langOf(ctx)
}

// nameIn is a master record's name as an export in lang writes it: the
// English name in English where there is one.
func nameIn(lang i18n.Lang, name, nameEn string) string {
	if lang == i18n.EN && nameEn != "" {
		return nameEn
	}
	return name
}

func (s *Server) newTableStream(ctx context.Context, hctx huma.Context, in ExportFormat, name string, cols []string) *tableStream {
	lang := exportLang(ctx, in)
	name = i18n.T(lang, name, nil) + "-" + s.svc.Today().String()
	t := &tableStream{w: &lazyWriter{hctx: hctx}}
	t.buf = bufio.NewWriterSize(t.w, 32<<10) // nothing is sent before 32 KiB or the end
	if in.Format == "ndjson" {
		t.w.contentType, t.w.name = ndjsonType, name+".ndjson"
		t.json = json.NewEncoder(t.buf)
		return t
	}
	t.w.contentType, t.w.name = csvType, name+".csv"
	t.line.b = append(t.line.b, "\ufeff"...) // the BOM: Excel then reads UTF-8
	for _, c := range cols {
		t.line.str(i18n.T(lang, "export.col."+c, nil))
	}
	_ = t.line.end(t.buf)
	return t
}

// row writes one row: the object as a JSON line, or the CSV fields cells
// puts on the line.
func (t *tableStream) row(obj any, cells func(*csvLine)) error {
	if t.json != nil {
		return t.json.Encode(obj)
	}
	cells(&t.line)
	return t.line.end(t.buf)
}

// csvLine builds one CSV record (RFC 4180, CRLF), numbers written in place:
// at half a million rows encoding/csv and a string per number were a third
// of the export's time.
type csvLine struct {
	b      []byte
	fields int
}

func (l *csvLine) sep() {
	if l.fields > 0 {
		l.b = append(l.b, ',')
	}
	l.fields++
}

// str adds a text field, quoted when it must be.
func (l *csvLine) str(s string) {
	l.sep()
	if !needsQuotes(s) {
		l.b = append(l.b, s...)
		return
	}
	l.b = append(l.b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			l.b = append(l.b, '"')
		}
		l.b = append(l.b, s[i])
	}
	l.b = append(l.b, '"')
}

// needsQuotes: a quote, comma or line break inside, or a leading space.
// Bytes, not runes: none of these is ever part of a UTF-8 sequence, and
// strings.ContainsAny walks Chinese names rune by rune.
func needsQuotes(s string) bool {
	if s != "" && (s[0] == ' ' || s[0] == '\t') {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', ',', '\r', '\n':
			return true
		}
	}
	return false
}

// num adds a number field: app appends it (Qty.Append and the like).
func (l *csvLine) num(app func([]byte) []byte) {
	l.sep()
	l.b = app(l.b)
}

// end writes the record to w and starts the next.
func (l *csvLine) end(w *bufio.Writer) error {
	l.b = append(l.b, '\r', '\n')
	_, err := w.Write(l.b)
	l.b, l.fields = l.b[:0], 0
	return err
}

// run streams what produce writes and ends the file; see the comment at the
// top for errors.
func (s *Server) run(ctx context.Context, hctx huma.Context, t *tableStream, produce func() error) {
	err := produce()
	if err == nil {
		err = t.buf.Flush()
	}
	if err == nil {
		return
	}
	if t.w.started {
		s.log.ErrorContext(ctx, "export cut short", "request_id", requestIDOf(ctx), "err", err)
		panic(http.ErrAbortHandler)
	}
	writeHumaProblem(hctx, problemFor(ctx, s.log, err))
}

// lazyWriter sends the status and headers with the first bytes.
type lazyWriter struct {
	hctx              huma.Context
	contentType, name string
	started           bool
}

func (w *lazyWriter) Write(b []byte) (int, error) {
	if !w.started {
		w.started = true
		w.hctx.SetHeader("Content-Type", w.contentType)
		w.hctx.SetHeader("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(w.name))
		w.hctx.SetStatus(http.StatusOK)
	}
	return w.hctx.BodyWriter().Write(b)
}

// streamResponse documents an operation's success body as CSV or NDJSON.
func streamResponse(api huma.API, path string) {
	op := api.OpenAPI().Paths[path].Get
	op.Responses["200"] = &huma.Response{Description: "The file, streamed",
		Content: map[string]*huma.MediaType{
			csvType:    {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}},
			ndjsonType: {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}},
		}}
}

func (s *Server) stockReportRoutes() {
	svc := s.svc
	register(s, http.MethodGet, "/stock/balances/export", "exportStockBalances", "stock",
		"The whole stock balance list as a file, streamed as it is read (every row the filters keep, in item code order); values only for callers with data.cost.read",
		"stock.balance.read",
		func(ctx context.Context, p *domain.Principal, in *balanceExportIn) (*huma.StreamResponse, error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			g, asOf, cost := f.GroupBy, f.AsOf != nil, p.Can("data.cost.read")
			cols := []string{"item_code", "item_name", "spec", "unit"}
			if g != "item" {
				cols = append(cols, "warehouse")
			}
			bin := g == "" || g == "location" || g == "batch"
			if bin {
				cols = append(cols, "location_code")
			}
			if g == "batch" {
				cols = append(cols, "batch", "expiry")
			}
			cols = append(cols, "on_hand")
			if !asOf {
				cols = append(cols, "reserved", "available")
			}
			if cost {
				cols = append(cols, "unit_cost", "value")
			}
			lang := exportLang(ctx, in.ExportFormat)
			cells := func(r store.StockRow) func(*csvLine) {
				return func(l *csvLine) {
					l.str(r.ItemCode)
					l.str(nameIn(lang, r.ItemName, r.ItemNameEn))
					l.str(r.Spec)
					l.str(r.UnitName)
					if g != "item" {
						l.str(r.WarehouseName)
					}
					if bin {
						l.str(r.LocationCode)
					}
					if g == "batch" {
						exp := ""
						if r.Expiry != nil {
							exp = r.Expiry.String()
						}
						l.str(r.Batch)
						l.str(exp)
					}
					l.num(r.OnHand.Append)
					if !asOf {
						l.num(r.Reserved.Append)
						l.num(r.Available.Append)
					}
					if cost {
						l.num(r.UnitCost.Append)
						l.num(r.Value.Append)
					}
				}
			}
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				t := s.newTableStream(ctx, hctx, in.ExportFormat, "export.stock_balances", cols)
				s.run(ctx, hctx, t, func() error {
					return svc.StreamStockBalances(ctx, p, f, func(r store.StockRow) error { return t.row(r, cells(r)) })
				})
			}}, nil
		})
	streamResponse(s.api, "/api/v1/stock/balances/export")

	register(s, http.MethodGet, "/stock/warehouse-totals", "stockWarehouseTotals", "stock",
		"What each warehouse holds: items with stock, quantity, reserved and value (values only for callers with data.cost.read)", "stock.balance.read",
		func(ctx context.Context, p *domain.Principal, _ *struct{}) (*Out[[]store.WarehouseTotal], error) {
			t, err := svc.WarehouseTotals(ctx, p)
			if t == nil {
				t = []store.WarehouseTotal{}
			}
			return &Out[[]store.WarehouseTotal]{Body: t}, err
		})
	register(s, http.MethodGet, "/stock/movements", "stockMovements", "stock",
		"Movement summary (收发存汇总): per item the opening stock, in, out and closing stock of a warehouse (or all) over a date range; values only for callers with data.cost.read",
		"report.stock.read",
		func(ctx context.Context, p *domain.Principal, in *MovementParams) (*Out[MovementOut], error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			f.Page = store.Page{Limit: in.Limit, Offset: in.Offset}
			rep, err := svc.StockMovements(ctx, p, f)
			if rep.Rows == nil {
				rep.Rows = []store.MovementRow{}
			}
			return &Out[MovementOut]{Body: MovementOut{Items: rep.Rows, Totals: rep.Totals, Total: rep.Total, Limit: in.Limit, Offset: in.Offset}}, err
		})
	register(s, http.MethodGet, "/stock/movements/export", "exportStockMovements", "stock",
		"The whole movement summary as a file, streamed as it is read; values only for callers with data.cost.read",
		"report.stock.read",
		func(ctx context.Context, p *domain.Principal, in *movementExportIn) (*huma.StreamResponse, error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			cost := p.Can("data.cost.read")
			cols := []string{"item_code", "item_name", "spec", "unit", "opening_qty", "in_qty", "out_qty", "closing_qty"}
			if cost {
				cols = []string{"item_code", "item_name", "spec", "unit", "opening_qty", "opening_value", "in_qty", "in_value",
					"out_qty", "out_value", "closing_qty", "closing_value"}
			}
			lang := exportLang(ctx, in.ExportFormat)
			cells := func(r store.MovementRow) func(*csvLine) {
				return func(l *csvLine) {
					l.str(r.ItemCode)
					l.str(nameIn(lang, r.ItemName, r.ItemNameEn))
					l.str(r.Spec)
					l.str(r.UnitName)
					qv := func(q domain.Qty, v domain.Money) {
						l.num(q.Append)
						if cost {
							l.num(v.Append)
						}
					}
					qv(r.OpeningQty, r.OpeningValue)
					qv(r.InQty, r.InValue)
					qv(r.OutQty, r.OutValue)
					qv(r.ClosingQty, r.ClosingValue)
				}
			}
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				t := s.newTableStream(ctx, hctx, in.ExportFormat, "export.stock_movements", cols)
				s.run(ctx, hctx, t, func() error {
					return svc.StreamStockMovements(ctx, p, f, func(r store.MovementRow) error { return t.row(r, cells(r)) })
				})
			}}, nil
		})
	streamResponse(s.api, "/api/v1/stock/movements/export")
}

// MovementFilterParams select a movement summary.
type MovementFilterParams struct {
	WarehouseID int64  `query:"warehouse_id" doc:"One warehouse; every warehouse you may see when left out (a transfer between two of them is then both in and out)"`
	From        string `query:"from" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"First day (inclusive); 29 days before to when left out"`
	To          string `query:"to" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Last day (inclusive); today when left out"`
	Q           string `query:"q" maxLength:"100" doc:"Item code, name or 助记码"`
	CategoryID  int64  `query:"category_id" doc:"Category, including its sub-categories"`
}

func (in *MovementFilterParams) filter() (service.MovementFilter, error) {
	f := service.MovementFilter{WarehouseID: in.WarehouseID, Q: in.Q, CategoryID: in.CategoryID}
	return f, optRange(in.From, in.To, &f.From, &f.To)
}

type MovementParams struct {
	MovementFilterParams
	Limit  int `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset int `query:"offset" minimum:"0" default:"0"`
}

type movementExportIn struct {
	MovementFilterParams
	ExportFormat
}

// MovementOut is a page of the movement summary.
type MovementOut struct {
	Items  []store.MovementRow `json:"items"`
	Totals store.MovementRow   `json:"totals" doc:"Sums over every row (not only this page); the item fields are empty"`
	Total  int                 `json:"total" doc:"Rows across all pages"`
	Limit  int                 `json:"limit"`
	Offset int                 `json:"offset"`
}
