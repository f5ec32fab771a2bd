package pdf

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// A business document print: a warehouse document today, purchase and
// sales documents later. The caller hands over display text in the
// reader's language (numbers formatted, labels translated, reversals
// already negative); the layout is this file's:
//
//	                    测试商贸有限公司
//	          地址：…   电话：…   税号：…
//	                      期初入库单         [草稿]
//	                      ══════════
//	单号：QC20261101-0001                     日期：2026-11-01
//	仓库：总仓            原因：报损           红冲原单：…
//	┌──┬──────┬──────────┬────┬──┬──────┬──────┐
//	│序号│商品编码│商品名称     │规格 │单位│  数量│  金额│   (repeated on every page)
//	│ 1 │COLA  │可乐        │330ml│箱 │  2.00│ 96.00│
//	│合计│      │            │     │   │  2.00│ 96.00│   (last page)
//	└──┴──────┴──────────┴────┴──┴──────┴──────┘
//	合计金额（大写）：玖拾陆元整
//	备注：…
//	制单：张三      审核：_____      仓管：_____      经手人：_____
//	打印时间：2026-11-22 10:30                      第 1 页，共 2 页
//
// The page header (company, title, number, parties) and the column
// headers repeat on every page; the totals, the amount in words, the note
// and the signatures close the last page.

// A5Landscape is an A5 sheet on its side: half an A4, the size of many
// pre-printed 单据 forms.
var A5Landscape = Size{W: 210, H: 148}

// Form241 is a page of 241 mm continuous paper (连续纸, 9.5 in across the
// tractor strips) torn in halves (二等分): 241 × 140 mm, the usual size of
// a 送货单 on three-part carbonless paper (多联) in a dot-matrix printer.
// It prints inside the strips with the sprocket holes, in black only (a
// dot-matrix printer dithers grey into dots that blur on the copies), and
// a longer document runs on over further forms.
var Form241 = Size{W: 241, H: 140}

// paperStyle is how a document sits on its paper.
type paperStyle struct {
	mx, mt, mb float64 // margins: left and right, top, bottom
	titlePt    float64
	plain      bool // black only: no grey text, no shaded header
}

// styleOf is the style for a page size: a continuous form keeps clear of
// its 12.7 mm tractor strips and, having no sheet edge to grip, needs
// little room top and bottom; a cut sheet gets margins in proportion that
// any laser or inkjet printer reaches.
func styleOf(page Size) paperStyle {
	if page == Form241 {
		return paperStyle{mx: 15, mt: 5, mb: 4, titlePt: 14, plain: true}
	}
	mt := clamp(page.H*0.035, 7, 11)
	return paperStyle{mx: clamp(page.W*0.055, 8, 14), mt: mt, mb: mt, titlePt: titlePt}
}

// KV is a labelled value: "仓库：总仓".
type KV struct{ Label, Value string }

// Column is one column of a document's table.
type Column struct {
	Label string
	// Weight is the column's share of the table width.
	Weight float64
	Align  Align
	// Lines is how many lines a cell may wrap to; 0 or 1 keeps it on one
	// line, ending in "…" when it is too long.
	Lines int
}

// DocCompany is the company the document is from.
type DocCompany struct{ Name, Address, Phone, TaxNo string }

// DocWords are the fixed words of a print. Empty fields are Chinese
// (ZhDocWords).
type DocWords struct {
	Number, Date          string
	Address, Phone, TaxNo string
	AmountInWords, Note   string
	PrintedAt             string
	Page                  string // "{page}" and "{pages}" are filled in
	Colon                 string // between a label and its value
}

// ZhDocWords are the Chinese words of a print.
var ZhDocWords = DocWords{
	Number: "单号", Date: "日期", Address: "地址", Phone: "电话", TaxNo: "税号",
	AmountInWords: "合计金额（大写）", Note: "备注", PrintedAt: "打印时间",
	Page: "第 {page} 页，共 {pages} 页", Colon: "：",
}

// DocPrint is what a printed document shows.
type DocPrint struct {
	Title   string // "期初入库单", "期初入库单（红冲）"
	Stamp   string // boxed beside the title when set: "草稿", "已作废"
	Number  string
	Date    string
	Company DocCompany
	// Parties are the header fields: warehouse, reason, the original of a
	// reversal, partner …
	Parties []KV
	Columns []Column
	// Rows are the lines, one cell per column (missing cells are blank).
	Rows [][]string
	// Totals is the totals row, one cell per column; nil prints none.
	Totals []string
	// AmountWords is the total in words (金额大写); empty prints no line.
	AmountWords string
	Note        string
	// Signatures are printed across the foot of the last page; a blank
	// value leaves a line to sign on.
	Signatures []KV
	// FootNote is printed in the middle of every page's foot: which part
	// of a multi-part form goes where (第一联 存根联 …).
	FootNote  string
	PrintedAt string
	Words     DocWords
}

