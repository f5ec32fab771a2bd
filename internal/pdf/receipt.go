package pdf

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/width"
)

// A counter receipt (小票) for a thermal roll: 58 mm or 80 mm wide, as long
// as its content. The same receipt renders as a PDF sized for the roll, as
// plain text in the roll's columns (32 or 48 half-width characters; a Han
// character takes two), and as ESC/POS bytes for a receipt printer: the
// text in GB18030, which Chinese printers read, between an initialise and a
// paper cut.

// Receipt is what a counter receipt shows, already in the reader's
// language and formatted.
type Receipt struct {
	Title    string   // the shop: company name
	Subtitle string   // the store (warehouse) or the document title
	Header   []KV     // number, time, cashier, customer
	Lines    []RLine  // what was sold or returned
	Totals   []KV     // quantity, discount, total, tax
	Payments []KV     // method: amount; cash tendered and change
	Footer   []string // thank-you, return policy
	Code     string   // the number, printed as a barcode for returns
}

// RLine is one line of a receipt: the item on its own line, then qty ×
// price and the amount.
type RLine struct {
	Name   string
	Qty    string // with the unit
	Price  string
	Amount string
	Note   string // a discount
}

// Roll widths in millimetres and their columns.
const (
	Roll58 = 58.0
	Roll80 = 80.0
)

// RollColumns is how many half-width characters a roll prints per line.
func RollColumns(widthMM float64) int {
	if widthMM < 70 {
		return 32
	}
	return 48
}

// ReceiptPDF writes r as a one-page PDF as wide as the roll and as long as
// the receipt.
func ReceiptPDF(w io.Writer, widthMM float64, r Receipt) error {
	// Lay out once on a long page to learn the height, then for real.
	probe, err := New(Size{W: widthMM, H: 2000})
	if err != nil {
		return err
	}
	h, err := drawReceipt(probe, r, false)
	if err != nil {
		return err
	}
	d, err := New(Size{W: widthMM, H: h})
	if err != nil {
		return err
	}
	d.SetInfo(r.Title + " " + r.Code)
	d.AddPage()
	if _, err := drawReceipt(d, r, true); err != nil {
		return err
	}
	_, err = d.WriteTo(w)
	return err
}

// drawReceipt draws r (when draw) and returns the height it takes.
func drawReceipt(d *Doc, r Receipt, draw bool) (float64, error) {
	const margin = 3.0
	x, w := margin, d.Page().W-2*margin
	y := margin
	text := func(size float64, s string, a Align, bold bool) error {
		if err := d.SetFontSize(size); err != nil {
			return err
		}
		for _, l := range d.Wrap(s, w) {
			if draw {
				var err error
				if bold {
					err = d.BoldText(x, y, w, l, a)
				} else {
					err = d.Text(x, y, w, l, a)
				}
				if err != nil {
					return err
				}
			}
			y += d.LineHeight()
		}
		return nil
	}
	pair := func(size float64, k, v string) error {
		if err := d.SetFontSize(size); err != nil {
			return err
		}
		if draw {
			if err := d.Text(x, y, w, d.Ellipsize(k, w-d.Width(v)-2), AlignLeft); err != nil {
				return err
			}
			if err := d.Text(x, y, w, v, AlignRight); err != nil {
				return err
			}
		}
		y += d.LineHeight()
		return nil
	}
	rule := func() {
		if draw {
			d.Line(x, y+0.8, x+w, y+0.8, 0.2)
		}
		y += 1.6
	}
	small := 7.5
	if d.Page().W >= 70 {
		small = 8.5
	}
	if err := text(small+3, r.Title, AlignCenter, true); err != nil {
		return 0, err
	}
	if r.Subtitle != "" {
		if err := text(small, r.Subtitle, AlignCenter, false); err != nil {
			return 0, err
		}
	}
	rule()
	for _, kv := range r.Header {
		if err := pair(small, kv.Label, kv.Value); err != nil {
			return 0, err
		}
	}
	rule()
	for _, l := range r.Lines {
		if err := text(small, l.Name, AlignLeft, false); err != nil {
			return 0, err
		}
		if err := pair(small, "  "+l.Qty+" × "+l.Price, l.Amount); err != nil {
			return 0, err
		}
		if l.Note != "" {
			if err := text(small, "  "+l.Note, AlignLeft, false); err != nil {
				return 0, err
			}
		}
	}
	rule()
	for i, kv := range r.Totals {
		size := small
		if i == len(r.Totals)-1 {
			size = small + 2
		}
		if err := pair(size, kv.Label, kv.Value); err != nil {
			return 0, err
		}
	}
	if len(r.Payments) > 0 {
		rule()
	}
	for _, kv := range r.Payments {
		if err := pair(small, kv.Label, kv.Value); err != nil {
			return 0, err
		}
	}
	if r.Code != "" {
		y += 1
		if draw {
			if _, err := d.Barcode(x, y, w, 12, r.Code, Code128); err != nil {
				return 0, err
			}
		}
		y += 15
	}
	for _, f := range r.Footer {
		if err := text(small, f, AlignCenter, false); err != nil {
			return 0, err
		}
	}
	return y + margin + 4, nil
}

