package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

var ignoreTimes = cmpopts.IgnoreFields(domain.Stamp{}, "CreatedAt", "UpdatedAt")

func createPartner(t *testing.T, db *store.DB, p *domain.Partner) {
	t.Helper()
	ctx := context.Background()
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.CreatePartner(ctx, p) }); err != nil {
		t.Fatalf("CreatePartner(%s): %v", p.Code, err)
	}
}

func getPartner(t *testing.T, db *store.DB, company, id int64) domain.Partner {
	t.Helper()
	ctx := context.Background()
	var got domain.Partner
	if err := db.View(ctx, func(tx *store.Tx) (err error) { got, err = tx.Partner(ctx, company, id); return err }); err != nil {
		t.Fatalf("Partner(%d): %v", id, err)
	}
	return got
}

func TestPartnerRoundTrip(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, _, _ := seed(t, db)
		want := domain.Partner{
			CompanyID: co, Code: "S-001", Name: "华强电子有限公司", NameEn: "Huaqiang Electronics", Mnemonic: "hqdz",
			Kind: domain.PartnerBoth, TaxNo: "91440300MA5xxxxx", BankName: "招商银行", BankAccount: "6225 8888",
			PaymentTermsDays: 30, CreditLimit: domain.MoneyOf(50000), Tier: "gold", Note: "老客户",
			Tags: []string{"north", "vip"},
			Contacts: []domain.Contact{
				{Name: "张三", Title: "采购经理", Phone: "0755-88886666", Mobile: "13800138000", Email: "zs@example.com", Primary: true},
				{Name: "李四", WeChat: "lisi_wx"},
			},
			Addresses: []domain.Address{{Label: "收货地址", Region: "广东省深圳市福田区", Line: "华强北路 1 号", Receiver: "张三", Phone: "13800138000", Primary: true}},
		}
		p := want
		createPartner(t, db, &p)
		if p.ID == 0 || p.Version != 1 {
			t.Fatalf("CreatePartner set ID %d, Version %d; want an id and version 1", p.ID, p.Version)
		}
		want.ID, want.Version = p.ID, 1
		if diff := cmp.Diff(want, getPartner(t, db, co, p.ID), ignoreTimes); diff != "" {
			t.Errorf("Partner() mismatch (-want +got):\n%s", diff)
		}

		// Empty collections come back as empty slices, never nil.
		bare := domain.Partner{CompanyID: co, Code: "S-002", Name: "空白", Kind: domain.PartnerSupplier}
		createPartner(t, db, &bare)
		got := getPartner(t, db, co, bare.ID)
		if got.Tags == nil || got.Contacts == nil || got.Addresses == nil {
			t.Errorf("bare partner: tags %#v, contacts %#v, addresses %#v; want empty slices", got.Tags, got.Contacts, got.Addresses)
		}

		// An update bumps the version and replaces the tags.
		upd := getPartner(t, db, co, p.ID)
		upd.Name, upd.Tags, upd.Contacts = "华强电子", []string{"south"}, nil
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.UpdatePartner(ctx, &upd) }); err != nil {
			t.Fatalf("UpdatePartner: %v", err)
		}
		want.Name, want.Tags, want.Contacts, want.Version = "华强电子", []string{"south"}, []domain.Contact{}, 2
		if upd.Version != 2 {
			t.Errorf("UpdatePartner set Version %d, want 2", upd.Version)
		}
		if diff := cmp.Diff(want, getPartner(t, db, co, p.ID), ignoreTimes); diff != "" {
			t.Errorf("Partner() after update mismatch (-want +got):\n%s", diff)
		}

		other := getPartner(t, db, co, bare.ID)
		other.Code = "S-001"
		stale := getPartner(t, db, co, p.ID)
		stale.Name, stale.Version = "changed", 1
		errs := []struct {
			name string
			fn   func(tx *store.Tx) error
			want domain.Code
		}{
			{"duplicate code", func(tx *store.Tx) error {
				dup := domain.Partner{CompanyID: co, Code: "S-001", Name: "重复", Kind: domain.PartnerCustomer}
				return tx.CreatePartner(ctx, &dup)
			}, domain.EConflict},
			{"duplicate code on update", func(tx *store.Tx) error { return tx.UpdatePartner(ctx, &other) }, domain.EConflict},
			{"stale version", func(tx *store.Tx) error { return tx.UpdatePartner(ctx, &stale) }, domain.EConflict},
			{"missing", func(tx *store.Tx) error { _, err := tx.Partner(ctx, co, 999999); return err }, domain.ENotFound},
			{"other company", func(tx *store.Tx) error { _, err := tx.Partner(ctx, co+1, p.ID); return err }, domain.ENotFound},
		}
		for _, tc := range errs {
			err := db.Update(ctx, tc.fn)
			if got := domain.ErrorCode(err); got != tc.want {
				t.Errorf("%s: err = %v (code %q), want %q", tc.name, err, got, tc.want)
			}
		}

		// Nothing refers to the partner: archive, then delete, work; the
		// tags go with it.
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetPartnerArchived(ctx, co, p.ID, true) }); err != nil {
			t.Fatalf("SetPartnerArchived: %v", err)
		}
		if got := getPartner(t, db, co, p.ID); !got.Archived || got.Version != 3 {
			t.Errorf("after archive: archived %v, version %d; want true, 3", got.Archived, got.Version)
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.DeletePartner(ctx, co, p.ID) }); err != nil {
			t.Fatalf("DeletePartner: %v", err)
		}
		err := db.Update(ctx, func(tx *store.Tx) error { return tx.DeletePartner(ctx, co, p.ID) })
		if domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("delete twice: err = %v, want not_found", err)
		}
	})
}

