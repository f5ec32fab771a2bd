package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"net/url"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/i18n"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/sheet"
	"github.com/jxc-erp/jxc/internal/store"
)

// StockDocInput is what a client sends to create or change a warehouse
// document; numbers, states and totals are the server's.
type StockDocInput struct {
	Type          domain.DocType   `json:"type" enum:"stock_opening,stock_in,stock_out,stock_transfer,assembly,disassembly" doc:"Stocktakes are started with POST /stock/stocktakes"`
	Date          *domain.Date     `json:"date,omitempty" doc:"Business date; today when left out"`
	WarehouseID   int64            `json:"warehouse_id" minimum:"1"`
	ToWarehouseID *int64           `json:"to_warehouse_id,omitempty" doc:"Transfers only"`
	TwoStep       bool             `json:"two_step,omitempty" doc:"Transfers between warehouses: ship into transit now, receive later"`
	Reason        string           `json:"reason,omitempty" maxLength:"40" doc:"stock_in: gain, gift, found, return, production, other; stock_out: damage, expired, sample, internal_use, gift, loss, other"`
	Note          string           `json:"note,omitempty" maxLength:"2000"`
	Version       int64            `json:"version,omitempty" doc:"Updates: the version you read"`
	Lines         []StockLineInput `json:"lines" maxItems:"2000"`
}

// StockLineInput is one line of a StockDocInput.
type StockLineInput struct {
	ItemID       int64        `json:"item_id" minimum:"1"`
	UnitID       int64        `json:"unit_id,omitempty" doc:"A unit of the item; the base unit when left out"`
	Qty          domain.Qty   `json:"qty"`
	Price        domain.Price `json:"price,omitempty" doc:"Receipts: unit cost per unit entered"`
	Amount       domain.Money `json:"amount,omitempty" doc:"Receipts: total value instead of a unit cost"`
	LocationID   int64        `json:"location_id,omitempty" doc:"Bin; the warehouse itself when left out"`
	ToLocationID int64        `json:"to_location_id,omitempty" doc:"Transfers: bin in the destination"`
	Batch        string       `json:"batch,omitempty" maxLength:"64"`
	Expiry       *domain.Date `json:"expiry,omitempty"`
	Note         string       `json:"note,omitempty" maxLength:"500"`
	Serials      []string     `json:"serials,omitempty" maxItems:"10000" doc:"Serial-tracked items: one serial number per unit"`
	Role         string       `json:"role,omitempty" enum:",product,component" doc:"Assemblies: the product line and the component lines (send only the product to fill the components from its BOM)"`
}

func (in *StockDocInput) doc() domain.Document {
	d := domain.Document{Type: in.Type, WarehouseID: in.WarehouseID, ToWarehouseID: in.ToWarehouseID, TwoStep: in.TwoStep, Reason: in.Reason,
		Note: in.Note, Version: in.Version, Lines: make([]domain.DocLine, len(in.Lines))}
	if in.Date != nil {
		d.Date = *in.Date
	}
	for i, l := range in.Lines {
		d.Lines[i] = domain.DocLine{ItemID: l.ItemID, UnitID: l.UnitID, Qty: l.Qty, Price: l.Price, Amount: l.Amount,
			LocationID: l.LocationID, ToLocationID: l.ToLocationID, Batch: l.Batch, Expiry: l.Expiry, Note: l.Note, Role: l.Role, Serials: l.Serials}
	}
	return d
}

type createStockDocIn struct {
	Post bool `query:"post" doc:"Post at once (needs stock.document.post too)"`
	Body StockDocInput
}