// Document writes p as a PDF of size pages (A4, A5Landscape or Form241; any page
// at least 120 × 100 mm).
func Document(w io.Writer, size Size, p DocPrint) error {
	if size.W < 120 || size.H < 100 {
		return fmt.Errorf("pdf: page %v×%v mm is too small for a document (at least 120×100)", size.W, size.H)
	}
	if len(p.Columns) == 0 {
		return errors.New("pdf: a document needs columns")
	}
	for i, r := range p.Rows {
		if len(r) > len(p.Columns) {
			return fmt.Errorf("pdf: row %d has %d cells for %d columns", i, len(r), len(p.Columns))
		}
	}
	if len(p.Totals) > len(p.Columns) {
		return fmt.Errorf("pdf: totals have %d cells for %d columns", len(p.Totals), len(p.Columns))
	}
	p.Words = p.Words.withDefaults()
	d, err := New(size)
	if err != nil {
		return err
	}
	d.SetInfo(strings.TrimSpace(p.Title + " " + p.Number))
	l := &docLayout{d: d, p: p}
	if err := l.measure(); err != nil {
		return err
	}
	pages := l.paginate()
	for i, pg := range pages {
		d.AddPage()
		if err := l.drawPage(pg, i+1, len(pages)); err != nil {
			return err
		}
	}
	_, err = d.WriteTo(w)
	return err
}

func (w DocWords) withDefaults() DocWords {
	def := ZhDocWords
	for _, f := range []struct{ v, d *string }{
		{&w.Number, &def.Number}, {&w.Date, &def.Date}, {&w.Address, &def.Address}, {&w.Phone, &def.Phone},
		{&w.TaxNo, &def.TaxNo}, {&w.AmountInWords, &def.AmountInWords}, {&w.Note, &def.Note},
		{&w.PrintedAt, &def.PrintedAt}, {&w.Page, &def.Page}, {&w.Colon, &def.Colon},
	} {
		if *f.v == "" {
			*f.v = *f.d
		}
	}
	return w
}

// Sizes in points and millimetres.
const (
	companyPt = 11
	detailPt  = 7.5
	titlePt   = 16
	stampPt   = 10
	footPt    = 7.5
	cellPadX  = 1.2
	cellPadY  = 1.0
	thinLine  = 0.15
	thickLine = 0.35
)

// docLayout is a document being laid out: measured once, then drawn page
// by page.
type docLayout struct {
	d *Doc
	p DocPrint
	paperStyle

	cw        float64   // content width
	bodyPt    float64   // table and header text
	colW      []float64 // column widths
	headH     float64   // the page header above the table
	colHead   cells     // the column header row
	colHeadH  float64
	footH     float64 // the footer with the page number
	rows      []cells // every line, wrapped
	totals    cells
	noteLines []string
	tailH     float64 // totals row and what follows it
}

// cells are one table row wrapped to its columns.
type cells struct {
	lines [][]string
	h     float64
}

// span is the rows [from, to) of a page; the last page also has the tail.
type span struct {
	from, to int
	last     bool
}

func (l *docLayout) label(k string) string { return k + l.p.Words.Colon }

func (l *docLayout) measure() error {
	page := l.d.Page()
	l.paperStyle = styleOf(page)
	l.cw = page.W - 2*l.mx
	l.bodyPt = 9
	if len(l.p.Columns) > 9 {
		l.bodyPt = 8
	}
	if err := l.d.SetFontSize(l.bodyPt); err != nil {
		return err
	}
	l.colW = l.widths()
	var err error
	if l.headH, err = l.header(0, false); err != nil {
		return err
	}
	if err := l.d.SetFontSize(footPt); err != nil {
		return err
	}
	l.footH = l.d.LineHeight() + 1.5
	if err := l.d.SetFontSize(l.bodyPt); err != nil {
		return err
	}
	l.colHead = l.wrapRow(columnLabels(l.p.Columns), 2)
	l.colHeadH = l.colHead.h
	l.rows = make([]cells, len(l.p.Rows))
	maxRow := l.colHeadH
	for i, r := range l.p.Rows {
		l.rows[i] = l.wrapRow(r, 0)
		maxRow = max(maxRow, l.rows[i].h)
	}
	if l.p.Totals != nil {
		l.totals = l.wrapRow(l.p.Totals, 1)
	}
	// The note takes what is left of a page that holds one row and the
	// rest of the tail; a note longer than that ends in "…".
	fixed := l.totals.h + l.tail(0, false)
	lh := l.d.LineHeight()
	room := int(math.Floor((l.bodyH() - maxRow - fixed - 1) / lh))
	if note := strings.TrimSpace(l.p.Note); note != "" {
		l.noteLines = l.d.Wrap(note, l.cw-l.d.Width(l.label(l.p.Words.Note)))
		if room = max(room, 1); len(l.noteLines) > room {
			w := l.cw - l.d.Width(l.label(l.p.Words.Note))
			l.noteLines = append(l.noteLines[:room-1], l.d.Ellipsize(strings.Join(l.noteLines[room-1:], ""), w))
		}
	}
	l.tailH = l.totals.h + l.tail(0, false)
	return nil
}

