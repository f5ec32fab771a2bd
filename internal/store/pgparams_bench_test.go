package store

import (
	"database/sql/driver"
	"strings"
	"testing"
)

// BenchmarkPGParams parameterises what a ten-line receipt sends most of: its
// lines' INSERT (35 columns, ten rows) and the reads of its places and items.
// Every statement on PostgreSQL goes through appendPGParams once.
func BenchmarkPGParams(b *testing.B) {
	var ins strings.Builder
	ins.WriteString(`INSERT INTO "document_lines" ("company_id", "document_id", "line_no", "item_id", "unit_id", "factor", "qty", "base_qty", "price", "amount", "location_id", "to_location_id", "batch", "expiry", "note", "role", "book_qty", "counted_qty", "serials", "tax_rate", "discount_rate", "discount", "tax", "gross", "source_line_id", "rejected_qty", "received_qty", "returned_qty", "billed_qty", "ordered_qty", "credit", "variance", "closed", "cost", "price_rule") VALUES `)
	for i := range 10 {
		if i > 0 {
			ins.WriteString(", ")
		}
		ins.WriteString(`(1, 52, ` + itoa(i+1) + `, ` + itoa(146+i) + `, 2, 10000, 10000, 10000, 1000, 10, DEFAULT, DEFAULT, '', NULL, '', '', 0, DEFAULT, '', 1300, 0, 0, 1, 11, DEFAULT, 0, 0, 0, 0, 0, 0, 0, FALSE, 0, '')`)
	}
	ins.WriteString(` RETURNING id, line_no`)
	qs := []string{
		ins.String(),
		`SELECT "id", "warehouse_id", "kind", "archived" FROM "locations" WHERE (company_id = 1) AND (warehouse_id IS NULL OR id IN (0) OR (kind = 'warehouse' AND warehouse_id IN (2)))`,
		`SELECT "i"."id", "i"."company_id", "i"."code", "i"."name", "i"."name_en", "i"."mnemonic", "i"."spec", "i"."model", "i"."category_id", "i"."brand_id", "i"."base_unit_id", "i"."tracking", COALESCE((SELECT json_agg(u ORDER BY u.sort, u.unit_id)::text FROM item_units u WHERE u.item_id = i.id), '[]') AS units_json FROM "items" AS "i" WHERE (i.company_id = 1 AND i.id IN (146, 147, 148, 149, 150, 151, 152, 153, 154, 155))`,
	}
	var buf []byte
	var vals []driver.NamedValue
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range qs {
			var ok bool
			if buf, vals, ok = appendPGParams(buf[:0], vals[:0], q); !ok {
				b.Fatalf("not parameterised: %.80s", q)
			}
		}
	}
}
