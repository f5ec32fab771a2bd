package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/jxc-erp/jxc/internal/domain"
)

// SerialMove moves serial numbers of one item with a document line: from
// a real location (0 when they come from outside: a receipt) to a real
// location (0 when they leave: an issue). From and To name the locations
// for the history, virtual ones included.
type SerialMove struct {
	Line             int // index of the line, for errors
	ItemID           int64
	Serials          []string
	FromReal, ToReal int64
	From, To         int64
	DocumentID       int64
	Date             domain.Date
}

type serialRow struct {
	bun.BaseModel `bun:"table:serials"`
	CompanyID     int64
	ItemID        int64
	Serial        string
	InStock       bool
	LocationID    *int64
	UpdatedAt     time.Time
}

// MoveSerials applies serial moves: a serial leaving a location must be in
// stock there; a serial coming from outside must not be in stock anywhere.
// The checks and the changes are single guarded statements, so two
// documents can never both take (or both bring in) the same serial.
func (tx *Tx) MoveSerials(ctx context.Context, companyID int64, moves []SerialMove) error {
	type hist struct {
		bun.BaseModel `bun:"table:serial_moves"`
		CompanyID     int64
		ItemID        int64
		Serial        string
		DocumentID    int64
		DocDate       string
		FromID        int64
		ToID          int64
		At            time.Time
	}
	var h []hist
	for _, m := range moves {
		if len(m.Serials) == 0 {
			continue
		}
		sns := slices.Clone(m.Serials)
		slices.Sort(sns) // one lock order
		var n int64
		if m.FromReal != 0 {
			q := tx.NewUpdate().Model((*serialRow)(nil)).Set("in_stock = ?", m.ToReal != 0).Set("location_id = ?", idOrNil(m.ToReal)).
				Set("updated_at = ?", tx.Now).
				Where("company_id = ? AND item_id = ? AND serial IN (?) AND in_stock = TRUE AND location_id = ?", companyID, m.ItemID, bun.In(sns), m.FromReal)
			res, err := q.Exec(ctx)
			if err != nil {
				return err
			}
			n, _ = res.RowsAffected()
		} else if m.ToReal != 0 {
			rows := make([]serialRow, len(sns))
			for i, sn := range sns {
				rows[i] = serialRow{CompanyID: companyID, ItemID: m.ItemID, Serial: sn, InStock: true, LocationID: idOrNil(m.ToReal), UpdatedAt: tx.Now}
			}
			res, err := tx.NewInsert().Model(&rows).On("CONFLICT (company_id, item_id, serial) DO UPDATE").
				Set("in_stock = TRUE, location_id = EXCLUDED.location_id, updated_at = EXCLUDED.updated_at").
				Where("?TableAlias.in_stock = FALSE").Exec(ctx)
			if err != nil {
				return err
			}
			n, _ = res.RowsAffected()
		}
		if n != int64(len(sns)) {
			key := "error.serial_not_in_stock"
			if m.FromReal == 0 {
				key = "error.serial_in_stock"
			}
			bad, err := tx.badSerials(ctx, companyID, m, sns)
			if err != nil {
				return err
			}
			e := domain.ErrorKey(domain.EConflict, key, map[string]string{"serials": strings.Join(bad, ", ")}, key[6:]+": "+strings.Join(bad, ", "))
			e.Fields = []domain.FieldError{{Field: "lines[" + strconv.Itoa(m.Line) + "].serials", Rule: key[6:], Params: map[string]string{"serials": strings.Join(bad, ", ")}}}
			return e
		}
		for _, sn := range sns {
			h = append(h, hist{CompanyID: companyID, ItemID: m.ItemID, Serial: sn, DocumentID: m.DocumentID, DocDate: m.Date.String(),
				FromID: m.From, ToID: m.To, At: tx.Now})
		}
	}
	if len(h) > 0 {
		if _, err := tx.NewInsert().Model(&h).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// badSerials names the serials a move could not take: not at its source
// (leaving) or already in stock (arriving).
func (tx *Tx) badSerials(ctx context.Context, companyID int64, m SerialMove, sns []string) ([]string, error) {
	var ok []string
	q := tx.NewSelect().Model((*serialRow)(nil)).Column("serial").Where("company_id = ? AND item_id = ? AND serial IN (?)", companyID, m.ItemID, bun.In(sns))
	if m.FromReal != 0 {
		q = q.Where("in_stock = TRUE AND location_id = ?", m.FromReal)
	} else {
		q = q.Where("in_stock = FALSE")
	}
	if err := q.Scan(ctx, &ok); err != nil {
		return nil, err
	}
	var bad []string
	for _, sn := range sns {
		if m.FromReal != 0 && !slices.Contains(ok, sn) {
			bad = append(bad, sn)
		}
	}
	if m.FromReal == 0 { // arriving: the ones that exist and are not out
		var in []string
		if err := tx.NewSelect().Model((*serialRow)(nil)).Column("serial").
			Where("company_id = ? AND item_id = ? AND serial IN (?) AND in_stock = TRUE", companyID, m.ItemID, bun.In(sns)).Scan(ctx, &in); err != nil {
			return nil, err
		}
		bad = in
	}
	return bad, nil
}

// SerialInfo is a serial number: where it is and where it has been.
type SerialInfo struct {
	ItemID         int64         `json:"item_id"`
	Serial         string        `json:"serial"`
	InStock        bool          `json:"in_stock"`
	LocationID     *int64        `json:"location_id"`
	LocationKind   string        `json:"location_kind,omitempty" doc:"Where it is in stock: warehouse (the warehouse itself) or bin"`
	LocationCode   string        `json:"location_code,omitempty"`
	LocationName   string        `json:"location_name,omitempty"`
	LocationNameEn string        `json:"location_name_en,omitempty" doc:"The bin's English name (may be empty)"`
	WarehouseID    int64         `json:"warehouse_id,omitempty"`
	WarehouseName  string        `json:"warehouse_name,omitempty"`
	History        []SerialEvent `json:"history"`
}

// SerialEvent is one move of a serial. Each side is a real location (a
// warehouse itself or a bin, named with its warehouse) or a virtual one
// (supplier, customer, loss, gain, transit …: its kind says which).
type SerialEvent struct {
	Date              domain.Date    `json:"date"`
	DocumentID        int64          `json:"document_id"`
	Number            string         `json:"number"`
	DocType           domain.DocType `json:"doc_type"`
	FromID            int64          `json:"from_id"`
	FromKind          string         `json:"from_kind"`
	FromCode          string         `json:"from_code"`
	FromName          string         `json:"from_name"`
	FromNameEn        string         `json:"from_name_en" doc:"A bin's English name (may be empty)"`
	FromWarehouseID   int64          `json:"from_warehouse_id,omitempty" doc:"Real locations: their warehouse"`
	FromWarehouseName string         `json:"from_warehouse_name,omitempty"`
	ToID              int64          `json:"to_id"`
	ToKind            string         `json:"to_kind"`
	ToCode            string         `json:"to_code"`
	ToName            string         `json:"to_name"`
	ToNameEn          string         `json:"to_name_en" doc:"A bin's English name (may be empty)"`
	ToWarehouseID     int64          `json:"to_warehouse_id,omitempty"`
	ToWarehouseName   string         `json:"to_warehouse_name,omitempty"`
}

// Serials finds serial numbers (of one item, or any item when itemID is
// 0) equal to serial, with their history.
func (tx *Tx) Serials(ctx context.Context, companyID, itemID int64, serial string) ([]SerialInfo, error) {
	var rows []struct {
		ItemID         int64
		Serial         string
		InStock        bool
		LocationID     *int64
		LocationKind   string
		LocationCode   string
		LocationName   string
		LocationNameEn string
		WarehouseID    int64
		WarehouseName  string
	}
	q := `SELECT s.item_id, s.serial, s.in_stock, s.location_id, COALESCE(l.kind, '') AS location_kind, COALESCE(l.code, '') AS location_code,
		COALESCE(l.name, '') AS location_name, COALESCE(l.name_en, '') AS location_name_en, COALESCE(l.warehouse_id, 0) AS warehouse_id, COALESCE(w.name, '') AS warehouse_name
		FROM serials s LEFT JOIN locations l ON l.id = s.location_id LEFT JOIN warehouses w ON w.id = l.warehouse_id
		WHERE s.company_id = ? AND s.serial = ?`
	args := []any{companyID, serial}
	if itemID != 0 {
		q += " AND s.item_id = ?"
		args = append(args, itemID)
	}
	if err := tx.NewRaw(q+" ORDER BY s.item_id", args...).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]SerialInfo, len(rows))
	for i, r := range rows {
		out[i] = SerialInfo{ItemID: r.ItemID, Serial: r.Serial, InStock: r.InStock, LocationID: r.LocationID, LocationKind: r.LocationKind,
			LocationCode: r.LocationCode, LocationName: r.LocationName, LocationNameEn: r.LocationNameEn, WarehouseID: r.WarehouseID, WarehouseName: r.WarehouseName,
			History: []SerialEvent{}}
		var ev []struct {
			DocDate                                              string
			DocumentID                                           int64
			Number                                               string
			Type                                                 domain.DocType
			FromID, FromWarehouseID                              int64
			FromKind, FromCode, FromName, FromNameEn, FromWhName string
			ToID, ToWarehouseID                                  int64
			ToKind, ToCode, ToName, ToNameEn, ToWhName           string
		}
		if err := tx.NewRaw(`SELECT m.doc_date, m.document_id, d.number, d.type,
			m.from_id, f.kind AS from_kind, f.code AS from_code, f.name AS from_name, f.name_en AS from_name_en, COALESCE(f.warehouse_id, 0) AS from_warehouse_id, COALESCE(fw.name, '') AS from_wh_name,
			m.to_id, t.kind AS to_kind, t.code AS to_code, t.name AS to_name, t.name_en AS to_name_en, COALESCE(t.warehouse_id, 0) AS to_warehouse_id, COALESCE(tw.name, '') AS to_wh_name
			FROM serial_moves m JOIN documents d ON d.id = m.document_id
			JOIN locations f ON f.id = m.from_id LEFT JOIN warehouses fw ON fw.id = f.warehouse_id
			JOIN locations t ON t.id = m.to_id LEFT JOIN warehouses tw ON tw.id = t.warehouse_id
			WHERE m.company_id = ? AND m.item_id = ? AND m.serial = ? ORDER BY m.id`, companyID, r.ItemID, r.Serial).Scan(ctx, &ev); err != nil {
			return nil, err
		}
		for _, e := range ev {
			d, err := domain.ParseDate(e.DocDate)
			if err != nil {
				return nil, err
			}
			out[i].History = append(out[i].History, SerialEvent{Date: d, DocumentID: e.DocumentID, Number: e.Number, DocType: e.Type,
				FromID: e.FromID, FromKind: e.FromKind, FromCode: e.FromCode, FromName: e.FromName, FromNameEn: e.FromNameEn, FromWarehouseID: e.FromWarehouseID, FromWarehouseName: e.FromWhName,
				ToID: e.ToID, ToKind: e.ToKind, ToCode: e.ToCode, ToName: e.ToName, ToNameEn: e.ToNameEn, ToWarehouseID: e.ToWarehouseID, ToWarehouseName: e.ToWhName})
		}
	}
	return out, nil
}