// widths shares the table width among the columns by weight, but gives
// every column at least the width of its header and its total on one line
// (序号 over 合计), taking it from the others. When the headers alone do
// not fit, the shares are by weight and the headers wrap.
func (l *docLayout) widths() []float64 {
	n := len(l.p.Columns)
	need := make([]float64, n)
	for i, c := range l.p.Columns {
		need[i] = l.d.Width(c.Label)
		if i < len(l.p.Totals) {
			need[i] = max(need[i], l.d.Width(l.p.Totals[i]))
		}
		need[i] += 2*cellPadX + 0.5 // bold prints a hair wider
	}
	w := make([]float64, n)
	fixed := make([]bool, n)
	for {
		room, weight := l.cw, 0.0
		for i, c := range l.p.Columns {
			if fixed[i] {
				room -= need[i]
			} else {
				weight += max(c.Weight, 0.1)
			}
		}
		if room <= 0 || weight == 0 {
			break
		}
		grew := false
		for i, c := range l.p.Columns {
			if fixed[i] {
				w[i] = need[i]
				continue
			}
			if w[i] = room * max(c.Weight, 0.1) / weight; w[i] < need[i] {
				fixed[i], grew = true, true
			}
		}
		if !grew {
			return w
		}
	}
	total := 0.0
	for _, c := range l.p.Columns {
		total += max(c.Weight, 0.1)
	}
	for i, c := range l.p.Columns {
		w[i] = l.cw * max(c.Weight, 0.1) / total
	}
	return w
}

// bodyH is the height a page has for table rows and the tail.
func (l *docLayout) bodyH() float64 {
	return l.d.Page().H - l.mt - l.mb - l.headH - l.colHeadH - l.footH
}

// wrapRow wraps each cell to its column; a column's own Lines limit
// applies unless limit overrides it (column headers, totals).
func (l *docLayout) wrapRow(r []string, limit int) cells {
	c := cells{lines: make([][]string, len(l.p.Columns))}
	n := 1
	for i, col := range l.p.Columns {
		s := ""
		if i < len(r) {
			s = strings.TrimSpace(r[i])
		}
		most := col.Lines
		if limit > 0 {
			most = limit
		}
		c.lines[i] = l.fit(s, l.colW[i]-2*cellPadX, most)
		n = max(n, len(c.lines[i]))
	}
	c.h = float64(n)*l.d.LineHeight() + 2*cellPadY
	return c
}

// fit wraps s to w in at most maxLines lines (at least one), the last one
// ellipsized when text was cut.
func (l *docLayout) fit(s string, w float64, maxLines int) []string {
	if s == "" {
		return nil
	}
	if maxLines <= 1 {
		return []string{l.d.Ellipsize(strings.ReplaceAll(s, "\n", " "), w)}
	}
	lines := l.d.Wrap(s, w)
	if len(lines) > maxLines {
		lines = append(lines[:maxLines-1], l.d.Ellipsize(strings.Join(lines[maxLines-1:], ""), w))
	}
	return lines
}

// paginate splits the rows into pages. The last page holds at least one
// row above the totals, so no page carries the totals alone.
func (l *docLayout) paginate() []span {
	avail := l.bodyH()
	var pages []span
	from, y := 0, 0.0
	for i, r := range l.rows {
		if y+r.h > avail && i > from {
			pages = append(pages, span{from: from, to: i})
			from, y = i, 0
		}
		y += r.h
	}
	n := len(l.rows)
	if y+l.tailH > avail && n-from > 1 {
		pages = append(pages, span{from: from, to: n - 1})
		from = n - 1
	}
	return append(pages, span{from: from, to: n, last: true})
}

