package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/i18n"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// The 报表 module's reports: sales analysis (销售分析), purchase analysis
// (采购分析), ABC analysis (ABC 分类) and stock ageing (库龄).
func (s *Server) reportRoutes() {
	svc := s.svc
	register(s, http.MethodGet, "/reports/sales", "salesAnalysis", "reports",
		"Sales analysis (销售分析): delivery notes and counter sales less returns over a date range, grouped by item, category, customer, salesperson, month or day — quantity, sales, returns, net sales, cost of goods, gross profit and margin (cost, profit and margin only for callers with data.cost.read)",
		"report.sales.read",
		func(ctx context.Context, p *domain.Principal, in *SalesAnalysisParams) (*Out[SalesAnalysisOut], error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			f.Page = store.Page{Limit: in.Limit, Offset: in.Offset}
			rep, err := svc.SalesAnalysis(ctx, p, f)
			if rep.Rows == nil {
				rep.Rows = []store.SalesAnalysisRow{}
			}
			return &Out[SalesAnalysisOut]{Body: SalesAnalysisOut{Items: rep.Rows, Totals: rep.Totals, Total: rep.Total, Limit: in.Limit, Offset: in.Offset}}, err
		})
	register(s, http.MethodGet, "/reports/sales/export", "exportSalesAnalysis", "reports",
		"The whole sales analysis as a file, streamed as it is read; cost, profit and margin only for callers with data.cost.read",
		"report.sales.read",
		func(ctx context.Context, p *domain.Principal, in *salesAnalysisExportIn) (*huma.StreamResponse, error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			lang := exportLang(ctx, in.ExportFormat)
			cost := p.Can("data.cost.read")
			byItem := f.By == "" || f.By == store.SalesByItem
			dated := f.By == store.SalesByMonth || f.By == store.SalesByDay
			cols := []string{"group_code", "group_name"}
			if dated { // the month or the day is the row's name
				cols = []string{f.By}
			}
			if byItem {
				cols = append(cols, "unit", "net_qty")
			}
			cols = append(cols, "sales", "returns", "net_sales")
			if cost {
				cols = append(cols, "cost", "gross_profit", "margin")
			}
			cols = append(cols, "documents")
			cells := func(r store.SalesAnalysisRow) func(*csvLine) {
				return func(l *csvLine) {
					l.str(r.Code)
					if !dated {
						l.str(groupName(lang, f.By, r.ID, r.Name, r.NameEn))
					}
					if byItem {
						l.str(nameIn(lang, r.UnitName, r.UnitNameEn))
						l.num(r.Qty.Append)
					}
					l.num(r.Sales.Append)
					l.num(r.Returns.Append)
					l.num(r.NetSales.Append)
					if cost {
						l.num(r.Cost.Append)
						l.num(r.GrossProfit.Append)
						if r.Margin != nil {
							l.num(r.Margin.Append)
						} else {
							l.str("")
						}
					}
					l.num(func(b []byte) []byte { return strconv.AppendInt(b, int64(r.Documents), 10) })
				}
			}
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				t := s.newTableStream(ctx, hctx, in.ExportFormat, "export.sales_analysis", cols)
				s.run(ctx, hctx, t, func() error {
					return svc.StreamSalesAnalysis(ctx, p, f, func(r store.SalesAnalysisRow) error { return t.row(r, cells(r)) })
				})
			}}, nil
		})
	streamResponse(s.api, "/api/v1/reports/sales/export")
	s.purchaseAnalysisRoutes()
	s.abcRoutes()
	s.ageingRoutes()
}

