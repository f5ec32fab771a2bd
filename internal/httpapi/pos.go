package httpapi

import (
	"bytes"
	"cmp"
	"context"
	"net/http"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/i18n"
	"github.com/jxc-erp/jxc/internal/pdf"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/store"
)

// POSSaleInput is a counter sale as the counter screen sends it. It is
// posted at once; send an Idempotency-Key so that a retried submit returns
// the first sale instead of making a second.
type POSSaleInput struct {
	WarehouseID int64             `json:"warehouse_id" minimum:"1" doc:"The store's warehouse"`
	PartnerID   int64             `json:"partner_id,omitempty" doc:"The customer; a walk-in when left out (store credit needs one)"`
	Discount    domain.Money      `json:"discount,omitempty" doc:"Whole-bill discount (整单优惠) off the total"`
	Note        string            `json:"note,omitempty" maxLength:"2000"`
	Lines       []POSLineInput    `json:"lines" maxItems:"500"`
	Payments    []POSPaymentInput `json:"payments" maxItems:"10"`
}

// POSLineInput is one line of a counter sale.
type POSLineInput struct {
	ItemID        int64        `json:"item_id" minimum:"1"`
	UnitID        int64        `json:"unit_id,omitempty" doc:"The unit scanned (a box barcode sells a box); the base unit when left out"`
	Qty           domain.Qty   `json:"qty"`
	Price         domain.Price `json:"price,omitempty" doc:"With tax; the unit's retail price when left out"`
	PriceRule     string       `json:"price_rule,omitempty" maxLength:"200"`
	DiscountRate  domain.Rate  `json:"discount_rate,omitempty" doc:"Line discount in percent"`
	PromoDiscount domain.Money `json:"promo_discount,omitempty" doc:"The line's share of a threshold promotion (满减): the bill_discount POST /pos/price gave the line; set by the server when it prices the line"`
	Batch         string       `json:"batch,omitempty" maxLength:"64"`
	Serials       []string     `json:"serials,omitempty" maxItems:"1000"`
}

// POSPaymentInput is one payment (or refund) at the counter.
type POSPaymentInput struct {
	Method    string       `json:"method" enum:"cash,wechat,alipay,card,store_credit,other"`
	AccountID *int64       `json:"account_id,omitempty" doc:"The money account (not for store credit)"`
	Tendered  domain.Money `json:"tendered" doc:"Handed over (cash may exceed what is due: the rest is change); other methods: the amount"`
	Ref       string       `json:"ref,omitempty" maxLength:"64" doc:"The terminal's or platform's transaction number"`
}

// POSReturnInput returns lines of one counter sale.
type POSReturnInput struct {
	WarehouseID int64                `json:"warehouse_id" minimum:"1"`
	Note        string               `json:"note,omitempty" maxLength:"2000"`
	Lines       []POSReturnLineInput `json:"lines" maxItems:"500"`
	Payments    []POSPaymentInput    `json:"payments" maxItems:"10" doc:"The refunds; they must add up to what the lines were paid"`
}

// POSReturnLineInput is a sale line and how much of it comes back.
type POSReturnLineInput struct {
	SourceLineID int64      `json:"source_line_id" minimum:"1" doc:"The sale's line"`
	Qty          domain.Qty `json:"qty" doc:"In the sale line's unit"`
}

func payments(in []POSPaymentInput) []domain.Payment {
	out := make([]domain.Payment, len(in))
	for i, p := range in {
		out[i] = domain.Payment{Method: p.Method, AccountID: p.AccountID, Tendered: p.Tendered, Ref: p.Ref}
	}
	return out
}

func (in *POSSaleInput) doc() domain.Document {
	d := domain.Document{WarehouseID: in.WarehouseID, Discount: in.Discount, Note: in.Note, Payments: payments(in.Payments),
		Lines: make([]domain.DocLine, len(in.Lines))}
	if in.PartnerID != 0 {
		d.PartnerID = &in.PartnerID
	}
	for i, l := range in.Lines {
		d.Lines[i] = domain.DocLine{ItemID: l.ItemID, UnitID: l.UnitID, Qty: l.Qty, Price: l.Price, PriceRule: l.PriceRule,
			DiscountRate: l.DiscountRate, PromoDiscount: l.PromoDiscount, Batch: l.Batch, Serials: l.Serials}
	}
	return d
}