func (l *docLayout) drawPage(pg span, page, pages int) error {
	d := l.d
	y, err := l.header(l.mt, true)
	if err != nil {
		return err
	}
	if err := d.SetFontSize(l.bodyPt); err != nil {
		return err
	}
	top := y
	if !l.plain {
		d.SetGray(0.92)
		d.FillRect(l.mx, y, l.cw, l.colHeadH)
		d.SetGray(0)
	}
	if err := l.drawRow(y, l.colHead, true, true); err != nil {
		return err
	}
	y += l.colHeadH
	for i := pg.from; i < pg.to; i++ {
		if err := l.drawRow(y, l.rows[i], false, false); err != nil {
			return err
		}
		y += l.rows[i].h
	}
	if pg.last && l.p.Totals != nil {
		if err := l.drawRow(y, l.totals, true, false); err != nil {
			return err
		}
		y += l.totals.h
	}
	d.Rect(l.mx, top, l.cw, y-top, thickLine)
	if pg.last {
		l.tail(y, true)
	}
	return l.footer(page, pages)
}

func columnLabels(cs []Column) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Label
	}
	return out
}

// drawRow draws one table row at y: its cell borders and text, each cell
// centred vertically; header cells are centred across too.
func (l *docLayout) drawRow(y float64, c cells, bold, header bool) error {
	d := l.d
	lh := d.LineHeight()
	x := l.mx
	for i, col := range l.p.Columns {
		w := l.colW[i]
		d.Rect(x, y, w, c.h, thinLine)
		ty := y + (c.h-float64(len(c.lines[i]))*lh)/2
		a := col.Align
		if header {
			a = AlignCenter
		}
		for k, s := range c.lines[i] {
			write := d.Text
			if bold {
				write = d.BoldText
			}
			if err := write(x+cellPadX, ty+float64(k)*lh, w-2*cellPadX, s, a); err != nil {
				return err
			}
		}
		x += w
	}
	return nil
}

// header lays out (and with draw, draws) the page header from y and
// returns where the table starts.
func (l *docLayout) header(y float64, draw bool) (float64, error) {
	d, p, wd := l.d, l.p, l.p.Words
	text := func(x, y, w float64, s string, a Align) error {
		if !draw {
			return nil
		}
		return d.Text(x, y, w, s, a)
	}
	if name := strings.TrimSpace(p.Company.Name); name != "" {
		if err := d.SetFontSize(companyPt); err != nil {
			return 0, err
		}
		if err := text(l.mx, y, l.cw, d.Ellipsize(name, l.cw), AlignCenter); err != nil {
			return 0, err
		}
		y += d.LineHeight()
	}
	var details []string
	for _, kv := range []KV{{wd.Address, p.Company.Address}, {wd.Phone, p.Company.Phone}, {wd.TaxNo, p.Company.TaxNo}} {
		if v := strings.TrimSpace(kv.Value); v != "" {
			details = append(details, l.label(kv.Label)+v)
		}
	}
	if len(details) > 0 {
		if err := d.SetFontSize(detailPt); err != nil {
			return 0, err
		}
		if draw {
			l.grey(0.3)
		}
		if err := text(l.mx, y, l.cw, d.Ellipsize(strings.Join(details, "    "), l.cw), AlignCenter); err != nil {
			return 0, err
		}
		if draw {
			d.SetGray(0)
		}
		y += d.LineHeight()
	}
	y += 1.5

	// The title, bold and double-underlined, with the stamp boxed to its
	// right.
	if err := d.SetFontSize(l.titlePt); err != nil {
		return 0, err
	}
	title := d.Ellipsize(p.Title, l.cw*0.7)
	tw := d.Width(title)
	th := d.LineHeight()
	if draw {
		if err := d.BoldText(l.mx, y, l.cw, title, AlignCenter); err != nil {
			return 0, err
		}
		ux := l.mx + (l.cw-tw)/2 - 2
		d.Line(ux, y+th+0.2, ux+tw+4, y+th+0.2, 0.3)
		d.Line(ux, y+th+0.9, ux+tw+4, y+th+0.9, 0.3)
	}
	if stamp := strings.TrimSpace(p.Stamp); stamp != "" && draw {
		if err := d.SetFontSize(stampPt); err != nil {
			return 0, err
		}
		sw, sh := d.Width(stamp)+4, d.LineHeight()+1.4
		sx := l.mx + (l.cw+tw)/2 + 6
		sy := y + (th-sh)/2
		l.grey(0.25)
		d.Rect(sx, sy, sw, sh, 0.4)
		if err := d.Text(sx, sy+0.7, sw, stamp, AlignCenter); err != nil {
			return 0, err
		}
		d.SetGray(0)
	}
	y += th + 3

	// Number and date, then the parties in a grid of three columns; a
	// value too long for one cell takes two or three.
	if err := d.SetFontSize(l.bodyPt); err != nil {
		return 0, err
	}
	lh := d.LineHeight()
	half := l.cw / 2
	if err := text(l.mx, y, half, d.Ellipsize(l.label(wd.Number)+p.Number, half), AlignLeft); err != nil {
		return 0, err
	}
	if err := text(l.mx+half, y, half, d.Ellipsize(l.label(wd.Date)+p.Date, half), AlignRight); err != nil {
		return 0, err
	}
	y += lh + 0.6
	const cols = 3
	cellW := l.cw / cols
	col := 0
	rowH := 0.0
	for _, kv := range p.Parties {
		s := l.label(kv.Label) + strings.TrimSpace(kv.Value)
		span := int(math.Ceil((d.Width(s) + 3) / cellW))
		span = min(max(span, 1), cols)
		if col+span > cols {
			y, col, rowH = y+rowH, 0, 0
		}
		x, w := l.mx+float64(col)*cellW, float64(span)*cellW-3
		lines := []string{s}
		if span == cols {
			lines = l.fit(s, w, 3)
		}
		for k, line := range lines {
			if err := text(x, y+float64(k)*lh, w, line, AlignLeft); err != nil {
				return 0, err
			}
		}
		rowH = max(rowH, float64(len(lines))*(lh+0.6))
		col += span
	}
	y += rowH + 1
	return y, nil
}

