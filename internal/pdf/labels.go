package pdf

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// LabelSpec is the paper labels are printed on: a sheet (A4) with a grid
// of labels, or a roll of single labels (thermal label printers), one label
// per page.
type LabelSpec struct {
	// Roll prints one label per page of exactly LabelW × LabelH.
	Roll bool
	// Page is the sheet size (ignored for a roll).
	Page Size
	// Columns and Rows of labels on a sheet.
	Columns, Rows int
	// LabelW and LabelH are the size of one label in mm.
	LabelW, LabelH float64
	// MarginTop and MarginLeft are where the first label starts on a sheet;
	// GapX and GapY the space between labels.
	MarginTop, MarginLeft float64
	GapX, GapY            float64
	// Outline draws a thin grey border round each label, to cut plain
	// paper along (leave it off on die-cut label sheets).
	Outline bool
}

// Label is what one label shows.
type Label struct {
	Name  string
	Spec  string // 规格, unit conversion …: one small line
	Price string // formatted, e.g. "¥3.50"; empty prints no price
	Unit  string // the unit the price is for, e.g. "瓶" (printed "/瓶")
	Code  string // the SKU code
	// Barcode is the code the bars encode; empty uses Code.
	Barcode string
	// Symbology is "ean13", "code128" or "auto"; EAN-13 is used only for a
	// valid EAN-13/UPC-A code, anything else prints as Code 128.
	Symbology string
	// Count is the number of copies (at least 1).
	Count int
}

// Layouts are the label papers jxc knows by name.
var Layouts = map[string]LabelSpec{
	// 3 × 8 labels of 70 × 37 mm filling an A4 sheet (common die-cut
	// sheets; 0.5 mm top and bottom margins).
	"a4_3x8": {Page: A4, Columns: 3, Rows: 8, LabelW: 70, LabelH: 37, MarginTop: 0.5},
	// 4 × 10 labels of 52.5 × 29.7 mm, no margins.
	"a4_4x10": {Page: A4, Columns: 4, Rows: 10, LabelW: 52.5, LabelH: 29.7},
	// Thermal label rolls.
	"roll_50x30": {Roll: true, LabelW: 50, LabelH: 30},
	"roll_40x30": {Roll: true, LabelW: 40, LabelH: 30},
}

// Validate says whether the spec describes paper labels fit on.
func (s LabelSpec) Validate() error {
	if s.LabelW < 20 || s.LabelH < 15 {
		return fmt.Errorf("pdf: label %v×%v mm is too small (at least 20×15)", s.LabelW, s.LabelH)
	}
	if s.Roll {
		return nil
	}
	if s.Columns < 1 || s.Rows < 1 {
		return fmt.Errorf("pdf: %d×%d labels per sheet", s.Columns, s.Rows)
	}
	w := s.MarginLeft + float64(s.Columns)*s.LabelW + float64(s.Columns-1)*s.GapX
	h := s.MarginTop + float64(s.Rows)*s.LabelH + float64(s.Rows-1)*s.GapY
	if w > s.Page.W+0.01 || h > s.Page.H+0.01 {
		return fmt.Errorf("pdf: %d×%d labels of %v×%v mm do not fit a %v×%v mm sheet", s.Columns, s.Rows, s.LabelW, s.LabelH, s.Page.W, s.Page.H)
	}
	return nil
}

// Labels writes a PDF of labels, each repeated Count times, in order.
func Labels(w io.Writer, spec LabelSpec, labels []Label) error {
	if err := spec.Validate(); err != nil {
		return err
	}
	total := 0
	for _, l := range labels {
		total += max(l.Count, 1)
	}
	if total == 0 {
		return errors.New("pdf: no labels")
	}
	page := spec.Page
	if spec.Roll {
		page = Size{W: spec.LabelW, H: spec.LabelH}
	}
	d, err := New(page)
	if err != nil {
		return err
	}
	d.SetInfo("Labels")
	perPage := 1
	if !spec.Roll {
		perPage = spec.Columns * spec.Rows
	}
	n := 0
	for _, l := range labels {
		for range max(l.Count, 1) {
			slot := n % perPage
			if slot == 0 {
				d.AddPage()
			}
			x, y := 0.0, 0.0
			if !spec.Roll {
				col, row := slot%spec.Columns, slot/spec.Columns
				x = spec.MarginLeft + float64(col)*(spec.LabelW+spec.GapX)
				y = spec.MarginTop + float64(row)*(spec.LabelH+spec.GapY)
			}
			if spec.Outline {
				d.SetGray(0.75)
				d.Rect(x, y, spec.LabelW, spec.LabelH, 0.1)
			}
			if err := d.label(x, y, spec.LabelW, spec.LabelH, l); err != nil {
				return err
			}
			n++
		}
	}
	_, err = d.WriteTo(w)
	return err
}

