package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
)

// sampleDoc is an opening balance of n lines, some with long names, one
// with a character the font lacks.
func sampleDoc(n int) DocPrint {
	p := DocPrint{
		Title: "期初入库单", Stamp: "草稿", Number: "QC20261101-0001", Date: "2026-11-01",
		Company: DocCompany{Name: "测试商贸有限公司", Address: "上海市浦东新区世纪大道 100 号", Phone: "021-12345678", TaxNo: "91310000MA1FL00000"},
		Parties: []KV{{"仓库", "总仓"}, {"原因", "盘盈"}, {"制单人", "张三"}},
		Columns: []Column{
			{Label: "序号", Weight: 5, Align: AlignCenter},
			{Label: "商品编码", Weight: 13},
			{Label: "商品名称", Weight: 30, Lines: 2},
			{Label: "规格", Weight: 12},
			{Label: "单位", Weight: 6, Align: AlignCenter},
			{Label: "数量", Weight: 10, Align: AlignRight},
			{Label: "单价", Weight: 10, Align: AlignRight},
			{Label: "金额", Weight: 12, Align: AlignRight},
		},
		Note:       "年初盘点后录入的期初库存，数量以仓库实盘为准。",
		Signatures: []KV{{"制单", "张三"}, {"审核", ""}, {"仓管", ""}, {"经手人", ""}},
		PrintedAt:  "2026-11-22 10:30",
	}
	names := []string{"可乐", "农夫山泉饮用天然水 550ml", "可口可乐 330ml×24罐 整箱装 易拉罐 碳酸饮料 经典原味 超长名称测试用 限量版礼盒装 附赠开瓶器一个 以及更多说明文字", "𠀀字商品"}
	var total domain.Money
	var qty domain.Qty
	for i := range n {
		q := domain.QtyOf(int64(i%7 + 1))
		price := domain.PriceOf(int64(i%5 + 1))
		amt, _ := price.Amount(q)
		total += amt
		qty += q
		p.Rows = append(p.Rows, []string{fmt.Sprint(i + 1), fmt.Sprintf("SKU-%03d", i+1), names[i%len(names)], "500ml", "瓶",
			q.Short(), price.String(), amt.String()})
	}
	p.Totals = []string{"合计", "", "", "", "", qty.Short(), "", total.String()}
	p.AmountWords = total.Chinese()
	return p
}

// renderDoc makes the PDF and, with JXC_PDF_OUT set, keeps it there.
func renderDoc(t *testing.T, name string, size Size, p DocPrint) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Document(&buf, size, p); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("JXC_PDF_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// pdfPages is the text of each page, by pdftotext.
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext (poppler-utils) is required in CI")
		}
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	cmd := exec.Command(bin, "-layout", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Split(strings.TrimRight(string(out), "\f"), "\f")
}