type DocListParams struct {
	Q           string `query:"q" maxLength:"100" doc:"Search the number and the note"`
	Type        string `query:"type" enum:",stock_opening,stock_in,stock_out,stock_transfer,stocktake,assembly,disassembly"`
	State       string `query:"state" enum:",draft,submitted,approved,posted,cancelled"`
	WarehouseID int64  `query:"warehouse_id"`
	ItemID      int64  `query:"item_id" doc:"Documents with a line of this item"`
	From        string `query:"from" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Business date from (inclusive)"`
	To          string `query:"to" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Business date to (inclusive)"`
	Sort        string `query:"sort" enum:",number,-number,date,-date,state,-state,created_at,-created_at,total_amount,-total_amount"`
	Limit       int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset      int    `query:"offset" minimum:"0" default:"0"`
}

func optDate(field, s string) (*domain.Date, error) {
	if s == "" {
		return nil, nil
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return nil, domain.FieldErr(field, "date_format")
	}
	return &d, nil
}

// optDay is optDate for callers that take the zero date for "not given".
func optDay(field, s string) (domain.Date, error) {
	d, err := optDate(field, s)
	if d == nil {
		return domain.Date{}, err
	}
	return *d, nil
}

// optRange reads an optional from–to pair of dates into from and to.
func optRange(fromText, toText string, from, to *domain.Date) (err error) {
	if *from, err = optDay("from", fromText); err != nil {
		return err
	}
	*to, err = optDay("to", toText)
	return err
}

type versionBody struct {
	Version int64 `json:"version" doc:"The version you read; 0 skips the check"`
}

type docActIn struct {
	ID   int64 `path:"id" minimum:"1"`
	Body versionBody
}

type reverseBody struct {
	Date *domain.Date `json:"date,omitempty" doc:"Business date of the reversal; today when left out"`
	Note string       `json:"note,omitempty" maxLength:"2000" doc:"Why it is reversed"`
}

// BalanceFilterParams are the filters of the stock balance list and of
// its export.
type BalanceFilterParams struct {
	Q           string  `query:"q" maxLength:"100" doc:"Item code, name or 助记码"`
	ItemID      int64   `query:"item_id"`
	ItemIDs     []int64 `query:"item_ids" maxItems:"500" doc:"Only these items, e.g. item_ids=3,8,13 (on hand of the lines of an order)"`
	WarehouseID int64   `query:"warehouse_id"`
	LocationID  int64   `query:"location_id"`
	CategoryID  int64   `query:"category_id" doc:"Category, including its sub-categories"`
	Group       string  `query:"group" enum:",item,warehouse,location,batch" doc:"One row per item, per item and warehouse, per location (default) or per batch"`
	WithZero    bool    `query:"with_zero" doc:"Include rows with nothing on hand"`
	AsOf        string  `query:"as_of" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Stock at the end of this past day (from period snapshots plus the ledger); reserved is 0"`
}

func (in *BalanceFilterParams) filter() (service.BalanceFilter, error) {
	asOf, err := optDate("as_of", in.AsOf)
	return service.BalanceFilter{Q: in.Q, ItemID: in.ItemID, ItemIDs: in.ItemIDs, WarehouseID: in.WarehouseID, LocationID: in.LocationID,
		CategoryID: in.CategoryID, GroupBy: in.Group, WithZero: in.WithZero, AsOf: asOf}, err
}

type BalanceParams struct {
	BalanceFilterParams
	Sort   string `query:"sort" enum:",item,-item,on_hand,-on_hand,value,-value,available,-available"`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset int    `query:"offset" minimum:"0" default:"0"`
	Count  bool   `query:"count" default:"true" doc:"false: do not count the rows of the whole list (a large list pages faster); total is then -1 unless this page reaches the end, and has_more says whether another page follows"`
}

// StockPage is a page of the stock balance list.
type StockPage struct {
	Items   []store.StockRow `json:"items"`
	Total   int              `json:"total" doc:"Rows matching the filter, across all pages; -1 when count=false and this page does not reach the end"`
	HasMore bool             `json:"has_more" doc:"Another page follows"`
	Limit   int              `json:"limit"`
	Offset  int              `json:"offset"`
}

