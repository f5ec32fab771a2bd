package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/sheet"
)

// exportBody is a table the web app has on screen (translated headers and
// formatted cells); the server renders it as a real .xlsx file.
type exportBody struct {
	Sheet   string     `json:"sheet" maxLength:"31" doc:"Sheet name (also the file name)"`
	Columns []string   `json:"columns" maxItems:"100"`
	Rows    [][]string `json:"rows" maxItems:"100000"`
	Numeric []bool     `json:"numeric,omitempty" maxItems:"100" doc:"Per column: figures (amounts, quantities). Their cells that read as numbers (1,234.50) are written as numbers Excel can add up, with the decimals shown; other cells and columns stay text"`
}

type fileOut struct {
	ContentType        string `header:"Content-Type"`
	ContentDisposition string `header:"Content-Disposition"`
	Body               []byte
}

const maxExportBytes = 32 << 20

func (s *Server) exportRoutes() {
	op := huma.Operation{
		OperationID: "exportXlsx", Method: http.MethodPost, Path: "/api/v1/exports/xlsx", Tags: []string{"exports"},
		Summary:      "Render a table as an Excel (.xlsx) file",
		Description:  "Permission: any signed-in user (the rows are data the caller already read).",
		Metadata:     map[string]any{"perm": "auth"},
		MaxBodyBytes: maxExportBytes,
		Security:     []map[string][]string{{"session": {}}, {"bearer": {}}},
	}
	huma.Register(s.api, op, func(ctx context.Context, in *bodyIn[exportBody]) (*fileOut, error) {
		for i, r := range in.Body.Rows {
			if len(r) > len(in.Body.Columns) {
				return nil, problemFor(ctx, s.log, domain.FieldErr("rows["+strconv.Itoa(i)+"]", "max_items", "max", strconv.Itoa(len(in.Body.Columns))))
			}
		}
		var buf bytes.Buffer
		if err := sheet.WriteXLSXTyped(&buf, in.Body.Sheet, in.Body.Columns, in.Body.Rows, in.Body.Numeric); err != nil {
			return nil, problemFor(ctx, s.log, err)
		}
		name := in.Body.Sheet
		if name == "" {
			name = "export"
		}
		return &fileOut{
			ContentType:        xlsxType,
			ContentDisposition: "attachment; filename*=UTF-8''" + url.PathEscape(name+".xlsx"),
			Body:               buf.Bytes(),
		}, nil
	})
	fileResponse(s.api, http.MethodPost, "/api/v1/exports/xlsx", xlsxType)
}
