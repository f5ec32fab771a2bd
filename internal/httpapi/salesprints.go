package httpapi

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/i18n"
	"github.com/jxc-erp/jxc/internal/pdf"
	"github.com/jxc-erp/jxc/internal/service"
)

// Prints of sales documents, the customer's statement and an order's pick
// list. These go to the customer: they show the customer's prices to
// everyone who may read the document (a warehouse clerk prints the
// delivery note with its prices), and never what the goods cost.

func (s *Server) salesPrintRoutes() {
	for _, k := range salesKinds {
		path := "/sales/" + k.path + "/{id}/pdf"
		register(s, http.MethodGet, path, "print"+k.name, "sales",
			"Print a "+string(k.t)+" as a PDF (金额大写 in Chinese); paper=241 for a 241 mm continuous form", k.read,
			func(ctx context.Context, p *domain.Principal, in *docPDFIn) (*fileOut, error) {
				d, refs, err := s.svc.SalesDocForPrint(ctx, p, k.t, in.ID)
				if err != nil {
					return nil, err
				}
				return pdfFile(paperSize(in.Paper), d.Number, salesDocPrint(printLang(ctx, in.Lang), d, refs))
			})
		fileResponse(s.api, http.MethodGet, "/api/v1"+path, pdfType)
	}
	register(s, http.MethodGet, "/sales/orders/{id}/pick-list/pdf", "printSalesOrderPickList", "sales",
		"An order's pick list (拣货单) as a PDF: bin, batch, expiry and quantity to pick, in bin order", "sales.shipment.read",
		func(ctx context.Context, p *domain.Principal, in *docPDFIn) (*fileOut, error) {
			d, picks, refs, err := s.svc.PickListForPrint(ctx, p, in.ID)
			if err != nil {
				return nil, err
			}
			lang := printLang(ctx, in.Lang)
			return pdfFile(paperSize(in.Paper), i18n.T(lang, "print.title.pick_list", nil)+"-"+d.Number, pickListPrint(lang, d, picks, refs))
		})
	fileResponse(s.api, http.MethodGet, "/api/v1/sales/orders/{id}/pick-list/pdf", pdfType)
	s.statementRoutes("/sales/statements/{id}", "CustomerStatement", "sales", "finance.receipt.read", customerStatement, s.svc.CustomerStatement)
}

// docHead is what every document print starts with: title, number, date,
// note, the company and the fixed words.
func docHead(lang i18n.Lang, d domain.Document, r service.DocRefs) pdf.DocPrint {
	t := func(k string) string { return i18n.T(lang, "print."+k, nil) }
	return pdf.DocPrint{Title: t("title." + string(d.Type)), Number: d.Number, Date: d.Date.String(), Note: d.Note,
		PrintedAt: r.Now.Format("2006-01-02 15:04"), Words: printWords(lang),
		Company: printCompany(lang, r.Company)}
}

// customerContact is whom and where a print names for the customer: the
// primary (else the first) contact and address. A delivery names the
// address's receiver first, the contact otherwise.
func customerContact(pt domain.Partner, delivery bool) (name, phone, address string) {
	var c domain.Contact
	if i := slices.IndexFunc(pt.Contacts, func(c domain.Contact) bool { return c.Primary }); i >= 0 {
		c = pt.Contacts[i]
	} else if len(pt.Contacts) > 0 {
		c = pt.Contacts[0]
	}
	var a domain.Address
	if i := slices.IndexFunc(pt.Addresses, func(a domain.Address) bool { return a.Primary }); i >= 0 {
		a = pt.Addresses[i]
	} else if len(pt.Addresses) > 0 {
		a = pt.Addresses[0]
	}
	address = strings.TrimSpace(a.Region + " " + a.Line)
	cName, cPhone := c.Name, cmp.Or(c.Mobile, c.Phone)
	if delivery && a.Receiver != "" {
		return a.Receiver, cmp.Or(a.Phone, cPhone), address
	}
	if cName == "" {
		return a.Receiver, cmp.Or(cPhone, a.Phone), address
	}
	return cName, cmp.Or(cPhone, a.Phone), address
}