func (in *POSReturnInput) doc() domain.Document {
	d := domain.Document{WarehouseID: in.WarehouseID, Note: in.Note, Payments: payments(in.Payments), Lines: make([]domain.DocLine, len(in.Lines))}
	for i, l := range in.Lines {
		d.Lines[i] = domain.DocLine{SourceLineID: l.SourceLineID, Qty: l.Qty}
	}
	return d
}

type POSListParams struct {
	Q           string `query:"q" maxLength:"100" doc:"Search the number, the note and the member (code, name, English name, 助记码)"`
	WarehouseID int64  `query:"warehouse_id"`
	PartnerID   int64  `query:"partner_id"`
	CashierID   int64  `query:"cashier_id" doc:"Only what this user rang up"`
	From        string `query:"from" pattern:"^\\d{4}-\\d{2}-\\d{2}$"`
	To          string `query:"to" pattern:"^\\d{4}-\\d{2}-\\d{2}$"`
	Limit       int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
	Offset      int    `query:"offset" minimum:"0" default:"0"`
}

// POSTakingsParams selects a takings summary.
type POSTakingsParams struct {
	From        string `query:"from" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"First business day; today when left out"`
	To          string `query:"to" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Last business day; today when left out"`
	WarehouseID int64  `query:"warehouse_id"`
	CashierID   int64  `query:"cashier_id" doc:"Only what this user rang up"`
}

type POSCashiersParams struct {
	From        string `query:"from" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"First business day; today when left out"`
	To          string `query:"to" pattern:"^\\d{4}-\\d{2}-\\d{2}$" doc:"Last business day; today when left out"`
	WarehouseID int64  `query:"warehouse_id"`
}

type numberIn struct {
	Number string `path:"number" maxLength:"64"`
}

type receiptIn struct {
	ID     int64  `path:"id" minimum:"1"`
	Width  string `query:"width" enum:"58,80" default:"80" doc:"Roll width in millimetres"`
	Format string `query:"format" enum:"pdf,text,escpos" default:"pdf" doc:"pdf: sized for the roll; text: plain text in the roll's columns; escpos: bytes for an ESC/POS printer (GB18030)"`
	Lang   string `query:"lang" enum:",zh-CN,en"`
}

// POSSetup is what the counter screen needs to start: the money accounts
// payments go into and the warehouses the cashier may sell from.
type POSSetup struct {
	Company    string             `json:"company"`
	Accounts   []domain.Account   `json:"accounts"`
	Warehouses []domain.Warehouse `json:"warehouses"`
}

