package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// DocType is the kind of a business document. The warehouse's own types
// live here; purchasing and sales add theirs to the same framework.
type DocType string

const (
	DocStockOpening  DocType = "stock_opening"  // 期初: opening balances, at a given cost
	DocStockIn       DocType = "stock_in"       // 其他入库, at a given cost, with a reason
	DocStockOut      DocType = "stock_out"      // 其他出库, at cost, with a reason
	DocStockTransfer DocType = "stock_transfer" // 调拨 between warehouses or bins
	DocStocktake     DocType = "stocktake"      // 盘点: count sheet, variance posted as gain/loss
	DocAssembly      DocType = "assembly"       // 组装: components in, product out, cost rolls up
	DocDisassembly   DocType = "disassembly"    // 拆卸: product in, components out
)

// StockDocTypes are the document types the warehouse screens create.
var StockDocTypes = []DocType{DocStockOpening, DocStockIn, DocStockOut, DocStockTransfer, DocStocktake, DocAssembly, DocDisassembly}

// Line roles of assemblies.
const (
	RoleProduct   = "product"
	RoleComponent = "component"
)

// DocState is where a document is in its life. A posted document is never
// edited: it is reversed (红冲) by a linked document of the same type.
type DocState string

const (
	DocDraft     DocState = "draft"
	DocSubmitted DocState = "submitted"
	DocApproved  DocState = "approved"
	DocPosted    DocState = "posted"
	DocCancelled DocState = "cancelled" // a draft or submitted document that will never post
)

// Reason codes of other receipts and issues (其他出入库).
var (
	StockInReasons  = []string{"gain", "gift", "found", "return", "production", "other"}
	StockOutReasons = []string{"damage", "expired", "sample", "internal_use", "gift", "loss", "other"}
)