func TestListPartners(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		co, _, _ := seed(t, db)
		partners := []domain.Partner{
			{Code: "B01", Name: "联合商贸", Mnemonic: "lhsm", Kind: domain.PartnerBoth, Tags: []string{"vip", "north"}, Tier: "gold", CreditLimit: 300},
			{Code: "C01", Name: "Acme Trading", NameEn: "ACME", Mnemonic: "acme", Kind: domain.PartnerCustomer, Tier: "gold", CreditLimit: 100,
				Contacts: []domain.Contact{{Name: "Bob", Mobile: "13912345678"}}},
			{Code: "C02", Name: "百分之百_公司", Mnemonic: "bfzb", Kind: domain.PartnerCustomer, Tags: []string{"north"}, CreditLimit: 200},
			{Code: "S01", Name: "华强电子", Mnemonic: "hqdz", Kind: domain.PartnerSupplier, Tags: []string{"vip"}},
			{Code: "S02", Name: "华南物流", Mnemonic: "hnwl", Kind: domain.PartnerSupplier},
			{Code: "X01", Name: "已停用供应商", Mnemonic: "ytyg", Kind: domain.PartnerSupplier},
		}
		ids := map[string]int64{}
		for i := range partners {
			partners[i].CompanyID = co
			createPartner(t, db, &partners[i])
			ids[partners[i].Code] = partners[i].ID
		}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetPartnerArchived(ctx, co, ids["X01"], true) }); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name string
			f    store.PartnerFilter
			want []string
		}{
			{"all active", store.PartnerFilter{}, []string{"B01", "C01", "C02", "S01", "S02"}},
			{"archived", store.PartnerFilter{ListFilter: store.ListFilter{Archived: "archived"}}, []string{"X01"}},
			{"everything", store.PartnerFilter{ListFilter: store.ListFilter{Archived: "all"}}, []string{"B01", "C01", "C02", "S01", "S02", "X01"}},
			{"suppliers include both", store.PartnerFilter{Kind: "supplier"}, []string{"B01", "S01", "S02"}},
			{"customers include both", store.PartnerFilter{Kind: "customer"}, []string{"B01", "C01", "C02"}},
			{"only both", store.PartnerFilter{Kind: "both"}, []string{"B01"}},
			{"tag", store.PartnerFilter{Tag: "vip"}, []string{"B01", "S01"}},
			{"tag and kind", store.PartnerFilter{Tag: "north", Kind: "customer"}, []string{"B01", "C02"}},
			{"tier", store.PartnerFilter{Tier: "gold"}, []string{"B01", "C01"}},
			{"mnemonic prefix", store.PartnerFilter{Mnemonic: "H"}, []string{"S01", "S02"}},
			{"mnemonic longer prefix", store.PartnerFilter{Mnemonic: "hq"}, []string{"S01"}},
			{"q on name", store.PartnerFilter{ListFilter: store.ListFilter{Q: "华"}}, []string{"S01", "S02"}},
			{"q case-insensitive", store.PartnerFilter{ListFilter: store.ListFilter{Q: "acme trad"}}, []string{"C01"}},
			{"q on code", store.PartnerFilter{ListFilter: store.ListFilter{Q: "s0"}}, []string{"S01", "S02"}},
			{"q on mnemonic", store.PartnerFilter{ListFilter: store.ListFilter{Q: "lh"}}, []string{"B01"}},
			{"q wildcard is literal", store.PartnerFilter{ListFilter: store.ListFilter{Q: "_"}}, []string{"C02"}},
			{"q on mobile", store.PartnerFilter{ListFilter: store.ListFilter{Q: "1234567"}}, []string{"C01"}},
			{"q on a JSON key finds nothing", store.PartnerFilter{ListFilter: store.ListFilter{Q: "mobile"}}, nil},
			{"sort by credit limit desc", store.PartnerFilter{Kind: "customer", ListFilter: store.ListFilter{Sort: "-credit_limit"}}, []string{"B01", "C02", "C01"}},
			{"page", store.PartnerFilter{ListFilter: store.ListFilter{Page: store.Page{Limit: 2, Offset: 1}}}, []string{"C01", "C02"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				f := tc.f
				f.CompanyID = co
				var list []domain.Partner
				var n int
				if err := db.View(ctx, func(tx *store.Tx) (err error) { list, n, err = tx.ListPartners(ctx, f); return err }); err != nil {
					t.Fatalf("ListPartners: %v", err)
				}
				var got []string
				for _, p := range list {
					got = append(got, p.Code)
				}
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("codes mismatch (-want +got):\n%s", diff)
				}
				if tc.f.Limit == 0 && n != len(tc.want) {
					t.Errorf("total = %d, want %d", n, len(tc.want))
				}
				if tc.f.Limit != 0 && n != 5 {
					t.Errorf("total = %d, want 5", n)
				}
			})
		}

		// The page carries each partner's tags (sorted), contacts and addresses.
		var list []domain.Partner
		f := store.PartnerFilter{ListFilter: store.ListFilter{CompanyID: co}}
		if err := db.View(ctx, func(tx *store.Tx) (err error) { list, _, err = tx.ListPartners(ctx, f); return err }); err != nil {
			t.Fatal(err)
		}
		got := map[string][]string{}
		for _, p := range list {
			got[p.Code] = p.Tags
			if p.Contacts == nil || p.Addresses == nil {
				t.Errorf("%s: nil contacts or addresses", p.Code)
			}
		}
		want := map[string][]string{"B01": {"north", "vip"}, "C01": {}, "C02": {"north"}, "S01": {"vip"}, "S02": {}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("tags mismatch (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(partners[1].Contacts, list[1].Contacts); diff != "" {
			t.Errorf("contacts of C01 mismatch (-want +got):\n%s", diff)
		}
	})
}
