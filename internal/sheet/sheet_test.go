package sheet

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

func TestXLSXRoundTrip(t *testing.T) {
	header := []string{"编码", "名称", "条码"}
	rows := [][]string{{"A-001", "可口可乐 330ml", "06901234567892"}, {"B-2", "纯棉T恤 白/M", ""}}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, "商品", header, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.GetRows("商品")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{header, rows[0], {"B-2", "纯棉T恤 白/M"}} // excelize drops trailing empty cells
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows mismatch (-want +got):\n%s", diff)
	}
}

func TestCSVHasBOM(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, []string{"名称"}, [][]string{{"a,b"}}); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "\ufeff名称\r\n\"a,b\"\r\n"; got != want {
		t.Errorf("csv = %q, want %q", got, want)
	}
}

// TestXLSXFigures: a numeric column's figures are numbers Excel can add,
// shown with the decimals they had; its text and the text columns stay as
// they were (a barcode is not a number).
func TestXLSXFigures(t *testing.T) {
	header := []string{"编码", "数量", "金额"}
	rows := [][]string{
		{"06901234567892", "10", "1,234.50"},
		{"00123", "2.5", "-0.05"},
		{"X", "10 瓶", "—"},
		{"Y", "", "12345678901234567.89"},
	}
	var buf bytes.Buffer
	if err := WriteXLSXTyped(&buf, "s", header, rows, []bool{false, true, true}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	type cell struct {
		kind  excelize.CellType
		raw   string
		shown string
	}
	var got []cell
	for _, ref := range []string{"A2", "B2", "C2", "A3", "B3", "C3", "B4", "C4", "C5"} {
		kind, err := f.GetCellType("s", ref)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := f.GetCellValue("s", ref, excelize.Options{RawCellValue: true})
		shown, _ := f.GetCellValue("s", ref)
		got = append(got, cell{kind, raw, shown})
	}
	num, str := excelize.CellTypeUnset, excelize.CellTypeInlineString // a cell with no type is a number
	want := []cell{
		{str, "06901234567892", "06901234567892"}, {num, "10", "10"}, {num, "1234.5", "1,234.50"},
		{str, "00123", "00123"}, {num, "2.5", "2.5"}, {num, "-0.05", "-0.05"},
		{str, "10 瓶", "10 瓶"}, {str, "—", "—"}, {str, "12345678901234567.89", "12345678901234567.89"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(cell{})); diff != "" {
		t.Errorf("cells (-want +got):\n%s", diff)
	}
}
