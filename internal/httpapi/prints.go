package httpapi

import (
	"bytes"
	"cmp"
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/i18n"
	"github.com/jxc-erp/jxc/internal/pdf"
	"github.com/jxc-erp/jxc/internal/service"
)

// Printed documents: the data of a document laid out by pdf.Document, in
// the caller's language. Purchase and sales documents build their
// pdf.DocPrint the same way (docHead, fmtMoney, the signature line).

type docPDFIn struct {
	ID    int64  `path:"id" minimum:"1"`
	Paper string `query:"paper" enum:"a4,a5,241" default:"a4" doc:"a4: A4 portrait; a5: A5 landscape (half a sheet); 241: 241 × 140 mm continuous form (二等分) for dot-matrix printers and multi-part paper"`
	Lang  string `query:"lang" enum:",zh-CN,en" doc:"Language of the print; the caller's (Accept-Language) by default"`
}

func (s *Server) printRoutes() {
	register(s, http.MethodGet, "/stock/documents/{id}/pdf", "printStockDoc", "stock",
		"Print a warehouse document as a PDF; amounts and 金额大写 only for callers with data.cost.read", "stock.document.read",
		func(ctx context.Context, p *domain.Principal, in *docPDFIn) (*fileOut, error) {
			d, refs, err := s.svc.StockDocForPrint(ctx, p, in.ID)
			if err != nil {
				return nil, err
			}
			lang := langOf(ctx)
			if in.Lang != "" {
				lang = i18n.Parse(in.Lang)
			}
			return pdfFile(paperSize(in.Paper), d.Number, stockDocPrint(lang, p.Can("data.cost.read"), d, refs))
		})
	fileResponse(s.api, http.MethodGet, "/api/v1/stock/documents/{id}/pdf", "application/pdf")
}

// Content types of the files the API sends.
const (
	pdfType  = "application/pdf"
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// fileResponse documents the success body of an operation as the file it
// is, of the given content type (a []byte body is otherwise described as
// base64 JSON).
func fileResponse(api huma.API, method, path, contentType string) {
	var op *huma.Operation
	if item := api.OpenAPI().Paths[path]; item != nil {
		switch method {
		case http.MethodGet:
			op = item.Get
		case http.MethodPost:
			op = item.Post
		}
	}
	if op == nil {
		panic("httpapi: no " + method + " " + path + " to describe")
	}
	status := "200"
	if op.DefaultStatus != 0 {
		status = strconv.Itoa(op.DefaultStatus)
	}
	r := op.Responses[status]
	if r == nil {
		panic("httpapi: " + method + " " + path + " has no " + status + " response to describe")
	}
	r.Content = map[string]*huma.MediaType{contentType: {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}
}

func paperSize(paper string) pdf.Size {
	switch paper {
	case "a5":
		return pdf.A5Landscape
	case "241":
		return pdf.Form241
	}
	return pdf.A4
}

// pdfFile renders a print to be shown in the browser, named after the
// document number.
func pdfFile(size pdf.Size, number string, p pdf.DocPrint) (*fileOut, error) {
	var buf bytes.Buffer
	if err := pdf.Document(&buf, size, p); err != nil {
		return nil, err
	}
	name := number + ".pdf"
	disp := "inline; filename*=UTF-8''" + url.PathEscape(name)
	if ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return -1
		}
		return r
	}, name); ascii == name {
		disp = `inline; filename="` + name + `"; filename*=UTF-8''` + url.PathEscape(name)
	}
	return &fileOut{ContentType: pdfType, ContentDisposition: disp, Body: buf.Bytes()}, nil
}

// printWords are the fixed words of a print in lang.
func printWords(lang i18n.Lang) pdf.DocWords {
	t := func(k string) string { return i18n.T(lang, "print."+k, nil) }
	return pdf.DocWords{Number: t("number"), Date: t("date"), Address: t("address"), Phone: t("phone"), TaxNo: t("tax_no"),
		AmountInWords: t("amount_in_words"), Note: t("note"), PrintedAt: t("printed_at"), Page: t("page"), Colon: t("colon")}
}

// local is the English name of a record when the print is in English and
// there is one.
func local(lang i18n.Lang, name, nameEn string) string {
	if lang == i18n.EN && nameEn != "" {
		return nameEn
	}
	return name
}

// printCompany is the company as a print's header names it: in English
// by its English name when it has one.
func printCompany(lang i18n.Lang, c domain.Company) pdf.DocCompany {
	return pdf.DocCompany{Name: local(lang, c.Name, c.NameEn), Address: c.Address, Phone: c.Phone, TaxNo: c.TaxNo}
}

// fmtMoney shows an amount with thousands grouped: -1,280.00.
func fmtMoney(m domain.Money) string { return groupThousands(m.String()) }

