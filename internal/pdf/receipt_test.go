package pdf

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func sampleReceipt() Receipt {
	return Receipt{
		Title: "示例商店", Subtitle: "一号门店",
		Header: []KV{{"单号", "LS20261204-0001"}, {"收银员", "alice"}},
		Lines: []RLine{{Name: "可乐 330ml 经典装超长的商品名称会换行显示", Qty: "2个", Price: "5.00", Amount: "10.00"},
			{Name: "可乐 箱", Qty: "1箱", Price: "55.00", Amount: "55.00", Note: "折扣 -5.00"}},
		Totals:   []KV{{"件数", "3"}, {"合计", "65.00"}},
		Payments: []KV{{"微信", "30.00"}, {"现金", "50.00"}, {"找零", "15.00"}},
		Footer:   []string{"谢谢惠顾"},
		Code:     "LS20261204-0001",
	}
}

// The text rendering keeps every line within the roll's columns, counting a
// Han character as two.
func TestReceiptText(t *testing.T) {
	for _, cols := range []int{32, 48} {
		txt := ReceiptText(sampleReceipt(), cols)
		for _, l := range strings.Split(strings.TrimRight(txt, "\n"), "\n") {
			if textCells(l) > cols {
				t.Errorf("%d columns: line %q is %d wide", cols, l, textCells(l))
			}
		}
		for _, want := range []string{"示例商店", "65.00", "找零", "LS20261204-0001"} {
			if !strings.Contains(txt, want) {
				t.Errorf("%d columns: %q missing in\n%s", cols, want, txt)
			}
		}
	}
	if got := textCells("可乐ab"); got != 6 {
		t.Errorf("textCells = %d, want 6", got)
	}
}

func TestReceiptESCPOS(t *testing.T) {
	b, err := ReceiptESCPOS(sampleReceipt(), 32)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, escInit) || !bytes.HasSuffix(b, escCut) {
		t.Errorf("not framed by ESC @ … GS V")
	}
	if !bytes.Contains(b, []byte{0xca, 0xbe, 0xc0, 0xfd}) { // 示例 in GB18030
		t.Errorf("text not in GB18030")
	}
}

var mediaBoxRe = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]`)

func pageSize(t *testing.T, b []byte) (w, h float64) {
	t.Helper()
	m := mediaBoxRe.FindSubmatch(b)
	if m == nil {
		t.Fatal("no MediaBox")
	}
	w, _ = strconv.ParseFloat(string(m[1]), 64)
	h, _ = strconv.ParseFloat(string(m[2]), 64)
	return w, h
}

// The PDF is as wide as the roll and longer for more lines.
func TestReceiptPDF(t *testing.T) {
	var short, long bytes.Buffer
	if err := ReceiptPDF(&short, Roll80, sampleReceipt()); err != nil {
		t.Fatal(err)
	}
	r := sampleReceipt()
	for range 20 {
		r.Lines = append(r.Lines, r.Lines[0])
	}
	if err := ReceiptPDF(&long, Roll58, r); err != nil {
		t.Fatal(err)
	}
	w, h := pageSize(t, short.Bytes())
	if w < 226 || w > 228 { // 80 mm = 226.8 pt
		t.Errorf("80 mm receipt is %.1f pt wide", w)
	}
	w2, h2 := pageSize(t, long.Bytes())
	if w2 < 164 || w2 > 165 || h2 <= h {
		t.Errorf("58 mm receipt %.1f × %.1f pt, the 80 mm one %.1f × %.1f", w2, h2, w, h)
	}
}