func (s *Server) purchaseAnalysisRoutes() {
	svc := s.svc
	register(s, http.MethodGet, "/reports/purchases", "purchaseAnalysis", "reports",
		"Purchase analysis (采购分析): purchase receipts (what they accepted) less purchase returns over a date range, grouped by item, category, supplier, month or day — quantity, purchases, returns, net purchases and, by item, the average unit cost, all without tax (amounts only for callers with data.cost.read; without it the groups come in code order)",
		"report.purchase.read",
		func(ctx context.Context, p *domain.Principal, in *PurchaseAnalysisParams) (*Out[PurchaseAnalysisOut], error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			f.Page = store.Page{Limit: in.Limit, Offset: in.Offset}
			rep, err := svc.PurchaseAnalysis(ctx, p, f)
			if rep.Rows == nil {
				rep.Rows = []store.PurchaseAnalysisRow{}
			}
			return &Out[PurchaseAnalysisOut]{Body: PurchaseAnalysisOut{Items: rep.Rows, Totals: rep.Totals, Total: rep.Total, Limit: in.Limit, Offset: in.Offset}}, err
		})
	register(s, http.MethodGet, "/reports/purchases/export", "exportPurchaseAnalysis", "reports",
		"The whole purchase analysis as a file, streamed as it is read; amounts only for callers with data.cost.read",
		"report.purchase.read",
		func(ctx context.Context, p *domain.Principal, in *purchaseAnalysisExportIn) (*huma.StreamResponse, error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			lang := exportLang(ctx, in.ExportFormat)
			cost := p.Can("data.cost.read")
			byItem := f.By == "" || f.By == store.PurchasesByItem
			dated := f.By == store.PurchasesByMonth || f.By == store.PurchasesByDay
			cols := []string{"group_code", "group_name"}
			if dated { // the month or the day is the row's name
				cols = []string{f.By}
			}
			if byItem {
				cols = append(cols, "unit", "purchase_qty")
			}
			if cost {
				cols = append(cols, "purchases", "returns", "net_purchases")
				if byItem {
					cols = append(cols, "avg_cost")
				}
			}
			cols = append(cols, "documents")
			cells := func(r store.PurchaseAnalysisRow) func(*csvLine) {
				return func(l *csvLine) {
					l.str(r.Code)
					if !dated {
						l.str(groupName(lang, f.By, r.ID, r.Name, r.NameEn))
					}
					if byItem {
						l.str(nameIn(lang, r.UnitName, r.UnitNameEn))
						l.num(r.Qty.Append)
					}
					if cost {
						l.num(r.Purchases.Append)
						l.num(r.Returns.Append)
						l.num(r.NetPurchases.Append)
						if byItem && r.AvgCost != nil {
							l.num(r.AvgCost.Append)
						} else if byItem {
							l.str("")
						}
					}
					l.num(func(b []byte) []byte { return strconv.AppendInt(b, int64(r.Documents), 10) })
				}
			}
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				t := s.newTableStream(ctx, hctx, in.ExportFormat, "export.purchase_analysis", cols)
				s.run(ctx, hctx, t, func() error {
					return svc.StreamPurchaseAnalysis(ctx, p, f, func(r store.PurchaseAnalysisRow) error { return t.row(r, cells(r)) })
				})
			}}, nil
		})
	streamResponse(s.api, "/api/v1/reports/purchases/export")
}

// groupName is an analysis group's name as a person reads it in lang: the
// English name in English where there is one, and what 0 stands for.
func groupName(lang i18n.Lang, by string, id int64, name, nameEn string) string {
	if id == 0 && by != store.SalesByMonth && by != store.SalesByDay {
		return i18n.T(lang, "report.none."+by, nil)
	}
	return nameIn(lang, name, nameEn)
}

// SalesAnalysisFilterParams select a sales analysis.
type SalesAnalysisFilterParams struct {
	By            string `query:"by" enum:"item,category,customer,salesperson,month,day" default:"item" doc:"Grouping"`
	From          string `query:"from" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"First day (inclusive); the first of this month when from and to are left out"`
	To            string `query:"to" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Last day (inclusive); today when from and to are left out"`
	WarehouseID   int64  `query:"warehouse_id" doc:"Documents of one warehouse (of the ones you may see)"`
	PartnerID     int64  `query:"partner_id" doc:"One customer's documents"`
	SalespersonID int64  `query:"salesperson_id" doc:"One salesperson's documents"`
	CategoryID    int64  `query:"category_id" doc:"Lines of items in the category and its sub-categories"`
	Q             string `query:"q" maxLength:"100" doc:"The group's code or name (not by month or day)"`
}

func (in *SalesAnalysisFilterParams) filter() (service.SalesAnalysisFilter, error) {
	f := service.SalesAnalysisFilter{By: in.By, WarehouseID: in.WarehouseID, PartnerID: in.PartnerID, SalespersonID: in.SalespersonID,
		CategoryID: in.CategoryID, Q: in.Q}
	return f, optRange(in.From, in.To, &f.From, &f.To)
}

