package domain

import (
	"strings"
	"time"
)

// Light CRM (客户跟进): a follow-up log per partner, each entry with an
// optional next action and its date; the open next actions that are due
// are the user's reminders.

// FollowUpKind is how the customer was reached.
type FollowUpKind string

const (
	FollowUpCall   FollowUpKind = "call"   // 电话
	FollowUpVisit  FollowUpKind = "visit"  // 拜访
	FollowUpWeChat FollowUpKind = "wechat" // 微信
	FollowUpEmail  FollowUpKind = "email"  // 邮件
	FollowUpOther  FollowUpKind = "other"
)

// FollowUpKinds lists every kind, in the order the UI offers them.
var FollowUpKinds = []FollowUpKind{FollowUpCall, FollowUpVisit, FollowUpWeChat, FollowUpEmail, FollowUpOther}

// FollowUp is one contact with a partner (跟进记录) and what is to be done
// next. Entries are not edited; a next action is only ticked done.
type FollowUp struct {
	ID            int64        `json:"id"`
	CompanyID     int64        `json:"-"`
	PartnerID     int64        `json:"partner_id"`
	PartnerCode   string       `json:"partner_code" doc:"Read only"`
	PartnerName   string       `json:"partner_name" doc:"Read only"`
	PartnerNameEn string       `json:"partner_name_en" doc:"The partner's English name (may be empty). Read only"`
	UserID        int64        `json:"user_id" doc:"Who logged it (and owns the next action); read only"`
	UserName      string       `json:"user_name" doc:"Read only"`
	Day           Date         `json:"day" doc:"When the contact took place; today when left out"`
	Kind          FollowUpKind `json:"kind" enum:"call,visit,wechat,email,other"`
	Note          string       `json:"note" doc:"What was said or agreed"`
	NextAction    string       `json:"next_action" doc:"What to do next (下一步)"`
	NextDate      *Date        `json:"next_date" doc:"When the next action is due; it becomes a reminder on that day"`
	Done          bool         `json:"done" doc:"The next action is done; read only (see the done operation)"`
	DoneAt        *time.Time   `json:"done_at"`
	CreatedAt     time.Time    `json:"created_at"`
}

// Normalize trims the free text.
func (f *FollowUp) Normalize() {
	f.Note = strings.TrimSpace(f.Note)
	f.NextAction = strings.TrimSpace(f.NextAction)
}

// Validate checks a new follow-up: a known kind, something noted, and a
// next date, if any, for a named action no earlier than the contact.
func (f *FollowUp) Validate() error {
	var fs Fields
	if f.PartnerID <= 0 {
		fs.Add("partner_id", "required")
	}
	if f.Day.IsZero() {
		fs.Add("day", "required")
	}
	kinds := make([]string, len(FollowUpKinds))
	for i, k := range FollowUpKinds {
		kinds[i] = string(k)
	}
	fs.OneOf("kind", string(f.Kind), kinds...)
	fs.Required("note", f.Note)
	fs.MaxLen("note", f.Note, 2000)
	fs.MaxLen("next_action", f.NextAction, 500)
	if f.NextDate != nil {
		if f.NextAction == "" {
			fs.Add("next_action", "required")
		}
		if !f.Day.IsZero() && f.NextDate.Before(f.Day) {
			fs.Add("next_date", "before_day")
		}
	}
	return fs.Err()
}

// HasOpenAction reports whether the entry still asks for something to be
// done.
func (f *FollowUp) HasOpenAction() bool { return !f.Done && (f.NextAction != "" || f.NextDate != nil) }

// Due reports whether the open next action is due on asOf (on or before it).
func (f *FollowUp) Due(asOf Date) bool {
	return f.HasOpenAction() && f.NextDate != nil && !asOf.Before(*f.NextDate)
}

// The sales documents the customer's page reads, named by their type
// strings so the page works as soon as those documents are posted.
var (
	// SalesOrderType is a customer's order: open while posted (confirmed)
	// and not closed.
	SalesOrderType DocType = "sales_order"
	// CustomerHistoryTypes are what the customer bought (购买记录): goods
	// shipped, counter sales, and goods returned.
	CustomerHistoryTypes = []DocType{"sales_shipment", "pos_sale", "sales_return"}
	// FavouriteItemTypes are the sales whose lines rank the customer's
	// favourite items (常购商品).
	FavouriteItemTypes = []DocType{"sales_shipment", "pos_sale"}
)

// FavouriteWindowDays is how far back favourite items are counted.
const FavouriteWindowDays = 365