func (s *Server) posRoutes() {
	svc := s.svc
	// The counter's screen rings up with sales.pos.use; what it sold is read
	// with sales.pos.read too (销售 → 零售单), so a bookkeeper can look
	// without being able to sell.
	const tag, perm = "pos", "sales.pos.use"
	read := anyPerm{"sales.pos.read", perm}
	register(s, http.MethodGet, "/pos/setup", "posSetup", tag, "What the counter needs: payment accounts and the cashier's warehouses", perm,
		func(ctx context.Context, p *domain.Principal, _ *struct{}) (*Out[POSSetup], error) {
			st, err := svc.POSSetup(ctx, p)
			return &Out[POSSetup]{Body: POSSetup{Company: st.Company, Accounts: st.Accounts, Warehouses: st.Warehouses}}, err
		})
	register(s, http.MethodPost, "/pos/price", "pricePOSLines", tag,
		"Price the counter's lines as the sale will (the unit's retail price for a walk-in, price lists for a member, promotions, gifts, 满减)", perm,
		func(ctx context.Context, p *domain.Principal, in *bodyIn[service.PriceRequest]) (*Out[domain.PriceResult], error) {
			in.Body.Date = nil // the counter sells today
			r, err := svc.PriceLines(ctx, p, in.Body)
			return &Out[domain.PriceResult]{Body: r}, err
		})
	register(s, http.MethodPost, "/pos/sales", "createPOSSale", tag,
		"Make a counter sale: the lines, their stock issue and the payments post in one transaction (send an Idempotency-Key)", perm,
		func(ctx context.Context, p *domain.Principal, in *bodyIn[POSSaleInput]) (*Out[domain.Document], error) {
			d, err := svc.CreatePOSSale(ctx, p, in.Body.doc())
			return &Out[domain.Document]{Body: d}, err
		})
	register(s, http.MethodPost, "/pos/returns", "createPOSReturn", tag,
		"Take back lines of a counter sale and refund them (send an Idempotency-Key)", perm,
		func(ctx context.Context, p *domain.Principal, in *bodyIn[POSReturnInput]) (*Out[domain.Document], error) {
			d, err := svc.CreatePOSReturn(ctx, p, in.Body.doc())
			return &Out[domain.Document]{Body: d}, err
		})
	for _, k := range []struct {
		path, name string
		t          domain.DocType
	}{{"sales", "POSSale", domain.DocPOSSale}, {"returns", "POSReturn", domain.DocPOSReturn}} {
		registerAnyOf(s, http.MethodGet, "/pos/"+k.path, "list"+k.name+"s", tag, "List counter "+k.path+", each with its payments (refunds for returns)", read,
			func(ctx context.Context, p *domain.Principal, in *POSListParams) (*Out[Page[domain.Document]], error) {
				f := service.DocFilter{ListFilter: store.ListFilter{Q: in.Q, Page: store.Page{Limit: in.Limit, Offset: in.Offset}},
					WarehouseID: in.WarehouseID, PartnerID: in.PartnerID, CreatedBy: in.CashierID}
				var err error
				if f.From, err = optDate("from", in.From); err != nil {
					return nil, err
				}
				if f.To, err = optDate("to", in.To); err != nil {
					return nil, err
				}
				docs, n, err := svc.POSDocs(ctx, p, k.t, f)
				return page(docs, n, ListParams{Limit: in.Limit, Offset: in.Offset}), err
			})
		registerAnyOf(s, http.MethodGet, "/pos/"+k.path+"/{id}", "get"+k.name, tag, "Get a counter "+string(k.t)+" with its lines and payments", read,
			func(ctx context.Context, p *domain.Principal, in *idIn) (*Out[domain.Document], error) {
				d, err := svc.POSDoc(ctx, p, k.t, in.ID)
				return &Out[domain.Document]{Body: d}, err
			})
		path := "/pos/" + k.path + "/{id}/receipt"
		registerAnyOf(s, http.MethodGet, path, "print"+k.name+"Receipt", tag,
			"The receipt (小票) for a 58 or 80 mm roll: PDF, plain text or ESC/POS bytes", read,
			func(ctx context.Context, p *domain.Principal, in *receiptIn) (*fileOut, error) {
				d, refs, err := svc.POSDocForPrint(ctx, p, k.t, in.ID)
				if err != nil {
					return nil, err
				}
				r := posReceipt(printLang(ctx, in.Lang), d, refs)
				width := pdf.Roll80
				if in.Width == "58" {
					width = pdf.Roll58
				}
				switch in.Format {
				case "text":
					return &fileOut{ContentType: "text/plain; charset=utf-8", Body: []byte(pdf.ReceiptText(r, pdf.RollColumns(width)))}, nil
				case "escpos":
					b, err := pdf.ReceiptESCPOS(r, pdf.RollColumns(width))
					return &fileOut{ContentType: "application/octet-stream", ContentDisposition: "attachment; filename=" + d.Number + ".bin", Body: b}, err
				}
				var buf bytes.Buffer
				if err := pdf.ReceiptPDF(&buf, width, r); err != nil {
					return nil, err
				}
				return &fileOut{ContentType: pdfType, ContentDisposition: "inline; filename=" + d.Number + ".pdf", Body: buf.Bytes()}, nil
			})
		fileResponse(s.api, http.MethodGet, "/api/v1"+path, pdfType)
	}
	registerAnyOf(s, http.MethodGet, "/pos/takings", "posTakings", tag,
		"The counter's takings over a range (交班对账): sales and refunds, and by payment method what came in and went out", read,
		func(ctx context.Context, p *domain.Principal, in *POSTakingsParams) (*Out[store.POSTakings], error) {
			f := store.POSTakingsFilter{WarehouseID: in.WarehouseID, CreatedBy: in.CashierID}
			if err := optRange(in.From, in.To, &f.From, &f.To); err != nil {
				return nil, err
			}
			t, err := svc.POSTakings(ctx, p, f)
			return &Out[store.POSTakings]{Body: t}, err
		})
	registerAnyOf(s, http.MethodGet, "/pos/cashiers", "posCashiers", tag,
		"Who rang up counter sales or returns over a range (today when left out), in a store: the list's cashier filter", read,
		func(ctx context.Context, p *domain.Principal, in *POSCashiersParams) (*Out[[]store.POSCashier], error) {
			f := store.POSTakingsFilter{WarehouseID: in.WarehouseID}
			if err := optRange(in.From, in.To, &f.From, &f.To); err != nil {
				return nil, err
			}
			c, err := svc.POSCashiers(ctx, p, f)
			return &Out[[]store.POSCashier]{Body: c}, err
		})
	register(s, http.MethodGet, "/pos/sale-by-number/{number}", "findPOSSale", tag,
		"Find a counter sale by the number on its receipt (for a return)", perm,
		func(ctx context.Context, p *domain.Principal, in *numberIn) (*Out[domain.Document], error) {
			d, err := svc.POSSaleByNumber(ctx, p, in.Number)
			return &Out[domain.Document]{Body: d}, err
		})
}