// label draws one label in the box (x, y, w, h):
//
//	农夫山泉饮用天然水
//	550ml                 ¥2.00/瓶
//	NF-550
//	▌▌▐▌▐▐▌▌▐▌▐▌▐▌▐▌▐▌▐▌▐▌▐▌
//	6 921168 509256
//
// The name takes up to two lines, shrinking to fit; the barcode gets what
// height is left.
func (d *Doc) label(x, y, w, h float64, l Label) error {
	// Sizes scale with the label: a 40 × 30 mm roll label is the unit.
	k := clamp(min(w/45, h/30), 0.85, 1.35)
	pad := clamp(min(w, h)*0.06, 1.5, 3)
	x, y, w, h = x+pad, y+pad, w-2*pad, h-2*pad
	top := y
	d.SetGray(0)

	// Name: two lines at most, from 10 pt down to 6.5 pt.
	name := strings.TrimSpace(l.Name)
	size := 10 * k
	for ; ; size -= 0.5 {
		if err := d.SetFontSize(size); err != nil {
			return err
		}
		if size <= 6.5*k || len(d.Wrap(name, w)) <= 2 {
			break
		}
	}
	used, err := d.MultiCell(x, y, w, name, 2, AlignLeft)
	if err != nil {
		return err
	}
	y += used + 0.4*k

	// Spec and SKU code on the left in small type, the price on the right
	// in large type.
	code := strings.TrimSpace(l.Code)
	bcode := strings.TrimSpace(l.Barcode)
	if bcode == "" {
		bcode = code
	}
	var small []string
	if s := strings.TrimSpace(l.Spec); s != "" {
		small = append(small, s)
	}
	if code != "" && code != bcode {
		small = append(small, code)
	}
	priceW, priceH := 0.0, 0.0
	price := strings.TrimSpace(l.Price)
	pricePt := 15 * k
	unitPt := 7 * k
	if price != "" {
		// The currency sign and the unit are smaller than the figures.
		sign, figures := splitCurrency(price)
		unit := ""
		if u := strings.TrimSpace(l.Unit); u != "" {
			unit = "/" + u
		}
		measure := func() float64 {
			_ = d.SetFontSize(pricePt * 0.6)
			ws := d.Width(sign)
			_ = d.SetFontSize(pricePt)
			wf := d.Width(figures)
			_ = d.SetFontSize(unitPt)
			return ws + wf + d.Width(unit) + 0.3
		}
		// The price never takes more than 60% of the width.
		for priceW = measure(); priceW > w*0.6 && pricePt > 8; priceW = measure() {
			pricePt -= 0.5
		}
		priceH = pricePt * ptToMM * 1.05
		px := x + w - priceW
		if err := d.SetFontSize(pricePt * 0.6); err != nil {
			return err
		}
		base := y + priceH*0.8 // the baseline of the figures
		if err := d.baselineText(px, base, sign); err != nil {
			return err
		}
		px += d.Width(sign) + 0.3
		if err := d.SetFontSize(pricePt); err != nil {
			return err
		}
		for _, dx := range []float64{0, 0.06 * k, 0.12 * k} { // bold
			if err := d.baselineText(px+dx, base, figures); err != nil {
				return err
			}
		}
		px += d.Width(figures)
		if unit != "" {
			if err := d.SetFontSize(unitPt); err != nil {
				return err
			}
			if err := d.baselineText(px+0.3, base, unit); err != nil {
				return err
			}
		}
	}
	if err := d.SetFontSize(7 * k); err != nil {
		return err
	}
	smallW := w
	if priceW > 0 {
		smallW = w - priceW - 1
	}
	smallH := 0.0
	for _, s := range small {
		if err := d.Text(x, y+smallH, smallW, d.Ellipsize(s, smallW), AlignLeft); err != nil {
			return err
		}
		smallH += d.LineHeight()
	}
	y += max(priceH, smallH) + 0.8*k

	// The barcode fills the rest.
	if bcode == "" {
		return nil
	}
	if bh := top + h - y; bh >= 5 {
		if _, err := d.Barcode(x, y, w, bh, bcode, l.Symbology); err != nil {
			return err
		}
	}
	return nil
}

// baselineText writes s with its baseline at y.
func (d *Doc) baselineText(x, y float64, s string) error {
	return d.Text(x, y-d.fontSize*ptToMM*0.96, 0, s, AlignLeft)
}

// splitCurrency splits "¥3.50" into "¥" and "3.50" (and "3.50" into ""
// and "3.50").
func splitCurrency(p string) (sign, figures string) {
	i := strings.IndexFunc(p, func(r rune) bool { return unicode.IsDigit(r) || r == '-' })
	if i <= 0 {
		return "", p
	}
	return strings.TrimSpace(p[:i]), p[i:]
}
