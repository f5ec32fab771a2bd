package httpapi

import (
	"context"
	"net/http"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// PurchaseDocInput is what a client sends to create or change a purchasing
// document; numbers, states, totals and running quantities are the
// server's.
type PurchaseDocInput struct {
	Date         *domain.Date        `json:"date,omitempty" doc:"Business date; today when left out"`
	PartnerID    int64               `json:"partner_id,omitempty" doc:"The supplier (required except on requisitions, RFQs and landed costs without a carrier)"`
	WarehouseID  int64               `json:"warehouse_id,omitempty" doc:"Orders, receipts and returns: the warehouse"`
	TaxIncluded  bool                `json:"tax_included,omitempty" doc:"Line prices include tax (含税单价). Receipts and returns take it from their source"`
	ExpectedDate *domain.Date        `json:"expected_date,omitempty" doc:"Orders: when the goods are expected"`
	DueDate      *domain.Date        `json:"due_date,omitempty" doc:"Bills: when payment is due; the date plus the supplier's terms when left out"`
	Ref          string              `json:"ref,omitempty" maxLength:"64" doc:"The supplier's delivery note or invoice number"`
	Discount     domain.Money        `json:"discount,omitempty" doc:"Whole-bill discount (整单优惠) off the gross"`
	SourceID     *int64              `json:"source_id,omitempty" doc:"Receipts: the order (filled in from the lines when left out)"`
	AccountID    *int64              `json:"account_id,omitempty" doc:"Payments: the account paid from"`
	Amount       domain.Money        `json:"amount,omitempty" doc:"Payments: the amount paid"`
	VarianceTo   string              `json:"variance_to,omitempty" enum:",account,cost" doc:"Bills: where price variances go (default the variance account)"`
	AllocateBy   string              `json:"allocate_by,omitempty" enum:",value,qty,weight" doc:"Landed costs: spread the charges by the lines' value, quantity or weight"`
	Charges      []ChargeInput       `json:"charges,omitempty" maxItems:"50" doc:"Landed costs: freight, duty and other charges"`
	Note         string              `json:"note,omitempty" maxLength:"2000"`
	Version      int64               `json:"version,omitempty" doc:"Updates: the version you read"`
	Lines        []PurchaseLineInput `json:"lines,omitempty" maxItems:"2000" doc:"Not used on payments"`
}

// ChargeInput is one charge of a landed cost.
type ChargeInput struct {
	Kind    string       `json:"kind" enum:"freight,duty,insurance,handling,other"`
	Amount  domain.Money `json:"amount" doc:"With tax when tax_included"`
	TaxRate domain.Rate  `json:"tax_rate,omitempty"`
	Note    string       `json:"note,omitempty" maxLength:"200"`
}

// PurchaseLineInput is one line of a PurchaseDocInput.
type PurchaseLineInput struct {
	SourceLineID int64        `json:"source_line_id,omitempty" doc:"Receipts: the order line; returns and bills: the receipt line. Item, unit and prices then come from it"`
	ItemID       int64        `json:"item_id,omitempty" doc:"Required unless source_line_id is given"`
	UnitID       int64        `json:"unit_id,omitempty" doc:"A unit of the item; the base unit when left out"`
	Qty          domain.Qty   `json:"qty" doc:"Receipts: delivered (accepted + rejected)"`
	RejectedQty  domain.Qty   `json:"rejected_qty,omitempty" doc:"Receipts: failed inspection (same unit as qty); not stocked, not paid, still owed"`
	Price        domain.Price `json:"price,omitempty" doc:"Per unit entered, with or without tax as the document says. Bills: the receipt's when left out"`
	TaxRate      *domain.Rate `json:"tax_rate,omitempty" doc:"VAT rate in percent; the item's when left out"`
	DiscountRate domain.Rate  `json:"discount_rate,omitempty" doc:"Line discount in percent"`
	LocationID   int64        `json:"location_id,omitempty" doc:"Bin; the warehouse itself when left out"`
	Batch        string       `json:"batch,omitempty" maxLength:"64"`
	Expiry       *domain.Date `json:"expiry,omitempty"`
	Serials      []string     `json:"serials,omitempty" maxItems:"10000"`
	Note         string       `json:"note,omitempty" maxLength:"500"`
}

func (in *PurchaseDocInput) doc(t domain.DocType) domain.Document {
	d := domain.Document{Type: t, WarehouseID: in.WarehouseID, TaxIncluded: in.TaxIncluded,
		ExpectedDate: in.ExpectedDate, DueDate: in.DueDate, Ref: in.Ref, Discount: in.Discount, SourceID: in.SourceID,
		AccountID: in.AccountID, GrossAmount: in.Amount, Note: in.Note, Version: in.Version, Lines: make([]domain.DocLine, len(in.Lines)),
		AllocateBy: in.AllocateBy, VarianceTo: in.VarianceTo}
	if in.PartnerID != 0 {
		d.PartnerID = &in.PartnerID
	}
	for _, c := range in.Charges {
		d.Charges = append(d.Charges, domain.LandedCharge{Kind: c.Kind, Amount: c.Amount, TaxRate: c.TaxRate, Note: c.Note})
	}
	if in.Date != nil {
		d.Date = *in.Date
	}
	for i, l := range in.Lines {
		d.Lines[i] = domain.DocLine{SourceLineID: l.SourceLineID, ItemID: l.ItemID, UnitID: l.UnitID, Qty: l.Qty, RejectedQty: l.RejectedQty,
			Price: l.Price, DiscountRate: l.DiscountRate, LocationID: l.LocationID, Batch: l.Batch, Expiry: l.Expiry,
			Serials: l.Serials, Note: l.Note, ItemTax: l.TaxRate == nil}
		if l.TaxRate != nil {
			d.Lines[i].TaxRate = *l.TaxRate
		}
	}
	return d
}

type PurchaseListParams struct {
	Q           string `query:"q" maxLength:"100" doc:"Search the number, the partner's number, the note and the supplier (code, name, English name, 助记码)"`
	State       string `query:"state" enum:",draft,submitted,approved,posted,cancelled"`
	PartnerID   int64  `query:"partner_id"`
	AccountID   int64  `query:"account_id" doc:"Payments: paid from this account"`
	SourceID    int64  `query:"source_id" doc:"Documents that follow this one (an order's receipts, a receipt's returns, bills and landed costs)"`
	WarehouseID int64  `query:"warehouse_id"`
	ItemID      int64  `query:"item_id" doc:"Documents with a line of this item"`
	Open        bool   `query:"open" doc:"Orders: only those still owed something (posted, not closed, a line not fully received)"`
	From        string `query:"from" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Business date from (inclusive)"`
	To          string `query:"to" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Business date to (inclusive)"`
	Sort        string `query:"sort" enum:",number,-number,date,-date,state,-state,created_at,-created_at,total_amount,-total_amount"`
	Limit       int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset      int    `query:"offset" minimum:"0" default:"0"`
}

type createPurchaseIn struct {
	Post           bool `query:"post" doc:"Post at once (needs the post permission too)"`
	OverrideBudget bool `query:"override_budget" doc:"With post: place an order over its budget (needs purchase.budget.override; audited)"`
	Body           PurchaseDocInput
}

type paymentBody struct {
	PurchaseDocInput
	Apply []service.SettleItem `json:"apply,omitempty" maxItems:"500" doc:"With ?post=true: bills to apply to, in the same transaction: this payment when credit_id is left out, else that open credit of the supplier (a credited return, a prepayment)"`
}

type createPaymentIn struct {
	Post bool `query:"post" doc:"Post at once"`
	Body paymentBody
}

type purchaseActBody struct {
	Version        int64 `json:"version" doc:"The version you read; 0 skips the check"`
	OverrideBudget bool  `json:"override_budget,omitempty" doc:"Post: place an order over its budget (needs purchase.budget.override; audited)"`
}

type quoteIn struct {
	ID        int64 `path:"id" minimum:"1" doc:"The RFQ"`
	PartnerID int64 `path:"partner_id" minimum:"1" doc:"The supplier"`
	Body      service.QuoteInput
}

type awardBody struct {
	PartnerID int64   `json:"partner_id" minimum:"1"`
	LineIDs   []int64 `json:"line_ids,omitempty" maxItems:"2000" doc:"RFQ lines to award; every line the supplier quoted when left out"`
}

type budgetRangeIn struct {
	From string `query:"from" pattern:"^\\d{4}-\\d{2}-\\d{2}$"`
	To   string `query:"to" pattern:"^\\d{4}-\\d{2}-\\d{2}$"`
}

func (in *budgetRangeIn) dates() (from, to *domain.Date, err error) {
	if from, err = optDate("from", in.From); err != nil {
		return nil, nil, err
	}
	to, err = optDate("to", in.To)
	return from, to, err
}

type ReplenishParams struct {
	WarehouseID int64  `query:"warehouse_id" required:"true" minimum:"1"`
	PeriodDays  int    `query:"period_days" minimum:"1" maximum:"365" default:"7" doc:"Length of a history period in days (7 = weeks)"`
	Periods     int    `query:"periods" minimum:"2" maximum:"104" default:"12" doc:"Periods of history, ending yesterday"`
	Window      int    `query:"window" minimum:"1" maximum:"103" default:"4" doc:"Moving-average window, in periods"`
	Alpha       string `query:"alpha" pattern:"^\\d{1,3}(\\.\\d{1,2})?$" default:"30" doc:"Exponential smoothing factor in percent"`
	All         bool   `query:"all" doc:"Also items that need nothing"`
}

type replenishOrdersBody struct {
	WarehouseID int64                        `json:"warehouse_id" minimum:"1"`
	Lines       []service.ReplenishOrderLine `json:"lines" maxItems:"2000"`
}

type settlementsIn struct {
	DocumentID int64 `query:"document_id" required:"true" minimum:"1"`
}

type settleBody struct {
	PartnerID int64                `json:"partner_id" minimum:"1"`
	Items     []service.SettleItem `json:"items" maxItems:"500"`
}

type autoSettleBody struct {
	PartnerID int64 `json:"partner_id" minimum:"1"`
}

type PayablesParams struct {
	PartnerID int64  `query:"partner_id"`
	AsOf      string `query:"as_of" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Age open bills as of this day; today when left out"`
}

type StatementParams struct {
	ID   int64  `path:"id" minimum:"1" doc:"The supplier"`
	From string `query:"from" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$"`
	To   string `query:"to" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$"`
}

// purchaseKind is one purchasing document type as the API serves it.
type purchaseKind struct {
	path, name string // "orders", "PurchaseOrder"
	t          domain.DocType
	read       string
	write      string
	approve    string
	post       string
}

var purchaseKinds = []purchaseKind{
	{"requisitions", "PurchaseRequisition", domain.DocPurchaseRequisition, "purchase.requisition.read", "purchase.requisition.write", "purchase.requisition.approve", ""},
	{"rfqs", "PurchaseRFQ", domain.DocPurchaseRFQ, "purchase.order.read", "purchase.order.write", "purchase.order.approve", "purchase.order.write"},
	{"orders", "PurchaseOrder", domain.DocPurchaseOrder, "purchase.order.read", "purchase.order.write", "purchase.order.approve", "purchase.order.post"},
	{"receipts", "PurchaseReceipt", domain.DocPurchaseReceipt, "purchase.receipt.read", "purchase.receipt.write", "purchase.receipt.post", "purchase.receipt.post"},
	{"returns", "PurchaseReturn", domain.DocPurchaseReturn, "purchase.receipt.read", "purchase.receipt.write", "purchase.receipt.post", "purchase.receipt.post"},
	{"bills", "PurchaseBill", domain.DocPurchaseBill, "purchase.bill.read", "purchase.bill.write", "purchase.bill.approve", "purchase.bill.write"},
	{"landed-costs", "LandedCost", domain.DocLandedCost, "purchase.bill.read", "purchase.bill.write", "purchase.bill.approve", "purchase.bill.write"},
	{"payments", "Payment", domain.DocPayment, "finance.payment.read", "finance.payment.write", "finance.payment.write", "finance.payment.write"},
}

func (s *Server) purchaseRoutes() {
	svc := s.svc
	const tag = "purchase"
	for _, k := range purchaseKinds {
		base := "/purchase/" + k.path
		register(s, http.MethodGet, base, "list"+k.name+"s", tag, "List "+string(k.t)+" documents", k.read,
			func(ctx context.Context, p *domain.Principal, in *PurchaseListParams) (*Out[Page[domain.Document]], error) {
				f := service.DocFilter{ListFilter: store.ListFilter{Q: in.Q, Sort: in.Sort, Page: store.Page{Limit: in.Limit, Offset: in.Offset}},
					State: domain.DocState(in.State), WarehouseID: in.WarehouseID, ItemID: in.ItemID, PartnerID: in.PartnerID, AccountID: in.AccountID, SourceID: in.SourceID, Open: in.Open}
				var err error
				if f.From, err = optDate("from", in.From); err != nil {
					return nil, err
				}
				if f.To, err = optDate("to", in.To); err != nil {
					return nil, err
				}
				docs, n, err := svc.PurchaseDocs(ctx, p, k.t, f)
				return page(docs, n, ListParams{Limit: in.Limit, Offset: in.Offset}), err
			})
		register(s, http.MethodGet, base+"/{id}", "get"+k.name, tag, "Get a "+string(k.t)+" with its lines", k.read,
			func(ctx context.Context, p *domain.Principal, in *idIn) (*Out[domain.Document], error) {
				d, err := svc.PurchaseDoc(ctx, p, k.t, in.ID)
				return &Out[domain.Document]{Body: d}, err
			})
		if k.t == domain.DocPayment {
			register(s, http.MethodPost, base, "create"+k.name, tag,
				"Record a payment to a supplier (draft); with ?post=true post it and apply it to bills at once", k.write,
				func(ctx context.Context, p *domain.Principal, in *createPaymentIn) (*Out[domain.Document], error) {
					d, err := svc.CreatePayment(ctx, p, in.Body.doc(k.t), in.Post, in.Body.Apply)
					if in.Post && err == nil { // the service answers a posted document as saved
						return &Out[domain.Document]{Body: d}, nil
					}
					return reloaded(ctx, svc, p, k.t, d, err)
				})
		} else {
			register(s, http.MethodPost, base, "create"+k.name, tag,
				"Create a "+string(k.t)+" (draft); with ?post=true post it at once", k.write,
				func(ctx context.Context, p *domain.Principal, in *createPurchaseIn) (*Out[domain.Document], error) {
					if in.Post && !p.Can(domain.Perm(k.post)) {
						return nil, domain.Errorf(domain.EForbidden, "missing permission %s", k.post)
					}
					d, err := svc.CreatePurchaseDoc(ctx, p, in.Body.doc(k.t), in.Post, service.ActOpts{OverrideBudget: in.OverrideBudget})
					if in.Post && err == nil { // the service answers a posted document as saved
						return &Out[domain.Document]{Body: d}, nil
					}
					return reloaded(ctx, svc, p, k.t, d, err)
				})
		}
		register(s, http.MethodPut, base+"/{id}", "update"+k.name, tag, "Change a draft (send the version you read)", k.write,
			func(ctx context.Context, p *domain.Principal, in *idBodyIn[PurchaseDocInput]) (*Out[domain.Document], error) {
				d, err := svc.UpdatePurchaseDoc(ctx, p, in.ID, in.Body.doc(k.t))
				return reloaded(ctx, svc, p, k.t, d, err)
			})
		type action struct {
			act     service.DocAction
			perm    string
			summary string
		}
		acts := []action{
			{service.ActSubmit, k.write, "Submit a draft for approval"},
			{service.ActApprove, k.approve, "Approve a submitted document"},
			{service.ActCancel, k.write, "Cancel a document that is not posted"},
		}
		if k.post != "" {
			acts = append(acts, action{service.ActPost, k.post, "Post: " + postSummary[k.t]})
		}
		if k.t == domain.DocPurchaseRequisition {
			acts = append(acts, action{service.ActClose, k.write, "Close an approved requisition: nothing more will be ordered from it"})
		}
		if k.t == domain.DocPurchaseOrder {
			acts = append(acts, action{service.ActClose, k.write, "Close a posted order: what is still owed will not come"})
		}
		for _, a := range acts {
			register(s, http.MethodPost, base+"/{id}/"+string(a.act), string(a.act)+k.name, tag, a.summary, a.perm,
				func(ctx context.Context, p *domain.Principal, in *idBodyIn[purchaseActBody]) (*Out[domain.Document], error) {
					done, err := svc.ActOnPurchaseDoc(ctx, p, k.t, in.ID, in.Body.Version, a.act, service.ActOpts{OverrideBudget: in.Body.OverrideBudget})
					if err != nil {
						return nil, err
					}
					d, err := svc.PurchaseDoc(ctx, p, k.t, in.ID)
					d.Warnings = done.Warnings
					return &Out[domain.Document]{Body: d}, err
				})
		}
	}
	register(s, http.MethodPut, "/purchase/rfqs/{id}/quotes/{partner_id}", "setRFQQuote", tag,
		"Record (replace) a supplier's quote on a sent RFQ", "purchase.order.write",
		func(ctx context.Context, p *domain.Principal, in *quoteIn) (*Out[service.Comparison], error) {
			if err := svc.SetQuote(ctx, p, in.ID, in.PartnerID, in.Body); err != nil {
				return nil, err
			}
			c, err := svc.CompareQuotes(ctx, p, in.ID)
			return &Out[service.Comparison]{Body: c}, err
		})
	register(s, http.MethodGet, "/purchase/rfqs/{id}/compare", "compareRFQQuotes", tag,
		"An RFQ's quotes side by side: net price per line (the cheapest marked), totals, lead time and supplier score", "purchase.order.read",
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Out[service.Comparison], error) {
			c, err := svc.CompareQuotes(ctx, p, in.ID)
			return &Out[service.Comparison]{Body: c}, err
		})
	register(s, http.MethodPost, "/purchase/rfqs/{id}/award", "awardRFQ", tag,
		"Award a supplier the RFQ lines it quoted (or the ones given): a draft purchase order at the quoted prices", "purchase.order.write",
		func(ctx context.Context, p *domain.Principal, in *idBodyIn[awardBody]) (*Out[domain.Document], error) {
			d, err := svc.AwardRFQ(ctx, p, in.ID, in.Body.PartnerID, in.Body.LineIDs)
			return reloaded(ctx, svc, p, domain.DocPurchaseOrder, d, err)
		})
	register(s, http.MethodGet, "/purchase/budgets", "listBudgets", tag, "Purchase budgets whose period overlaps from–to", "purchase.budget.read",
		func(ctx context.Context, p *domain.Principal, in *budgetRangeIn) (*Out[[]domain.Budget], error) {
			from, to, err := in.dates()
			if err != nil {
				return nil, err
			}
			bs, err := svc.Budgets(ctx, p, from, to)
			if bs == nil {
				bs = []domain.Budget{}
			}
			return &Out[[]domain.Budget]{Body: bs}, err
		})
	register(s, http.MethodPost, "/purchase/budgets", "createBudget", tag, "Create a purchase budget", "purchase.budget.write",
		func(ctx context.Context, p *domain.Principal, in *bodyIn[domain.Budget]) (*Out[domain.Budget], error) {
			in.Body.ID = 0
			b, err := svc.SaveBudget(ctx, p, in.Body)
			return &Out[domain.Budget]{Body: b}, err
		})
	register(s, http.MethodPut, "/purchase/budgets/{id}", "updateBudget", tag, "Change a purchase budget (send the version you read)", "purchase.budget.write",
		func(ctx context.Context, p *domain.Principal, in *idBodyIn[domain.Budget]) (*Out[domain.Budget], error) {
			in.Body.ID = in.ID
			b, err := svc.SaveBudget(ctx, p, in.Body)
			return &Out[domain.Budget]{Body: b}, err
		})
	register(s, http.MethodDelete, "/purchase/budgets/{id}", "deleteBudget", tag, "Delete a purchase budget", "purchase.budget.write",
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Empty, error) {
			return nil, svc.DeleteBudget(ctx, p, in.ID)
		})
	register(s, http.MethodGet, "/purchase/budgets/report", "budgetReport", tag,
		"Budget versus actual: committed (ordered), received and billed net per budget", "purchase.budget.read",
		func(ctx context.Context, p *domain.Principal, in *budgetRangeIn) (*Out[[]service.BudgetUse], error) {
			from, to, err := in.dates()
			if err != nil {
				return nil, err
			}
			r, err := svc.BudgetReport(ctx, p, from, to)
			if r == nil {
				r = []service.BudgetUse{}
			}
			return &Out[[]service.BudgetUse]{Body: r}, err
		})
	register(s, http.MethodGet, "/purchase/replenishment", "replenishment", tag,
		"Replenishment suggestions (补货建议) for a warehouse: demand history, the forecast chosen by backtest, levels, open orders, the quantity to buy and from whom",
		"purchase.order.read",
		func(ctx context.Context, p *domain.Principal, in *ReplenishParams) (*Out[[]service.ReplenishLine], error) {
			alpha, err := domain.ParseRate(in.Alpha)
			if err != nil {
				return nil, domain.FieldErr("alpha", "range", "min", "0", "max", "100")
			}
			ls, err := svc.Replenish(ctx, p, service.ReplenishParams{WarehouseID: in.WarehouseID, PeriodDays: in.PeriodDays, Periods: in.Periods,
				Window: in.Window, Alpha: alpha, All: in.All})
			if ls == nil {
				ls = []service.ReplenishLine{}
			}
			return &Out[[]service.ReplenishLine]{Body: ls}, err
		})
	register(s, http.MethodPost, "/purchase/replenishment/orders", "replenishmentOrders", tag,
		"Turn accepted suggestions into draft purchase orders, one per supplier, in one transaction", "purchase.order.write",
		func(ctx context.Context, p *domain.Principal, in *bodyIn[replenishOrdersBody]) (*Out[[]domain.Document], error) {
			ds, err := svc.ReplenishOrders(ctx, p, in.Body.WarehouseID, in.Body.Lines)
			if ds == nil {
				ds = []domain.Document{}
			}
			return &Out[[]domain.Document]{Body: ds}, err
		})
	for _, k := range purchaseKinds {
		switch k.t {
		case domain.DocPurchaseReceipt, domain.DocPurchaseReturn, domain.DocPurchaseBill, domain.DocPayment, domain.DocLandedCost:
		default:
			continue
		}
		register(s, http.MethodPost, "/purchase/"+k.path+"/{id}/reverse", "reverse"+k.name, tag,
			"Reverse (红冲) a posted document: a linked document undoes its goods, quantities and account entries", k.post,
			func(ctx context.Context, p *domain.Principal, in *idBodyIn[reverseBody]) (*Out[domain.Document], error) {
				var day domain.Date
				if in.Body.Date != nil {
					day = *in.Body.Date
				}
				d, err := svc.ReversePurchaseDoc(ctx, p, k.t, in.ID, day, in.Body.Note)
				return reloaded(ctx, svc, p, k.t, d, err)
			})
	}
	register(s, http.MethodGet, "/purchase/bills/{id}/match", "matchPurchaseBill", tag,
		"The 3-way match of a bill: ordered, received and billed quantities and prices, with variances", "purchase.bill.read",
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Out[[]service.MatchRow], error) {
			m, err := svc.BillMatch(ctx, p, in.ID)
			return &Out[[]service.MatchRow]{Body: m}, err
		})

	s.partnerAccountRoutes(accountSide{prefix: "/purchase", tag: tag, balances: "payables", account: store.Payable,
		read: "finance.payment.read", write: "finance.payment.write",
		ops: [7]string{"listPayables", "listPayableItems", "settlePayables", "autoSettlePayables", "unsettlePayables", "supplierStatement", "listSettlements"},
		summaries: [7]string{"Suppliers' balances (应付) with open bills aged by days past due",
			"A supplier's bills, payments and credited returns not yet fully settled (核销), oldest first",
			"Apply payments and credited returns to bills (核销), all or nothing",
			"Apply a supplier's open payments and credits to its open bills, oldest due first",
			"Undo an allocation (核销): both documents are open again by its amount",
			"A supplier's statement (对账单): opening balance, the documents and payments of the range, closing balance",
			"The allocations (核销) of a bill, payment or credited return, naming both documents"},
		listBalances: svc.Payables, listItems: svc.PayableItems, settle: svc.Settle, autoSettle: svc.AutoSettle, statement: svc.SupplierStatement})
}

