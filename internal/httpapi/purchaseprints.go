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
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/i18n"
	"github.com/jxc-erp/jxc/internal/pdf"
	"github.com/jxc-erp/jxc/internal/service"
	"github.com/jxc-erp/jxc/internal/sheet"
)

// Prints of purchasing documents and the supplier's statement, built the
// way stock documents print (printWords, fmtMoney, the signature line).

type statementFileIn struct {
	ID   int64  `path:"id" minimum:"1" doc:"The supplier"`
	From string `query:"from" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$"`
	To   string `query:"to" required:"true" pattern:"^\\d{4}-\\d{2}-\\d{2}$"`
	Lang string `query:"lang" enum:",zh-CN,en" doc:"Language; the caller's by default"`
}

func (s *Server) purchasePrintRoutes() {
	for _, k := range purchaseKinds {
		path := "/purchase/" + k.path + "/{id}/pdf"
		register(s, http.MethodGet, path, "print"+k.name, "purchase", "Print a "+string(k.t)+" as a PDF (金额大写 in Chinese)", k.read,
			func(ctx context.Context, p *domain.Principal, in *docPDFIn) (*fileOut, error) {
				d, refs, err := s.svc.PurchaseDocForPrint(ctx, p, k.t, in.ID)
				if err != nil {
					return nil, err
				}
				return pdfFile(paperSize(in.Paper), d.Number, purchaseDocPrint(printLang(ctx, in.Lang), p.Can("data.cost.read"), d, refs))
			})
		fileResponse(s.api, http.MethodGet, "/api/v1"+path, pdfType)
	}
	s.statementRoutes("/purchase/statements/{id}", "SupplierStatement", "purchase", "finance.payment.read", supplierStatement, s.svc.SupplierStatement)
}

// statementKind is what tells a supplier's statement from a customer's.
type statementKind struct {
	title, party, code, ref, debit, credit, words, sign string // print.* keys
}

var (
	supplierStatement = statementKind{"title.statement", "supplier", "supplier_code", "ref", "col.debit", "col.credit", "payable_in_words", "sign.supplier_sign"}
	customerStatement = statementKind{"title.customer_statement", "customer", "customer_code", "customer_ref", "col.ar_debit", "col.ar_credit", "receivable_in_words", "sign.customer_sign"}
)

// statementRoutes serves a partner's statement (对账单) at base+"/pdf" and
// base+"/xlsx".
func (s *Server) statementRoutes(base, name, tag, perm string, kind statementKind,
	read func(context.Context, *domain.Principal, int64, domain.Date, domain.Date) (service.Statement, error)) {
	statement := func(ctx context.Context, p *domain.Principal, in *statementFileIn) (service.Statement, i18n.Lang, error) {
		from, err := domain.ParseDate(in.From)
		if err != nil {
			return service.Statement{}, "", domain.FieldErr("from", "date_format")
		}
		to, err := domain.ParseDate(in.To)
		if err != nil {
			return service.Statement{}, "", domain.FieldErr("to", "date_format")
		}
		st, err := read(ctx, p, in.ID, from, to)
		return st, printLang(ctx, in.Lang), err
	}
	what := "A " + strings.ToLower(strings.TrimSuffix(name, "Statement")) + "'s statement (对账单)"
	register(s, http.MethodGet, base+"/pdf", "print"+name, tag, what+" as a PDF", perm,
		func(ctx context.Context, p *domain.Principal, in *statementFileIn) (*fileOut, error) {
			st, lang, err := statement(ctx, p, in)
			if err != nil {
				return nil, err
			}
			co, err := s.svc.Company(ctx, p, p.CompanyID)
			if err != nil {
				return nil, err
			}
			return pdfFile(pdf.A4, statementName(lang, kind, st), statementPrint(lang, kind, co, st, time.Now().In(s.svc.Location())))
		})
	fileResponse(s.api, http.MethodGet, "/api/v1"+base+"/pdf", pdfType)
	register(s, http.MethodGet, base+"/xlsx", "export"+name, tag, what+" as an Excel file", perm,
		func(ctx context.Context, p *domain.Principal, in *statementFileIn) (*fileOut, error) {
			st, lang, err := statement(ctx, p, in)
			if err != nil {
				return nil, err
			}
			header, rows := statementTable(lang, kind, st)
			var buf bytes.Buffer
			if err := sheet.WriteXLSX(&buf, i18n.T(lang, "print."+kind.title, nil), header, rows); err != nil {
				return nil, err
			}
			return &fileOut{ContentType: xlsxType, ContentDisposition: "attachment; filename*=UTF-8''" + url.PathEscape(statementName(lang, kind, st)+".xlsx"),
				Body: buf.Bytes()}, nil
		})
	fileResponse(s.api, http.MethodGet, "/api/v1"+base+"/xlsx", xlsxType)
}

