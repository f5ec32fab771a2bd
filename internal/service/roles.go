package service

import (
	"context"
	"slices"
	"strings"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// standardRoles are the roles every new company starts with; the owner
// edits them freely. Names follow the language chosen at setup.
var standardRoles = []struct {
	code, zh, en string
	prefixes     []string // permissions whose name starts with one of these
	extra        []domain.Perm
}{
	{"purchaser", "采购员", "Purchaser", []string{"purchase.", "data.partner.", "data.item.read", "data.cost.read", "stock.balance.read", "report.purchase."}, nil},
	{"sales", "销售员", "Salesperson", []string{"sales.order.", "sales.shipment.read", "sales.invoice.read", "data.partner.", "data.item.read", "data.price_list.read", "stock.balance.read", "report.sales."}, nil},
	{"cashier", "收银员", "Cashier", []string{"sales.pos.", "data.item.read", "data.partner.read", "stock.balance.read"}, nil},
	{"warehouse", "仓管员", "Warehouse clerk", []string{"stock.balance.", "stock.document.", "purchase.receipt.", "purchase.order.read", "purchase.requisition.read", "purchase.requisition.write", "sales.shipment.", "data.item.read", "data.warehouse.read", "report.stock."}, nil},
	{"bookkeeper", "会计", "Bookkeeper", []string{"finance.", "purchase.bill.", "sales.invoice.", "sales.pos.read", "data.partner.read", "data.item.read", "data.cost.read", "report.", "stock.period."}, nil},
	{"viewer", "只读", "Read only", []string{}, nil},
}

func createStandardRoles(ctx context.Context, tx *store.Tx, companyID int64, lang string) error {
	for _, sr := range standardRoles {
		r := domain.Role{CompanyID: companyID, Code: sr.code, Name: sr.zh, Perms: []domain.Perm{}}
		if lang == "en" {
			r.Name = sr.en
		}
		for _, d := range domain.PermCatalog() {
			name := string(d.Perm)
			grant := sr.code == "viewer" && (strings.HasSuffix(name, ".read") && !strings.HasPrefix(name, "data.cost.") && !strings.HasPrefix(name, "settings."))
			for _, pre := range sr.prefixes {
				grant = grant || strings.HasPrefix(name, pre)
			}
			if grant {
				r.Perms = append(r.Perms, d.Perm)
			}
		}
		r.Perms = append(r.Perms, sr.extra...)
		// Every role reads the reference data its screens show by name (money
		// accounts: the payments, receipts and POS that pick one).
		for _, ref := range []domain.Perm{"data.unit.read", "data.category.read", "data.brand.read", "data.warehouse.read", "finance.account.read"} {
			if !slices.Contains(r.Perms, ref) {
				r.Perms = append(r.Perms, ref)
			}
		}
		if err := tx.CreateRole(ctx, &r); err != nil {
			return err
		}
	}
	return nil
}