// reloaded answers a write with the document as saved, read the way the
// caller may see it (names filled in, prices hidden from clerks).
func reloaded(ctx context.Context, svc *service.Service, p *domain.Principal, t domain.DocType, d domain.Document, err error) (*Out[domain.Document], error) {
	if err != nil {
		return nil, err
	}
	w := d.Warnings
	d, err = svc.PurchaseDoc(ctx, p, t, d.ID)
	d.Warnings = w
	return &Out[domain.Document]{Body: d}, err
}

var postSummary = map[domain.DocType]string{
	domain.DocPurchaseRFQ:     "the request is sent; suppliers' quotes can be recorded against it",
	domain.DocPurchaseOrder:   "the order is placed (下达) and can be received against",
	domain.DocPurchaseReceipt: "the accepted goods enter stock at their net amount and the order's open quantities drop",
	domain.DocPurchaseReturn:  "the goods leave stock; what was billed already is credited to the supplier",
	domain.DocPurchaseBill:    "the bill's gross is owed to the supplier (bills with a price variance need approval first)",
	domain.DocPayment:         "the money leaves the account and lowers what is owed",
	domain.DocLandedCost:      "the charges' net is added to the receipt lines' value as of their dates and later issues are re-costed; with a partner, the gross is owed to it",
}