// Document is the header of a business document and its lines.
type Document struct {
	ID              int64          `json:"id"`
	CompanyID       int64          `json:"-"`
	Type            DocType        `json:"type" enum:"stock_opening,stock_in,stock_out,stock_transfer,stocktake,assembly,disassembly,purchase_requisition,purchase_rfq,purchase_order,purchase_receipt,purchase_return,purchase_bill,payment,landed_cost,sales_quote,sales_order,sales_shipment,sales_return,sales_invoice,receipt,pos_sale,pos_return"`
	Number          string         `json:"number" doc:"Assigned on creation: prefix + date + sequence, e.g. QR20261122-0001"`
	State           DocState       `json:"state" enum:"draft,submitted,approved,posted,cancelled"`
	Date            Date           `json:"date" doc:"Business date: the day the goods moved"`
	WarehouseID     int64          `json:"warehouse_id" doc:"The warehouse goods enter or leave (the source of a transfer)"`
	ToWarehouseID   *int64         `json:"to_warehouse_id" doc:"Transfers: the destination warehouse"`
	PartnerID       *int64         `json:"partner_id"`
	PartnerName     string         `json:"partner_name" doc:"The partner's name. Read only"`
	PartnerNameEn   string         `json:"partner_name_en" doc:"The partner's English name (may be empty). Read only"`
	SalespersonID   *int64         `json:"salesperson_id" doc:"Sales: the salesperson (业务员); the customer's, else the user who creates it"`
	Reason          string         `json:"reason" doc:"Other receipts and issues: the reason code"`
	Note            string         `json:"note"`
	Blind           bool           `json:"blind" doc:"Stocktakes: counters do not see the book quantity"`
	TwoStep         bool           `json:"two_step" doc:"Transfers: shipped into transit when posted, received later by a linked document"`
	SourceID        *int64         `json:"source_id" doc:"The document this one follows from (a transit receipt: its transfer)"`
	ScopeLocationID *int64         `json:"scope_location_id" doc:"Stocktakes: count only this location (and its sub-locations)"`
	ScopeCategoryID *int64         `json:"scope_category_id" doc:"Stocktakes: count only this category (and its sub-categories)"`
	ReversesID      *int64         `json:"reverses_id" doc:"Set on a reversal (红冲): the document it reverses"`
	ReversedByID    *int64         `json:"reversed_by_id" doc:"Set on a reversed document: its reversal"`
	ReceivedBy      *DocRef        `json:"received_by" doc:"A two-step transfer that has arrived: its receipt (the posted, unreversed transfer whose source_id is this one). Read only"`
	TotalQty        Qty            `json:"total_qty" doc:"Sum of the lines' base quantities"`
	TotalAmount     Money          `json:"total_amount" doc:"Receipts: the value received; issues: the cost issued (known once posted); purchasing: the net amount (不含税)"`
	TaxIncluded     bool           `json:"tax_included" doc:"Purchasing: line prices include tax (含税单价)"`
	ExpectedDate    *Date          `json:"expected_date" doc:"Orders: when the goods are expected"`
	DueDate         *Date          `json:"due_date" doc:"Bills: when payment is due (the date plus the supplier's terms when left out)"`
	Ref             string         `json:"ref" doc:"The partner's own number: the supplier's delivery note or invoice number"`
	Discount        Money          `json:"discount" doc:"Whole-bill discount (整单优惠), taken off the lines' gross in proportion"`
	TaxAmount       Money          `json:"tax_amount" doc:"Purchasing: the tax of the lines (税额)"`
	GrossAmount     Money          `json:"gross_amount" doc:"Purchasing: net + tax (价税合计); payments: the amount paid"`
	Settled         Money          `json:"settled" doc:"Bills: paid or credited so far; payments and returns: applied to bills so far (核销). Read only"`
	Closed          bool           `json:"closed" doc:"Orders: closed by hand; nothing more is expected. Read only"`
	AccountID       *int64         `json:"account_id" doc:"Payments: the money account paid from"`
	VarianceTo      string         `json:"variance_to" enum:",account,cost" doc:"Bills: where price variances go: the variance account (default) or the cost of the goods received (re-costing what followed)"`
	AllocateBy      string         `json:"allocate_by" enum:",value,qty,weight" doc:"Landed costs: how the charges are spread over the receipt lines"`
	Charges         []LandedCharge `json:"charges,omitempty" doc:"Landed costs: the charges"`
	Payments        []Payment      `json:"payments,omitempty" doc:"Counter sales: the payments (counter returns: the refunds)"`
	CreatedBy       int64          `json:"created_by"`
	CreatedByName   string         `json:"created_by_name,omitempty" doc:"Counter documents in a list: the cashier's display name (username when none). Read only"`
	PostedBy        *int64         `json:"posted_by"`
	PostedAt        *time.Time     `json:"posted_at"`
	Lines           []DocLine      `json:"lines"`
	Warnings        []Notice       `json:"warnings,omitempty" doc:"What the last action found worth knowing but allowed (a budget nearly used up). Not stored"`
	Version         int64          `json:"version" doc:"Optimistic-lock version; send it back on update."`
	CreatedAt       time.Time      `json:"created_at"`
	UpdatedAt       time.Time      `json:"updated_at"`
}

// Notice is a warning for the user: a message key of the UI and its
// parameters.
type Notice struct {
	Key    string            `json:"key" doc:"e.g. budget.warn, budget.override"`
	Params map[string]string `json:"params"`
}

// DocRef names another document: its id, number and business date.
type DocRef struct {
	ID     int64  `json:"id"`
	Number string `json:"number"`
	Date   Date   `json:"date"`
}