type SalesAnalysisParams struct {
	SalesAnalysisFilterParams
	Limit  int `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset int `query:"offset" minimum:"0" default:"0"`
}

type salesAnalysisExportIn struct {
	SalesAnalysisFilterParams
	ExportFormat
}

// SalesAnalysisOut is a page of a sales analysis.
type SalesAnalysisOut struct {
	Items  []store.SalesAnalysisRow `json:"items"`
	Totals store.SalesAnalysisRow   `json:"totals" doc:"Sums over every group (not only this page); the group fields and documents are empty"`
	Total  int                      `json:"total" doc:"Groups across all pages"`
	Limit  int                      `json:"limit"`
	Offset int                      `json:"offset"`
}

// PurchaseAnalysisFilterParams select a purchase analysis.
type PurchaseAnalysisFilterParams struct {
	By          string `query:"by" enum:"item,category,supplier,month,day" default:"item" doc:"Grouping"`
	From        string `query:"from" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"First day (inclusive); the first of this month when from and to are left out"`
	To          string `query:"to" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Last day (inclusive); today when from and to are left out"`
	WarehouseID int64  `query:"warehouse_id" doc:"Documents of one warehouse (of the ones you may see)"`
	PartnerID   int64  `query:"partner_id" doc:"One supplier's documents"`
	ItemID      int64  `query:"item_id" doc:"Lines of one item"`
	CategoryID  int64  `query:"category_id" doc:"Lines of items in the category and its sub-categories"`
	Q           string `query:"q" maxLength:"100" doc:"The group's code, name, English name or 助记码 (not by month or day)"`
}

func (in *PurchaseAnalysisFilterParams) filter() (service.PurchaseAnalysisFilter, error) {
	f := service.PurchaseAnalysisFilter{By: in.By, WarehouseID: in.WarehouseID, PartnerID: in.PartnerID, ItemID: in.ItemID,
		CategoryID: in.CategoryID, Q: in.Q}
	return f, optRange(in.From, in.To, &f.From, &f.To)
}

type PurchaseAnalysisParams struct {
	PurchaseAnalysisFilterParams
	Limit  int `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset int `query:"offset" minimum:"0" default:"0"`
}

type purchaseAnalysisExportIn struct {
	PurchaseAnalysisFilterParams
	ExportFormat
}

// PurchaseAnalysisOut is a page of a purchase analysis.
type PurchaseAnalysisOut struct {
	Items  []store.PurchaseAnalysisRow `json:"items"`
	Totals store.PurchaseAnalysisRow   `json:"totals" doc:"Sums over every group (not only this page); the group fields, avg_cost and documents are empty"`
	Total  int                         `json:"total" doc:"Groups across all pages"`
	Limit  int                         `json:"limit"`
	Offset int                         `json:"offset"`
}

func (s *Server) abcRoutes() {
	svc := s.svc
	register(s, http.MethodGet, "/reports/abc", "abcAnalysis", "reports",
		"ABC analysis (ABC 分类): the items sold over a date range (the sales analysis by item: delivery notes and counter sales less returns, net without tax) ranked by net sales or gross profit, with each item's share, the cumulative share down the ranking and its class — A while the cumulative share before the item is below a %, B while below b %, else C (C also when the measure is 0 or less); the totals sum each class over every page. Ranking by gross profit needs data.cost.read (403 without it)",
		"report.sales.read",
		func(ctx context.Context, p *domain.Principal, in *AbcParams) (*Out[AbcOut], error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			f.Page = store.Page{Limit: in.Limit, Offset: in.Offset}
			rep, err := svc.AbcAnalysis(ctx, p, f)
			if rep.Rows == nil {
				rep.Rows = []store.AbcRow{}
			}
			return &Out[AbcOut]{Body: AbcOut{Items: rep.Rows, Totals: rep.Totals, Total: rep.Total, Limit: in.Limit, Offset: in.Offset}}, err
		})
	register(s, http.MethodGet, "/reports/abc/export", "exportAbcAnalysis", "reports",
		"The whole ABC analysis as a file in rank order, streamed as it is read; gross profit only for callers with data.cost.read",
		"report.sales.read",
		func(ctx context.Context, p *domain.Principal, in *abcExportIn) (*huma.StreamResponse, error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			lang := exportLang(ctx, in.ExportFormat)
			cost := p.Can("data.cost.read")
			cols := []string{"rank", "group_code", "group_name", "unit", "net_qty", "net_sales"}
			if cost {
				cols = append(cols, "gross_profit")
			}
			cols = append(cols, "share", "cum_share", "abc_class")
			cells := func(r store.AbcRow) func(*csvLine) {
				return func(l *csvLine) {
					l.num(func(b []byte) []byte { return strconv.AppendInt(b, int64(r.Rank), 10) })
					l.str(r.Code)
					l.str(nameIn(lang, r.Name, r.NameEn))
					l.str(nameIn(lang, r.UnitName, r.UnitNameEn))
					l.num(r.Qty.Append)
					l.num(r.NetSales.Append)
					if cost {
						l.num(r.GrossProfit.Append)
					}
					l.num(r.Share.Append)
					l.num(r.CumShare.Append)
					l.str(r.Class)
				}
			}
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				t := s.newTableStream(ctx, hctx, in.ExportFormat, "export.abc_analysis", cols)
				s.run(ctx, hctx, t, func() error {
					return svc.StreamAbcAnalysis(ctx, p, f, func(r store.AbcRow) error { return t.row(r, cells(r)) })
				})
			}}, nil
		})
	streamResponse(s.api, "/api/v1/reports/abc/export")
}

// AbcFilterParams select an ABC analysis.
type AbcFilterParams struct {
	Measure     string `query:"measure" enum:"sales,profit" default:"sales" doc:"Rank by net sales or by gross profit (needs data.cost.read)"`
	A           string `query:"a" maxLength:"10" doc:"Class A while the cumulative share before the item is below this percent (0 < a < b); 80 when a and b are left out"`
	B           string `query:"b" maxLength:"10" doc:"Class B while it is below this percent (a < b ≤ 100); 95 when a and b are left out"`
	From        string `query:"from" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"First day (inclusive); the first of this month when from and to are left out"`
	To          string `query:"to" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Last day (inclusive); today when from and to are left out"`
	WarehouseID int64  `query:"warehouse_id" doc:"Documents of one warehouse (of the ones you may see)"`
	CategoryID  int64  `query:"category_id" doc:"Items in the category and its sub-categories"`
	Q           string `query:"q" maxLength:"100" doc:"Finds items by code, name, English name or 助记码; they keep the rank, shares and class of the whole ranking, and the totals sum what is found"`
}