type LedgerParams struct {
	ItemID      int64  `query:"item_id" required:"true" minimum:"1"`
	WarehouseID int64  `query:"warehouse_id"`
	LocationID  int64  `query:"location_id"`
	Batch       string `query:"batch" maxLength:"64"`
	From        string `query:"from" pattern:"^\\d{4}-\\d{2}-\\d{2}$"`
	To          string `query:"to" pattern:"^\\d{4}-\\d{2}-\\d{2}$"`
	Limit       int    `query:"limit" minimum:"1" maximum:"500" default:"100"`
	Offset      int    `query:"offset" minimum:"0" default:"0"`
}

// LedgerOut is a page of an item's ledger.
type LedgerOut struct {
	OpeningQty   domain.Qty        `json:"opening_qty" doc:"Balance before the first row of the range"`
	OpeningValue domain.Money      `json:"opening_value"`
	Items        []store.LedgerRow `json:"items"`
	Total        int               `json:"total"`
	Limit        int               `json:"limit"`
	Offset       int               `json:"offset"`
}

type stocktakeBody struct {
	WarehouseID     int64        `json:"warehouse_id" minimum:"1"`
	Date            *domain.Date `json:"date,omitempty"`
	ScopeLocationID *int64       `json:"scope_location_id,omitempty" doc:"Count only this location and its sub-locations"`
	ScopeCategoryID *int64       `json:"scope_category_id,omitempty" doc:"Count only this category and its sub-categories"`
	Blind           bool         `json:"blind,omitempty" doc:"Counters do not see the book quantity"`
	Note            string       `json:"note,omitempty" maxLength:"2000"`
}

type countsBody struct {
	Version int64           `json:"version,omitempty" doc:"The version you read; 0 skips the check (scanners)"`
	Counts  []service.Count `json:"counts" maxItems:"2000"`
}

type AlertParams struct {
	WarehouseID int64 `query:"warehouse_id"`
	Days        int   `query:"days" minimum:"0" maximum:"3650" doc:"Near expiry = expiring within this many days (30 by default)"`
}

type FEFOParams struct {
	ItemID      int64  `query:"item_id" required:"true" minimum:"1"`
	WarehouseID int64  `query:"warehouse_id" required:"true" minimum:"1"`
	Qty         string `query:"qty" pattern:"^\\d+(\\.\\d{1,4})?$" doc:"Quantity to issue, in base units"`
}

type closeBody struct {
	PeriodEnd domain.Date `json:"period_end" doc:"Last day to close, usually a month's last day"`
}

type reopenBody struct {
	Reason string `json:"reason" maxLength:"500" doc:"Why the period is reopened (kept in the audit log)"`
}