// fmtPrice shows a unit price like an amount, with more decimals only
// where it has them: 1,288.50, 0.035.
func fmtPrice(p domain.Price) string { return groupThousands(trimPrice(p)) }

// groupThousands puts commas between the thousands of a decimal number.
func groupThousands(s string) string { return domain.GroupThousands(s) }

// stockDocPrint lays a warehouse document out for printing. A reversal
// (红冲) prints its quantities and values negative, the way it moves the
// books. Money shows only for callers who may read costs, and only where
// the document has it: receipts always, issues and transfers once posted
// (the cost is known then). The total in Chinese capitals is printed in
// Chinese only.
func stockDocPrint(lang i18n.Lang, canCost bool, d domain.Document, r service.DocRefs) pdf.DocPrint {
	t := func(k string) string { return i18n.T(lang, "print."+k, nil) }
	reversal := d.ReversesID != nil
	sign := domain.Qty(1)
	if reversal {
		sign = -1
	}
	take := d.Type == domain.DocStocktake
	assembly := d.Type == domain.DocAssembly || d.Type == domain.DocDisassembly
	posted := d.State == domain.DocPosted
	money := canCost && (d.Type.Receives() || posted)

	p := docHead(lang, d, r)
	if reversal {
		p.Title += t("reversal")
	}
	switch {
	case !posted:
		p.Stamp = t("stamp." + string(d.State))
	case d.ReversedByID != nil:
		p.Stamp = t("stamp.reversed")
	}

	// The header fields.
	whName := func(id int64) string {
		w := r.Warehouses[id]
		return local(lang, w.Name, w.NameEn)
	}
	party := func(key, value string) {
		if value != "" {
			p.Parties = append(p.Parties, pdf.KV{Label: t(key), Value: value})
		}
	}
	if d.ToWarehouseID != nil {
		party("from_warehouse", whName(d.WarehouseID))
		party("to_warehouse", whName(*d.ToWarehouseID))
	} else {
		party("warehouse", whName(d.WarehouseID))
	}
	if d.Reason != "" {
		dir := "in"
		if d.Type == domain.DocStockOut {
			dir = "out"
		}
		reason := d.Reason // a code this version does not know prints as it is
		if key := "print.reason." + dir + "." + d.Reason; i18n.Has(lang, key) {
			reason = i18n.T(lang, key, nil)
		}
		party("reason", reason)
	}
	if d.TwoStep {
		party("two_step", t("two_step_value"))
	}
	if take {
		var scope []string
		if d.ScopeLocationID != nil {
			scope = append(scope, locName(r, *d.ScopeLocationID))
		}
		if r.Category != nil {
			scope = append(scope, local(lang, r.Category.Name, r.Category.NameEn))
		}
		party("scope", strings.Join(scope, " / "))
		if d.Blind {
			party("blind", t("yes"))
		}
	}
	for _, rel := range []struct {
		key string
		id  *int64
	}{{"source", d.SourceID}, {"reverses", d.ReversesID}, {"reversed_by", d.ReversedByID}} {
		if rel.id != nil {
			party(rel.key, r.Numbers[*rel.id])
		}
	}

	// The columns the document needs.
	has := func(f func(l domain.DocLine) bool) bool { return slices.ContainsFunc(d.Lines, f) }
	showLoc := has(func(l domain.DocLine) bool { return locName(r, l.LocationID) != "" })
	showToLoc := d.Type == domain.DocStockTransfer && has(func(l domain.DocLine) bool { return locName(r, l.ToLocationID) != "" })
	showBatch := has(func(l domain.DocLine) bool { return l.Batch != "" })
	showExpiry := has(func(l domain.DocLine) bool { return l.Expiry != nil })
	showNote := has(func(l domain.DocLine) bool { return l.Note != "" || len(l.Serials) > 0 })
	// A stocktake's reversal moves only the variance back; a blind count
	// sheet does not show the book until it is posted.
	showBook := take && !reversal && !(d.Blind && !posted)
	showCounted := take && !reversal
	showVariance := take && (reversal || showBook)

	// A column says what its cells show and, when it adds up, its total
	// (the cells add as they are made).
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
	item := func(l domain.DocLine) domain.Item { return r.Items[l.ItemID] }
	add("no", 4.5, pdf.AlignCenter, 1, func(i int, _ domain.DocLine) string { return strconv.Itoa(i + 1) }).total = func() string { return t("total") }
	add("code", 12, pdf.AlignLeft, 1, func(_ int, l domain.DocLine) string { return item(l).Code })
	add("name", 26, pdf.AlignLeft, 2, func(_ int, l domain.DocLine) string { it := item(l); return local(lang, it.Name, it.NameEn) })
	add("spec", 10, pdf.AlignLeft, 1, func(_ int, l domain.DocLine) string { return item(l).Spec })
	if assembly {
		add("role", 6, pdf.AlignCenter, 1, func(_ int, l domain.DocLine) string {
			if l.Role == "" {
				return ""
			}
			return t("role." + l.Role)
		})
	}
	add("unit", 5.5, pdf.AlignCenter, 1, func(_ int, l domain.DocLine) string {
		u := r.Units[cmp.Or(l.UnitID, item(l).BaseUnitID)]
		return local(lang, u.Name, u.NameEn)
	})
	if showLoc {
		key := "location"
		if showToLoc || d.Type == domain.DocStockTransfer {
			key = "from_location"
		}
		add(key, 9, pdf.AlignLeft, 1, func(_ int, l domain.DocLine) string { return locName(r, l.LocationID) })
	}
	if showToLoc {
		add("to_location", 9, pdf.AlignLeft, 1, func(_ int, l domain.DocLine) string { return locName(r, l.ToLocationID) })
	}
	if showBatch {
		add("batch", 10, pdf.AlignLeft, 1, func(_ int, l domain.DocLine) string { return l.Batch })
	}
	if showExpiry {
		add("expiry", 9.5, pdf.AlignCenter, 1, func(_ int, l domain.DocLine) string {
			if l.Expiry == nil {
				return ""
			}
			return l.Expiry.String()
		})
	}
	var qtySum, bookSum, countedSum, varSum domain.Qty
	var amountSum domain.Money
	counted := has(func(l domain.DocLine) bool { return l.CountedQty != nil })
	ifCounted := func(q *domain.Qty) func() string { // a sheet not yet counted has no counted totals
		return func() string {
			if !counted {
				return ""
			}
			return q.Short()
		}
	}
	switch {
	case take:
		if showBook {
			add("book_qty", 9, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { bookSum += l.BookQty; return l.BookQty.Short() }).total = func() string { return bookSum.Short() }
		}
		if showCounted {
			add("counted_qty", 9, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string {
				if l.CountedQty == nil {
					return "" // counted by hand on the sheet
				}
				countedSum += *l.CountedQty
				return l.CountedQty.Short()
			}).total = ifCounted(&countedSum)
		}
		if showVariance {
			add("variance", 9, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string {
				if l.CountedQty == nil {
					return ""
				}
				v := (*l.CountedQty - l.BookQty) * sign
				varSum += v
				return v.Short()
			}).total = ifCounted(&varSum)
		}
	default:
		add("qty", 9, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { q := l.Qty * sign; qtySum += q; return q.Short() }).total = func() string { return qtySum.Short() }
	}
	if money && !take {
		add("price", 10, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { return fmtPrice(l.Price) })
	}
	if money {
		add("amount", 11, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string {
			a := lineAmount(d, l)
			amountSum += a
			return fmtMoney(a)
		}).total = func() string { return fmtMoney(amountSum) }
	}
	if showNote {
		add("note", 12, pdf.AlignLeft, 3, func(_ int, l domain.DocLine) string {
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
	// An assembly's lines are a product and what it is made of: their
	// quantities and values do not add up to anything.
	if !assembly {
		p.Totals = make([]string, len(cols))
		for k, c := range cols {
			if c.total != nil {
				p.Totals[k] = c.total()
			}
		}
	}
	if money && lang == i18n.ZH && !take && !assembly {
		p.AmountWords = amountSum.Chinese()
	}

	sigs := []string{"maker", "approver", "keeper", "handler"}
	if take {
		sigs = []string{"maker", "counter", "approver", "keeper"}
	}
	for _, k := range sigs {
		kv := pdf.KV{Label: t("sign." + k)}
		if k == "maker" {
			kv.Value = r.Users[d.CreatedBy]
		}
		p.Signatures = append(p.Signatures, kv)
	}
	return p
}

// lineAmount is the value a line prints. Receipts, issues and transfers
// store the value moved, positive also on a reversal; stocktakes store
// the signed value of the variance, a reversal's already turned round;
// assemblies store the product positive and the components negative, and
// print each line's value with the document's direction.
func lineAmount(d domain.Document, l domain.DocLine) domain.Money {
	a := l.Amount
	switch d.Type {
	case domain.DocStocktake:
		return a
	case domain.DocAssembly, domain.DocDisassembly:
		a = max(a, -a)
	}
	if d.ReversesID != nil {
		a = -a
	}
	return a
}

// locName is how a bin prints: its code, or its name when it has none.
// The warehouse itself (0, or the root of its tree) prints as nothing.
func locName(r service.DocRefs, id int64) string {
	l, ok := r.Locations[id]
	if !ok || l.Kind == domain.LocWarehouse {
		return ""
	}
	return cmp.Or(l.Code, l.Name)
}
