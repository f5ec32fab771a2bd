package httpapi

import (
	"context"
	"net/http"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// SalesDocInput is what a client sends to create or change a sales
// document; numbers, states, totals, costs and running quantities are the
// server's.
type SalesDocInput struct {
	Date          *domain.Date     `json:"date,omitempty" doc:"Business date; today when left out"`
	PartnerID     int64            `json:"partner_id" doc:"The customer"`
	WarehouseID   int64            `json:"warehouse_id,omitempty" doc:"Quotes, orders, shipments and returns: the warehouse"`
	SalespersonID *int64           `json:"salesperson_id,omitempty" doc:"The salesperson; the source document's, else the customer's, else you"`
	TaxIncluded   bool             `json:"tax_included,omitempty" doc:"Line prices include tax (含税单价). Lines that follow a source take its setting"`
	ExpectedDate  *domain.Date     `json:"expected_date,omitempty" doc:"Quotes: valid until; orders: promised delivery date"`
	DueDate       *domain.Date     `json:"due_date,omitempty" doc:"Invoices: when payment is due; the date plus the customer's terms when left out"`
	Ref           string           `json:"ref,omitempty" maxLength:"64" doc:"The customer's own number (their purchase order)"`
	Discount      domain.Money     `json:"discount,omitempty" doc:"Whole-bill discount (整单优惠) off the gross"`
	SourceID      *int64           `json:"source_id,omitempty" doc:"Receipts: the sales order a deposit (订金) is taken on"`
	AccountID     *int64           `json:"account_id,omitempty" doc:"Receipts: the account the money goes into"`
	Amount        domain.Money     `json:"amount,omitempty" doc:"Receipts: the amount received"`
	Note          string           `json:"note,omitempty" maxLength:"2000"`
	Version       int64            `json:"version,omitempty" doc:"Updates: the version you read"`
	Lines         []SalesLineInput `json:"lines,omitempty" maxItems:"2000" doc:"Not used on receipts"`
}

// SalesLineInput is one line of a SalesDocInput.
type SalesLineInput struct {
	SourceLineID  int64        `json:"source_line_id,omitempty" doc:"Orders: the quote line; shipments: the order line; returns and invoices: the shipment line. Item, unit and prices then come from it"`
	ItemID        int64        `json:"item_id,omitempty" doc:"Required unless source_line_id is given"`
	UnitID        int64        `json:"unit_id,omitempty" doc:"A unit of the item; the base unit when left out"`
	Qty           domain.Qty   `json:"qty"`
	Price         domain.Price `json:"price,omitempty" doc:"Per unit entered, with or without tax as the document says; the item's price for the unit when left out"`
	PriceRule     string       `json:"price_rule,omitempty" maxLength:"200" doc:"Which rule set the price (from the price check); manual when a price is given without one"`
	TaxRate       *domain.Rate `json:"tax_rate,omitempty" doc:"VAT rate in percent; the item's when left out"`
	DiscountRate  domain.Rate  `json:"discount_rate,omitempty" doc:"Line discount in percent"`
	PromoDiscount domain.Money `json:"promo_discount,omitempty" doc:"The line's share of a threshold promotion (满减), off its gross after the line discount; at most the line's gross. When the server prices the line it sets this itself; send back what it gave when saving a priced draft again. Ignored on a line with source_line_id (it carries its source's)"`
	LocationID    int64        `json:"location_id,omitempty" doc:"Shipments: the bin (picked from the order's reservation when left out); returns: where the goods go back (an inspection bin)"`
	Batch         string       `json:"batch,omitempty" maxLength:"64" doc:"Shipments: picked from the reservation (first expiring first) when left out"`
	Serials       []string     `json:"serials,omitempty" maxItems:"10000"`
	Note          string       `json:"note,omitempty" maxLength:"500"`
}

func (in *SalesDocInput) doc(t domain.DocType) domain.Document {
	d := domain.Document{Type: t, WarehouseID: in.WarehouseID, TaxIncluded: in.TaxIncluded, SalespersonID: in.SalespersonID,
		ExpectedDate: in.ExpectedDate, DueDate: in.DueDate, Ref: in.Ref, Discount: in.Discount, SourceID: in.SourceID,
		AccountID: in.AccountID, GrossAmount: in.Amount, Note: in.Note, Version: in.Version, Lines: make([]domain.DocLine, len(in.Lines))}
	if in.PartnerID != 0 {
		d.PartnerID = &in.PartnerID
	}
	if in.Date != nil {
		d.Date = *in.Date
	}
	for i, l := range in.Lines {
		d.Lines[i] = domain.DocLine{SourceLineID: l.SourceLineID, ItemID: l.ItemID, UnitID: l.UnitID, Qty: l.Qty, Price: l.Price,
			PriceRule: l.PriceRule, DiscountRate: l.DiscountRate, PromoDiscount: l.PromoDiscount, LocationID: l.LocationID, Batch: l.Batch, Serials: l.Serials,
			Note: l.Note, ItemTax: l.TaxRate == nil}
		if l.TaxRate != nil {
			d.Lines[i].TaxRate = *l.TaxRate
		}
	}
	return d
}

type SalesListParams struct {
	Q             string `query:"q" maxLength:"100" doc:"Search the number, the customer's number, the note and the customer (code, name, English name, 助记码)"`
	State         string `query:"state" enum:",draft,submitted,approved,posted,cancelled"`
	PartnerID     int64  `query:"partner_id"`
	SalespersonID int64  `query:"salesperson_id"`
	AccountID     int64  `query:"account_id" doc:"Receipts: into this account"`
	SourceID      int64  `query:"source_id" doc:"Documents that follow this one (an order's shipments and deposits, a shipment's returns and invoices)"`
	WarehouseID   int64  `query:"warehouse_id"`
	ItemID        int64  `query:"item_id" doc:"Documents with a line of this item"`
	Open          bool   `query:"open" doc:"Orders: only those still to ship (posted, not closed, a line not fully shipped)"`
	From          string `query:"from" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Business date from (inclusive)"`
	To            string `query:"to" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Business date to (inclusive)"`
	Sort          string `query:"sort" enum:",number,-number,date,-date,state,-state,created_at,-created_at,total_amount,-total_amount"`
	Limit         int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset        int    `query:"offset" minimum:"0" default:"0"`
}

// SalesOverride lets an order's confirmation or a shipment through the
// customer's credit check (exported so that its fields are the body's own).
type SalesOverride struct {
	OverrideCredit bool   `json:"override_credit,omitempty" doc:"Post: confirm or ship past the customer's credit (needs sales.credit.override and a reason; audited)"`
	Reason         string `json:"reason,omitempty" maxLength:"500" doc:"Why the credit override"`
	Backorder      bool   `json:"backorder,omitempty" doc:"Confirm an order whose stock is short: hold what there is, the rest waits for goods (以销定购)"`
}

type createSalesIn struct {
	Post           bool   `query:"post" doc:"Post at once (an order: confirm it; needs the post permission too)"`
	OverrideCredit bool   `query:"override_credit" doc:"With post: past the customer's credit (needs sales.credit.override; audited)"`
	Reason         string `query:"reason" maxLength:"500" doc:"With override_credit: why"`
	Backorder      bool   `query:"backorder" doc:"With post: confirm an order whose stock is short; the rest waits for goods"`
	Body           SalesDocInput
}

type receiptBody struct {
	SalesDocInput
	Apply []service.SettleItem `json:"apply,omitempty" maxItems:"500" doc:"With ?post=true: invoices to apply to, in the same transaction: this receipt when credit_id is left out, else that open credit of the customer (a credited return, an advance)"`
}

type createReceiptIn struct {
	Post bool `query:"post" doc:"Post at once"`
	Body receiptBody
}

type salesActBody struct {
	Version int64 `json:"version" doc:"The version you read; 0 skips the check"`
	SalesOverride
}

type buyForOrderBody struct {
	PartnerID int64   `json:"partner_id" minimum:"1" doc:"The supplier"`
	LineIDs   []int64 `json:"line_ids,omitempty" maxItems:"2000" doc:"Sales order lines to buy for; every line that lacks goods when left out"`
}

type salesKind struct {
	path, name                 string
	t                          domain.DocType
	read, write, approve, post string
}

var salesKinds = []salesKind{
	{"quotes", "SalesQuote", domain.DocSalesQuote, "sales.order.read", "sales.order.write", "sales.order.approve", "sales.order.write"},
	{"orders", "SalesOrder", domain.DocSalesOrder, "sales.order.read", "sales.order.write", "sales.order.approve", "sales.order.post"},
	{"shipments", "SalesShipment", domain.DocSalesShipment, "sales.shipment.read", "sales.shipment.write", "sales.shipment.post", "sales.shipment.post"},
	{"returns", "SalesReturn", domain.DocSalesReturn, "sales.shipment.read", "sales.shipment.write", "sales.shipment.post", "sales.shipment.post"},
	{"invoices", "SalesInvoice", domain.DocSalesInvoice, "sales.invoice.read", "sales.invoice.write", "sales.invoice.write", "sales.invoice.write"},
	{"receipts", "Receipt", domain.DocReceipt, "finance.receipt.read", "finance.receipt.write", "finance.receipt.write", "finance.receipt.write"},
}

var salesPostSummary = map[domain.DocType]string{
	domain.DocSalesQuote:    "the quotation is sent; orders can follow its lines",
	domain.DocSalesOrder:    "the order is confirmed: the customer's credit is checked and its stock reserved",
	domain.DocSalesShipment: "the goods leave stock at cost (what the order reserved is released) and the order's open quantities drop; credit is checked again",
	domain.DocSalesReturn:   "the goods come back at what they cost; what was invoiced already is credited to the customer",
	domain.DocSalesInvoice:  "the invoice's gross is owed by the customer; deposits on the orders behind it are applied",
	domain.DocReceipt:       "the money enters the account and lowers what the customer owes",
}

// PickRow is one line of an order's pick list: where the reserved goods are.
type PickRow struct {
	LineID     int64      `json:"line_id"`
	ItemID     int64      `json:"item_id"`
	LocationID int64      `json:"location_id"`
	Batch      string     `json:"batch"`
	Qty        domain.Qty `json:"qty" doc:"Reserved here, base units"`
}

func (s *Server) salesRoutes() {
	svc := s.svc
	const tag = "sales"
	for _, k := range salesKinds {
		base := "/sales/" + k.path
		register(s, http.MethodGet, base, "list"+k.name+"s", tag, "List "+string(k.t)+" documents", k.read,
			func(ctx context.Context, p *domain.Principal, in *SalesListParams) (*Out[Page[domain.Document]], error) {
				f := service.DocFilter{ListFilter: store.ListFilter{Q: in.Q, Sort: in.Sort, Page: store.Page{Limit: in.Limit, Offset: in.Offset}},
					State: domain.DocState(in.State), WarehouseID: in.WarehouseID, ItemID: in.ItemID, PartnerID: in.PartnerID, AccountID: in.AccountID,
					SourceID: in.SourceID, Open: in.Open, Salesperson: in.SalespersonID}
				var err error
				if f.From, err = optDate("from", in.From); err != nil {
					return nil, err
				}
				if f.To, err = optDate("to", in.To); err != nil {
					return nil, err
				}
				docs, n, err := svc.SalesDocs(ctx, p, k.t, f)
				return page(docs, n, ListParams{Limit: in.Limit, Offset: in.Offset}), err
			})
		register(s, http.MethodGet, base+"/{id}", "get"+k.name, tag, "Get a "+string(k.t)+" with its lines", k.read,
			func(ctx context.Context, p *domain.Principal, in *idIn) (*Out[domain.Document], error) {
				d, err := svc.SalesDoc(ctx, p, k.t, in.ID)
				return &Out[domain.Document]{Body: d}, err
			})
		if k.t == domain.DocReceipt {
			register(s, http.MethodPost, base, "create"+k.name, tag,
				"Record money received from a customer (draft); with ?post=true post it and apply it to invoices at once. With source_id: a deposit (订金) on an order", k.write,
				func(ctx context.Context, p *domain.Principal, in *createReceiptIn) (*Out[domain.Document], error) {
					d, err := svc.CreateReceipt(ctx, p, in.Body.doc(k.t), in.Post, in.Body.Apply)
					if in.Post { // the service answers a posted document as read back
						return &Out[domain.Document]{Body: d}, err
					}
					return salesReloaded(ctx, svc, p, k.t, d, err)
				})
		} else {
			register(s, http.MethodPost, base, "create"+k.name, tag,
				"Create a "+string(k.t)+" (draft); with ?post=true post it at once", k.write,
				func(ctx context.Context, p *domain.Principal, in *createSalesIn) (*Out[domain.Document], error) {
					if in.Post && !p.Can(domain.Perm(k.post)) {
						return nil, domain.Errorf(domain.EForbidden, "missing permission %s", k.post)
					}
					d, err := svc.CreateSalesDoc(ctx, p, in.Body.doc(k.t), in.Post, service.ActOpts{OverrideCredit: in.OverrideCredit, Reason: in.Reason, Backorder: in.Backorder})
					if in.Post { // the service answers a posted document as read back
						return &Out[domain.Document]{Body: d}, err
					}
					return salesReloaded(ctx, svc, p, k.t, d, err)
				})
		}
		register(s, http.MethodPut, base+"/{id}", "update"+k.name, tag, "Change a draft (send the version you read)", k.write,
			func(ctx context.Context, p *domain.Principal, in *idBodyIn[SalesDocInput]) (*Out[domain.Document], error) {
				d, err := svc.UpdateSalesDoc(ctx, p, in.ID, in.Body.doc(k.t))
				return salesReloaded(ctx, svc, p, k.t, d, err)
			})
		type action struct {
			act     service.DocAction
			perm    string
			summary string
		}
		acts := []action{
			{service.ActSubmit, k.write, "Submit a draft for approval"},
			{service.ActApprove, k.approve, "Approve a submitted document"},
			{service.ActCancel, k.write, "Cancel a document that is not posted (a confirmed order nothing was shipped against: its reservation is released)"},
			{service.ActPost, k.post, "Post: " + salesPostSummary[k.t]},
		}
		if k.t == domain.DocSalesOrder || k.t == domain.DocSalesQuote {
			acts = append(acts, action{service.ActClose, k.write, "Close: nothing more will follow; an order's remaining reservation is released"})
		}
		for _, a := range acts {
			register(s, http.MethodPost, base+"/{id}/"+string(a.act), string(a.act)+k.name, tag, a.summary, a.perm,
				func(ctx context.Context, p *domain.Principal, in *idBodyIn[salesActBody]) (*Out[domain.Document], error) {
					d, err := svc.ActOnSalesDoc(ctx, p, k.t, in.ID, in.Body.Version, a.act,
						service.ActOpts{OverrideCredit: in.Body.OverrideCredit, Reason: in.Body.Reason, Backorder: in.Body.Backorder})
					if a.act == service.ActPost { // the service answers a posted document as read back
						return &Out[domain.Document]{Body: d}, err
					}
					return salesReloaded(ctx, svc, p, k.t, d, err)
				})
		}
	}
	for _, k := range salesKinds {
		switch k.t {
		case domain.DocSalesShipment, domain.DocSalesReturn, domain.DocSalesInvoice, domain.DocReceipt:
		default:
			continue
		}
		register(s, http.MethodPost, "/sales/"+k.path+"/{id}/reverse", "reverse"+k.name, tag,
			"Reverse (红冲) a posted document: a linked document undoes its goods, quantities and account entries (a shipment's goods are held again for its order)", k.post,
			func(ctx context.Context, p *domain.Principal, in *idBodyIn[reverseBody]) (*Out[domain.Document], error) {
				var day domain.Date
				if in.Body.Date != nil {
					day = *in.Body.Date
				}
				d, err := svc.ReverseSalesDoc(ctx, p, k.t, in.ID, day, in.Body.Note)
				return salesReloaded(ctx, svc, p, k.t, d, err)
			})
	}
	register(s, http.MethodGet, "/sales/orders/{id}/pick-list", "salesOrderPickList", tag,
		"Where an order's reserved goods are: bin, batch and quantity per line (first expiring first)", "sales.shipment.read",
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Out[[]PickRow], error) {
			held, err := svc.OrderReservations(ctx, p, in.ID)
			if err != nil {
				return nil, err
			}
			out := []PickRow{}
			for _, h := range held {
				out = append(out, PickRow{LineID: h.LineID, ItemID: h.ItemID, LocationID: h.LocationID, Batch: h.Batch, Qty: h.Qty})
			}
			return &Out[[]PickRow]{Body: out}, nil
		})
	register(s, http.MethodPost, "/sales/orders/{id}/purchase", "purchaseForSalesOrder", tag,
		"以销定购: a draft purchase order from the supplier for what the order's lines still lack (not held, shipped or on order); goods received on it are held for this order",
		"purchase.order.write",
		func(ctx context.Context, p *domain.Principal, in *idBodyIn[buyForOrderBody]) (*Out[domain.Document], error) {
			d, err := svc.PurchaseForSalesOrder(ctx, p, in.ID, in.Body.PartnerID, in.Body.LineIDs)
			return reloaded(ctx, svc, p, domain.DocPurchaseOrder, d, err)
		})
	register(s, http.MethodGet, "/reports/salespeople", "salesBySalesperson", "reports",
		"Sales, returns, cost of goods, gross profit and collections per salesperson (this month when no dates are given)", "report.sales.read",
		func(ctx context.Context, p *domain.Principal, in *budgetRangeIn) (*Out[[]store.SalespersonFigures], error) {
			from, to, err := in.dates()
			if err != nil {
				return nil, err
			}
			var f, t domain.Date
			if from != nil {
				f = *from
			}
			if to != nil {
				t = *to
			}
			if f.IsZero() != t.IsZero() {
				return nil, domain.FieldErr("from", "required")
			}
			r, err := svc.SalesBySalesperson(ctx, p, f, t)
			if r == nil {
				r = []store.SalespersonFigures{}
			}
			return &Out[[]store.SalespersonFigures]{Body: r}, err
		})
	register(s, http.MethodGet, "/sales/customers/{id}/exposure", "customerExposure", tag,
		"What a customer owes and has on order (the credit check's exposure), and how overdue", "sales.order.read",
		func(ctx context.Context, p *domain.Principal, in *idIn) (*Out[store.Exposure], error) {
			e, err := svc.CustomerExposure(ctx, p, in.ID)
			return &Out[store.Exposure]{Body: e}, err
		})
	s.partnerAccountRoutes(accountSide{prefix: "/sales", tag: tag, balances: "receivables", account: store.Receivable,
		read: "finance.receipt.read", write: "finance.receipt.write",
		ops: [7]string{"listReceivables", "listReceivableItems", "settleReceivables", "autoSettleReceivables", "unsettleReceivables", "customerStatement",
			"listReceivableSettlements"},
		summaries: [7]string{"Customers' balances (应收) with open invoices aged by days past due",
			"A customer's invoices, receipts and credited returns not yet fully settled (核销), oldest first",
			"Apply receipts and credited returns to invoices (核销), all or nothing",
			"Apply a customer's open receipts and credits to its open invoices, oldest due first",
			"Undo an allocation (核销): both documents are open again by its amount",
			"A customer's statement (对账单): opening balance, the documents and receipts of the range, closing balance",
			"The allocations (核销) of an invoice, receipt, counter sale or credited return, naming both documents"},
		listBalances: svc.Receivables, listItems: svc.ReceivableItems, settle: svc.SettleReceivables, autoSettle: svc.AutoSettleReceivables,
		statement: svc.CustomerStatement})
}

// salesReloaded answers a write with the document as saved, read the way
// the caller may see it.
func salesReloaded(ctx context.Context, svc *service.Service, p *domain.Principal, t domain.DocType, d domain.Document, err error) (*Out[domain.Document], error) {
	if err != nil {
		return nil, err
	}
	w := d.Warnings
	d, err = svc.SalesDoc(ctx, p, t, d.ID)
	d.Warnings = w
	return &Out[domain.Document]{Body: d}, err
}