// DocLine is one line of a document. Quantities are entered in a unit of
// the item (the base unit when UnitID is 0) and converted to BaseQty.
type DocLine struct {
	ID           int64    `json:"id"`
	LineNo       int      `json:"line_no"`
	ItemID       int64    `json:"item_id"`
	UnitID       int64    `json:"unit_id" doc:"0 or the base unit = base quantity"`
	Factor       Qty      `json:"factor" doc:"Base units per unit (filled in from the item)"`
	Qty          Qty      `json:"qty"`
	BaseQty      Qty      `json:"base_qty" doc:"Quantity in the base unit (filled in)"`
	Price        Price    `json:"price" doc:"Receipts: unit cost per entered unit; issues: the unit cost once posted"`
	Amount       Money    `json:"amount" doc:"Receipts: the value received (price × qty); issues: the cost issued"`
	LocationID   int64    `json:"location_id" doc:"Bin the goods come from or go to; 0 = the warehouse itself"`
	ToLocationID int64    `json:"to_location_id" doc:"Transfers: the bin in the destination; 0 = the warehouse itself"`
	Batch        string   `json:"batch" doc:"Batch (批次) for batch-tracked items"`
	Expiry       *Date    `json:"expiry" doc:"Expiry date of the batch"`
	Note         string   `json:"note"`
	Role         string   `json:"role" doc:"Assemblies: product or component"`
	BookQty      Qty      `json:"book_qty" doc:"Stocktakes: the book quantity frozen when the count started (hidden on blind counts)"`
	CountedQty   *Qty     `json:"counted_qty" doc:"Stocktakes: what was counted; null until counted"`
	Serials      []string `json:"serials" doc:"Serial-tracked items: one serial number per unit"`
	TaxRate      Rate     `json:"tax_rate" doc:"Purchasing: VAT rate in percent"`
	DiscountRate Rate     `json:"discount_rate" doc:"Purchasing: line discount in percent"`
	Discount     Money    `json:"discount" doc:"Purchasing: the line discount, its promotion share and its share of the whole-bill discount"`
	// PromoDiscount is kept apart from the whole-bill discount because a
	// threshold promotion (满减) covers only the lines in its scope, while
	// 整单优惠 is spread over every line (tax.go, R4a).
	PromoDiscount Money  `json:"promo_discount" doc:"Sales lines: this line's share of a threshold promotion (满减), off its gross after the line discount and before the whole-bill discount (tax included; at most the line's gross). Set when the server prices the line; send it back unchanged when saving a draft again"`
	Tax           Money  `json:"tax" doc:"Purchasing: tax of the line (税额)"`
	Gross         Money  `json:"gross" doc:"Purchasing: net + tax (价税合计); amount is the net"`
	SourceLineID  int64  `json:"source_line_id" doc:"The line this one follows: a receipt's order line, a return's or a bill's receipt line; 0 = none"`
	RejectedQty   Qty    `json:"rejected_qty" doc:"Receipts: what failed inspection, in the unit entered; not stocked, not paid, still owed"`
	ReceivedQty   Qty    `json:"received_qty" doc:"Order lines: accepted so far (a sales order: shipped so far), base units. Read only"`
	ReturnedQty   Qty    `json:"returned_qty" doc:"Receipt and shipment lines: returned so far, base units. Read only"`
	BilledQty     Qty    `json:"billed_qty" doc:"Receipt lines: billed so far; shipment and sales order lines: invoiced so far; base units. Read only"`
	OrderedQty    Qty    `json:"ordered_qty" doc:"Requisition and quotation lines: ordered so far (on posted orders), base units. Read only"`
	Credit        Money  `json:"credit" doc:"Return lines: the part credited to the supplier's account (the goods already billed). Read only"`
	Variance      Money  `json:"variance" doc:"Bill lines: price variance against the receipt (net; + billed dearer). Read only"`
	Closed        bool   `json:"closed" doc:"Order lines: closed, nothing more expected. Read only"`
	Cost          Money  `json:"cost" doc:"Sales shipment lines: the cost of the goods shipped (gross profit = amount − cost). Read only"`
	ReservedQty   Qty    `json:"reserved_qty" doc:"Sales order lines: stock held for the line now, base units. Read only"`
	PriceRule     string `json:"price_rule" doc:"Sales lines: which rule set the price (customer, tier, qty_break, default, manual…)"`
	// ItemTax asks for the item's tax rate (the client sent none).
	ItemTax bool `json:"-"`
}

// Receives reports whether the type brings goods in from outside at a cost
// the user gives.
func (t DocType) Receives() bool { return t == DocStockOpening || t == DocStockIn }

// NeedsApproval reports whether documents of the type need approval first.
func (s *CompanySettings) NeedsApproval(t DocType) bool {
	return slices.Contains(s.ApprovalFor, string(t))
}