// salesParties are the header fields of a sales print: the customer and
// how to reach them, then the document's own.
func salesParties(lang i18n.Lang, d domain.Document, r service.DocRefs) []pdf.KV {
	t := func(k string) string { return i18n.T(lang, "print."+k, nil) }
	var out []pdf.KV
	party := func(key, value string) {
		if value = strings.TrimSpace(value); value != "" {
			out = append(out, pdf.KV{Label: t(key), Value: value})
		}
	}
	delivery := d.Type == domain.DocSalesShipment || d.Type == domain.DocSalesOrder
	if r.Partner != nil {
		party("customer", local(lang, r.Partner.Name, r.Partner.NameEn))
		name, phone, address := customerContact(*r.Partner, delivery)
		party("contact", name)
		party("phone", phone)
		if delivery {
			party("ship_to", address)
		} else {
			party("address", address)
		}
	}
	if d.SalespersonID != nil {
		party("salesperson", r.Users[*d.SalespersonID])
	}
	if w, ok := r.Warehouses[d.WarehouseID]; ok {
		party("warehouse", local(lang, w.Name, w.NameEn))
	}
	if r.Account != nil {
		party("receipt_account", local(lang, r.Account.Name, r.Account.NameEn))
	}
	party("customer_ref", d.Ref)
	if d.SourceID != nil {
		key := "source"
		if d.Type == domain.DocReceipt {
			key = "deposit_on"
		}
		party(key, r.Numbers[*d.SourceID])
	}
	if d.ExpectedDate != nil {
		key := "delivery_date"
		if d.Type == domain.DocSalesQuote {
			key = "valid_until"
		}
		party(key, d.ExpectedDate.String())
	}
	if d.DueDate != nil {
		party("due_date", d.DueDate.String())
	}
	if d.Type != domain.DocReceipt {
		tax := t("tax_excluded")
		if d.TaxIncluded {
			tax = t("tax_included")
		}
		party("prices", tax)
	}
	var promo domain.Money
	for _, l := range d.Lines {
		promo += l.PromoDiscount
	}
	if promo != 0 {
		party("promo_discount", fmtMoney(promo))
	}
	if d.Discount != 0 {
		party("bill_discount", fmtMoney(d.Discount))
	}
	return out
}

// salesStamp is what is boxed beside the title: the state of a document
// not posted, or that an order or quote is closed.
func salesStamp(lang i18n.Lang, d domain.Document) string {
	switch {
	case d.State != domain.DocPosted:
		return i18n.T(lang, "print.stamp."+string(d.State), nil)
	case d.Closed:
		return i18n.T(lang, "print.stamp.closed", nil)
	}
	return ""
}

// amountWords is the total in Chinese capitals followed by the figure, the
// way a Chinese form writes it (大写 … 小写 ￥…); English prints none.
func amountWords(lang i18n.Lang, m domain.Money) string {
	if lang != i18n.ZH {
		return ""
	}
	return m.Chinese() + "    （小写）￥" + fmtMoney(m)
}