// posReceipt lays out a counter sale or return for the roll.
func posReceipt(lang i18n.Lang, d domain.Document, r service.DocRefs) pdf.Receipt {
	t := func(k string) string { return i18n.T(lang, "receipt."+k, nil) }
	title := t("sale")
	if d.Type == domain.DocPOSReturn {
		title = t("return")
	}
	out := pdf.Receipt{Title: local(lang, r.Company.Name, r.Company.NameEn), Subtitle: title, Code: d.Number}
	if w, ok := r.Warehouses[d.WarehouseID]; ok {
		out.Subtitle = local(lang, w.Name, w.NameEn) + " · " + title
	}
	out.Header = []pdf.KV{{Label: t("number"), Value: d.Number}}
	if d.PostedAt != nil {
		out.Header = append(out.Header, pdf.KV{Label: t("time"), Value: d.PostedAt.In(r.Now.Location()).Format("2006-01-02 15:04")})
	}
	out.Header = append(out.Header, pdf.KV{Label: t("cashier"), Value: r.Users[d.CreatedBy]})
	if r.Partner != nil {
		out.Header = append(out.Header, pdf.KV{Label: t("customer"), Value: local(lang, r.Partner.Name, r.Partner.NameEn)})
	}
	var qty domain.Qty
	var lineDiscount domain.Money
	for _, l := range d.Lines {
		it := r.Items[l.ItemID]
		u := r.Units[l.UnitID]
		unit := local(lang, u.Name, u.NameEn)
		rl := pdf.RLine{Name: cmp.Or(local(lang, it.Name, it.NameEn), it.Code), Qty: l.Qty.Short() + unit, Price: l.Price.String(), Amount: l.Gross.String()}
		if l.DiscountRate > 0 {
			rl.Note = t("discount") + " " + l.DiscountRate.String() + "%"
		}
		qty += l.Qty
		lineDiscount += l.Discount
		out.Lines = append(out.Lines, rl)
	}
	out.Totals = []pdf.KV{{Label: t("items"), Value: qty.Short()}}
	if lineDiscount != 0 {
		out.Totals = append(out.Totals, pdf.KV{Label: t("discount"), Value: "-" + lineDiscount.String()})
	}
	out.Totals = append(out.Totals, pdf.KV{Label: t("tax"), Value: d.TaxAmount.String()}, pdf.KV{Label: t("total"), Value: d.GrossAmount.String()})
	for _, pm := range d.Payments {
		label := t("pay." + pm.Method)
		out.Payments = append(out.Payments, pdf.KV{Label: label, Value: pm.Tendered.String()})
		if pm.Change > 0 {
			out.Payments = append(out.Payments, pdf.KV{Label: t("change"), Value: pm.Change.String()})
		}
	}
	out.Footer = []string{t("thanks")}
	if d.Type == domain.DocPOSSale {
		out.Footer = append(out.Footer, t("keep"))
	}
	return out
}