// textCells is how many half-width columns s takes on a receipt printer: Han
// characters and other wide runes take two.
func textCells(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// fitCells cuts s to at most n columns.
func fitCells(s string, n int) string {
	if textCells(s) <= n {
		return s
	}
	var b strings.Builder
	used := 0
	for _, r := range s {
		c := textCells(string(r))
		if used+c > n {
			break
		}
		b.WriteRune(r)
		used += c
	}
	return b.String()
}

// wrapCells breaks s into lines of at most n columns.
func wrapCells(s string, n int) []string {
	var out []string
	for s != "" {
		line := fitCells(s, n)
		if line == "" { // a rune wider than the line
			_, size := utf8.DecodeRuneInString(s)
			line = s[:size]
		}
		out = append(out, line)
		s = s[len(line):]
	}
	if len(out) == 0 {
		out = []string{""}
	}
	return out
}

// ReceiptText renders r as plain text cols half-width columns wide.
func ReceiptText(r Receipt, cols int) string {
	var b strings.Builder
	center := func(s string) {
		for _, l := range wrapCells(s, cols) {
			pad := (cols - textCells(l)) / 2
			b.WriteString(strings.Repeat(" ", max(pad, 0)) + l + "\n")
		}
	}
	pair := func(k, v string) {
		k = fitCells(k, max(cols-textCells(v)-1, 1))
		b.WriteString(k + strings.Repeat(" ", max(cols-textCells(k)-textCells(v), 1)) + v + "\n")
	}
	rule := func() { b.WriteString(strings.Repeat("-", cols) + "\n") }
	center(r.Title)
	if r.Subtitle != "" {
		center(r.Subtitle)
	}
	rule()
	for _, kv := range r.Header {
		pair(kv.Label, kv.Value)
	}
	rule()
	for _, l := range r.Lines {
		for _, s := range wrapCells(l.Name, cols) {
			b.WriteString(s + "\n")
		}
		pair("  "+l.Qty+" x "+l.Price, l.Amount)
		if l.Note != "" {
			b.WriteString(fitCells("  "+l.Note, cols) + "\n")
		}
	}
	rule()
	for _, kv := range r.Totals {
		pair(kv.Label, kv.Value)
	}
	if len(r.Payments) > 0 {
		rule()
	}
	for _, kv := range r.Payments {
		pair(kv.Label, kv.Value)
	}
	if r.Code != "" {
		rule()
		center(r.Code)
	}
	for _, f := range r.Footer {
		center(f)
	}
	return b.String()
}

// ESC/POS commands.
var (
	escInit = []byte{0x1b, 0x40}             // ESC @: initialise
	escFeed = []byte{0x1b, 0x64, 0x04}       // ESC d 4: feed four lines
	escCut  = []byte{0x1d, 0x56, 0x42, 0x00} // GS V B 0: feed to the cutter and cut
)

// ReceiptESCPOS renders r for an ESC/POS receipt printer: initialise, the
// text of ReceiptText in GB18030, feed and cut.
func ReceiptESCPOS(r Receipt, cols int) ([]byte, error) {
	txt, err := simplifiedchinese.GB18030.NewEncoder().String(ReceiptText(r, cols))
	if err != nil {
		return nil, fmt.Errorf("pdf: encode receipt: %w", err)
	}
	var b bytes.Buffer
	b.Write(escInit)
	b.WriteString(txt)
	b.Write(escFeed)
	b.Write(escCut)
	return b.Bytes(), nil
}