// salesDocPrint lays out a sales document: the customer, the lines with
// price, discount, amount (with tax or without, as the document's prices
// are) and tax, the gross in Chinese capitals; a receipt what it was
// applied to.
func salesDocPrint(lang i18n.Lang, d domain.Document, r service.DocRefs) pdf.DocPrint {
	t := func(k string) string { return i18n.T(lang, "print."+k, nil) }
	p := docHead(lang, d, r)
	p.Stamp = salesStamp(lang, d)
	p.Parties = salesParties(lang, d, r)
	p.AmountWords = amountWords(lang, d.GrossAmount)
	if d.Type == domain.DocReceipt {
		receiptRows(lang, &p, d, r)
		p.Signatures = signatures(lang, r, d, "maker", "cashier", "payer")
		return p
	}

	type col struct {
		pdf.Column
		cell  func(i int, l domain.DocLine) string
		total func() string
	}
	var cols []col
	add := func(key string, weight float64, a pdf.Align, lines int, cell func(i int, l domain.DocLine) string) *col {
		cols = append(cols, col{Column: pdf.Column{Label: t("col." + key), Weight: weight, Align: a, Lines: lines}, cell: cell})
		return &cols[len(cols)-1]
	}
	has := func(f func(l domain.DocLine) bool) bool { return slices.ContainsFunc(d.Lines, f) }
	item := func(l domain.DocLine) domain.Item { return r.Items[l.ItemID] }
	add("no", 4, pdf.AlignCenter, 1, func(i int, _ domain.DocLine) string { return strconv.Itoa(i + 1) }).total = func() string { return t("total") }
	add("code", 10, pdf.AlignLeft, 1, func(_ int, l domain.DocLine) string { return item(l).Code })
	add("name", 22, pdf.AlignLeft, 2, func(_ int, l domain.DocLine) string { it := item(l); return local(lang, it.Name, it.NameEn) })
	add("spec", 8, pdf.AlignLeft, 1, func(_ int, l domain.DocLine) string { return item(l).Spec })
	unitOf := func(l domain.DocLine) int64 { return cmp.Or(l.UnitID, item(l).BaseUnitID) }
	add("unit", 5, pdf.AlignCenter, 1, func(_ int, l domain.DocLine) string {
		u := r.Units[unitOf(l)]
		return local(lang, u.Name, u.NameEn)
	})
	if (d.Type == domain.DocSalesShipment || d.Type == domain.DocSalesReturn) && has(func(l domain.DocLine) bool { return l.Batch != "" }) {
		add("batch", 9, pdf.AlignLeft, 1, func(_ int, l domain.DocLine) string { return l.Batch })
	}
	var qtySum domain.Qty
	var amountSum, taxSum, grossSum domain.Money
	// Boxes and cans do not add up: the quantity totals only in one unit.
	oneUnit := !has(func(l domain.DocLine) bool { return unitOf(l) != unitOf(d.Lines[0]) })
	add("qty", 7, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { qtySum += l.Qty; return l.Qty.Short() }).total = func() string {
		if !oneUnit {
			return ""
		}
		return qtySum.Short()
	}
	add("sale_price", 8, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { return fmtPrice(l.Price) })
	if has(func(l domain.DocLine) bool { return l.DiscountRate != 0 }) {
		add("discount_rate", 5, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string {
			if l.DiscountRate == 0 {
				return ""
			}
			return fmtRate(l.DiscountRate)
		})
	}
	// The amount is what the prices say: with tax when they include it.
	amountKey, amount := "net", func(l domain.DocLine) domain.Money { return l.Amount }
	if d.TaxIncluded {
		amountKey, amount = "amount_incl", func(l domain.DocLine) domain.Money { return l.Gross }
	}
	add(amountKey, 10, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { a := amount(l); amountSum += a; return fmtMoney(a) }).total = func() string { return fmtMoney(amountSum) }
	add("tax_rate", 5, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { return fmtRate(l.TaxRate) })
	add("tax", 8, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { taxSum += l.Tax; return fmtMoney(l.Tax) }).total = func() string { return fmtMoney(taxSum) }
	if !d.TaxIncluded { // what the customer pays is then a column of its own
		add("gross", 10, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { grossSum += l.Gross; return fmtMoney(l.Gross) }).total = func() string { return fmtMoney(grossSum) }
	}
	if has(func(l domain.DocLine) bool { return l.Note != "" || len(l.Serials) > 0 }) {
		add("note", 10, pdf.AlignLeft, 2, func(_ int, l domain.DocLine) string {
			note := l.Note
			if len(l.Serials) > 0 {
				note = strings.TrimSpace(note + " " + t("serials") + t("colon") + strings.Join(l.Serials, ", "))
			}
			return note
		})
	}
	for _, c := range cols {
		p.Columns = append(p.Columns, c.Column)
	}
	for i, l := range d.Lines {
		row := make([]string, len(cols))
		for k, c := range cols {
			row[k] = c.cell(i, l)
		}
		p.Rows = append(p.Rows, row)
	}
	p.Totals = make([]string, len(cols))
	for k, c := range cols {
		if c.total != nil {
			p.Totals[k] = c.total()
		}
	}

	var sigs []string
	switch d.Type {
	case domain.DocSalesQuote, domain.DocSalesOrder:
		sigs = []string{"maker", "approver", "salesperson", "customer_sign"}
	case domain.DocSalesShipment:
		sigs = []string{"maker", "keeper", "deliverer", "receiver"}
		p.FootNote = t("copies")
	case domain.DocSalesReturn:
		sigs = []string{"maker", "keeper", "handler", "customer_sign"}
	case domain.DocSalesInvoice:
		sigs = []string{"maker", "approver", "customer_sign"}
		p.FootNote = t("not_tax_invoice")
	}
	p.Signatures = signatures(lang, r, d, sigs...)
	if d.SalespersonID != nil {
		for i := range p.Signatures {
			if sigs[i] == "salesperson" {
				p.Signatures[i].Value = r.Users[*d.SalespersonID]
			}
		}
	}
	return p
}

// receiptRows lays out a receipt (收款收据) as what the money settled: a
// row per invoice it was applied to (核销), then what is left on account
// (a deposit on an order, or not yet applied).
func receiptRows(lang i18n.Lang, p *pdf.DocPrint, d domain.Document, r service.DocRefs) {
	t := func(k string) string { return i18n.T(lang, "print."+k, nil) }
	p.Columns = []pdf.Column{
		{Label: t("col.no"), Weight: 5, Align: pdf.AlignCenter, Lines: 1},
		{Label: t("col.summary"), Weight: 22, Align: pdf.AlignLeft, Lines: 1},
		{Label: t("col.doc_number"), Weight: 18, Align: pdf.AlignLeft, Lines: 1},
		{Label: t("date"), Weight: 12, Align: pdf.AlignCenter, Lines: 1},
		{Label: t("col.amount"), Weight: 14, Align: pdf.AlignRight, Lines: 1},
	}
	left := d.GrossAmount
	for _, a := range r.Applied {
		p.Rows = append(p.Rows, []string{strconv.Itoa(len(p.Rows) + 1), t("applied_invoice"), a.Number, a.Date.String(), fmtMoney(a.Amount)})
		left -= a.Amount
	}
	if left != 0 || len(p.Rows) == 0 {
		row := []string{strconv.Itoa(len(p.Rows) + 1), t("unapplied"), "", "", fmtMoney(left)}
		if d.SourceID != nil {
			row[1], row[2] = t("deposit"), r.Numbers[*d.SourceID]
		}
		p.Rows = append(p.Rows, row)
	}
	p.Totals = []string{t("total"), "", "", "", fmtMoney(d.GrossAmount)}
}

