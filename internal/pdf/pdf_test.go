package pdf

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var sample = []Label{
	{Name: "农夫山泉饮用天然水 550ml", Spec: "550ml", Price: "¥2.00", Unit: "瓶", Code: "NF-550", Barcode: "6921168509256", Symbology: Auto, Count: 2},
	{Name: "纯棉圆领短袖T恤 男款 藏青色（加大码）", Spec: "藏青 / XL", Price: "¥59.00", Unit: "件", Code: "TSH-NAVY-XL", Symbology: Auto, Count: 1},
	{Name: "加厚连帽卫衣", Spec: "1箱=24件", Price: "¥1,280.00", Unit: "箱", Code: "HD-01", Barcode: "16901234567899", Symbology: Auto, Count: 1},
	{Name: "运动船袜 5双装", Price: "", Code: "SOCK-5", Barcode: "6901234567890", Symbology: Auto, Count: 1}, // wrong check digit
	{Name: "可口可乐 330ml×24罐 整箱装 易拉罐 碳酸饮料 经典原味 超长名称测试用", Spec: "330ml×24", Price: "¥52.80", Unit: "箱", Code: "KL-330-24", Barcode: "036000291452", Symbology: EAN13, Count: 1},
}

// render makes a PDF of sample in layout and, with JXC_PDF_OUT set, keeps
// it there to look at.
func render(t *testing.T, layout string, labels []Label) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Labels(&buf, Layouts[layout], labels); err != nil {
		t.Fatalf("%s: %v", layout, err)
	}
	if dir := os.Getenv("JXC_PDF_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, layout+".pdf"), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

func TestLabelsEveryLayout(t *testing.T) {
	for name := range Layouts {
		t.Run(name, func(t *testing.T) {
			pdf := render(t, name, sample)
			if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatalf("output starts %q", pdf[:min(len(pdf), 8)])
			}
			// The font is embedded (gopdf names it /cjk, without a subset
			// tag) with a map back to Unicode, so text copies and searches.
			for _, want := range []string{"/FontFile2", "/ToUnicode", "/BaseFont /cjk"} {
				if !bytes.Contains(pdf, []byte(want)) {
					t.Errorf("no %s in the PDF", want)
				}
			}
			// It is a subset: only the glyphs used, not the 1.3 MB font.
			if len(pdf) > 100<<10 {
				t.Errorf("PDF is %d bytes", len(pdf))
			}
			pages := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page "))
			want := 1
			if Layouts[name].Roll {
				want = 6 // one label per page, the first twice
			}
			if pages < want {
				t.Errorf("pages = %d, want %d", pages, want)
			}
		})
	}
}

func TestLabelsTextWithPdftotext(t *testing.T) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	for _, layout := range []string{"a4_3x8", "roll_40x30"} {
		pdf := render(t, layout, sample)
		cmd := exec.Command(bin, "-", "-")
		cmd.Stdin = bytes.NewReader(pdf)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := strings.Join(strings.Fields(string(out)), "")
		for _, want := range []string{"农夫山泉饮用天然水", "纯棉圆领短袖T恤", "加厚连帽卫衣", "运动船袜", "¥", "2.00", "/瓶", "藏青/XL", "1箱=24件", "TSH-NAVY-XL", "SOCK-5"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: text lacks %q:\n%s", layout, want, out)
			}
		}
	}
}

