// Package sheet writes spreadsheets: .xlsx through excelize's streaming
// writer (constant memory for long lists) and CSV with a UTF-8 BOM, which
// Excel needs to open Chinese text correctly.
package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Limits of one export.
const (
	MaxRows    = 100_000
	MaxColumns = 100
)

// WriteXLSX writes one sheet with a bold, frozen header row; every cell
// is text.
func WriteXLSX(w io.Writer, sheet string, header []string, rows [][]string) error {
	return WriteXLSXTyped(w, sheet, header, rows, nil)
}

// numberText is a figure as the screens print it: an optional sign,
// digits with thousands separators, optional decimals.
var numberText = regexp.MustCompile(`^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$`)

// figure is a numeric column's cell as a number for Excel, and its
// decimals; ok is false for text (empty, a dash, "10 瓶"), which stays text.
// The float is only the file's encoding of the decimal shown: excelize
// writes the shortest form that reads back as the same float, which for
// the at most 15 significant digits jxc's money and quantities print is
// the very decimal on screen.
func figure(v string) (n float64, decimals int, ok bool) {
	v = strings.TrimSpace(v)
	if !numberText.MatchString(v) {
		return 0, 0, false
	}
	plain := strings.ReplaceAll(v, ",", "")
	if digits := strings.TrimLeft(strings.TrimLeft(plain, "+-"), "0."); len(strings.ReplaceAll(digits, ".", "")) > 15 {
		return 0, 0, false // more digits than a double holds: kept as shown
	}
	n, err := strconv.ParseFloat(plain, 64)
	if err != nil {
		return 0, 0, false
	}
	if i := strings.IndexByte(plain, '.'); i >= 0 {
		decimals = len(plain) - i - 1
	}
	return n, decimals, true
}

// WriteXLSXTyped is WriteXLSX where numeric[i] marks column i as figures
// (amounts, quantities): its cells that read as numbers are written as
// numbers, with thousands separators and the decimals they were shown
// with, so that Excel can add them up. Other columns stay text: codes with
// leading zeros and barcodes must not turn into numbers.
func WriteXLSXTyped(w io.Writer, sheet string, header []string, rows [][]string, numeric []bool) error {
	if sheet == "" || utf8.RuneCountInString(sheet) > 31 {
		sheet = "Sheet1"
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF1F5"}}})
	if err != nil {
		return err
	}
	for i, h := range header {
		width := float64(max(8, min(50, utf8.RuneCountInString(h)*2+2)))
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	styles := map[int]int{} // decimals → number style
	for r, row := range rows {
		vals := make([]any, len(row))
		for i, v := range row {
			vals[i] = v // text, as shown on screen: codes with leading zeros stay intact
			if i >= len(numeric) || !numeric[i] {
				continue
			}
			n, d, ok := figure(v)
			if !ok {
				continue
			}
			st, seen := styles[d]
			if !seen {
				format := "#,##0"
				if d > 0 {
					format += "." + strings.Repeat("0", d)
				}
				if st, err = f.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
					return err
				}
				styles[d] = st
			}
			vals[i] = excelize.Cell{StyleID: st, Value: n}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := sw.SetRow(cell, vals); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// WriteCSV writes a UTF-8 CSV with a byte-order mark.
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// ReadXLSX reads the first sheet of an .xlsx file as text cells, row by row
// (trailing empty cells dropped), at most maxRows rows.
func ReadXLSX(r io.Reader, maxRows int) ([][]string, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("not an .xlsx file: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fmt.Errorf("the workbook has no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		if len(out) >= maxRows {
			return nil, fmt.Errorf("more than %d rows", maxRows)
		}
		cols, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		if len(cols) > MaxColumns {
			cols = cols[:MaxColumns]
		}
		out = append(out, cols)
	}
	return out, rows.Error()
}