func (s *Server) stockRoutes() {
	svc := s.svc
	const tag = "stock"
	register(s, http.MethodGet, "/stock/documents", "listStockDocs", tag, "List warehouse documents", "stock.document.read",
		func(ctx context.Context, p *domain.Principal, in *DocListParams) (*Out[Page[domain.Document]], error) {
			f := service.DocFilter{ListFilter: store.ListFilter{Q: in.Q, Sort: in.Sort, Page: store.Page{Limit: in.Limit, Offset: in.Offset}},
				State: domain.DocState(in.State), WarehouseID: in.WarehouseID, ItemID: in.ItemID}
			if in.Type != "" {
				f.Types = []domain.DocType{domain.DocType(in.Type)}
			}
			var err error
			if f.From, err = optDate("from", in.From); err != nil {
				return nil, err
			}
			if f.To, err = optDate("to", in.To); err != nil {
				return nil, err
			}
			docs, n, err := svc.StockDocs(ctx, p, f)
			return page(docs, n, ListParams{Limit: in.Limit, Offset: in.Offset}), err
		})
	register(s, http.MethodGet, "/stock/documents/{id}", "getStockDoc", tag, "Get a warehouse document with its lines", "stock.document.read",
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Out[domain.Document], error) {
			d, err := svc.StockDoc(ctx, p, in.ID)
			return &Out[domain.Document]{Body: d}, err
		})
	register(s, http.MethodPost, "/stock/documents", "createStockDoc", tag,
		"Create a warehouse document (draft); with ?post=true post it at once", "stock.document.write",
		func(ctx context.Context, p *domain.Principal, in *createStockDocIn) (*Out[domain.Document], error) {
			if in.Post && !p.Can("stock.document.post") {
				return nil, domain.Errorf(domain.EForbidden, "missing permission stock.document.post")
			}
			d, err := svc.CreateStockDoc(ctx, p, in.Body.doc(), in.Post)
			return &Out[domain.Document]{Body: d}, err
		})
	register(s, http.MethodPut, "/stock/documents/{id}", "updateStockDoc", tag, "Change a draft (send the version you read)", "stock.document.write",
		func(ctx context.Context, p *domain.Principal, in *idBodyIn[StockDocInput]) (*Out[domain.Document], error) {
			d, err := svc.UpdateStockDoc(ctx, p, in.ID, in.Body.doc())
			return &Out[domain.Document]{Body: d}, err
		})
	for _, a := range []struct {
		act     service.DocAction
		perm    string
		summary string
	}{
		{service.ActSubmit, "stock.document.write", "Submit a draft for approval"},
		{service.ActApprove, "stock.document.approve", "Approve a submitted document"},
		{service.ActPost, "stock.document.post", "Post a document: its goods move and it can no longer be changed"},
		{service.ActCancel, "stock.document.write", "Cancel a document that is not posted"},
	} {
		register(s, http.MethodPost, "/stock/documents/{id}/"+string(a.act), string(a.act)+"StockDoc", tag, a.summary, a.perm,
			func(ctx context.Context, p *domain.Principal, in *docActIn) (*Out[domain.Document], error) {
				d, err := svc.ActOnStockDoc(ctx, p, in.ID, in.Body.Version, a.act)
				if err == nil {
					d, err = svc.StockDoc(ctx, p, in.ID)
				}
				return &Out[domain.Document]{Body: d}, err
			})
	}
	register(s, http.MethodPost, "/stock/documents/{id}/reverse", "reverseStockDoc", tag,
		"Reverse (红冲) a posted document: a linked document undoes its moves", "stock.document.reverse",
		func(ctx context.Context, p *domain.Principal, in *idBodyIn[reverseBody]) (*Out[domain.Document], error) {
			var day domain.Date
			if in.Body.Date != nil {
				day = *in.Body.Date
			}
			d, err := svc.ReverseStockDoc(ctx, p, in.ID, day, in.Body.Note)
			if err == nil {
				d, err = svc.StockDoc(ctx, p, d.ID)
			}
			return &Out[domain.Document]{Body: d}, err
		})
	register(s, http.MethodGet, "/stock/balances", "listStockBalances", tag,
		"Stock on hand, reserved, available and value by item, warehouse, location or batch", "stock.balance.read",
		func(ctx context.Context, p *domain.Principal, in *BalanceParams) (*Out[StockPage], error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			f.Sort, f.NoCount, f.Page = in.Sort, !in.Count, store.Page{Limit: in.Limit, Offset: in.Offset}
			pg, err := svc.StockBalancePage(ctx, p, f)
			if pg.Rows == nil {
				pg.Rows = []store.StockRow{}
			}
			return &Out[StockPage]{Body: StockPage{Items: pg.Rows, Total: pg.Total, HasMore: pg.More, Limit: in.Limit, Offset: in.Offset}}, err
		})
	s.stockReportRoutes()
	register(s, http.MethodGet, "/stock/ledger", "stockLedger", tag,
		"An item's stock ledger (库存台账) in business-date order with running balances", "stock.balance.read",
		func(ctx context.Context, p *domain.Principal, in *LedgerParams) (*Out[LedgerOut], error) {
			f := service.LedgerFilter{ItemID: in.ItemID, WarehouseID: in.WarehouseID, LocationID: in.LocationID,
				Page: store.Page{Limit: in.Limit, Offset: in.Offset}}
			if in.Batch != "" {
				f.Batch = &in.Batch
			}
			var err error
			if f.From, err = optDate("from", in.From); err != nil {
				return nil, err
			}
			if f.To, err = optDate("to", in.To); err != nil {
				return nil, err
			}
			pg, err := svc.StockLedger(ctx, p, f)
			rows := pg.Rows
			if rows == nil {
				rows = []store.LedgerRow{}
			}
			return &Out[LedgerOut]{Body: LedgerOut{OpeningQty: pg.OpeningQty, OpeningValue: pg.OpeningValue, Items: rows,
				Total: pg.Total, Limit: in.Limit, Offset: in.Offset}}, err
		})
	register(s, http.MethodGet, "/stock/periods", "listStockCloses", tag, "Month-end closes of the stock books, newest first", "stock.balance.read",
		func(ctx context.Context, p *domain.Principal, _ *struct{}) (*Out[[]store.StockClose], error) {
			cs, err := svc.StockCloses(ctx, p)
			if cs == nil {
				cs = []store.StockClose{}
			}
			return &Out[[]store.StockClose]{Body: cs}, err
		})
	register(s, http.MethodPost, "/stock/periods/close", "closeStockPeriod", tag,
		"Close the stock books up to a day: snapshots are taken and earlier postings are refused", "stock.period.close",
		func(ctx context.Context, p *domain.Principal, in *bodyIn[closeBody]) (*Out[store.StockClose], error) {
			c, err := svc.ClosePeriod(ctx, p, in.Body.PeriodEnd)
			return &Out[store.StockClose]{Body: c}, err
		})
	register(s, http.MethodPost, "/stock/periods/reopen", "reopenStockPeriod", tag,
		"Reopen the latest closed period (audited, with a reason)", "stock.period.reopen",
		func(ctx context.Context, p *domain.Principal, in *bodyIn[reopenBody]) (*Out[store.StockClose], error) {
			c, err := svc.ReopenPeriod(ctx, p, in.Body.Reason)
			return &Out[store.StockClose]{Body: c}, err
		})
	register(s, http.MethodPost, "/stock/stocktakes", "createStocktake", tag,
		"Start a stocktake (盘点): the sheet lists the stock in scope with the book quantity frozen now", "stock.document.write",
		func(ctx context.Context, p *domain.Principal, in *bodyIn[stocktakeBody]) (*Out[domain.Document], error) {
			b := in.Body
			d := domain.Document{WarehouseID: b.WarehouseID, ScopeLocationID: b.ScopeLocationID, ScopeCategoryID: b.ScopeCategoryID, Blind: b.Blind, Note: b.Note}
			if b.Date != nil {
				d.Date = *b.Date
			}
			d, err := svc.CreateStocktake(ctx, p, d)
			return &Out[domain.Document]{Body: d}, err
		})
	register(s, http.MethodPost, "/stock/stocktakes/{id}/counts", "countStocktake", tag,
		"Record counts: set a line's count, add to it (scanning), add an item found, or clear a count (recount)", "stock.document.write",
		func(ctx context.Context, p *domain.Principal, in *idBodyIn[countsBody]) (*Out[domain.Document], error) {
			d, err := svc.CountStocktake(ctx, p, in.ID, in.Body.Version, in.Body.Counts)
			return &Out[domain.Document]{Body: d}, err
		})
	register(s, http.MethodGet, "/boms/{id}", "getBOM", "items", "The bill of materials (BOM) of an item (id = the product item)", "data.item.read",
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Out[[]domain.BOMLine], error) {
			b, err := svc.BOM(ctx, p, in.ID)
			if b == nil {
				b = []domain.BOMLine{}
			}
			return &Out[[]domain.BOMLine]{Body: b}, err
		})
	register(s, http.MethodPut, "/boms/{id}", "setBOM", "items", "Replace the bill of materials of an item", "data.item.write",
		func(ctx context.Context, p *domain.Principal, in *idBodyIn[[]domain.BOMLine]) (*Out[[]domain.BOMLine], error) {
			b, err := svc.SetBOM(ctx, p, in.ID, in.Body)
			if b == nil {
				b = []domain.BOMLine{}
			}
			return &Out[[]domain.BOMLine]{Body: b}, err
		})
	register(s, http.MethodGet, "/stock/alerts", "stockAlerts", tag,
		"Items below safety stock or min, above max, and batches near or past expiry", "stock.balance.read",
		func(ctx context.Context, p *domain.Principal, in *AlertParams) (*Out[[]store.StockAlert], error) {
			a, err := svc.StockAlerts(ctx, p, in.WarehouseID, in.Days)
			if a == nil {
				a = []store.StockAlert{}
			}
			return &Out[[]store.StockAlert]{Body: a}, err
		})
	register(s, http.MethodGet, "/stock/fefo", "stockFEFO", tag,
		"Batches to issue an item from, first expiring first, with the quantity to take from each", "stock.balance.read",
		func(ctx context.Context, p *domain.Principal, in *FEFOParams) (*Out[[]store.BatchOption], error) {
			var q domain.Qty
			if in.Qty != "" {
				var err error
				if q, err = domain.ParseQty(in.Qty); err != nil {
					return nil, domain.FieldErr("qty", "range", "min", "0", "max", "1000000000")
				}
			}
			b, err := svc.FEFO(ctx, p, in.ItemID, in.WarehouseID, q)
			if b == nil {
				b = []store.BatchOption{}
			}
			return &Out[[]store.BatchOption]{Body: b}, err
		})
	register(s, http.MethodPost, "/stock/documents/{id}/receive", "receiveTransfer", tag,
		"Receive a two-step transfer that is in transit (a linked transfer document posts the arrival)", "stock.document.post",
		func(ctx context.Context, p *domain.Principal, in *idBodyIn[receiveBody]) (*Out[domain.Document], error) {
			var day domain.Date
			if in.Body.Date != nil {
				day = *in.Body.Date
			}
			d, err := svc.ReceiveTransfer(ctx, p, in.ID, day)
			if err == nil {
				d, err = svc.StockDoc(ctx, p, d.ID)
			}
			return &Out[domain.Document]{Body: d}, err
		})
	s.importRoutes()
	register(s, http.MethodGet, "/stock/serials", "findSerial", tag, "A serial number: where it is now and every move it made", "stock.balance.read",
		func(ctx context.Context, p *domain.Principal, in *SerialParams) (*Out[[]store.SerialInfo], error) {
			r, err := svc.Serials(ctx, p, in.ItemID, in.Serial)
			if r == nil {
				r = []store.SerialInfo{}
			}
			return &Out[[]store.SerialInfo]{Body: r}, err
		})
	register(s, http.MethodGet, "/stock/recost-jobs", "listRecostJobs", tag,
		"Re-costing jobs: back-dated postings too large to re-cost inside the request, newest first", "stock.balance.read",
		func(ctx context.Context, p *domain.Principal, in *RecostJobParams) (*Out[Page[store.RecostJob]], error) {
			jobs, n, err := svc.RecostJobs(ctx, p, store.RecostFilter{State: in.State, Page: store.Page{Limit: in.Limit, Offset: in.Offset}})
			return page(jobs, n, ListParams{Limit: in.Limit, Offset: in.Offset}), err
		})
	register(s, http.MethodGet, "/stock/in-transit", "listInTransit", tag, "Two-step transfers shipped and not yet received", "stock.document.read",
		func(ctx context.Context, p *domain.Principal, _ *struct{}) (*Out[[]domain.Document], error) {
			d, err := svc.InTransit(ctx, p)
			if d == nil {
				d = []domain.Document{}
			}
			return &Out[[]domain.Document]{Body: d}, err
		})
}