// pickListPrint lays out an order's pick list for the warehouse: one row
// per bin and batch to pick from, in bin order (the walk through the
// warehouse), then what nothing holds; a blank column to tick off what was
// picked. Quantities print in the order line's unit when they are whole
// ones of it, else in the base unit.
func pickListPrint(lang i18n.Lang, d domain.Document, picks []service.Pick, r service.DocRefs) pdf.DocPrint {
	t := func(k string) string { return i18n.T(lang, "print."+k, nil) }
	p := docHead(lang, d, r)
	p.Title = t("title.pick_list")
	p.Stamp = salesStamp(lang, d)
	party := func(key, value string) {
		if value = strings.TrimSpace(value); value != "" {
			p.Parties = append(p.Parties, pdf.KV{Label: t(key), Value: value})
		}
	}
	if r.Partner != nil {
		party("customer", local(lang, r.Partner.Name, r.Partner.NameEn))
	}
	if w, ok := r.Warehouses[d.WarehouseID]; ok {
		party("warehouse", local(lang, w.Name, w.NameEn))
	}
	if d.ExpectedDate != nil {
		party("delivery_date", d.ExpectedDate.String())
	}
	if d.SalespersonID != nil {
		party("salesperson", r.Users[*d.SalespersonID])
	}

	lines := map[int64]domain.DocLine{}
	for _, l := range d.Lines {
		lines[l.ID] = l
	}
	order := func(id int64) int { return lines[id].LineNo }
	picks = slices.Clone(picks)
	slices.SortStableFunc(picks, func(a, b service.Pick) int {
		if a.Unreserved != b.Unreserved {
			if a.Unreserved {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(locName(r, a.LocationID), locName(r, b.LocationID)),
			cmp.Compare(r.Items[a.ItemID].Code, r.Items[b.ItemID].Code), cmp.Compare(order(a.LineID), order(b.LineID)))
	})
	p.Columns = []pdf.Column{
		{Label: t("col.no"), Weight: 4, Align: pdf.AlignCenter, Lines: 1},
		{Label: t("col.location"), Weight: 9, Align: pdf.AlignLeft, Lines: 1},
		{Label: t("col.code"), Weight: 11, Align: pdf.AlignLeft, Lines: 1},
		{Label: t("col.name"), Weight: 22, Align: pdf.AlignLeft, Lines: 2},
		{Label: t("col.spec"), Weight: 8, Align: pdf.AlignLeft, Lines: 1},
		{Label: t("col.batch"), Weight: 10, Align: pdf.AlignLeft, Lines: 1},
		{Label: t("col.expiry"), Weight: 9.5, Align: pdf.AlignCenter, Lines: 1},
		{Label: t("col.pick_qty"), Weight: 8, Align: pdf.AlignRight, Lines: 1},
		{Label: t("col.unit"), Weight: 5, Align: pdf.AlignCenter, Lines: 1},
		{Label: t("col.picked"), Weight: 7, Align: pdf.AlignRight, Lines: 1},
		{Label: t("col.note"), Weight: 9, Align: pdf.AlignLeft, Lines: 2},
	}
	unitName := func(id int64) string { u := r.Units[id]; return local(lang, u.Name, u.NameEn) }
	for i, pk := range picks {
		it, l := r.Items[pk.ItemID], lines[pk.LineID]
		qty, unit := pk.Qty, unitName(it.BaseUnitID)
		if l.UnitID != 0 && l.UnitID != it.BaseUnitID && l.Factor > 0 && pk.Qty%l.Factor == 0 {
			qty, unit = domain.QtyOf(int64(pk.Qty/l.Factor)), unitName(l.UnitID)
		}
		row := []string{strconv.Itoa(i + 1), locName(r, pk.LocationID), it.Code, local(lang, it.Name, it.NameEn), it.Spec, pk.Batch, "",
			qty.Short(), unit, "", l.Note}
		if pk.Expiry != nil {
			row[6] = pk.Expiry.String()
		}
		if pk.Unreserved {
			row[10] = strings.TrimSpace(t("unreserved") + " " + l.Note)
		}
		p.Rows = append(p.Rows, row)
	}
	p.Signatures = []pdf.KV{{Label: t("sign.picker")}, {Label: t("sign.checker")}, {Label: t("sign.keeper")}}
	p.Note = d.Note
	return p
}