func (in *AbcFilterParams) filter() (service.AbcFilter, error) {
	f := service.AbcFilter{Measure: in.Measure, WarehouseID: in.WarehouseID, CategoryID: in.CategoryID, Q: in.Q}
	for _, t := range []struct {
		name, text string
		to         *domain.Rate
		other      string
	}{{"a", in.A, &f.A, in.B}, {"b", in.B, &f.B, in.A}} {
		if t.text == "" {
			if t.other != "" { // one without the other: the other's default
				*t.to = map[string]domain.Rate{"a": store.AbcDefaultA, "b": store.AbcDefaultB}[t.name]
			}
			continue
		}
		r, err := domain.ParseRate(t.text)
		if err != nil {
			return f, domain.FieldErr(t.name, "invalid_decimal")
		}
		if r == 0 { // 0 is not "left out"
			return f, domain.FieldErr(t.name, "range", "min", "0", "max", "100")
		}
		*t.to = r
	}
	return f, optRange(in.From, in.To, &f.From, &f.To)
}

type AbcParams struct {
	AbcFilterParams
	Limit  int `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset int `query:"offset" minimum:"0" default:"0"`
}

type abcExportIn struct {
	AbcFilterParams
	ExportFormat
}

// AbcOut is a page of an ABC analysis.
type AbcOut struct {
	Items  []store.AbcRow  `json:"items"`
	Totals store.AbcTotals `json:"totals" doc:"Each class and all of them over every page"`
	Total  int             `json:"total" doc:"Items across all pages"`
	Limit  int             `json:"limit"`
	Offset int             `json:"offset"`
}

func (s *Server) ageingRoutes() {
	svc := s.svc
	register(s, http.MethodGet, "/reports/ageing", "stockAgeing", "reports",
		"Stock ageing (库龄): how long the stock on hand at the end of as_of has been in its warehouse, FIFO — an item's on hand in a warehouse is taken to be the most recent stock that came in (any document that brought it into the warehouse), newest first, each part aged by as_of less the document's date, in buckets of 0–30, 31–60, 61–90, 91–180 and over 180 days; values at the warehouse's average cost, adding up to the on-hand value exactly (values only for callers with data.cost.read, who get the oldest values first; others the oldest quantities first). Items with nothing on hand are left out; the totals sum every bucket over every page",
		"report.stock.read",
		func(ctx context.Context, p *domain.Principal, in *AgeingParams) (*Out[AgeingOut], error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			f.Page = store.Page{Limit: in.Limit, Offset: in.Offset}
			rep, err := svc.Ageing(ctx, p, f)
			if rep.Rows == nil {
				rep.Rows = []store.AgeingRow{}
			}
			if rep.Totals.Buckets == nil {
				rep.Totals.Buckets = []store.AgeingBucket{}
			}
			return &Out[AgeingOut]{Body: AgeingOut{Items: rep.Rows, Totals: rep.Totals, Total: rep.Total, Limit: in.Limit, Offset: in.Offset}}, err
		})
	register(s, http.MethodGet, "/reports/ageing/export", "exportStockAgeing", "reports",
		"The whole stock ageing report as a file, streamed as it is read; values only for callers with data.cost.read",
		"report.stock.read",
		func(ctx context.Context, p *domain.Principal, in *ageingExportIn) (*huma.StreamResponse, error) {
			f, err := in.filter()
			if err != nil {
				return nil, err
			}
			lang := exportLang(ctx, in.ExportFormat)
			cost := p.Can("data.cost.read")
			buckets := []string{"30", "60", "90", "180", "over"}
			cols := []string{"group_code", "group_name", "unit", "on_hand"}
			if cost {
				cols = append(cols, "value")
			}
			for _, b := range buckets {
				cols = append(cols, "age_"+b+"_qty")
			}
			if cost {
				for _, b := range buckets {
					cols = append(cols, "age_"+b+"_value")
				}
			}
			cols = append(cols, "oldest_days")
			cells := func(r store.AgeingRow) func(*csvLine) {
				return func(l *csvLine) {
					l.str(r.Code)
					l.str(nameIn(lang, r.Name, r.NameEn))
					l.str(nameIn(lang, r.UnitName, r.UnitNameEn))
					l.num(r.OnHand.Append)
					if cost {
						l.num(r.Value.Append)
					}
					for _, b := range r.Buckets {
						l.num(b.Qty.Append)
					}
					if cost {
						for _, b := range r.Buckets {
							l.num(b.Value.Append)
						}
					}
					l.num(func(b []byte) []byte { return strconv.AppendInt(b, int64(r.OldestDays), 10) })
				}
			}
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				t := s.newTableStream(ctx, hctx, in.ExportFormat, "export.ageing", cols)
				s.run(ctx, hctx, t, func() error {
					return svc.StreamAgeing(ctx, p, f, func(r store.AgeingRow) error { return t.row(r, cells(r)) })
				})
			}}, nil
		})
	streamResponse(s.api, "/api/v1/reports/ageing/export")
}

// AgeingFilterParams select a stock ageing report.
type AgeingFilterParams struct {
	AsOf        string `query:"as_of" maxLength:"10" doc:"The day (YYYY-MM-DD) whose closing stock is aged; today when left out"`
	WarehouseID int64  `query:"warehouse_id" doc:"One warehouse (of the ones you may see); every one of them summed when left out"`
	CategoryID  int64  `query:"category_id" doc:"Items in the category and its sub-categories"`
	Q           string `query:"q" maxLength:"100" doc:"Finds items by code, name, English name or 助记码"`
	Sort        string `query:"sort" enum:"age,code" default:"age" doc:"age: the oldest stock first (over 180 days, then 91–180, … — values with data.cost.read, else quantities); code: item code"`
}

func (in *AgeingFilterParams) filter() (service.AgeingFilter, error) {
	f := service.AgeingFilter{WarehouseID: in.WarehouseID, CategoryID: in.CategoryID, Q: in.Q, Sort: in.Sort}
	var err error
	f.AsOf, err = optDay("as_of", in.AsOf)
	return f, err
}

type AgeingParams struct {
	AgeingFilterParams
	Limit  int `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset int `query:"offset" minimum:"0" default:"0"`
}

type ageingExportIn struct {
	AgeingFilterParams
	ExportFormat
}

// AgeingOut is a page of a stock ageing report.
type AgeingOut struct {
	Items  []store.AgeingRow  `json:"items"`
	Totals store.AgeingTotals `json:"totals" doc:"Every bucket over every item (not only this page)"`
	Total  int                `json:"total" doc:"Items across all pages"`
	Limit  int                `json:"limit"`
	Offset int                `json:"offset"`
}