type RecostJobParams struct {
	State  string `query:"state" enum:",pending,done,failed"`
	Limit  int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset int    `query:"offset" minimum:"0" default:"0"`
}

type SerialParams struct {
	Serial string `query:"serial" required:"true" maxLength:"64"`
	ItemID int64  `query:"item_id"`
}

type receiveBody struct {
	Date *domain.Date `json:"date,omitempty" doc:"Day the goods arrived; today when left out"`
}

type importIn struct {
	WarehouseID int64  `query:"warehouse_id" required:"true" minimum:"1"`
	Date        string `query:"date" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Business date of the opening balances; today when left out"`
	RawBody     []byte `contentType:"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"`
}

type langIn struct {
	Lang string `query:"lang" enum:",zh-CN,en" doc:"Language of the column headers; the caller's by default"`
}

// importRoutes: opening balances from an Excel sheet, and its template.
func (s *Server) importRoutes() {
	svc := s.svc
	op := huma.Operation{
		OperationID: "importOpening", Method: http.MethodPost, Path: "/api/v1/stock/import/opening", Tags: []string{"stock"},
		Summary:       "Import opening balances (期初) from an .xlsx sheet: all rows or none, every bad cell named by row and column",
		Description:   "Permission: `stock.document.post`. The body is the .xlsx file (see the template).",
		Metadata:      map[string]any{"perm": "stock.document.post"},
		MaxBodyBytes:  16 << 20,
		Security:      []map[string][]string{{"session": {}}, {"bearer": {}}},
		DefaultStatus: http.StatusCreated,
	}
	huma.Register(s.api, op, func(ctx context.Context, in *importIn) (*Out[domain.Document], error) {
		p := principalOf(ctx)
		if !p.Can("stock.document.post") || !p.Can("stock.document.write") {
			return nil, problemFor(ctx, s.log, domain.Errorf(domain.EForbidden, "missing permission stock.document.post"))
		}
		day, err := optDate("date", in.Date)
		if err != nil {
			return nil, problemFor(ctx, s.log, err)
		}
		rows, err := sheet.ReadXLSX(bytes.NewReader(in.RawBody), service.MaxImportRows+1)
		if err != nil {
			return nil, problemFor(ctx, s.log, domain.FieldErr("body", "xlsx"))
		}
		var d domain.Date
		if day != nil {
			d = *day
		}
		doc, err := svc.ImportOpening(ctx, p, in.WarehouseID, d, rows)
		if err != nil {
			return nil, problemFor(ctx, s.log, err)
		}
		return &Out[domain.Document]{Body: doc}, nil
	})
	register(s, http.MethodGet, "/stock/import/opening/template", "openingTemplate", "stock",
		"The .xlsx template for importing opening balances", "stock.document.read",
		func(ctx context.Context, p *domain.Principal, in *langIn) (*fileOut, error) {
			lang := langOf(ctx)
			if in.Lang != "" {
				lang = i18n.Parse(in.Lang)
			}
			header := make([]string, len(service.OpeningColumns))
			for i, c := range service.OpeningColumns {
				header[i] = i18n.Name(lang, c)
			}
			example := [][]string{{"SKU-001", "100", "", "12.50", "", "", "", ""}, {"SKU-002", "2", "box", "240", "A-01-1", "20261101", "2027-05-01", ""}}
			var buf bytes.Buffer
			if err := sheet.WriteXLSX(&buf, i18n.T(lang, "import.opening_sheet", nil), header, example); err != nil {
				return nil, err
			}
			return &fileOut{ContentType: xlsxType,
				ContentDisposition: "attachment; filename*=UTF-8''" + url.PathEscape(i18n.T(lang, "import.opening_sheet", nil)+".xlsx"), Body: buf.Bytes()}, nil
		})
	fileResponse(s.api, http.MethodGet, "/api/v1/stock/import/opening/template", xlsxType)
}
