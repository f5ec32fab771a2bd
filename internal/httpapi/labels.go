package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/pdf"
)

// labelItem asks for Count labels of one item in one unit.
type labelItem struct {
	ItemID int64 `json:"item_id" minimum:"1"`
	UnitID int64 `json:"unit_id" minimum:"0" doc:"0 or the base unit: the item's own barcode and price; an extra unit: its barcode and price"`
	Count  int   `json:"count" minimum:"1" maximum:"500"`
}

type labelsBody struct {
	Items     []labelItem `json:"items" minItems:"1" maxItems:"500"`
	Layout    string      `json:"layout" enum:"a4_3x8,a4_4x10,roll_50x30,roll_40x30" doc:"A4 sheets of 3×8 or 4×10 labels, or 50×30 / 40×30 mm thermal rolls"`
	Price     string      `json:"price" enum:"retail,wholesale,none"`
	Symbology string      `json:"symbology" enum:"auto,ean13,code128" doc:"auto: EAN-13 for valid EAN-13 codes, Code 128 otherwise"`
}

// maxLabels caps one print job.
const maxLabels = 2000

func (s *Server) labelRoutes() {
	op := huma.Operation{
		OperationID: "printLabels", Method: http.MethodPost, Path: "/api/v1/labels", Tags: []string{"items"},
		Summary:     "Print barcode labels as a PDF (Chinese names embedded with a CJK font)",
		Description: "Permission: `data.item.read`. Items without a barcode for the chosen unit print their SKU code as Code 128.",
		Metadata:    map[string]any{"perm": "data.item.read"},
		Security:    []map[string][]string{{"session": {}}, {"bearer": {}}},
	}
	huma.Register(s.api, op, func(ctx context.Context, in *bodyIn[labelsBody]) (*fileOut, error) {
		body, err := s.labels(ctx, principalOf(ctx), in.Body)
		if err != nil {
			return nil, problemFor(ctx, s.log, err)
		}
		return &fileOut{ContentType: pdfType, ContentDisposition: "inline; filename*=UTF-8''labels.pdf", Body: body}, nil
	})
	fileResponse(s.api, http.MethodPost, "/api/v1/labels", pdfType)
}

func (s *Server) labels(ctx context.Context, p *domain.Principal, in labelsBody) ([]byte, error) {
	spec, ok := pdf.Layouts[in.Layout]
	if !ok {
		return nil, domain.FieldErr("layout", "one_of", "allowed", strings.Join(layoutNames(), ", "))
	}
	total := 0
	for _, li := range in.Items {
		total += li.Count
	}
	if total > maxLabels {
		return nil, domain.FieldErr("items", "max_items", "max", strconv.Itoa(maxLabels))
	}
	units := map[int64]string{}
	var labels []pdf.Label
	for i, li := range in.Items {
		it, err := s.svc.Item(ctx, p, li.ItemID)
		if err != nil {
			if domain.ErrorCode(err) == domain.ENotFound {
				return nil, domain.FieldErr(fmt.Sprintf("items[%d].item_id", i), "unknown_reference")
			}
			return nil, err
		}
		unitID := li.UnitID
		if unitID == 0 {
			unitID = it.BaseUnitID
		}
		l := pdf.Label{Name: it.Name, Code: it.Code, Spec: it.Spec, Symbology: in.Symbology, Count: li.Count}
		barcode, retail, wholesale := it.Barcode, it.RetailPrice, it.WholesalePrice
		if unitID != it.BaseUnitID {
			found := false
			for _, u := range it.Units {
				if u.UnitID == unitID {
					barcode, retail, wholesale, found = u.Barcode, u.RetailPrice, u.WholesalePrice, true
					l.Spec = strings.TrimSpace(l.Spec + " ×" + trimQty(u.Factor))
				}
			}
			if !found {
				return nil, domain.FieldErr(fmt.Sprintf("items[%d].unit_id", i), "unknown_reference")
			}
		}
		l.Barcode = barcode
		if _, ok := units[unitID]; !ok {
			if u, err := s.svc.Unit(ctx, p, unitID); err == nil {
				units[unitID] = u.Name
			}
		}
		l.Unit = units[unitID]
		switch in.Price {
		case "retail":
			l.Price = "¥" + trimPrice(retail)
		case "wholesale":
			l.Price = "¥" + trimPrice(wholesale)
		}
		labels = append(labels, l)
	}
	var buf bytes.Buffer
	if err := pdf.Labels(&buf, spec, labels); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func layoutNames() []string {
	names := make([]string, 0, len(pdf.Layouts))
	for n := range pdf.Layouts {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// trimPrice shows a price with two decimals unless it needs more (¥0.035).
func trimPrice(p domain.Price) string {
	s := p.String()
	for strings.HasSuffix(s, "0") && len(s)-strings.IndexByte(s, '.') > 3 {
		s = s[:len(s)-1]
	}
	return s
}

// trimQty shows a quantity without trailing zeros (24.0000 → 24).
func trimQty(q domain.Qty) string {
	s := strings.TrimRight(q.String(), "0")
	return strings.TrimSuffix(s, ".")
}