func TestSymbology(t *testing.T) {
	for _, tt := range []struct{ code, want, got string }{
		{"6921168509256", Auto, EAN13},
		{"6921168509256", EAN13, EAN13},
		{"6921168509256", Code128, Code128},
		{"6921168509257", EAN13, Code128}, // wrong check digit
		{"6921168509257", Auto, Code128},
		{"036000291452", Auto, EAN13}, // UPC-A
		{"036000291453", EAN13, Code128},
		{"692116850925", EAN13, Code128}, // 12 digits, not a UPC-A
		{"96385074", EAN13, Code128},     // EAN-8 prints as Code 128
		{"TSH-NAVY-XL", EAN13, Code128},
		{"69211685092５6", EAN13, Code128}, // a full-width digit
	} {
		if got := Symbology(tt.code, tt.want); got != tt.got {
			t.Errorf("Symbology(%q, %q) = %q, want %q", tt.code, tt.want, got, tt.got)
		}
	}
	// A label asking for EAN-13 with a wrong check digit still prints, as
	// Code 128 of the same digits.
	d, err := New(Size{W: 50, H: 30})
	if err != nil {
		t.Fatal(err)
	}
	d.AddPage()
	sym, err := d.Barcode(1, 1, 48, 20, "6901234567890", EAN13)
	if err != nil || sym != Code128 {
		t.Errorf("Barcode(wrong check digit, ean13) = %q, %v; want code128", sym, err)
	}
	b, err := encode("6921168509256", EAN13)
	if err != nil || len(b.modules) != 95 || !b.modules[0] || b.modules[1] || !b.modules[2] {
		t.Errorf("EAN-13 modules = %d, start %v, err %v", len(b.modules), b.modules[:3], err)
	}
	c, err := encode("6901234567890", EAN13)
	if err != nil || c.symbology != Code128 || c.text != "6901234567890" {
		t.Errorf("fallback = %+v, %v", c, err)
	}
}

func TestWrap(t *testing.T) {
	d, err := New(A4)
	if err != nil {
		t.Fatal(err)
	}
	d.AddPage()
	if err := d.SetFontSize(10); err != nil {
		t.Fatal(err)
	}
	w := d.Width("农夫山泉饮用")
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"农夫山泉饮用天然水", []string{"农夫山泉饮用", "天然水"}},
		// A Latin word or number is not split …
		{"农夫山泉 550ml 天然水", []string{"农夫山泉", "550ml 天然", "水"}},
		// … closing punctuation does not start a line …
		{"农夫山泉饮用，天然水", []string{"农夫山泉饮", "用，天然水"}},
		// … opening punctuation does not end one.
		{"农夫山泉饮（天然水）", []string{"农夫山泉饮", "（天然水）"}},
	} {
		got := d.Wrap(tt.in, w+0.01)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Wrap(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// A character the font lacks prints as □, not as nothing.
	if got := d.Wrap("𠀀水", 100); !slices.Equal(got, []string{"□水"}) {
		t.Errorf("missing glyph: %q", got)
	}
	if got := d.Ellipsize("农夫山泉饮用天然水", w); got != "农夫山泉饮…" {
		t.Errorf("Ellipsize = %q", got)
	}
}

func TestBadSpec(t *testing.T) {
	bad := LabelSpec{Page: A4, Columns: 4, Rows: 10, LabelW: 60, LabelH: 30}
	if err := Labels(io.Discard, bad, sample); err == nil {
		t.Error("labels wider than the sheet were accepted")
	}
	if err := Labels(io.Discard, Layouts["roll_40x30"], nil); err == nil {
		t.Error("no labels made a PDF")
	}
}

// The barcodes scan: each page rendered at 203 dpi (a thermal printer's
// resolution) decodes to the codes asked for, EAN-13 where valid and Code
// 128 otherwise. Needs pdftoppm (poppler-utils) and zbarimg (zbar-tools).
func TestLabelsScan(t *testing.T) {
	pdftoppm, err1 := exec.LookPath("pdftoppm")
	zbarimg, err2 := exec.LookPath("zbarimg")
	if err1 != nil || err2 != nil {
		t.Skip("pdftoppm or zbarimg not installed (apt-get install poppler-utils zbar-tools)")
	}
	want := []string{"CODE-128:16901234567899", "CODE-128:6901234567890", "CODE-128:TSH-NAVY-XL", "EAN-13:0036000291452", "EAN-13:6921168509256"}
	for _, layout := range []string{"roll_40x30", "roll_50x30", "a4_4x10", "a4_3x8"} {
		dir := t.TempDir()
		in := filepath.Join(dir, "labels.pdf")
		if err := os.WriteFile(in, render(t, layout, sample), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(pdftoppm, "-png", "-mono", "-r", "203", in, filepath.Join(dir, "p")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		pngs, _ := filepath.Glob(filepath.Join(dir, "p*.png"))
		var got []string
		for _, png := range pngs {
			out, _ := exec.Command(zbarimg, "-q", png).Output() // exit 4: nothing found
			got = append(got, strings.Fields(string(out))...)
		}
		slices.Sort(got)
		got = slices.Compact(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s scans as %q, want %q", layout, got, want)
		}
	}
}