func printLang(ctx context.Context, q string) i18n.Lang {
	if q != "" {
		return i18n.Parse(q)
	}
	return langOf(ctx)
}

func statementName(lang i18n.Lang, kind statementKind, st service.Statement) string {
	return i18n.T(lang, "print."+kind.title, nil) + "-" + st.Partner.Code + "-" + st.From.String() + "-" + st.To.String()
}

// purchaseDocPrint lays out a purchasing document: the supplier, the lines
// with price, tax and amounts (a receipt also what was delivered and
// rejected), the gross in Chinese capitals.
func purchaseDocPrint(lang i18n.Lang, money bool, d domain.Document, r service.DocRefs) pdf.DocPrint {
	t := func(k string) string { return i18n.T(lang, "print."+k, nil) }
	p := docHead(lang, d, r)
	switch {
	case d.State != domain.DocPosted:
		p.Stamp = t("stamp." + string(d.State))
	case d.Closed:
		p.Stamp = t("stamp.closed")
	}
	party := func(key, value string) {
		if value != "" {
			p.Parties = append(p.Parties, pdf.KV{Label: t(key), Value: value})
		}
	}
	if r.Partner != nil {
		party("supplier", local(lang, r.Partner.Name, r.Partner.NameEn))
	}
	if w, ok := r.Warehouses[d.WarehouseID]; ok {
		party("warehouse", local(lang, w.Name, w.NameEn))
	}
	if r.Account != nil {
		party("account", local(lang, r.Account.Name, r.Account.NameEn))
	}
	party("ref", d.Ref)
	if d.SourceID != nil {
		party("source", r.Numbers[*d.SourceID])
	}
	if d.ExpectedDate != nil {
		party("expected_date", d.ExpectedDate.String())
	}
	if d.DueDate != nil {
		party("due_date", d.DueDate.String())
	}
	if d.Type != domain.DocPayment {
		tax := t("tax_excluded")
		if d.TaxIncluded {
			tax = t("tax_included")
		}
		party("prices", tax)
	}

	if d.Type == domain.DocPayment {
		p.Columns = []pdf.Column{{Label: t("col.no"), Weight: 5, Align: pdf.AlignCenter, Lines: 1}, {Label: t("col.amount"), Weight: 20, Align: pdf.AlignRight, Lines: 1}}
		p.Rows = [][]string{{"1", fmtMoney(d.GrossAmount)}}
		if lang == i18n.ZH {
			p.AmountWords = d.GrossAmount.Chinese()
		}
		p.Signatures = signatures(lang, r, d, "maker", "approver", "cashier", "handler")
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
	add("no", 4.5, pdf.AlignCenter, 1, func(i int, _ domain.DocLine) string { return strconv.Itoa(i + 1) }).total = func() string { return t("total") }
	add("code", 11, pdf.AlignLeft, 1, func(_ int, l domain.DocLine) string { return item(l).Code })
	add("name", 22, pdf.AlignLeft, 2, func(_ int, l domain.DocLine) string { it := item(l); return local(lang, it.Name, it.NameEn) })
	add("spec", 8, pdf.AlignLeft, 1, func(_ int, l domain.DocLine) string { return item(l).Spec })
	add("unit", 5, pdf.AlignCenter, 1, func(_ int, l domain.DocLine) string {
		u := r.Units[cmp.Or(l.UnitID, item(l).BaseUnitID)]
		return local(lang, u.Name, u.NameEn)
	})
	if has(func(l domain.DocLine) bool { return l.Batch != "" }) {
		add("batch", 9, pdf.AlignLeft, 1, func(_ int, l domain.DocLine) string { return l.Batch })
	}
	var qtySum, rejSum domain.Qty
	var netSum, taxSum, grossSum domain.Money
	rejected := has(func(l domain.DocLine) bool { return l.RejectedQty != 0 })
	qtyKey := "qty"
	if rejected {
		qtyKey = "delivered"
	}
	add(qtyKey, 8, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { qtySum += l.Qty; return l.Qty.Short() }).total = func() string { return qtySum.Short() }
	if rejected {
		add("rejected", 8, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { rejSum += l.RejectedQty; return l.RejectedQty.Short() }).total = func() string { return rejSum.Short() }
	}
	if money { // a warehouse clerk's print shows quantities only
		add("price", 9, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { return fmtPrice(l.Price) })
		add("tax_rate", 6, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { return fmtRate(l.TaxRate) })
		add("net", 10, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { netSum += l.Amount; return fmtMoney(l.Amount) }).total = func() string { return fmtMoney(netSum) }
		add("tax", 9, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { taxSum += l.Tax; return fmtMoney(l.Tax) }).total = func() string { return fmtMoney(taxSum) }
		add("gross", 10, pdf.AlignRight, 1, func(_ int, l domain.DocLine) string { grossSum += l.Gross; return fmtMoney(l.Gross) }).total = func() string { return fmtMoney(grossSum) }
	}
	if has(func(l domain.DocLine) bool { return l.Note != "" }) {
		add("note", 10, pdf.AlignLeft, 3, func(_ int, l domain.DocLine) string { return l.Note })
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
	if money && lang == i18n.ZH {
		p.AmountWords = grossSum.Chinese()
	}
	sigs := []string{"maker", "approver", "buyer", "supplier_sign"}
	if d.Type == domain.DocPurchaseReceipt || d.Type == domain.DocPurchaseReturn {
		sigs = []string{"maker", "inspector", "keeper", "supplier_sign"}
	}
	p.Signatures = signatures(lang, r, d, sigs...)
	return p
}

func signatures(lang i18n.Lang, r service.DocRefs, d domain.Document, keys ...string) []pdf.KV {
	out := make([]pdf.KV, 0, len(keys))
	for _, k := range keys {
		kv := pdf.KV{Label: i18n.T(lang, "print.sign."+k, nil)}
		if k == "maker" {
			kv.Value = r.Users[d.CreatedBy]
		}
		out = append(out, kv)
	}
	return out
}

// statementTable is a statement as a table: a row per document between
// the opening and closing balances.
func statementTable(lang i18n.Lang, kind statementKind, st service.Statement) ([]string, [][]string) {
	t := func(k string) string { return i18n.T(lang, "print."+k, nil) }
	header := []string{t("date"), t("number"), t("col.doc_type"), t(kind.ref), t(kind.debit), t(kind.credit), t("col.balance")}
	rows := [][]string{{st.From.String(), "", t("opening"), "", "", "", fmtMoney(st.Opening)}}
	for _, r := range st.Rows {
		row := []string{r.Date.String(), r.Number, t("title." + string(r.Type)), r.Ref, "", "", fmtMoney(r.Balance)}
		if r.Debit != 0 {
			row[4] = fmtMoney(r.Debit)
		}
		if r.Credit != 0 {
			row[5] = fmtMoney(r.Credit)
		}
		rows = append(rows, row)
	}
	rows = append(rows, []string{st.To.String(), "", t("closing"), "", fmtMoney(st.Debits), fmtMoney(st.Credits), fmtMoney(st.Closing)})
	return header, rows
}

// statementPrint lays out a statement to send to the partner, with the
// closing balance in Chinese capitals and lines for both sides to sign.
func statementPrint(lang i18n.Lang, kind statementKind, co domain.Company, st service.Statement, now time.Time) pdf.DocPrint {
	t := func(k string) string { return i18n.T(lang, "print."+k, nil) }
	header, rows := statementTable(lang, kind, st)
	p := pdf.DocPrint{Title: t(kind.title), Number: st.Partner.Code, Date: st.From.String() + " ~ " + st.To.String(),
		PrintedAt: now.Format("2006-01-02 15:04"), Words: printWords(lang),
		Company: printCompany(lang, co),
		Parties: []pdf.KV{{Label: t(kind.party), Value: local(lang, st.Partner.Name, st.Partner.NameEn)}}, Rows: rows}
	weights := []float64{10, 16, 12, 12, 12, 12, 13}
	for i, h := range header {
		a := pdf.AlignRight
		if i < 4 {
			a = pdf.AlignLeft
		}
		p.Columns = append(p.Columns, pdf.Column{Label: h, Weight: weights[i], Align: a, Lines: 1})
	}
	// The number is the partner's code, the words the balance owed.
	p.Words.Number, p.Words.AmountInWords = t(kind.code), t(kind.words)
	if lang == i18n.ZH {
		p.AmountWords = st.Closing.Chinese()
	}
	p.Signatures = []pdf.KV{{Label: t("sign.our_side")}, {Label: t(kind.sign)}}
	return p
}

// fmtRate prints a rate without trailing zeros: 13%, 9.5%.
func fmtRate(r domain.Rate) string {
	s := r.String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + "%"
}
