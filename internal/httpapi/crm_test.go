package httpapi_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
	"github.com/jxc-erp/jxc/internal/store/storetest"
)

func TestCustomerCRMAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		srv, admin := newServer(t, db)
		today := time.Now().Format("2006-01-02")
		cust := admin.must(201, "POST", "/api/v1/partners", map[string]any{"code": "C1", "name": "客户甲", "kind": "customer"})["id"]
		base := fmt.Sprintf("/api/v1/partners/%v", cust)

		// A follow-up with a next action due today is today's reminder.
		fu := admin.must(201, "POST", base+"/followups", map[string]any{"kind": "call", "note": "问了报价", "next_action": "发报价单", "next_date": today},
			"Idempotency-Key", "fu-1")
		if fu["day"] != today || fu["partner_name"] != "客户甲" || fu["done"] != false {
			t.Errorf("created follow-up = %v", fu)
		}
		again := admin.must(201, "POST", base+"/followups", map[string]any{"kind": "call", "note": "问了报价", "next_action": "发报价单", "next_date": today},
			"Idempotency-Key", "fu-1")
		if again["id"] != fu["id"] {
			t.Errorf("the same Idempotency-Key logged a second follow-up: %v", again["id"])
		}
		rem := admin.must(200, "GET", "/api/v1/crm/reminders", nil)
		items := rem["items"].([]any)
		if rem["total"] != float64(1) || items[0].(map[string]any)["partner_name"] != "客户甲" {
			t.Errorf("reminders = %v", rem)
		}
		list := admin.must(200, "GET", base+"/followups?limit=10", nil)
		if list["total"] != float64(1) {
			t.Errorf("log = %v", list)
		}

		// Field errors are named and translated.
		admin.lang = "en"
		bad := admin.must(400, "POST", base+"/followups", map[string]any{"kind": "visit", "day": today, "note": "x", "next_action": "y", "next_date": "2000-01-01"})
		errs := bad["errors"].([]any)
		if e := errs[0].(map[string]any); e["field"] != "next_date" || e["rule"] != "before_day" || e["message"] == "" {
			t.Errorf("next date before the day: %v", bad)
		}
		admin.lang = ""

		// Tick it done: no reminder left.
		done := admin.must(200, "POST", fmt.Sprintf("%s/followups/%v/done", base, fu["id"]), map[string]any{"done": true})
		if done["done"] != true || done["done_at"] == nil {
			t.Errorf("done = %v", done)
		}
		if rem := admin.must(200, "GET", "/api/v1/crm/reminders?all=true", nil); rem["total"] != float64(0) {
			t.Errorf("reminders after done = %v", rem)
		}

		// An invoice of 100.00 on the customer's account, 30.00 collected.
		me := admin.must(200, "GET", "/api/v1/auth/me", nil)
		co := int64(me["company_id"].(float64))
		uid := int64(me["user"].(map[string]any)["id"].(float64))
		pid := int64(cust.(float64))
		err := db.Update(context.Background(), func(tx *store.Tx) error {
			d := domain.Document{CompanyID: co, Type: "sales_invoice", Number: "INV1", State: domain.DocPosted, Date: domain.NewDate(2026, 1, 5),
				PartnerID: &pid, GrossAmount: domain.MoneyOf(100), Settled: domain.MoneyOf(30), CreatedBy: uid}
			if err := tx.CreateDocument(context.Background(), &d); err != nil {
				return err
			}
			return tx.AppendPartnerLedger(context.Background(), co, []store.PartnerEntry{{PartnerID: pid, Kind: store.Receivable, DocumentID: d.ID,
				DocType: d.Type, Date: d.Date, Amount: domain.MoneyOf(100)}})
		})
		if err != nil {
			t.Fatal(err)
		}
		o := admin.must(200, "GET", base+"/overview?history_limit=5", nil)
		ar := o["receivable"].(map[string]any)
		inv := o["open_invoices"].([]any)
		if ar["balance"] != "100.00" || ar["open"] != "70.00" || len(inv) != 1 || inv[0].(map[string]any)["open"] != "70.00" {
			t.Errorf("overview receivable %v, open invoices %v", ar, inv)
		}
		if o["payable"] != nil || len(o["history"].([]any)) != 0 || o["last_follow_up"] == nil || o["next_action"] != nil {
			t.Errorf("overview = %v", o)
		}
		admin.must(404, "GET", "/api/v1/partners/999999/overview", nil)
		// A customer with nothing on its account yet is named in English too.
		fresh := admin.must(201, "POST", "/api/v1/partners", map[string]any{"code": "C9", "name": "街角小店", "name_en": "Corner Shop", "kind": "customer"})
		if ar := admin.must(200, "GET", fmt.Sprintf("/api/v1/partners/%v/overview", fresh["id"]), nil)["receivable"].(map[string]any); ar["name_en"] != "Corner Shop" || ar["balance"] != "0.00" {
			t.Errorf("a fresh customer's account = %v", ar)
		}

		// The read-only role reads but does not log, and sees only its own
		// reminders.
		viewer := admin.must(200, "GET", "/api/v1/roles?q=viewer", nil)["items"].([]any)[0].(map[string]any)
		admin.must(201, "POST", "/api/v1/users", map[string]any{"username": "viewer1", "password": "clerk password 1", "active": true,
			"roles": []any{map[string]any{"company_id": co, "role_id": viewer["id"]}}})
		v := &client{t: t, h: srv}
		v.login("viewer1", "clerk password 1")
		v.must(200, "GET", base+"/overview", nil)
		v.must(200, "GET", base+"/followups", nil)
		v.must(200, "GET", "/api/v1/crm/reminders", nil)
		v.must(403, "GET", "/api/v1/crm/reminders?all=true", nil)
		v.must(403, "POST", base+"/followups", map[string]any{"kind": "call", "note": "x"})
		v.must(403, "POST", fmt.Sprintf("%s/followups/%v/done", base, fu["id"]), map[string]any{"done": false})
	})
}
