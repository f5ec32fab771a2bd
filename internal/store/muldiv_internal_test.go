package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/jxc-erp/jxc/internal/domain"
)

// TestSQLiteMulDiv: jxc_muldiv splits a value by quantity exactly where a
// 64-bit product overflows — 1,000,000 base units (10¹⁰ at four decimals)
// of stock worth 123,456,789.01 — where SQLite's own arithmetic would have
// turned it into a float; halves round away from zero; NULL in, NULL out;
// a result beyond 64 bits fails instead of being wrong.
func TestSQLiteMulDiv(t *testing.T) {
	ctx := context.Background()
	db := sql.OpenDB(stmtConnector{dsn: "file:" + filepath.Join(t.TempDir(), "m.db"), drv: sqliteDriver})
	defer db.Close()
	for _, c := range [][3]int64{
		{12345678901, 7_000_000_000, 10_000_000_000}, // 70 % of a million units: 86,419,752.31
		{12345678901, 3_333_333_333, 10_000_000_000},
		{5, 1, 2}, {-5, 1, 2}, {1, 1, 3},
	} {
		want, _ := domain.MulDivRound(c[0], c[1], c[2])
		var got int64
		if err := db.QueryRowContext(ctx, "SELECT jxc_muldiv(?, ?, ?)", c[0], c[1], c[2]).Scan(&got); err != nil || got != want {
			t.Errorf("jxc_muldiv%v = %d (%v), want %d", c, got, err, want)
		}
		// SQLite's own product overflows into a float on the first two.
		var typ string
		if err := db.QueryRowContext(ctx, "SELECT typeof(CAST(? AS INTEGER) * ?)", c[0], c[1]).Scan(&typ); err == nil && c[1] > 1e9 && typ != "real" {
			t.Errorf("%d × %d is %s in SQLite: the test no longer shows the overflow", c[0], c[1], typ)
		}
	}
	var null sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT jxc_muldiv(NULL, 1, 2)").Scan(&null); err != nil || null.Valid {
		t.Errorf("NULL: %v, %v", null, err)
	}
	if err := db.QueryRowContext(ctx, "SELECT jxc_muldiv(9223372036854775807, 4, 2)").Scan(new(int64)); err == nil {
		t.Error("a result beyond 64 bits did not fail")
	}
}
