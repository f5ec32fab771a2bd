package pdf

import (
	"fmt"
	"image/color"
	"math"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/code128"
	"github.com/boombuler/barcode/ean"
)

// Barcode symbologies.
const (
	EAN13   = "ean13"
	Code128 = "code128"
	Auto    = "auto"
)

// eanCheckDigit is the GS1 check digit of the digits in s.
func eanCheckDigit(s string) byte {
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ean13Of returns the 13 digits an EAN-13 symbol of code encodes, or ""
// when code is not a valid EAN-13 (13 digits with the right check digit)
// or UPC-A (12 digits with the right check digit; a UPC-A symbol is the
// EAN-13 symbol of the code with a leading 0, so it scans the same).
func ean13Of(code string) string {
	if !allDigits(code) {
		return ""
	}
	switch len(code) {
	case 12:
		code = "0" + code
	case 13:
	default:
		return ""
	}
	if eanCheckDigit(code[:12]) != code[12] {
		return ""
	}
	return code
}

// Symbology says how code is printed when want is asked for: EAN-13 only
// for a valid EAN-13 or UPC-A code ("auto" picks it for those), Code 128
// for everything else, so a label always scans as the code it shows.
func Symbology(code, want string) string {
	if want != Code128 && ean13Of(code) != "" {
		return EAN13
	}
	return Code128
}

// bars is an encoded 1-D barcode: one bool per module (true = black), the
// modules of guard bars that run down into the text line (EAN), and the
// human-readable text.
type bars struct {
	symbology string
	modules   []bool
	guards    map[int]bool
	text      string
}

// encode turns code into bars in the symbology Symbology(code, want)
// chooses.
func encode(code, want string) (bars, error) {
	sym := Symbology(code, want)
	var bc barcode.Barcode
	var err error
	text := code
	if sym == EAN13 {
		text = ean13Of(code)
		bc, err = ean.Encode(text)
	} else {
		bc, err = code128.Encode(code)
	}
	if err != nil {
		return bars{}, fmt.Errorf("pdf: encode %q as %s: %w", code, sym, err)
	}
	b := bars{symbology: sym, text: text}
	bounds := bc.Bounds()
	for x := bounds.Min.X; x < bounds.Max.X; x++ {
		g := color.GrayModel.Convert(bc.At(x, bounds.Min.Y)).(color.Gray)
		b.modules = append(b.modules, g.Y < 128)
	}
	if sym == EAN13 {
		if len(b.modules) != 95 {
			return bars{}, fmt.Errorf("pdf: EAN-13 of %q has %d modules", code, len(b.modules))
		}
		b.guards = map[int]bool{}
		for _, m := range []int{0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94} {
			b.guards[m] = true
		}
	}
	return b, nil
}

// quiet is the light margin, in modules, a scanner needs left and right.
func (b bars) quiet() (left, right int) {
	if b.symbology == EAN13 {
		return 11, 7
	}
	return 10, 10
}

// dot is one dot of a 203 dpi thermal printer, the coarsest printer labels
// go to.
const dot = 25.4 / 203

// moduleWidth picks the width of one module so that the symbol and its
// quiet zones fit w mm: at most max, and a whole number of 203 dpi dots
// (when it is at least one), so that every bar of a thermal printer comes
// out the same width — a module of 1.6 dots would print as 1 or 2 dots at
// random and scan badly. 300 and 600 dpi printers have dots fine enough
// not to matter.
func (b bars) moduleWidth(w, max float64) float64 {
	l, r := b.quiet()
	m := w / float64(len(b.modules)+l+r)
	if m > max {
		m = max
	}
	if n := math.Floor(m/dot + 1e-9); n >= 1 {
		m = n * dot
	}
	return m
}

// Barcode draws code as a barcode centred in the box (x, y, w, h) with its
// text below the bars, in the symbology Symbology(code, want) picks. It
// returns that symbology.
func (d *Doc) Barcode(x, y, w, h float64, code, want string) (string, error) {
	b, err := encode(code, want)
	if err != nil {
		return "", err
	}
	maxModule := 0.40
	if b.symbology == EAN13 {
		maxModule = 0.33 // the nominal EAN-13 size
	}
	m := b.moduleWidth(w, maxModule)
	l, _ := b.quiet()
	symW := float64(len(b.modules)) * m

	// The text under the bars: about a fifth of the height, 6–9 pt.
	pt := clamp(h/5/ptToMM/1.1, 6, 9)
	if err := d.SetFontSize(pt); err != nil {
		return "", err
	}
	textH := pt * ptToMM * 1.1
	barH := h - textH
	x0 := x + (w-symW)/2
	if b.symbology == EAN13 {
		// The first digit sits in the left quiet zone: centre the symbol
		// with it.
		x0 = x + (w-symW-float64(l-4)*m)/2 + float64(l-4)*m
	}
	d.SetGray(0)
	// Draw runs of black modules as single rectangles; guard bars of
	// EAN-13 run half the text height further down.
	for i := 0; i < len(b.modules); {
		if !b.modules[i] {
			i++
			continue
		}
		j := i
		for j < len(b.modules) && b.modules[j] && b.guards[j] == b.guards[i] {
			j++
		}
		bh := barH
		if b.guards[i] {
			bh += textH / 2
		}
		d.FillRect(x0+float64(i)*m, y, float64(j-i)*m, bh)
		i = j
	}
	ty := y + barH + (textH-d.LineHeight())/2 + 0.05*pt*ptToMM
	if b.symbology == EAN13 {
		// 1 | 234567 | 890128: the first digit left of the start guard,
		// then each half under its six digits.
		t := b.text
		if err := d.Text(x0-7*m-d.Width(t[:1]), ty, d.Width(t[:1]), t[:1], AlignLeft); err != nil {
			return "", err
		}
		if err := d.spaced(x0+3*m, ty, 42*m, t[1:7]); err != nil {
			return "", err
		}
		if err := d.spaced(x0+50*m, ty, 42*m, t[7:]); err != nil {
			return "", err
		}
		return b.symbology, nil
	}
	if err := d.Text(x0, ty, symW, d.Ellipsize(b.text, w), AlignCenter); err != nil {
		return "", err
	}
	return b.symbology, nil
}

// spaced writes the characters of s spread evenly over w mm, one per
// slot, as EAN digits are printed.
func (d *Doc) spaced(x, y, w float64, s string) error {
	slot := w / float64(len(s))
	for i, r := range s {
		if err := d.Text(x+float64(i)*slot, y, slot, string(r), AlignCenter); err != nil {
			return err
		}
	}
	return nil
}

func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
