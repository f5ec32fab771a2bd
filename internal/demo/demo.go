// Package demo loads the demo company: 演示商贸有限公司 ("Demo Trading
// Co.", code DEMO), a small Shanghai distributor of drinks, snacks, daily
// goods, stationery, clothing and phone accessories, with warehouses and
// bins, some 340 SKUs, suppliers, customers, price lists and promotions, so that a
// newcomer has something real to explore.
//
// Everything goes through the service, as a user would enter it; nothing is
// written with SQL. The data is deterministic: fixed-seed random sources,
// never the clock.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/service"
)

// Code is the code of the demo company.
const Code = "DEMO"

// Load creates the demo company 演示商贸有限公司 / "Demo Trading Co." (code
// DEMO) once: if a company with code DEMO exists it does nothing and returns
// (false, nil).
//
// Each service call is its own transaction, so a Load that fails half-way
// (the database went away) leaves a partial DEMO company behind, and the next
// Load will not touch it.
func Load(ctx context.Context, svc *service.Service) (created bool, err error) {
	exists, err := demoExists(ctx, svc)
	if err != nil || exists {
		return false, err
	}
	co, err := svc.CreateCompany(ctx, service.System(0), company(), "zh-CN")
	if err != nil {
		if domain.ErrorCode(err) == domain.EConflict { // archived, or made by a concurrent Load
			return false, nil
		}
		return false, fmt.Errorf("demo company: %w", err)
	}
	l := &loader{ctx: ctx, svc: svc, p: service.System(co.ID), r: refs{
		unit: map[string]int64{}, cat: map[string]int64{}, brand: map[string]int64{}, wh: map[string]int64{},
	}}
	for _, step := range []struct {
		name string
		fn   func() error
	}{
		{"units", l.units},
		{"categories", l.categories},
		{"brands", l.brands},
		{"warehouses", l.warehouses},
		{"accounts", l.accounts},
		{"items", l.items},
		{"partners", l.partners},
		{"price lists", l.priceLists},
		{"promotions", l.promotions},
		{"stock", l.stock},
		{"purchasing", l.purchasing},
		{"sales", l.sales},
	} {
		if err := step.fn(); err != nil {
			return true, fmt.Errorf("demo %s: %w", step.name, err)
		}
	}
	return true, nil
}

func demoExists(ctx context.Context, svc *service.Service) (bool, error) {
	cs, err := svc.Companies(ctx, service.System(0))
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(cs, func(c domain.Company) bool { return c.Code == Code }), nil
}

func company() domain.Company {
	s := domain.DefaultCompanySettings()
	s.CustomerTiers = []domain.Tier{{Code: "A", Name: "A级客户", NameEn: "Grade A"}, {Code: "B", Name: "B级客户", NameEn: "Grade B"},
		{Code: "VIP", Name: "VIP客户", NameEn: "VIP"}}
	return domain.Company{
		Code:        Code,
		Name:        "演示商贸有限公司",
		NameEn:      "Demo Trading Co., Ltd.",
		TaxNo:       uscc(rand.New(rand.NewPCG(7, 7)), '1', "310000"),
		BankName:    "中国工商银行上海市人民广场支行",
		BankAccount: "1001244309300168888",
		Address:     "上海市黄浦区西藏中路188号12楼1208室",
		Phone:       "021-63588866",
		Currency:    "CNY",
		Settings:    s,
	}
}

// loader carries the ids made so far from one step to the next.
type loader struct {
	ctx     context.Context
	svc     *service.Service
	p       *domain.Principal
	r       refs
	created []domain.Item             // items as created, templates included
	byNm    map[string]domain.Partner // partners by name
}

func (l *loader) units() error {
	for _, u := range unitDefs {
		got, err := l.svc.CreateUnit(l.ctx, l.p, domain.Unit{Code: u.code, Name: u.zh, NameEn: u.en, Decimals: u.decimals})
		if err != nil {
			return fmt.Errorf("%s: %w", u.code, err)
		}
		l.r.unit[u.code] = got.ID
	}
	return nil
}

func (l *loader) categories() error {
	var create func(defs []categoryDef, parent *int64) error
	create = func(defs []categoryDef, parent *int64) error {
		for i, c := range defs {
			got, err := l.svc.CreateCategory(l.ctx, l.p, domain.Category{Code: c.code, Name: c.zh, NameEn: c.en, ParentID: parent, Sort: (i + 1) * 10})
			if err != nil {
				return fmt.Errorf("%s: %w", c.code, err)
			}
			l.r.cat[c.code] = got.ID
			if err := create(c.children, &got.ID); err != nil {
				return err
			}
		}
		return nil
	}
	return create(categoryDefs, nil)
}