func TestDocumentPages(t *testing.T) {
	p := sampleDoc(60)
	pdf := renderDoc(t, "document_a4", A4, p)
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte("/FontFile2")) {
		t.Fatalf("not a PDF with an embedded font: %.20q", pdf)
	}
	pages := pdfPages(t, pdf)
	if len(pages) < 2 {
		t.Fatalf("60 lines on %d page(s)", len(pages))
	}
	all := strings.Join(pages, "\n")
	for _, want := range []string{"测试商贸有限公司", "期初入库单", "QC20261101-0001", "农夫山泉饮用天然水", "SKU-060",
		"合计金额（大写）：" + p.AmountWords, "备注：年初盘点后录入的期初库存", "经手人：", "打印时间：2026-11-22 10:30",
		fmt.Sprintf("第 2 页，共 %d 页", len(pages)), "□字商品"} {
		if !strings.Contains(all, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	// Every page is a whole form: title, number and column headers; the
	// totals and signatures only on the last.
	for i, pg := range pages {
		for _, want := range []string{"期初入库单", "QC20261101-0001", "商品编码", "商品名称", "金额", "仓库：总仓",
			fmt.Sprintf("第 %d 页，共 %d 页", i+1, len(pages))} {
			if !strings.Contains(pg, want) {
				t.Errorf("page %d lacks %q:\n%s", i+1, want, pg)
			}
		}
		last := i == len(pages)-1
		if got := strings.Contains(pg, "合计金额（大写）"); got != last {
			t.Errorf("page %d has the amount in words: %v", i+1, got)
		}
	}
	// Each line is printed once, in order; the long name ends in "…".
	for i := 1; i <= 60; i++ {
		if n := strings.Count(all, fmt.Sprintf("SKU-%03d", i)); n != 1 {
			t.Errorf("SKU-%03d printed %d times", i, n)
		}
	}
	if !strings.Contains(all, "…") {
		t.Error("the long name was not shortened")
	}
}

func TestDocumentSmall(t *testing.T) {
	// A5 landscape, one line, no money; and a document with no lines.
	p := sampleDoc(1)
	p.Columns, p.Totals, p.AmountWords, p.Stamp = p.Columns[:6], []string{"合计", "", "", "", "", "1"}, "", ""
	for i := range p.Rows {
		p.Rows[i] = p.Rows[i][:6]
	}
	pages := pdfPages(t, renderDoc(t, "document_a5", A5Landscape, p))
	if len(pages) != 1 || !strings.Contains(pages[0], "第 1 页，共 1 页") || strings.Contains(pages[0], "大写") {
		t.Errorf("A5 one-liner:\n%s", strings.Join(pages, "\f"))
	}
	p.Rows = nil
	if pages := pdfPages(t, renderDoc(t, "document_empty", A4, p)); len(pages) != 1 {
		t.Errorf("empty document on %d pages", len(pages))
	}
	// Many columns: each header and total still fits on one line.
	p = sampleDoc(3)
	for _, l := range []string{"货位", "批次", "有效期至", "备注"} {
		p.Columns = append(p.Columns, Column{Label: l, Weight: 6})
	}
	p.Totals = append(p.Totals, "", "", "", "")
	pages = pdfPages(t, renderDoc(t, "document_wide", A4, p))
	contains := func(s string) bool { return strings.Contains(pages[0], s) }
	if !contains("序号") || !contains("合计 ") || !contains("有效期至") || !contains("商品名称") {
		t.Errorf("wide table headers:\n%s", pages[0])
	}
	// A note too long for a page is cut short, and the form still ends on
	// the page.
	p = sampleDoc(25)
	p.Note = strings.Repeat("很长的备注", 1000)
	pages = pdfPages(t, renderDoc(t, "document_note", A4, p))
	if last := pages[len(pages)-1]; !strings.Contains(last, "经手人") || !strings.Contains(last, "…") {
		t.Errorf("long note page:\n%s", last)
	}
}

// Wherever the rows break, the last page starts with a line, not with the
// totals, and no page overflows into the footer.
func TestDocumentBreaks(t *testing.T) {
	checkBreaks(t, A4, 20, 45)
	checkBreaks(t, A5Landscape, 1, 30)
}

// checkBreaks lays out documents of from to to lines on size pages.
func checkBreaks(t *testing.T, size Size, from, to int) {
	t.Helper()
	for n := from; n <= to; n++ {
		p := sampleDoc(n)
		var buf bytes.Buffer
		if err := Document(&buf, size, p); err != nil {
			t.Fatal(err)
		}
		d, _ := New(size)
		l := &docLayout{d: d, p: p}
		l.p.Words = l.p.Words.withDefaults()
		if err := l.measure(); err != nil {
			t.Fatal(err)
		}
		pages := l.paginate()
		last := pages[len(pages)-1]
		if last.to-last.from < 1 || last.to != n {
			t.Errorf("%v, %d rows: last page %+v", size, n, last)
		}
		for _, pg := range pages {
			h := 0.0
			for i := pg.from; i < pg.to; i++ {
				h += l.rows[i].h
			}
			if pg.last {
				h += l.tailH
			}
			if h > l.bodyH()+0.01 {
				t.Errorf("%v, %d rows: page %+v is %.1f mm tall, room %.1f", size, n, pg, h, l.bodyH())
			}
		}
	}
}

func TestDocumentBad(t *testing.T) {
	var buf bytes.Buffer
	if err := Document(&buf, Size{W: 100, H: 80}, sampleDoc(1)); err == nil {
		t.Error("a 100×80 page was accepted")
	}
	p := sampleDoc(1)
	p.Rows[0] = append(p.Rows[0], "extra")
	if err := Document(&buf, A4, p); err == nil {
		t.Error("a row wider than the columns was accepted")
	}
	if err := Document(&buf, A4, DocPrint{Title: "x"}); err == nil {
		t.Error("a document without columns was accepted")
	}
}

// A delivery note of 80 lines on 241 mm continuous forms: every form is a
// whole one (title, number, column headers, its page number), each line
// prints once, the totals and signatures end the last, the foot note is on
// every form, and the page is 241 × 140 mm.
func TestDocumentForm241(t *testing.T) {
	p := sampleDoc(80)
	p.FootNote = "第一联 存根联  第二联 客户联  第三联 回单联"
	pdf := renderDoc(t, "document_241", Form241, p)
	// 241 mm = 683.15 pt, 140 mm = 396.85 pt.
	if !bytes.Contains(pdf, []byte("/MediaBox [ 0 0 683.15 396.85 ]")) {
		i := bytes.Index(pdf, []byte("/MediaBox"))
		t.Errorf("MediaBox: %.40q", pdf[max(i, 0):])
	}
	pages := pdfPages(t, pdf)
	if len(pages) < 6 {
		t.Fatalf("80 lines on %d forms", len(pages))
	}
	all := strings.Join(pages, "\n")
	for i, pg := range pages {
		for _, want := range []string{"期初入库单", "QC20261101-0001", "商品编码", "数量", "仓库：总仓", "第二联 客户联",
			fmt.Sprintf("第 %d 页，共 %d 页", i+1, len(pages))} {
			if !strings.Contains(pg, want) {
				t.Errorf("form %d lacks %q:\n%s", i+1, want, pg)
			}
		}
		last := i == len(pages)-1
		if got := strings.Contains(pg, "合计金额（大写）") && strings.Contains(pg, "经手人"); got != last {
			t.Errorf("form %d has the amount in words and signatures: %v", i+1, got)
		}
	}
	for i := 1; i <= 80; i++ {
		if n := strings.Count(all, fmt.Sprintf("SKU-%03d", i)); n != 1 {
			t.Errorf("SKU-%03d printed %d times", i, n)
		}
	}
	checkBreaks(t, Form241, 1, 40)
}