// Prefix is the document number prefix for the type.
func (s *CompanySettings) Prefix(t DocType) string {
	if p, ok := s.NumberPrefixes[string(t)]; ok {
		return p
	}
	return DefaultNumberPrefixes[string(t)]
}

// MaxDocLines bounds one document; larger ones are split by the user.
const MaxDocLines = 2000

// ValidateStock checks a warehouse document as the user entered it, before
// the lines are resolved against items (see ResolveLine).
func (d *Document) ValidateStock() error {
	var f Fields
	f.OneOf("type", string(d.Type), string(DocStockOpening), string(DocStockIn), string(DocStockOut), string(DocStockTransfer),
		string(DocStocktake), string(DocAssembly), string(DocDisassembly))
	if d.Date.IsZero() {
		f.Add("date", "required")
	}
	if d.WarehouseID <= 0 {
		f.Add("warehouse_id", "required")
	}
	switch d.Type {
	case DocStockIn:
		f.OneOf("reason", d.Reason, StockInReasons...)
	case DocStockOut:
		f.OneOf("reason", d.Reason, StockOutReasons...)
	case DocStockTransfer:
		if d.ToWarehouseID == nil || *d.ToWarehouseID <= 0 {
			f.Add("to_warehouse_id", "required")
		}
	}
	if d.Type != DocStockTransfer && d.ToWarehouseID != nil {
		f.Add("to_warehouse_id", "transfer_only")
	}
	if d.TwoStep && (d.Type != DocStockTransfer || d.ToWarehouseID == nil || *d.ToWarehouseID == d.WarehouseID) {
		f.Add("two_step", "other_warehouse")
	}
	f.MaxLen("note", d.Note, 2000)
	if len(d.Lines) == 0 && d.Type != DocStocktake {
		f.Add("lines", "required")
	}
	if d.Type == DocAssembly || d.Type == DocDisassembly {
		products := 0
		for i, l := range d.Lines {
			switch l.Role {
			case RoleProduct:
				products++
			case RoleComponent:
			default:
				f.Add(fmt.Sprintf("lines[%d].role", i), "one_of", "allowed", RoleProduct+", "+RoleComponent)
			}
		}
		if products != 1 || len(d.Lines) < 2 {
			f.Add("lines", "one_product")
		}
	}
	if len(d.Lines) > MaxDocLines {
		f.Add("lines", "max_items", "max", fmt.Sprint(MaxDocLines))
	}
	for i, l := range d.Lines {
		p := fmt.Sprintf("lines[%d]", i)
		if l.ItemID <= 0 {
			f.Add(p+".item_id", "required")
		}
		if l.Qty <= 0 && d.Type != DocStocktake {
			f.Add(p+".qty", "positive")
		}
		if l.CountedQty != nil && *l.CountedQty < 0 {
			f.Add(p+".counted_qty", "not_negative")
		}
		f.NotNegative(p+".price", int64(l.Price))
		f.MaxLen(p+".batch", l.Batch, 64)
		f.MaxLen(p+".note", l.Note, 500)
		if d.Type == DocStockTransfer && d.SourceID == nil && d.ToWarehouseID != nil && *d.ToWarehouseID == d.WarehouseID && l.LocationID == l.ToLocationID {
			f.Add(p+".to_location_id", "same_location")
		}
	}
	return f.Err()
}