func (l *loader) brands() error {
	for _, b := range brandDefs {
		got, err := l.svc.CreateBrand(l.ctx, l.p, domain.Brand{Code: b.code, Name: b.zh, NameEn: b.en})
		if err != nil {
			return fmt.Errorf("%s: %w", b.code, err)
		}
		l.r.brand[b.code] = got.ID
	}
	return nil
}

// warehouses creates the warehouses and under each root a bin tree: zone
// (A), shelf, level (A-01-1).
func (l *loader) warehouses() error {
	for _, w := range warehouseDefs {
		got, err := l.svc.CreateWarehouse(l.ctx, l.p, domain.Warehouse{Code: w.code, Name: w.zh, NameEn: w.en,
			Address: w.address, Manager: w.manager, Phone: w.phone})
		if err != nil {
			return fmt.Errorf("%s: %w", w.code, err)
		}
		l.r.wh[w.code] = got.ID
		loc := func(code, zh, en string, parent *int64) (int64, error) {
			b, err := l.svc.CreateLocation(l.ctx, l.p, got.ID, domain.Location{Code: code, Name: zh, NameEn: en, ParentID: parent})
			if err != nil {
				return 0, fmt.Errorf("%s/%s: %w", w.code, code, err)
			}
			return b.ID, nil
		}
		for _, z := range w.zones {
			zoneID, err := loc(z.code, z.zh, z.en, nil) // nil: under the warehouse root
			if err != nil {
				return err
			}
			for s := 1; s <= w.shelves; s++ {
				shelf := fmt.Sprintf("%s-%02d", z.code, s)
				shelfID, err := loc(shelf, fmt.Sprintf("%s区%02d架", z.code, s), fmt.Sprintf("Zone %s rack %02d", z.code, s), &zoneID)
				if err != nil {
					return err
				}
				for lv := 1; lv <= w.levels; lv++ {
					if _, err := loc(fmt.Sprintf("%s-%d", shelf, lv), fmt.Sprintf("%s区%02d架第%d层", z.code, s, lv),
						fmt.Sprintf("Zone %s rack %02d level %d", z.code, s, lv), &shelfID); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

func (l *loader) items() error {
	for _, it := range buildItems(rand.New(rand.NewPCG(1, 2)), l.r) {
		got, err := l.svc.CreateItem(l.ctx, l.p, it)
		if err != nil {
			return fmt.Errorf("%s: %w", it.Code, err)
		}
		l.created = append(l.created, got)
	}
	return nil
}

func (l *loader) partners() error {
	rng := rand.New(rand.NewPCG(3, 4))
	l.byNm = map[string]domain.Partner{}
	for _, batch := range [][]domain.Partner{buildSuppliers(rng), buildCustomers(rng)} {
		for _, pt := range batch {
			got, err := l.svc.CreatePartner(l.ctx, l.p, pt)
			if err != nil {
				return fmt.Errorf("%s %s: %w", pt.Code, pt.Name, err)
			}
			l.byNm[got.Name] = got
		}
	}
	return nil
}

// ---------------------------------------------------------------- price lists

// pct returns price × pct / 100 rounded to a jiao, but not below floor.
func pct(p domain.Price, pct int64, floor domain.Price) domain.Price {
	v := domain.Price(roundTo(mulDiv(int64(p), pct, 100), 1000))
	return max(v, floor)
}

func date(y int, m time.Month, d int) *domain.Date { v := domain.NewDate(y, m, d); return &v }

func (l *loader) priceLists() error {
	rng := rand.New(rand.NewPCG(5, 6))
	var simple []domain.Item
	for _, it := range l.created {
		if !it.IsTemplate {
			simple = append(simple, it)
		}
	}
	// The same 50 items on every tier list, so the tiers can be compared.
	idx := rng.Perm(len(simple))[:50]
	slices.Sort(idx)
	chosen := make([]domain.Item, len(idx))
	for i, j := range idx {
		chosen[i] = simple[j]
	}
	carton := l.r.unit["CARTON"]

	tier := func(code, name, tierCode string, breaks [][2]int64, cartons bool) domain.PriceList {
		pl := domain.PriceList{Code: code, Name: name, Kind: domain.PriceListSale, Tier: tierCode,
			Note: "按零售价折扣；低于最低售价时取最低售价"}
		for _, it := range chosen {
			for _, b := range breaks {
				pl.Lines = append(pl.Lines, domain.PriceListLine{ItemID: it.ID, MinQty: domain.QtyOf(b[0]), Price: pct(it.RetailPrice, b[1], it.MinPrice)})
			}
			if cartons {
				for _, u := range it.Units {
					if u.UnitID == carton {
						pl.Lines = append(pl.Lines, domain.PriceListLine{ItemID: it.ID, UnitID: carton, MinQty: domain.QtyOf(1), Price: pct(u.WholesalePrice, 95, 0)})
					}
				}
			}
		}
		return pl
	}
	lists := []domain.PriceList{
		tier("PL-VIP", "VIP客户价格表", "VIP", [][2]int64{{1, 85}}, true),
		tier("PL-A", "A级客户价格表(阶梯价)", "A", [][2]int64{{1, 92}, {10, 90}, {50, 88}}, false),
		tier("PL-B", "B级客户价格表", "B", [][2]int64{{1, 95}}, false),
	}

	// 一客一价: contract prices for two key customers, for a term.
	special := func(customer, code, name string, from, to *domain.Date, keep func(domain.Item) bool, off int64) error {
		c, ok := l.byNm[customer]
		if !ok {
			return fmt.Errorf("customer %s missing", customer)
		}
		pl := domain.PriceList{Code: code, Name: name, Kind: domain.PriceListSale, PartnerID: &c.ID, ValidFrom: from, ValidTo: to,
			Note: "年度合同价"}
		for _, it := range simple {
			if !keep(it) {
				continue
			}
			pl.Lines = append(pl.Lines, domain.PriceListLine{ItemID: it.ID, MinQty: domain.QtyOf(1), Price: pct(it.WholesalePrice, off, it.MinPrice)})
			for _, u := range it.Units {
				if u.UnitID == carton {
					pl.Lines = append(pl.Lines, domain.PriceListLine{ItemID: it.ID, UnitID: carton, MinQty: domain.QtyOf(1), Price: pct(u.WholesalePrice, off, 0)})
				}
			}
		}
		lists = append(lists, pl)
		return nil
	}
	catOf := func(code string) func(domain.Item) bool {
		id := l.r.cat[code]
		return func(it domain.Item) bool { return it.CategoryID != nil && *it.CategoryID == id }
	}
	if err := special("家和超市(浦东店)", "PL-JH-2026", "家和超市(浦东店) 饮用水合同价", date(2026, 7, 1), date(2027, 6, 30), catOf("BEV-WAT"), 96); err != nil {
		return err
	}
	if err := special("上海鑫源食品批发部", "PL-XY-2026", "鑫源批发 饼干合同价", date(2026, 1, 1), date(2027, 12, 31), catOf("SNK-BIS"), 95); err != nil {
		return err
	}

	// The supplier's quotation: what 清泉 charges us, per bottle and per carton.
	qq, ok := l.byNm["上海清泉饮品有限公司"]
	if !ok {
		return fmt.Errorf("supplier S001 missing")
	}
	pp := domain.PriceList{Code: "PP-S001-2026", Name: "清泉饮品 2026年供货价", Kind: domain.PriceListPurchase, PartnerID: &qq.ID,
		ValidFrom: date(2026, 1, 1), ValidTo: date(2026, 12, 31), Note: "含税到仓价；整箱50箱起98折"}
	for _, it := range simple {
		if it.BrandID == nil || *it.BrandID != l.r.brand["QQ"] {
			continue
		}
		pp.Lines = append(pp.Lines, domain.PriceListLine{ItemID: it.ID, MinQty: domain.QtyOf(1), Price: it.PurchasePrice})
		for _, u := range it.Units {
			if u.UnitID == carton {
				pp.Lines = append(pp.Lines,
					domain.PriceListLine{ItemID: it.ID, UnitID: carton, MinQty: domain.QtyOf(1), Price: u.PurchasePrice},
					domain.PriceListLine{ItemID: it.ID, UnitID: carton, MinQty: domain.QtyOf(50), Price: pct(u.PurchasePrice, 98, 0)})
			}
		}
	}
	lists = append(lists, pp)

	for _, pl := range lists {
		if _, err := l.svc.CreatePriceList(l.ctx, l.p, pl); err != nil {
			return fmt.Errorf("%s: %w", pl.Code, err)
		}
	}
	return nil
}
