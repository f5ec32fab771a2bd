// Package pdf renders jxc's printable documents (labels now; delivery
// notes and invoices later) as PDF on the server, with an embedded CJK font
// so that Chinese prints the same on every printer and viewer.
//
// Doc is a thin layer over gopdf that works in millimetres, writes text in
// the embedded font (family "cjk"), wraps Chinese and Latin text, and draws
// barcodes as vector bars.
package pdf

import (
	_ "embed"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/signintech/gopdf"
)

// FontFamily is the family name the embedded font is registered under.
const FontFamily = "cjk"

// cjkFont is WenQuanYi Micro Hei, subset to GB 2312 and common symbols;
// fonts/README.md says how it is made.
//
//go:embed fonts/wqy-microhei.ttf
var cjkFont []byte

// missingGlyph stands in for a character the font does not have, so that
// it shows on paper instead of vanishing.
const missingGlyph = '□'

// ptToMM converts a font size in points to millimetres.
const ptToMM = 25.4 / 72

// Size is a page or box size in millimetres.
type Size struct{ W, H float64 }

// A4 is the ISO A4 page, portrait.
var A4 = Size{W: 210, H: 297}

// Align says where text sits in its box.
type Align int

const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// Doc is a PDF being written. Coordinates are millimetres from the top-left
// corner of the page; font sizes are points.
type Doc struct {
	gp       *gopdf.GoPdf
	page     Size
	fontSize float64
}

// New starts a document whose pages are page-sized (AddPage adds them).
func New(page Size) (*Doc, error) {
	if page.W <= 0 || page.H <= 0 {
		return nil, fmt.Errorf("pdf: page size %v×%v mm", page.W, page.H)
	}
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{Unit: gopdf.UnitMM, PageSize: gopdf.Rect{W: page.W, H: page.H}})
	gp.SetCompressLevel(6)
	opt := gopdf.TtfOption{OnGlyphNotFoundSubstitute: func(rune) rune { return missingGlyph }}
	if err := gp.AddTTFFontDataWithOption(FontFamily, cjkFont, opt); err != nil {
		return nil, fmt.Errorf("pdf: load embedded font: %w", err)
	}
	d := &Doc{gp: gp, page: page}
	if err := d.SetFontSize(10); err != nil {
		return nil, err
	}
	return d, nil
}

// Page is the page size of the document.
func (d *Doc) Page() Size { return d.page }

// AddPage starts a new page of the document's size.
func (d *Doc) AddPage() { d.gp.AddPage() }

// SetInfo records the title and creator in the document properties.
func (d *Doc) SetInfo(title string) {
	d.gp.SetInfo(gopdf.PdfInfo{Title: title, Creator: "jxc", Producer: "jxc"})
}

// SetFontSize sets the size, in points, of the text written next.
func (d *Doc) SetFontSize(pt float64) error {
	if err := d.gp.SetFont(FontFamily, "", pt); err != nil {
		return fmt.Errorf("pdf: set font: %w", err)
	}
	d.fontSize = pt
	return nil
}

// FontSize is the current font size in points.
func (d *Doc) FontSize() float64 { return d.fontSize }

// LineHeight is the height in millimetres of one line of text in the
// current font size (1.2 × the size).
func (d *Doc) LineHeight() float64 { return d.fontSize * ptToMM * 1.2 }

// SetGray sets the colour of text, lines and fills: 0 is black, 1 white.
func (d *Doc) SetGray(g float64) {
	v := uint8(g*255 + 0.5)
	d.gp.SetTextColor(v, v, v)
	d.gp.SetStrokeColor(v, v, v)
	d.gp.SetFillColor(v, v, v)
}

// clean makes s printable in one line: control characters and line breaks
// become spaces and characters the font lacks become missingGlyph (so that
// measuring and drawing agree).
func (d *Doc) clean(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			return ' '
		}
		if ok, err := d.gp.IsCurrFontContainGlyph(r); err != nil || !ok {
			return missingGlyph
		}
		return r
	}, s)
}

// Width is how wide s is in millimetres in the current font size.
func (d *Doc) Width(s string) float64 {
	w, err := d.gp.MeasureTextWidth(d.clean(s))
	if err != nil {
		return 0
	}
	return w
}

// Text writes one line of s in a box w mm wide whose top-left corner is
// (x, y), aligned in it; text wider than the box runs over (use Fit or
// Wrap first).
func (d *Doc) Text(x, y, w float64, s string, a Align) error {
	s = d.clean(s)
	if s == "" {
		return nil
	}
	tw, err := d.gp.MeasureTextWidth(s)
	if err != nil {
		return fmt.Errorf("pdf: measure %q: %w", s, err)
	}
	switch a {
	case AlignCenter:
		x += (w - tw) / 2
	case AlignRight:
		x += w - tw
	}
	// The baseline sits 0.96 em below the top of the 1.2 em line box: that
	// centres Micro Hei's Han glyphs (−0.10 to 0.81 em) in the box.
	d.gp.SetXY(x, y+d.fontSize*ptToMM*0.96)
	if err := d.gp.Text(s); err != nil {
		return fmt.Errorf("pdf: text %q: %w", s, err)
	}
	return nil
}

// BoldText writes s like Text but heavier: the font has no bold face, so
// the text is drawn three times a hair apart, which reads as bold on
// paper.
func (d *Doc) BoldText(x, y, w float64, s string, a Align) error {
	off := d.fontSize * ptToMM * 0.025
	for _, dx := range []float64{0, off, 2 * off} {
		if err := d.Text(x+dx-off, y, w, s, a); err != nil {
			return err
		}
	}
	return nil
}

// MultiCell writes s wrapped to w mm, at most maxLines lines (0 = no
// limit; the last line kept ends in "…" when text was cut), from (x, y)
// down. It returns the height used.
func (d *Doc) MultiCell(x, y, w float64, s string, maxLines int, a Align) (float64, error) {
	lines := d.Wrap(s, w)
	if maxLines > 0 && len(lines) > maxLines {
		lines = append(lines[:maxLines-1], d.Ellipsize(strings.Join(lines[maxLines-1:], ""), w))
	}
	lh := d.LineHeight()
	for i, l := range lines {
		if err := d.Text(x, y+float64(i)*lh, w, l, a); err != nil {
			return 0, err
		}
	}
	return float64(len(lines)) * lh, nil
}

// Ellipsize shortens s to fit w mm, ending it in "…" if anything was cut.
func (d *Doc) Ellipsize(s string, w float64) string {
	s = strings.TrimSpace(d.clean(s))
	if d.Width(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 {
		r = r[:len(r)-1]
		t := strings.TrimRight(string(r), " ") + "…"
		if d.Width(t) <= w {
			return t
		}
	}
	return ""
}

// Rect draws the outline of a rectangle with a line lw mm wide.
func (d *Doc) Rect(x, y, w, h, lw float64) {
	d.gp.SetLineWidth(lw)
	d.gp.RectFromUpperLeftWithStyle(x, y, w, h, "D")
}

// FillRect fills a rectangle in the current colour.
func (d *Doc) FillRect(x, y, w, h float64) {
	d.gp.RectFromUpperLeftWithStyle(x, y, w, h, "F")
}

// Line draws a straight line lw mm wide.
func (d *Doc) Line(x1, y1, x2, y2, lw float64) {
	d.gp.SetLineWidth(lw)
	d.gp.Line(x1, y1, x2, y2)
}

// WriteTo writes the finished PDF.
func (d *Doc) WriteTo(w io.Writer) (int64, error) {
	return d.gp.WriteTo(w)
}