// ResolveLine fills in the unit factor, base quantity and, for receipts, the
// amount of line i from its item. For receipts the amount is price × qty
// rounded to the cent; a receipt may also give only the amount (price 0),
// and the price is then derived for display.
func (d *Document) ResolveLine(i int, it *Item) error {
	l := &d.Lines[i]
	p := fmt.Sprintf("lines[%d]", i)
	var f Fields
	if it.IsTemplate {
		f.Add(p+".item_id", "template_no_stock")
		return f.Err()
	}
	l.Factor = QtyOne
	if l.UnitID != 0 && l.UnitID != it.BaseUnitID {
		k := slices.IndexFunc(it.Units, func(u ItemUnit) bool { return u.UnitID == l.UnitID })
		if k < 0 {
			f.Add(p+".unit_id", "unit_not_of_item")
			return f.Err()
		}
		l.Factor = it.Units[k].Factor
	} else {
		l.UnitID = it.BaseUnitID
	}
	bq, ok := MulDivRound(int64(l.Qty), int64(l.Factor), int64(QtyOne))
	if !ok || bq < 0 || (bq == 0 && d.Type != DocStocktake) {
		f.Add(p+".qty", "range", "min", "0.0001", "max", "1000000000")
		return f.Err()
	}
	l.BaseQty = Qty(bq)
	if !d.Type.Moves() { // orders and bills name no batch or serial
		l.Batch, l.Expiry, l.Serials = "", nil, nil
		return f.Err()
	}
	switch it.Tracking {
	case TrackBatch:
		if l.Batch == "" {
			f.Add(p+".batch", "required")
		}
	default:
		if l.Batch != "" || l.Expiry != nil {
			f.Add(p+".batch", "not_batch_tracked")
		}
	}
	if it.Tracking == TrackSerial {
		seen := map[string]bool{}
		for j, sn := range l.Serials {
			sn = strings.TrimSpace(sn)
			l.Serials[j] = sn
			if sn == "" || len([]rune(sn)) > 64 || seen[sn] {
				f.Add(p+".serials", "serial_format")
				break
			}
			seen[sn] = true
		}
		if sq := l.StockQty(); int64(sq)%int64(QtyOne) != 0 || int64(len(l.Serials)) != int64(sq)/int64(QtyOne) {
			f.Add(p+".serials", "serial_count", "qty", sq.Short())
		}
	} else if len(l.Serials) > 0 {
		f.Add(p+".serials", "not_serial_tracked")
	}
	if d.Type.Receives() {
		if l.Price > 0 || l.Amount == 0 {
			a, err := l.Price.Amount(l.Qty)
			if err != nil {
				f.Add(p+".price", "range", "min", "0", "max", "1000000000")
				return f.Err()
			}
			l.Amount = a
		} else if l.Amount < 0 {
			f.Add(p+".amount", "not_negative")
		} else {
			l.Price = l.Amount.UnitPrice(l.Qty)
		}
	} else if !d.Type.Traded() {
		l.Price, l.Amount = 0, 0
	}
	return f.Err()
}

// StockQty is what the line moves in base units: a receipt line's accepted
// quantity, every other line's quantity.
func (l *DocLine) StockQty() Qty {
	if l.RejectedQty == 0 {
		return l.BaseQty
	}
	q, _ := MulDivRound(int64(l.Accepted()), int64(l.Factor), int64(QtyOne))
	return Qty(q)
}

// CountRule says why an item found during a stocktake cannot be added to
// its sheet, as a field rule, or "" when it can. A template holds no stock;
// a serial-tracked item would need its serial numbers counted, which a count
// sheet does not take yet (its lines carry quantities only), so it is left
// off the sheet and adjusted with other receipts and issues that name the
// serials.
func CountRule(it *Item) string {
	switch {
	case it.IsTemplate:
		return "template_no_stock"
	case it.Tracking == TrackSerial:
		return "serial_not_counted"
	}
	return ""
}

// BOMLine is one component of a bill of materials (BOM): how much of it
// one base unit of the product takes.
type BOMLine struct {
	ComponentID int64 `json:"component_id"`
	Qty         Qty   `json:"qty" doc:"Base units of the component per base unit of the product"`
}

// ValidateBOM checks the components of product.
func ValidateBOM(product int64, lines []BOMLine) error {
	var f Fields
	seen := map[int64]bool{}
	if len(lines) > 200 {
		f.Add("lines", "max_items", "max", "200")
	}
	for i, l := range lines {
		p := fmt.Sprintf("lines[%d]", i)
		switch {
		case l.ComponentID <= 0:
			f.Add(p+".component_id", "required")
		case l.ComponentID == product:
			f.Add(p+".component_id", "cycle")
		case seen[l.ComponentID]:
			f.Add(p+".component_id", "duplicate")
		}
		seen[l.ComponentID] = true
		if l.Qty <= 0 {
			f.Add(p+".qty", "positive")
		}
	}
	return f.Err()
}
