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