// tail lays out (and with draw, draws) what follows the table on the last
// page and returns its height.
func (l *docLayout) tail(y float64, draw bool) float64 {
	d, p, wd := l.d, l.p, l.p.Words
	_ = d.SetFontSize(l.bodyPt)
	lh := d.LineHeight()
	start := y
	y += 2
	if words := strings.TrimSpace(p.AmountWords); words != "" {
		// One bold string: text extraction drops the overprints of a whole
		// string, not of a part run on from a plain label.
		if draw {
			_ = d.BoldText(l.mx, y, l.cw, d.Ellipsize(l.label(wd.AmountInWords)+words, l.cw), AlignLeft)
		}
		y += lh + 1
	}
	if len(l.noteLines) > 0 {
		lab := l.label(wd.Note)
		lw := d.Width(lab)
		for k, s := range l.noteLines {
			if draw {
				if k == 0 {
					_ = d.Text(l.mx, y, lw, lab, AlignLeft)
				}
				_ = d.Text(l.mx+lw, y, l.cw-lw, s, AlignLeft)
			}
			y += lh
		}
		y += 1
	}
	if n := len(p.Signatures); n > 0 {
		y += 4
		cellW := l.cw / float64(n)
		for i, s := range p.Signatures {
			x := l.mx + float64(i)*cellW
			lab := l.label(s.Label)
			lw := d.Width(lab)
			if draw {
				_ = d.Text(x, y, lw, lab, AlignLeft)
				if v := strings.TrimSpace(s.Value); v != "" {
					_ = d.Text(x+lw, y, cellW-lw-3, d.Ellipsize(v, cellW-lw-3), AlignLeft)
				} else {
					d.Line(x+lw+0.5, y+lh-0.6, x+cellW-4, y+lh-0.6, thinLine)
				}
			}
		}
		y += lh
	}
	return y - start
}

// footer writes the time of printing and the page number at the foot of
// the page.
func (l *docLayout) footer(page, pages int) error {
	d, wd := l.d, l.p.Words
	if err := d.SetFontSize(footPt); err != nil {
		return err
	}
	y := d.Page().H - l.mb - d.LineHeight()
	l.grey(0.3)
	defer d.SetGray(0)
	// The time left, the page number right, the foot note between them in
	// what they leave.
	left, right := "", strings.NewReplacer("{page}", strconv.Itoa(page), "{pages}", strconv.Itoa(pages)).Replace(wd.Page)
	if at := strings.TrimSpace(l.p.PrintedAt); at != "" {
		left = l.label(wd.PrintedAt) + at
	}
	if err := d.Text(l.mx, y, l.cw, left, AlignLeft); err != nil {
		return err
	}
	if note := strings.TrimSpace(l.p.FootNote); note != "" {
		side := max(d.Width(left), d.Width(right)) + 4
		if err := d.Text(l.mx+side, y, l.cw-2*side, d.Ellipsize(note, l.cw-2*side), AlignCenter); err != nil {
			return err
		}
	}
	return d.Text(l.mx, y, l.cw, right, AlignRight)
}

// grey sets a shade of grey for what is drawn next, or black on paper
// that prints black only.
func (l *docLayout) grey(g float64) {
	if l.plain {
		g = 0
	}
	l.d.SetGray(g)
}
