package domain_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
)

// The stock book's worked examples. Every expected figure is computed by
// hand and written as a literal; the comment next to a step shows the
// arithmetic. Money is 1e-2, Qty and Price 1e-4, shares round half away
// from zero.

const (
	bkItem     = int64(1)
	bkSupplier = int64(900) // virtual
	bkCustomer = int64(901) // virtual
	bkOpening  = int64(902) // virtual
)

func bkVirtual(loc int64) bool { return loc >= 900 }

// Moves. The runner fills in ItemID, ItemCode, Method and the scopes.

func bkIn(lineID int64, line int, to int64, qty, value string) domain.Move {
	return domain.Move{Kind: domain.MoveIn, LineID: lineID, Line: line, From: bkSupplier, To: to, Qty: q(qty), Value: m(value)}
}

func bkFromOpening(mv domain.Move) domain.Move {
	mv.From = bkOpening
	return mv
}

func bkOut(lineID int64, line int, from int64, qty string) domain.Move {
	return domain.Move{Kind: domain.MoveOut, LineID: lineID, Line: line, From: from, To: bkCustomer, Qty: q(qty)}
}

func bkRetOut(lineID int64, line int, from int64, qty, value string, orig int64) domain.Move {
	return domain.Move{Kind: domain.MoveReturnOut, LineID: lineID, Line: line, From: from, To: bkSupplier, Qty: q(qty), Value: m(value), OrigLineID: orig}
}

func bkRetIn(lineID int64, line int, to int64, qty, value string) domain.Move {
	return domain.Move{Kind: domain.MoveReturnIn, LineID: lineID, Line: line, From: bkCustomer, To: to, Qty: q(qty), Value: m(value)}
}

func bkXfer(lineID int64, line int, from, to int64, qty string) domain.Move {
	return domain.Move{Kind: domain.MoveTransfer, LineID: lineID, Line: line, From: from, To: to, Qty: q(qty)}
}

func bkNeg(mv domain.Move) domain.Move {
	mv.AllowNegative = true
	return mv
}

// Expected rows.

func bkKey(loc int64) domain.BalanceKey { return domain.BalanceKey{ItemID: bkItem, LocationID: loc} }

func bkLeg(lineID int64, kind domain.MoveKind, loc, counter int64, qty, value string) domain.Leg {
	return domain.Leg{Kind: domain.LegMove, LineID: lineID, Move: kind, BalanceKey: bkKey(loc), Counter: counter, Qty: q(qty), Value: m(value)}
}

// bkRetLeg is the leg of a return to the supplier: it names the receipt line
// it returns against.
func bkRetLeg(lineID int64, loc int64, qty, value string, orig int64) domain.Leg {
	l := bkLeg(lineID, domain.MoveReturnOut, loc, bkSupplier, qty, value)
	l.AdjustsLineID = orig
	return l
}

func bkTrueUp(lineID int64, kind domain.MoveKind, loc, counter int64, value string) domain.Leg {
	return domain.Leg{Kind: domain.LegTrueUp, LineID: lineID, Move: kind, BalanceKey: bkKey(loc), Counter: counter, Value: m(value), AdjustsLineID: lineID}
}

func bkRow(loc int64, onHand, value string) domain.Balance {
	return domain.Balance{BalanceKey: bkKey(loc), OnHand: q(onHand), Value: m(value)}
}

func bkRowR(loc int64, onHand, reserved, value string) domain.Balance {
	r := bkRow(loc, onHand, value)
	r.Reserved = q(reserved)
	return r
}

func bkCost(scope int64, s domain.CostState, last string) domain.Cost {
	return domain.Cost{CostKey: domain.CostKey{ItemID: bkItem, ScopeID: scope}, CostState: s, LastCost: p(last)}
}

type (
	bkLegs  = []domain.Leg
	bkRows  = []domain.Balance
	bkCosts = []domain.Cost
)

// bookStep is one Post and what it must give: the legs it appends, every
// balance row and every cost row of the book afterwards (in key order). A
// failing step (code set) is rolled back, as the transaction would be.
type bookStep struct {
	mv    domain.Move
	why   string
	legs  bkLegs
	rows  bkRows
	costs bkCosts
	code  domain.Code
	field string // failing step: Fields[0].Field
	avail string // failing step with EInsufficientStock: Fields[0].Params["available"]
}

func bkFail(mv domain.Move, code domain.Code, field, avail, why string) bookStep {
	return bookStep{mv: mv, code: code, field: field, avail: avail, why: why}
}

type bookCase struct {
	name   string
	method domain.CostingMethod
	scopes map[int64]int64 // real location → costing scope (missing: 0)
	start  bkRows          // balance rows loaded before the first step
	costs  bkCosts         // cost rows loaded before the first step
	steps  []bookStep
}

func TestBookPost(t *testing.T) {
	inK, outK, xferK := domain.MoveIn, domain.MoveOut, domain.MoveTransfer
	retInK := domain.MoveReturnIn
	warehouses := map[int64]int64{11: 1, 21: 2} // costing scope per warehouse
	tests := []bookCase{
		// ------------------------------------------------ receipts at different costs, then issues
		{
			name: "moving average: 10 @ 10.00, 10 @ 12.00, issue 15, issue the rest", method: ma,
			steps: []bookStep{
				{mv: bkIn(101, 0, 11, "10", "100.00"), why: "10 @ 10.00",
					legs:  bkLegs{bkLeg(101, inK, 11, bkSupplier, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(0, state(ma, "10", "100.00"), "10.0000")}},
				{mv: bkIn(102, 1, 11, "10", "120.00"), why: "10 @ 12.00: 100.00 + 120.00 = 220.00; last cost 120.00/10 = 12.0000",
					legs:  bkLegs{bkLeg(102, inK, 11, bkSupplier, "10", "120.00")},
					rows:  bkRows{bkRow(11, "20", "220.00")},
					costs: bkCosts{bkCost(0, state(ma, "20", "220.00"), "12.0000")}},
				{mv: bkOut(103, 2, 11, "15"), why: "220.00 × 15/20 = 165.00; 220.00 − 165.00 = 55.00",
					legs:  bkLegs{bkLeg(103, outK, 11, bkCustomer, "-15", "-165.00")},
					rows:  bkRows{bkRow(11, "5", "55.00")},
					costs: bkCosts{bkCost(0, state(ma, "5", "55.00"), "12.0000")}},
				{mv: bkOut(104, 3, 11, "5"), why: "5 of 5 → the whole 55.00",
					legs:  bkLegs{bkLeg(104, outK, 11, bkCustomer, "-5", "-55.00")},
					rows:  bkRows{bkRow(11, "0", "0")},
					costs: bkCosts{bkCost(0, state(ma, "0", "0"), "12.0000")}},
			},
		},
		{
			name: "fifo: 10 @ 10.00, 10 @ 12.00, issue 15, issue the rest", method: fifo,
			steps: []bookStep{
				{mv: bkIn(101, 0, 11, "10", "100.00"), why: "layer 101",
					legs:  bkLegs{bkLeg(101, inK, 11, bkSupplier, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(0, state(fifo, "10", "100.00", layer(101, "10", "100.00")), "10.0000")}},
				{mv: bkIn(102, 1, 11, "10", "120.00"), why: "layer 102",
					legs:  bkLegs{bkLeg(102, inK, 11, bkSupplier, "10", "120.00")},
					rows:  bkRows{bkRow(11, "20", "220.00")},
					costs: bkCosts{bkCost(0, state(fifo, "20", "220.00", layer(101, "10", "100.00"), layer(102, "10", "120.00")), "12.0000")}},
				{mv: bkOut(103, 2, 11, "15"), why: "layer 101 whole 100.00 + 120.00 × 5/10 = 60.00 → 160.00; 220.00 − 160.00 = 60.00",
					legs:  bkLegs{bkLeg(103, outK, 11, bkCustomer, "-15", "-160.00")},
					rows:  bkRows{bkRow(11, "5", "60.00")},
					costs: bkCosts{bkCost(0, state(fifo, "5", "60.00", layer(102, "5", "60.00")), "12.0000")}},
				{mv: bkOut(104, 3, 11, "5"), why: "the rest of layer 102: 60.00",
					legs:  bkLegs{bkLeg(104, outK, 11, bkCustomer, "-5", "-60.00")},
					rows:  bkRows{bkRow(11, "0", "0")},
					costs: bkCosts{bkCost(0, state(fifo, "0", "0"), "12.0000")}},
			},
		},
		// ------------------------------------------------ rounding: the whole on-hand takes the rest
		{
			name: "moving average: 3 for 100.00 issued one by one, no residue; 10 for 100.00, issue 3", method: ma,
			steps: []bookStep{
				{mv: bkIn(101, 0, 11, "3", "100.00"), why: "last cost 100.00/3 = 33.3333…",
					legs:  bkLegs{bkLeg(101, inK, 11, bkSupplier, "3", "100.00")},
					rows:  bkRows{bkRow(11, "3", "100.00")},
					costs: bkCosts{bkCost(0, state(ma, "3", "100.00"), "33.3333")}},
				{mv: bkOut(102, 1, 11, "1"), why: "100.00 × 1/3 = 33.333… → 33.33; 100.00 − 33.33 = 66.67",
					legs:  bkLegs{bkLeg(102, outK, 11, bkCustomer, "-1", "-33.33")},
					rows:  bkRows{bkRow(11, "2", "66.67")},
					costs: bkCosts{bkCost(0, state(ma, "2", "66.67"), "33.3333")}},
				{mv: bkOut(103, 2, 11, "1"), why: "66.67 × 1/2 = 33.335 → 33.34 (half away from zero); 66.67 − 33.34 = 33.33",
					legs:  bkLegs{bkLeg(103, outK, 11, bkCustomer, "-1", "-33.34")},
					rows:  bkRows{bkRow(11, "1", "33.33")},
					costs: bkCosts{bkCost(0, state(ma, "1", "33.33"), "33.3333")}},
				{mv: bkOut(104, 3, 11, "1"), why: "the last unit takes the whole 33.33; 33.33 + 33.34 + 33.33 = 100.00",
					legs:  bkLegs{bkLeg(104, outK, 11, bkCustomer, "-1", "-33.33")},
					rows:  bkRows{bkRow(11, "0", "0")},
					costs: bkCosts{bkCost(0, state(ma, "0", "0"), "33.3333")}},
				{mv: bkIn(105, 4, 11, "10", "100.00"), why: "10 @ 10.00",
					legs:  bkLegs{bkLeg(105, inK, 11, bkSupplier, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(0, state(ma, "10", "100.00"), "10.0000")}},
				{mv: bkOut(106, 5, 11, "3"), why: "100.00 × 3/10 = 30.00",
					legs:  bkLegs{bkLeg(106, outK, 11, bkCustomer, "-3", "-30.00")},
					rows:  bkRows{bkRow(11, "7", "70.00")},
					costs: bkCosts{bkCost(0, state(ma, "7", "70.00"), "10.0000")}},
			},
		},
		{
			name: "fifo: 3 for 100.00 issued one by one, no residue; 10 for 100.00, issue 3", method: fifo,
			steps: []bookStep{
				{mv: bkIn(101, 0, 11, "3", "100.00"), why: "layer 101",
					legs:  bkLegs{bkLeg(101, inK, 11, bkSupplier, "3", "100.00")},
					rows:  bkRows{bkRow(11, "3", "100.00")},
					costs: bkCosts{bkCost(0, state(fifo, "3", "100.00", layer(101, "3", "100.00")), "33.3333")}},
				{mv: bkOut(102, 1, 11, "1"), why: "layer share 100.00 × 1/3 → 33.33",
					legs:  bkLegs{bkLeg(102, outK, 11, bkCustomer, "-1", "-33.33")},
					rows:  bkRows{bkRow(11, "2", "66.67")},
					costs: bkCosts{bkCost(0, state(fifo, "2", "66.67", layer(101, "2", "66.67")), "33.3333")}},
				{mv: bkOut(103, 2, 11, "1"), why: "66.67 × 1/2 = 33.335 → 33.34",
					legs:  bkLegs{bkLeg(103, outK, 11, bkCustomer, "-1", "-33.34")},
					rows:  bkRows{bkRow(11, "1", "33.33")},
					costs: bkCosts{bkCost(0, state(fifo, "1", "33.33", layer(101, "1", "33.33")), "33.3333")}},
				{mv: bkOut(104, 3, 11, "1"), why: "the whole layer: 33.33",
					legs:  bkLegs{bkLeg(104, outK, 11, bkCustomer, "-1", "-33.33")},
					rows:  bkRows{bkRow(11, "0", "0")},
					costs: bkCosts{bkCost(0, state(fifo, "0", "0"), "33.3333")}},
				{mv: bkIn(105, 4, 11, "10", "100.00"), why: "layer 105",
					legs:  bkLegs{bkLeg(105, inK, 11, bkSupplier, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(0, state(fifo, "10", "100.00", layer(105, "10", "100.00")), "10.0000")}},
				{mv: bkOut(106, 5, 11, "3"), why: "100.00 × 3/10 = 30.00",
					legs:  bkLegs{bkLeg(106, outK, 11, bkCustomer, "-3", "-30.00")},
					rows:  bkRows{bkRow(11, "7", "70.00")},
					costs: bkCosts{bkCost(0, state(fifo, "7", "70.00", layer(105, "7", "70.00")), "10.0000")}},
			},
		},
		// ------------------------------------------------ returns to the supplier
		{
			name: "moving average: returns to the supplier at the receipt's value", method: ma,
			steps: []bookStep{
				{mv: bkIn(101, 0, 11, "10", "100.00"), why: "10 @ 10.00",
					legs:  bkLegs{bkLeg(101, inK, 11, bkSupplier, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(0, state(ma, "10", "100.00"), "10.0000")}},
				{mv: bkIn(102, 1, 11, "10", "120.00"), why: "10 @ 12.00",
					legs:  bkLegs{bkLeg(102, inK, 11, bkSupplier, "10", "120.00")},
					rows:  bkRows{bkRow(11, "20", "220.00")},
					costs: bkCosts{bkCost(0, state(ma, "20", "220.00"), "12.0000")}},
				{mv: bkRetOut(103, 2, 11, "4", "48.00", 102), why: "4 × 12.00 = 48.00 leaves; 220.00 − 48.00 = 172.00",
					legs:  bkLegs{bkRetLeg(103, 11, "-4", "-48.00", 102)},
					rows:  bkRows{bkRow(11, "16", "172.00")},
					costs: bkCosts{bkCost(0, state(ma, "16", "172.00"), "12.0000")}},
				{mv: bkOut(104, 3, 11, "6"), why: "172.00 × 6/16 = 64.50; 172.00 − 64.50 = 107.50",
					legs:  bkLegs{bkLeg(104, outK, 11, bkCustomer, "-6", "-64.50")},
					rows:  bkRows{bkRow(11, "10", "107.50")},
					costs: bkCosts{bkCost(0, state(ma, "10", "107.50"), "12.0000")}},
				{mv: bkRetOut(105, 4, 11, "6", "60.00", 101), why: "6 × 10.00 = 60.00 leaves; 107.50 − 60.00 = 47.50",
					legs:  bkLegs{bkRetLeg(105, 11, "-6", "-60.00", 101)},
					rows:  bkRows{bkRow(11, "4", "47.50")},
					costs: bkCosts{bkCost(0, state(ma, "4", "47.50"), "12.0000")}},
				bkFail(bkNeg(bkRetOut(106, 5, 11, "5", "50.00", 101)), domain.EInsufficientStock, "lines[5].qty", "4",
					"5 > 4 on hand: a return never makes stock negative, even where negative stock is allowed"),
				{mv: bkRetOut(107, 6, 11, "4", "48.00", 102), why: "empties the stock: the whole 47.50 leaves (not 4 × 12.00)",
					legs:  bkLegs{bkRetLeg(107, 11, "-4", "-47.50", 102)},
					rows:  bkRows{bkRow(11, "0", "0")},
					costs: bkCosts{bkCost(0, state(ma, "0", "0"), "12.0000")}},
			},
		},
		{
			name: "fifo: returns to the supplier take the receipt's own layer first", method: fifo,
			steps: []bookStep{
				{mv: bkIn(101, 0, 11, "10", "100.00"), why: "layer 101",
					legs:  bkLegs{bkLeg(101, inK, 11, bkSupplier, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(0, state(fifo, "10", "100.00", layer(101, "10", "100.00")), "10.0000")}},
				{mv: bkIn(102, 1, 11, "10", "120.00"), why: "layer 102",
					legs:  bkLegs{bkLeg(102, inK, 11, bkSupplier, "10", "120.00")},
					rows:  bkRows{bkRow(11, "20", "220.00")},
					costs: bkCosts{bkCost(0, state(fifo, "20", "220.00", layer(101, "10", "100.00"), layer(102, "10", "120.00")), "12.0000")}},
				{mv: bkRetOut(103, 2, 11, "4", "48.00", 102), why: "from layer 102 (not the older 101): 120.00 × 4/10 = 48.00",
					legs:  bkLegs{bkRetLeg(103, 11, "-4", "-48.00", 102)},
					rows:  bkRows{bkRow(11, "16", "172.00")},
					costs: bkCosts{bkCost(0, state(fifo, "16", "172.00", layer(101, "10", "100.00"), layer(102, "6", "72.00")), "12.0000")}},
				{mv: bkOut(104, 3, 11, "6"), why: "oldest first: 100.00 × 6/10 = 60.00; 172.00 − 60.00 = 112.00",
					legs:  bkLegs{bkLeg(104, outK, 11, bkCustomer, "-6", "-60.00")},
					rows:  bkRows{bkRow(11, "10", "112.00")},
					costs: bkCosts{bkCost(0, state(fifo, "10", "112.00", layer(101, "4", "40.00"), layer(102, "6", "72.00")), "12.0000")}},
				{mv: bkRetOut(105, 4, 11, "6", "60.00", 101), why: "layer 101 whole 4 = 40.00 + 2 from layer 102: 72.00 × 2/6 = 24.00 → 64.00; 112.00 − 64.00 = 48.00",
					legs:  bkLegs{bkRetLeg(105, 11, "-6", "-64.00", 101)},
					rows:  bkRows{bkRow(11, "4", "48.00")},
					costs: bkCosts{bkCost(0, state(fifo, "4", "48.00", layer(102, "4", "48.00")), "12.0000")}},
				bkFail(bkNeg(bkRetOut(106, 5, 11, "5", "50.00", 101)), domain.EInsufficientStock, "lines[5].qty", "4",
					"5 > 4 on hand"),
				{mv: bkRetOut(107, 6, 11, "4", "48.00", 102), why: "the rest of layer 102: 48.00",
					legs:  bkLegs{bkRetLeg(107, 11, "-4", "-48.00", 102)},
					rows:  bkRows{bkRow(11, "0", "0")},
					costs: bkCosts{bkCost(0, state(fifo, "0", "0"), "12.0000")}},
			},
		},
		// ------------------------------------------------ returns from customers
		{
			name: "moving average: returns from a customer at the value given", method: ma,
			steps: []bookStep{
				{mv: bkIn(101, 0, 11, "10", "100.00"), why: "10 @ 10.00",
					legs:  bkLegs{bkLeg(101, inK, 11, bkSupplier, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(0, state(ma, "10", "100.00"), "10.0000")}},
				{mv: bkOut(102, 1, 11, "4"), why: "100.00 × 4/10 = 40.00",
					legs:  bkLegs{bkLeg(102, outK, 11, bkCustomer, "-4", "-40.00")},
					rows:  bkRows{bkRow(11, "6", "60.00")},
					costs: bkCosts{bkCost(0, state(ma, "6", "60.00"), "10.0000")}},
				{mv: bkRetIn(103, 2, 11, "1", "10.00"), why: "1 back at 10.00: 60.00 + 10.00 = 70.00",
					legs:  bkLegs{bkLeg(103, retInK, 11, bkCustomer, "1", "10.00")},
					rows:  bkRows{bkRow(11, "7", "70.00")},
					costs: bkCosts{bkCost(0, state(ma, "7", "70.00"), "10.0000")}},
				{mv: bkRetIn(104, 3, 11, "2", "25.00"), why: "2 back at 25.00: 70.00 + 25.00 = 95.00; last cost 25.00/2 = 12.5000",
					legs:  bkLegs{bkLeg(104, retInK, 11, bkCustomer, "2", "25.00")},
					rows:  bkRows{bkRow(11, "9", "95.00")},
					costs: bkCosts{bkCost(0, state(ma, "9", "95.00"), "12.5000")}},
				{mv: bkOut(105, 4, 11, "7"), why: "95.00 × 7/9 = 73.888… → 73.89; 95.00 − 73.89 = 21.11",
					legs:  bkLegs{bkLeg(105, outK, 11, bkCustomer, "-7", "-73.89")},
					rows:  bkRows{bkRow(11, "2", "21.11")},
					costs: bkCosts{bkCost(0, state(ma, "2", "21.11"), "12.5000")}},
			},
		},
		{
			name: "fifo: returns from a customer open their own layers", method: fifo,
			steps: []bookStep{
				{mv: bkIn(101, 0, 11, "10", "100.00"), why: "layer 101",
					legs:  bkLegs{bkLeg(101, inK, 11, bkSupplier, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(0, state(fifo, "10", "100.00", layer(101, "10", "100.00")), "10.0000")}},
				{mv: bkOut(102, 1, 11, "4"), why: "100.00 × 4/10 = 40.00",
					legs:  bkLegs{bkLeg(102, outK, 11, bkCustomer, "-4", "-40.00")},
					rows:  bkRows{bkRow(11, "6", "60.00")},
					costs: bkCosts{bkCost(0, state(fifo, "6", "60.00", layer(101, "6", "60.00")), "10.0000")}},
				{mv: bkRetIn(103, 2, 11, "1", "10.00"), why: "layer 103: 1 for 10.00",
					legs:  bkLegs{bkLeg(103, retInK, 11, bkCustomer, "1", "10.00")},
					rows:  bkRows{bkRow(11, "7", "70.00")},
					costs: bkCosts{bkCost(0, state(fifo, "7", "70.00", layer(101, "6", "60.00"), layer(103, "1", "10.00")), "10.0000")}},
				{mv: bkRetIn(104, 3, 11, "2", "25.00"), why: "layer 104: 2 for 25.00",
					legs:  bkLegs{bkLeg(104, retInK, 11, bkCustomer, "2", "25.00")},
					rows:  bkRows{bkRow(11, "9", "95.00")},
					costs: bkCosts{bkCost(0, state(fifo, "9", "95.00", layer(101, "6", "60.00"), layer(103, "1", "10.00"), layer(104, "2", "25.00")), "12.5000")}},
				{mv: bkOut(105, 4, 11, "7"), why: "layers 101 (60.00) and 103 (10.00) whole = 70.00; 95.00 − 70.00 = 25.00",
					legs:  bkLegs{bkLeg(105, outK, 11, bkCustomer, "-7", "-70.00")},
					rows:  bkRows{bkRow(11, "2", "25.00")},
					costs: bkCosts{bkCost(0, state(fifo, "2", "25.00", layer(104, "2", "25.00")), "12.5000")}},
			},
		},
		// ------------------------------------------------ negative stock
		{
			name: "moving average: negative stock, provisional cost, true-ups", method: ma,
			steps: bkNegativeSteps(ma,
				state(ma, "2", "20.00"),
				state(ma, "4", "36.00"),
				state(ma, "9", "108.00")),
		},
		{
			name: "fifo: negative stock, provisional cost, true-ups", method: fifo,
			steps: bkNegativeSteps(fifo,
				state(fifo, "2", "20.00", layer(101, "2", "20.00")),
				state(fifo, "4", "36.00", layer(101, "2", "20.00"), layer(102, "2", "16.00")),
				state(fifo, "9", "108.00", layer(106, "9", "108.00"))),
		},
		// ------------------------------------------------ refusals
		{
			name: "moving average: refusals leave the book as it was", method: ma,
			steps: bkRefusalSteps(state(ma, "1", "5.00")),
		},
		{
			name: "fifo: refusals leave the book as it was", method: fifo,
			steps: bkRefusalSteps(state(fifo, "1", "5.00", layer(105, "1", "5.00"))),
		},
		// ------------------------------------------------ reserved stock
		{
			name: "moving average: reserved stock cannot be issued", method: ma,
			start: bkRows{bkRowR(11, "10", "4", "100.00")},
			costs: bkCosts{bkCost(0, state(ma, "10", "100.00"), "10.0000")},
			steps: bkReservedSteps(state(ma, "4", "40.00")),
		},
		{
			name: "fifo: reserved stock cannot be issued", method: fifo,
			start: bkRows{bkRowR(11, "10", "4", "100.00")},
			costs: bkCosts{bkCost(0, state(fifo, "10", "100.00", layer(1, "10", "100.00")), "10.0000")},
			steps: bkReservedSteps(state(fifo, "4", "40.00", layer(1, "4", "40.00"))),
		},
		// ------------------------------------------------ transfers within one scope
		{
			name: "moving average: transfer within the company scope carries the row's share", method: ma,
			steps: []bookStep{
				{mv: bkIn(101, 0, 11, "10", "100.00"), why: "10 @ 10.00",
					legs:  bkLegs{bkLeg(101, inK, 11, bkSupplier, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(0, state(ma, "10", "100.00"), "10.0000")}},
				{mv: bkIn(102, 1, 11, "10", "120.00"), why: "10 @ 12.00",
					legs:  bkLegs{bkLeg(102, inK, 11, bkSupplier, "10", "120.00")},
					rows:  bkRows{bkRow(11, "20", "220.00")},
					costs: bkCosts{bkCost(0, state(ma, "20", "220.00"), "12.0000")}},
				{mv: bkXfer(103, 2, 11, 12, "15"), why: "row share 220.00 × 15/20 = 165.00; the scope is unchanged",
					legs:  bkLegs{bkLeg(103, xferK, 11, 12, "-15", "-165.00"), bkLeg(103, xferK, 12, 11, "15", "165.00")},
					rows:  bkRows{bkRow(11, "5", "55.00"), bkRow(12, "15", "165.00")},
					costs: bkCosts{bkCost(0, state(ma, "20", "220.00"), "12.0000")}},
				{mv: bkOut(104, 3, 12, "15"), why: "scope 220.00 × 15/20 = 165.00 = the whole row",
					legs:  bkLegs{bkLeg(104, outK, 12, bkCustomer, "-15", "-165.00")},
					rows:  bkRows{bkRow(11, "5", "55.00"), bkRow(12, "0", "0")},
					costs: bkCosts{bkCost(0, state(ma, "5", "55.00"), "12.0000")}},
				{mv: bkNeg(bkXfer(105, 4, 11, 12, "7")), why: "5 on hand = 55.00 + 2 short × unit cost 55.00/5 = 11.0000 = 22.00 → 77.00",
					legs:  bkLegs{bkLeg(105, xferK, 11, 12, "-7", "-77.00"), bkLeg(105, xferK, 12, 11, "7", "77.00")},
					rows:  bkRows{bkRow(11, "-2", "-22.00"), bkRow(12, "7", "77.00")},
					costs: bkCosts{bkCost(0, state(ma, "5", "55.00"), "12.0000")}},
			},
		},
		{
			name: "fifo: transfer within the company scope carries the row's share", method: fifo,
			steps: []bookStep{
				{mv: bkIn(101, 0, 11, "10", "100.00"), why: "layer 101",
					legs:  bkLegs{bkLeg(101, inK, 11, bkSupplier, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(0, state(fifo, "10", "100.00", layer(101, "10", "100.00")), "10.0000")}},
				{mv: bkIn(102, 1, 11, "10", "120.00"), why: "layer 102",
					legs:  bkLegs{bkLeg(102, inK, 11, bkSupplier, "10", "120.00")},
					rows:  bkRows{bkRow(11, "20", "220.00")},
					costs: bkCosts{bkCost(0, state(fifo, "20", "220.00", layer(101, "10", "100.00"), layer(102, "10", "120.00")), "12.0000")}},
				{mv: bkXfer(103, 2, 11, 12, "15"), why: "row share 220.00 × 15/20 = 165.00 (not FIFO's 160.00); layers unchanged",
					legs:  bkLegs{bkLeg(103, xferK, 11, 12, "-15", "-165.00"), bkLeg(103, xferK, 12, 11, "15", "165.00")},
					rows:  bkRows{bkRow(11, "5", "55.00"), bkRow(12, "15", "165.00")},
					costs: bkCosts{bkCost(0, state(fifo, "20", "220.00", layer(101, "10", "100.00"), layer(102, "10", "120.00")), "12.0000")}},
				{mv: bkOut(104, 3, 12, "15"),
					why: "FIFO takes 100.00 + 60.00 = 160.00, but the emptied row gives its whole 165.00; " +
						"the scope is revalued by 160.00 − 165.00 = −5.00 on the newest layer: 60.00 − 5.00 = 55.00 = row 11",
					legs:  bkLegs{bkLeg(104, outK, 12, bkCustomer, "-15", "-165.00")},
					rows:  bkRows{bkRow(11, "5", "55.00"), bkRow(12, "0", "0")},
					costs: bkCosts{bkCost(0, state(fifo, "5", "55.00", layer(102, "5", "55.00")), "12.0000")}},
				{mv: bkNeg(bkXfer(105, 4, 11, 12, "7")), why: "5 on hand = 55.00 + 2 short × unit cost 11.0000 = 22.00 → 77.00",
					legs:  bkLegs{bkLeg(105, xferK, 11, 12, "-7", "-77.00"), bkLeg(105, xferK, 12, 11, "7", "77.00")},
					rows:  bkRows{bkRow(11, "-2", "-22.00"), bkRow(12, "7", "77.00")},
					costs: bkCosts{bkCost(0, state(fifo, "5", "55.00", layer(102, "5", "55.00")), "12.0000")}},
			},
		},
		// ------------------------------------------------ transfers across scopes
		{
			name: "moving average: transfer between warehouse scopes is an issue and a receipt", method: ma, scopes: warehouses,
			steps: []bookStep{
				{mv: bkIn(101, 0, 11, "10", "100.00"), why: "scope 1",
					legs:  bkLegs{bkLeg(101, inK, 11, bkSupplier, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(1, state(ma, "10", "100.00"), "10.0000")}},
				{mv: bkIn(102, 1, 11, "10", "120.00"), why: "scope 1",
					legs:  bkLegs{bkLeg(102, inK, 11, bkSupplier, "10", "120.00")},
					rows:  bkRows{bkRow(11, "20", "220.00")},
					costs: bkCosts{bkCost(1, state(ma, "20", "220.00"), "12.0000")}},
				{mv: bkXfer(103, 2, 11, 21, "15"), why: "issued at 220.00 × 15/20 = 165.00, received into scope 2 at 165.00 (last cost 11.0000)",
					legs:  bkLegs{bkLeg(103, xferK, 11, 21, "-15", "-165.00"), bkLeg(103, xferK, 21, 11, "15", "165.00")},
					rows:  bkRows{bkRow(11, "5", "55.00"), bkRow(21, "15", "165.00")},
					costs: bkCosts{bkCost(1, state(ma, "5", "55.00"), "12.0000"), bkCost(2, state(ma, "15", "165.00"), "11.0000")}},
				{mv: bkOut(104, 3, 21, "5"), why: "165.00 × 5/15 = 55.00",
					legs:  bkLegs{bkLeg(104, outK, 21, bkCustomer, "-5", "-55.00")},
					rows:  bkRows{bkRow(11, "5", "55.00"), bkRow(21, "10", "110.00")},
					costs: bkCosts{bkCost(1, state(ma, "5", "55.00"), "12.0000"), bkCost(2, state(ma, "10", "110.00"), "11.0000")}},
				bkFail(bkXfer(105, 4, 11, 21, "6"), domain.EInsufficientStock, "lines[4].qty", "5", "6 > 5 in location 11"),
			},
		},
		{
			name: "fifo: transfer between warehouse scopes is an issue and a receipt", method: fifo, scopes: warehouses,
			steps: []bookStep{
				{mv: bkIn(101, 0, 11, "10", "100.00"), why: "scope 1, layer 101",
					legs:  bkLegs{bkLeg(101, inK, 11, bkSupplier, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(1, state(fifo, "10", "100.00", layer(101, "10", "100.00")), "10.0000")}},
				{mv: bkIn(102, 1, 11, "10", "120.00"), why: "scope 1, layer 102",
					legs:  bkLegs{bkLeg(102, inK, 11, bkSupplier, "10", "120.00")},
					rows:  bkRows{bkRow(11, "20", "220.00")},
					costs: bkCosts{bkCost(1, state(fifo, "20", "220.00", layer(101, "10", "100.00"), layer(102, "10", "120.00")), "12.0000")}},
				{mv: bkXfer(103, 2, 11, 21, "15"),
					why:  "issued at 100.00 + 120.00 × 5/10 = 160.00; scope 2 opens layer 103 at 160.00, last cost 160.00/15 = 10.666… → 10.6667",
					legs: bkLegs{bkLeg(103, xferK, 11, 21, "-15", "-160.00"), bkLeg(103, xferK, 21, 11, "15", "160.00")},
					rows: bkRows{bkRow(11, "5", "60.00"), bkRow(21, "15", "160.00")},
					costs: bkCosts{bkCost(1, state(fifo, "5", "60.00", layer(102, "5", "60.00")), "12.0000"),
						bkCost(2, state(fifo, "15", "160.00", layer(103, "15", "160.00")), "10.6667")}},
				{mv: bkOut(104, 3, 21, "5"), why: "160.00 × 5/15 = 53.333… → 53.33; 160.00 − 53.33 = 106.67",
					legs: bkLegs{bkLeg(104, outK, 21, bkCustomer, "-5", "-53.33")},
					rows: bkRows{bkRow(11, "5", "60.00"), bkRow(21, "10", "106.67")},
					costs: bkCosts{bkCost(1, state(fifo, "5", "60.00", layer(102, "5", "60.00")), "12.0000"),
						bkCost(2, state(fifo, "10", "106.67", layer(103, "10", "106.67")), "10.6667")}},
				bkFail(bkXfer(105, 4, 11, 21, "6"), domain.EInsufficientStock, "lines[4].qty", "5", "6 > 5 in location 11"),
			},
		},
		// ------------------------------------------------ two locations, one scope, different unit values
		{
			name: "moving average: emptying the cheaper location revalues the scope", method: ma,
			steps: []bookStep{
				{mv: bkFromOpening(bkIn(101, 0, 11, "10", "100.00")), why: "opening balance at 11: 10 @ 10.00",
					legs:  bkLegs{bkLeg(101, inK, 11, bkOpening, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(0, state(ma, "10", "100.00"), "10.0000")}},
				{mv: bkIn(102, 1, 12, "10", "120.00"), why: "at 12: 10 @ 12.00; the scope 20 for 220.00",
					legs:  bkLegs{bkLeg(102, inK, 12, bkSupplier, "10", "120.00")},
					rows:  bkRows{bkRow(11, "10", "100.00"), bkRow(12, "10", "120.00")},
					costs: bkCosts{bkCost(0, state(ma, "20", "220.00"), "12.0000")}},
				{mv: bkOut(103, 2, 11, "4"), why: "scope 220.00 × 4/20 = 44.00 ≤ row's 100.00; row 100.00 − 44.00 = 56.00",
					legs:  bkLegs{bkLeg(103, outK, 11, bkCustomer, "-4", "-44.00")},
					rows:  bkRows{bkRow(11, "6", "56.00"), bkRow(12, "10", "120.00")},
					costs: bkCosts{bkCost(0, state(ma, "16", "176.00"), "12.0000")}},
				{mv: bkOut(104, 3, 11, "6"),
					why:   "scope 176.00 × 6/16 = 66.00, but the emptied row gives its 56.00; scope 176.00 − 66.00 = 110.00 revalued by +10.00 = 120.00 = row 12",
					legs:  bkLegs{bkLeg(104, outK, 11, bkCustomer, "-6", "-56.00")},
					rows:  bkRows{bkRow(11, "0", "0"), bkRow(12, "10", "120.00")},
					costs: bkCosts{bkCost(0, state(ma, "10", "120.00"), "12.0000")}},
			},
		},
		{
			name: "fifo: emptying the cheaper location", method: fifo,
			steps: []bookStep{
				{mv: bkFromOpening(bkIn(101, 0, 11, "10", "100.00")), why: "opening balance at 11, layer 101",
					legs:  bkLegs{bkLeg(101, inK, 11, bkOpening, "10", "100.00")},
					rows:  bkRows{bkRow(11, "10", "100.00")},
					costs: bkCosts{bkCost(0, state(fifo, "10", "100.00", layer(101, "10", "100.00")), "10.0000")}},
				{mv: bkIn(102, 1, 12, "10", "120.00"), why: "at 12, layer 102",
					legs:  bkLegs{bkLeg(102, inK, 12, bkSupplier, "10", "120.00")},
					rows:  bkRows{bkRow(11, "10", "100.00"), bkRow(12, "10", "120.00")},
					costs: bkCosts{bkCost(0, state(fifo, "20", "220.00", layer(101, "10", "100.00"), layer(102, "10", "120.00")), "12.0000")}},
				{mv: bkOut(103, 2, 11, "4"), why: "layer 101: 100.00 × 4/10 = 40.00",
					legs:  bkLegs{bkLeg(103, outK, 11, bkCustomer, "-4", "-40.00")},
					rows:  bkRows{bkRow(11, "6", "60.00"), bkRow(12, "10", "120.00")},
					costs: bkCosts{bkCost(0, state(fifo, "16", "180.00", layer(101, "6", "60.00"), layer(102, "10", "120.00")), "12.0000")}},
				{mv: bkOut(104, 3, 11, "6"), why: "the rest of layer 101 = 60.00 = the row's value",
					legs:  bkLegs{bkLeg(104, outK, 11, bkCustomer, "-6", "-60.00")},
					rows:  bkRows{bkRow(11, "0", "0"), bkRow(12, "10", "120.00")},
					costs: bkCosts{bkCost(0, state(fifo, "10", "120.00", layer(102, "10", "120.00")), "12.0000")}},
			},
		},
		{
			name: "moving average: emptying the dearer location", method: ma,
			steps: append(bkTwoLocations(ma, "120.00",
				state(ma, "10", "100.00"), state(ma, "20", "220.00")),
				bookStep{mv: bkOut(103, 2, 12, "10"),
					why:   "scope 220.00 × 10/20 = 110.00, the emptied row gives its 120.00; scope 110.00 revalued by −10.00 = 100.00 = row 11",
					legs:  bkLegs{bkLeg(103, outK, 12, bkCustomer, "-10", "-120.00")},
					rows:  bkRows{bkRow(11, "10", "100.00"), bkRow(12, "0", "0")},
					costs: bkCosts{bkCost(0, state(ma, "10", "100.00"), "12.0000")}}),
		},
		{
			name: "fifo: emptying the dearer location", method: fifo,
			steps: append(bkTwoLocations(fifo, "120.00",
				state(fifo, "10", "100.00", layer(101, "10", "100.00")),
				state(fifo, "20", "220.00", layer(101, "10", "100.00"), layer(102, "10", "120.00"))),
				bookStep{mv: bkOut(103, 2, 12, "10"),
					why: "FIFO takes layer 101 = 100.00, the emptied row gives its 120.00; " +
						"the scope is revalued by 100.00 − 120.00 = −20.00 on the newest layer: 120.00 − 20.00 = 100.00 = row 11",
					legs:  bkLegs{bkLeg(103, outK, 12, bkCustomer, "-10", "-120.00")},
					rows:  bkRows{bkRow(11, "10", "100.00"), bkRow(12, "0", "0")},
					costs: bkCosts{bkCost(0, state(fifo, "10", "100.00", layer(102, "10", "100.00")), "12.0000")}}),
		},
		{
			name: "moving average: transfer between two locations at different unit values", method: ma,
			steps: append(bkTwoLocations(ma, "120.00",
				state(ma, "10", "100.00"), state(ma, "20", "220.00")),
				bookStep{mv: bkXfer(103, 2, 11, 12, "5"),
					why:   "the source row's share 100.00 × 5/10 = 50.00 (not the scope's 220.00 × 5/20 = 55.00); scope unchanged",
					legs:  bkLegs{bkLeg(103, xferK, 11, 12, "-5", "-50.00"), bkLeg(103, xferK, 12, 11, "5", "50.00")},
					rows:  bkRows{bkRow(11, "5", "50.00"), bkRow(12, "15", "170.00")},
					costs: bkCosts{bkCost(0, state(ma, "20", "220.00"), "12.0000")}},
				bookStep{mv: bkOut(104, 3, 12, "15"),
					why:   "scope 220.00 × 15/20 = 165.00, the emptied row gives its 170.00; scope 55.00 revalued by −5.00 = 50.00 = row 11",
					legs:  bkLegs{bkLeg(104, outK, 12, bkCustomer, "-15", "-170.00")},
					rows:  bkRows{bkRow(11, "5", "50.00"), bkRow(12, "0", "0")},
					costs: bkCosts{bkCost(0, state(ma, "5", "50.00"), "12.0000")}}),
		},
		{
			name: "fifo: transfer between two locations at different unit values", method: fifo,
			steps: append(bkTwoLocations(fifo, "120.00",
				state(fifo, "10", "100.00", layer(101, "10", "100.00")),
				state(fifo, "20", "220.00", layer(101, "10", "100.00"), layer(102, "10", "120.00"))),
				bookStep{mv: bkXfer(103, 2, 11, 12, "5"),
					why:   "the source row's share 100.00 × 5/10 = 50.00; layers unchanged",
					legs:  bkLegs{bkLeg(103, xferK, 11, 12, "-5", "-50.00"), bkLeg(103, xferK, 12, 11, "5", "50.00")},
					rows:  bkRows{bkRow(11, "5", "50.00"), bkRow(12, "15", "170.00")},
					costs: bkCosts{bkCost(0, state(fifo, "20", "220.00", layer(101, "10", "100.00"), layer(102, "10", "120.00")), "12.0000")}},
				bookStep{mv: bkOut(104, 3, 12, "15"),
					why: "FIFO takes 100.00 + 120.00 × 5/10 = 160.00, the emptied row gives its 170.00; " +
						"the newest layer is revalued by −10.00: 60.00 − 10.00 = 50.00 = row 11",
					legs:  bkLegs{bkLeg(104, outK, 12, bkCustomer, "-15", "-170.00")},
					rows:  bkRows{bkRow(11, "5", "50.00"), bkRow(12, "0", "0")},
					costs: bkCosts{bkCost(0, state(fifo, "5", "50.00", layer(102, "5", "50.00")), "12.0000")}}),
		},
		{
			name: "moving average: a row left with stock never goes below zero value", method: ma,
			steps: append(bkTwoLocations(ma, "300.00",
				state(ma, "10", "100.00"), state(ma, "20", "400.00")),
				bookStep{mv: bkOut(103, 2, 11, "8"),
					why:   "scope 400.00 × 8/20 = 160.00 > the row's 100.00: the row gives 100.00; scope 240.00 revalued by +60.00 = 300.00 = row 12",
					legs:  bkLegs{bkLeg(103, outK, 11, bkCustomer, "-8", "-100.00")},
					rows:  bkRows{bkRow(11, "2", "0"), bkRow(12, "10", "300.00")},
					costs: bkCosts{bkCost(0, state(ma, "12", "300.00"), "30.0000")}},
				bookStep{mv: bkOut(104, 3, 11, "2"),
					why:   "scope 300.00 × 2/12 = 50.00, the emptied row gives its 0.00; scope 250.00 revalued by +50.00 = 300.00",
					legs:  bkLegs{bkLeg(104, outK, 11, bkCustomer, "-2", "0")},
					rows:  bkRows{bkRow(11, "0", "0"), bkRow(12, "10", "300.00")},
					costs: bkCosts{bkCost(0, state(ma, "10", "300.00"), "30.0000")}}),
		},
		{
			name: "fifo: the same moves at layer cost", method: fifo,
			steps: append(bkTwoLocations(fifo, "300.00",
				state(fifo, "10", "100.00", layer(101, "10", "100.00")),
				state(fifo, "20", "400.00", layer(101, "10", "100.00"), layer(102, "10", "300.00"))),
				bookStep{mv: bkOut(103, 2, 11, "8"), why: "layer 101: 100.00 × 8/10 = 80.00",
					legs:  bkLegs{bkLeg(103, outK, 11, bkCustomer, "-8", "-80.00")},
					rows:  bkRows{bkRow(11, "2", "20.00"), bkRow(12, "10", "300.00")},
					costs: bkCosts{bkCost(0, state(fifo, "12", "320.00", layer(101, "2", "20.00"), layer(102, "10", "300.00")), "30.0000")}},
				bookStep{mv: bkOut(104, 3, 11, "2"), why: "the rest of layer 101: 20.00",
					legs:  bkLegs{bkLeg(104, outK, 11, bkCustomer, "-2", "-20.00")},
					rows:  bkRows{bkRow(11, "0", "0"), bkRow(12, "10", "300.00")},
					costs: bkCosts{bkCost(0, state(fifo, "10", "300.00", layer(102, "10", "300.00")), "30.0000")}}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { runBookCase(t, tt) })
	}
}

// bkNegativeSteps: 2 @ 10.00, 2 @ 8.00 (last cost 8.00, average 9.00), then
// issues beyond what is on hand and receipts that cover the shortfall in
// two parts. The figures are the same for both methods; only the layers
// differ.
func bkNegativeSteps(method domain.CostingMethod, after1, after2, after6 domain.CostState) []bookStep {
	outK, inK := domain.MoveOut, domain.MoveIn
	return []bookStep{
		{mv: bkIn(101, 0, 11, "2", "20.00"), why: "2 @ 10.00",
			legs:  bkLegs{bkLeg(101, inK, 11, bkSupplier, "2", "20.00")},
			rows:  bkRows{bkRow(11, "2", "20.00")},
			costs: bkCosts{bkCost(0, after1, "10.0000")}},
		{mv: bkIn(102, 1, 11, "2", "16.00"), why: "2 @ 8.00: 20.00 + 16.00 = 36.00, last cost 8.0000",
			legs:  bkLegs{bkLeg(102, inK, 11, bkSupplier, "2", "16.00")},
			rows:  bkRows{bkRow(11, "4", "36.00")},
			costs: bkCosts{bkCost(0, after2, "8.0000")}},
		{mv: bkNeg(bkOut(103, 2, 11, "6")),
			why:   "the 4 on hand = 36.00 + 2 short at the value on hand, 36.00 × 2/4 = 18.00 (not the last cost) → 54.00",
			legs:  bkLegs{bkLeg(103, outK, 11, bkCustomer, "-6", "-54.00")},
			rows:  bkRows{bkRow(11, "-2", "-18.00")},
			costs: bkCosts{bkCost(0, state(method, "-2", "-18.00"), "8.0000")}},
		{mv: bkNeg(bkOut(104, 3, 11, "1")), why: "nothing on hand: 1 × last cost 8.0000 = 8.00; −18.00 − 8.00 = −26.00",
			legs:  bkLegs{bkLeg(104, outK, 11, bkCustomer, "-1", "-8.00")},
			rows:  bkRows{bkRow(11, "-3", "-26.00")},
			costs: bkCosts{bkCost(0, state(method, "-3", "-26.00"), "8.0000")}},
		{mv: bkIn(105, 4, 11, "2", "24.00"),
			why: "covers 2 of the 3 short: actual 24.00, provisional 26.00 × 2/3 = 17.333… → 17.33, true-up 24.00 − 17.33 = 6.67; " +
				"row −26.00 + 24.00 − 6.67 = −8.67 = scope −26.00 + 17.33",
			legs:  bkLegs{bkLeg(105, inK, 11, bkSupplier, "2", "24.00"), bkTrueUp(105, inK, 11, bkSupplier, "-6.67")},
			rows:  bkRows{bkRow(11, "-1", "-8.67")},
			costs: bkCosts{bkCost(0, state(method, "-1", "-8.67"), "12.0000")}},
		{mv: bkIn(106, 5, 11, "10", "120.00"),
			why: "covers the last 1: actual 120.00 × 1/10 = 12.00, provisional the whole 8.67, true-up 3.33; " +
				"the rest 9 for 120.00 − 12.00 = 108.00; row −8.67 + 120.00 − 3.33 = 108.00",
			legs:  bkLegs{bkLeg(106, inK, 11, bkSupplier, "10", "120.00"), bkTrueUp(106, inK, 11, bkSupplier, "-3.33")},
			rows:  bkRows{bkRow(11, "9", "108.00")},
			costs: bkCosts{bkCost(0, after6, "12.0000")}},
		bkFail(bkOut(107, 6, 11, "10"), domain.EInsufficientStock, "lines[6].qty", "9", "10 > 9 and negative stock not allowed"),
		{mv: bkOut(108, 7, 11, "9"), why: "exactly what is on hand: the whole 108.00",
			legs:  bkLegs{bkLeg(108, outK, 11, bkCustomer, "-9", "-108.00")},
			rows:  bkRows{bkRow(11, "0", "0")},
			costs: bkCosts{bkCost(0, state(method, "0", "0"), "12.0000")}},
	}
}

func bkRefusalSteps(after domain.CostState) []bookStep {
	return []bookStep{
		bkFail(bkOut(101, 0, 11, "1"), domain.EInsufficientStock, "lines[0].qty", "0", "nothing on hand"),
		bkFail(bkXfer(102, 1, 11, 12, "1"), domain.EInsufficientStock, "lines[1].qty", "0", "nothing to transfer"),
		bkFail(bkIn(103, 2, 11, "0", "0"), domain.EInvalid, "", "", "quantity 0"),
		bkFail(domain.Move{Kind: "borrow", LineID: 104, Line: 3, From: 11, To: 12, Qty: q("1")}, domain.EInvalid, "", "", "unknown kind"),
		bkFail(bkIn(104, 3, 11, "1", "-1.00"), domain.EInvalid, "", "", "negative value"),
		{mv: bkIn(105, 4, 11, "1", "5.00"), why: "the book is as it was: 1 @ 5.00",
			legs:  bkLegs{bkLeg(105, domain.MoveIn, 11, bkSupplier, "1", "5.00")},
			rows:  bkRows{bkRow(11, "1", "5.00")},
			costs: bkCosts{bkCost(0, after, "5.0000")}},
	}
}

// bkReservedSteps start from location 11 with 10 on hand for 100.00, 4 of
// them reserved: 6 available.
func bkReservedSteps(after domain.CostState) []bookStep {
	return []bookStep{
		bkFail(bkOut(101, 0, 11, "7"), domain.EInsufficientStock, "lines[0].qty", "6", "10 − 4 reserved = 6 available < 7"),
		bkFail(bkXfer(102, 1, 11, 12, "7"), domain.EInsufficientStock, "lines[1].qty", "6", "a transfer is held to the same 6"),
		{mv: bkOut(103, 2, 11, "6"), why: "100.00 × 6/10 = 60.00; the reservation stays",
			legs:  bkLegs{bkLeg(103, domain.MoveOut, 11, bkCustomer, "-6", "-60.00")},
			rows:  bkRows{bkRowR(11, "4", "4", "40.00")},
			costs: bkCosts{bkCost(0, after, "10.0000")}},
		bkFail(bkOut(104, 3, 11, "0.0001"), domain.EInsufficientStock, "lines[3].qty", "0", "all 4 left are reserved"),
	}
}

// bkTwoLocations receives 10 for 100.00 at location 11 and 10 for value12 at
// location 12, both in the company scope.
func bkTwoLocations(method domain.CostingMethod, value12 string, after1, after2 domain.CostState) []bookStep {
	return []bookStep{
		{mv: bkIn(101, 0, 11, "10", "100.00"), why: "10 @ 10.00 at 11",
			legs:  bkLegs{bkLeg(101, domain.MoveIn, 11, bkSupplier, "10", "100.00")},
			rows:  bkRows{bkRow(11, "10", "100.00")},
			costs: bkCosts{bkCost(0, after1, "10.0000")}},
		{mv: bkIn(102, 1, 12, "10", value12), why: "10 for " + value12 + " at 12",
			legs:  bkLegs{bkLeg(102, domain.MoveIn, 12, bkSupplier, "10", value12)},
			rows:  bkRows{bkRow(11, "10", "100.00"), bkRow(12, "10", value12)},
			costs: bkCosts{bkCost(0, after2, m(value12).UnitPrice(q("10")).String())}},
	}
}

func runBookCase(t *testing.T, tt bookCase) {
	t.Helper()
	b := domain.NewBook()
	for _, r := range tt.start {
		b.Balances[r.BalanceKey] = &r
	}
	for _, c := range tt.costs {
		b.Costs[c.CostKey] = &c
	}
	checkBook(t, "start", b, tt.scopes, tt.start)
	var posted []domain.Move
	for i, st := range tt.steps {
		mv := st.mv
		mv.ItemID, mv.ItemCode, mv.Method = bkItem, "A-1", tt.method
		if !bkVirtual(mv.From) {
			mv.FromScope = tt.scopes[mv.From]
		}
		if !bkVirtual(mv.To) {
			mv.ToScope = tt.scopes[mv.To]
		}
		where := fmt.Sprintf("step %d (%s %s, line %d)", i, mv.Kind, mv.Qty, mv.LineID)
		before := cloneBook(b)
		err := b.Post(mv)
		if st.code != "" {
			if err == nil {
				t.Fatalf("%s: no error, want %s (%s)", where, st.code, st.why)
			}
			if c := domain.ErrorCode(err); c != st.code {
				t.Fatalf("%s: error %v has code %s, want %s", where, err, c, st.code)
			}
			if st.field != "" {
				var e *domain.Error
				if !errors.As(err, &e) || len(e.Fields) == 0 {
					t.Fatalf("%s: error %v has no field", where, err)
				}
				if e.Fields[0].Field != st.field {
					t.Errorf("%s: field %q, want %q", where, e.Fields[0].Field, st.field)
				}
				if got := e.Fields[0].Params["available"]; got != st.avail {
					t.Errorf("%s: available %q, want %q (%s)", where, got, st.avail, st.why)
				}
			}
			b = before // the transaction rolls back
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v (%s)", where, err, st.why)
		}
		posted = append(posted, mv)
		if diff := cmp.Diff(st.legs, b.Legs[len(before.Legs):]); diff != "" {
			t.Errorf("%s: legs (-want +got) — %s:\n%s", where, st.why, diff)
		}
		if diff := cmp.Diff(st.rows, bookRows(b)); diff != "" {
			t.Errorf("%s: balances (-want +got) — %s:\n%s", where, st.why, diff)
		}
		if diff := cmp.Diff(st.costs, bookCosts(b)); diff != "" {
			t.Errorf("%s: costs (-want +got) — %s:\n%s", where, st.why, diff)
		}
		checkBook(t, where, b, tt.scopes, tt.start)
		// The rows and costs marked changed are exactly those Keys names
		// for the moves posted.
		bk, ck := domain.Keys(posted, bkVirtual)
		if got := sortedKeys(b.ChangedBalances, domain.BalanceKey.Compare); !slices.Equal(got, bk) {
			t.Errorf("%s: changed balances %v, Keys gives %v", where, got, bk)
		}
		if got := sortedKeys(b.ChangedCosts, domain.CostKey.Compare); !slices.Equal(got, ck) {
			t.Errorf("%s: changed costs %v, Keys gives %v", where, got, ck)
		}
		if t.Failed() {
			t.FailNow()
		}
	}
}

// checkBook asserts the book's invariants: for every cost key, the rows of
// that item in that scope sum to the cost state's Qty and Value, and the
// state passes Check; every row has its scope's cost; and every row is its
// starting figures plus the legs booked to it.
func checkBook(t *testing.T, where string, b *domain.Book, scopes map[int64]int64, start bkRows) {
	t.Helper()
	for k, c := range b.Costs {
		if c.CostKey != k {
			t.Fatalf("%s: cost under key %v is keyed %v", where, k, c.CostKey)
		}
		if err := c.Check(); err != nil {
			t.Fatalf("%s: cost %v: %v", where, k, err)
		}
		var sq domain.Qty
		var sv domain.Money
		for _, r := range b.Balances {
			if r.ItemID == k.ItemID && scopes[r.LocationID] == k.ScopeID {
				sq += r.OnHand
				sv += r.Value
			}
		}
		if sq != c.Qty || sv != c.Value {
			t.Fatalf("%s: rows of scope %v sum to %s / %s, cost state is %s / %s", where, k, sq, sv, c.Qty, c.Value)
		}
	}
	ledger := map[domain.BalanceKey]domain.Balance{}
	for _, r := range start {
		ledger[r.BalanceKey] = r
	}
	for _, l := range b.Legs {
		r := ledger[l.BalanceKey]
		r.OnHand += l.Qty
		r.Value += l.Value
		ledger[l.BalanceKey] = r
		if bkVirtual(l.LocationID) {
			t.Fatalf("%s: a leg at virtual location %d", where, l.LocationID)
		}
		if l.Kind == domain.LegTrueUp && l.Qty != 0 {
			t.Fatalf("%s: true-up leg with quantity %s", where, l.Qty)
		}
	}
	for k, r := range b.Balances {
		if r.BalanceKey != k {
			t.Fatalf("%s: row under key %v is keyed %v", where, k, r.BalanceKey)
		}
		if _, ok := b.Costs[domain.CostKey{ItemID: k.ItemID, ScopeID: scopes[k.LocationID]}]; !ok {
			t.Fatalf("%s: row %v has no cost in scope %d", where, k, scopes[k.LocationID])
		}
		if l := ledger[k]; l.OnHand != r.OnHand || l.Value != r.Value {
			t.Fatalf("%s: row %v is %s / %s, its ledger sums to %s / %s", where, k, r.OnHand, r.Value, l.OnHand, l.Value)
		}
	}
}

func bookRows(b *domain.Book) bkRows {
	out := bkRows{}
	for _, r := range b.Balances {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(x, y domain.Balance) int { return x.BalanceKey.Compare(y.BalanceKey) })
	return out
}

func bookCosts(b *domain.Book) bkCosts {
	out := bkCosts{}
	for _, c := range b.Costs {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(x, y domain.Cost) int { return x.CostKey.Compare(y.CostKey) })
	return out
}

func sortedKeys[K comparable](set map[K]bool, cmp func(K, K) int) []K {
	out := make([]K, 0, len(set))
	for k, on := range set {
		if on {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, cmp)
	return out
}

func cloneBook(b *domain.Book) *domain.Book {
	c := domain.NewBook()
	for k, r := range b.Balances {
		r := *r
		c.Balances[k] = &r
	}
	for k, v := range b.Costs {
		v := *v
		v.Layers = slices.Clone(v.Layers)
		c.Costs[k] = &v
	}
	c.Legs = slices.Clone(b.Legs)
	for k, v := range b.ChangedBalances {
		c.ChangedBalances[k] = v
	}
	for k, v := range b.ChangedCosts {
		c.ChangedCosts[k] = v
	}
	return c
}

func TestBookKeys(t *testing.T) {
	moves := []domain.Move{
		{Kind: domain.MoveIn, ItemID: 2, From: bkSupplier, To: 12},
		{Kind: domain.MoveOut, ItemID: 1, From: 11, To: bkCustomer, Batch: "B"},
		{Kind: domain.MoveTransfer, ItemID: 1, From: 21, FromScope: 2, To: 11, ToScope: 1},
		{Kind: domain.MoveTransfer, ItemID: 1, From: 12, To: 11},
		{Kind: domain.MoveIn, ItemID: 1, From: bkOpening, To: 11},
		{Kind: domain.MoveReturnIn, ItemID: 1, From: bkCustomer, To: 12},
	}
	bk, ck := domain.Keys(moves, bkVirtual)
	wantB := []domain.BalanceKey{
		{ItemID: 1, LocationID: 11},
		{ItemID: 1, LocationID: 11, Batch: "B"},
		{ItemID: 1, LocationID: 12},
		{ItemID: 1, LocationID: 21},
		{ItemID: 2, LocationID: 12},
	}
	wantC := []domain.CostKey{{ItemID: 1, ScopeID: 0}, {ItemID: 1, ScopeID: 1}, {ItemID: 1, ScopeID: 2}, {ItemID: 2, ScopeID: 0}}
	if diff := cmp.Diff(wantB, bk); diff != "" {
		t.Errorf("balance keys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantC, ck); diff != "" {
		t.Errorf("cost keys (-want +got):\n%s", diff)
	}
	if bk, ck := domain.Keys(nil, bkVirtual); len(bk) != 0 || len(ck) != 0 {
		t.Errorf("no moves: %v, %v", bk, ck)
	}
}

// A batch's expiry date travels with it, whether the transfer stays in one
// costing scope or crosses into another.
func TestBookTransferKeepsExpiry(t *testing.T) {
	exp := domain.NewDate(2027, time.March, 31)
	other := domain.NewDate(2028, time.January, 1)
	for _, tc := range []struct {
		name    string
		toScope int64
	}{{"within the scope", 0}, {"across scopes", 2}} {
		for _, method := range []domain.CostingMethod{ma, fifo} {
			t.Run(tc.name+"/"+string(method), func(t *testing.T) {
				b := domain.NewBook()
				rc := domain.Move{Kind: domain.MoveIn, LineID: 1, ItemID: bkItem, Method: method, From: bkSupplier, To: 11,
					Batch: "L1", Expiry: &exp, Qty: q("10"), Value: m("100.00")}
				if err := b.Post(rc); err != nil {
					t.Fatal(err)
				}
				xf := domain.Move{Kind: domain.MoveTransfer, LineID: 2, ItemID: bkItem, Method: method, From: 11, To: 21,
					ToScope: tc.toScope, Batch: "L1", Qty: q("4")}
				if err := b.Post(xf); err != nil {
					t.Fatal(err)
				}
				dst := b.Balances[domain.BalanceKey{ItemID: bkItem, LocationID: 21, Batch: "L1"}]
				if dst == nil || dst.Expiry == nil || !dst.Expiry.Equal(exp.Time) {
					t.Fatalf("destination row %+v, want expiry %s", dst, exp)
				}
				// 100.00 × 4/10 = 40.00 either way (one layer).
				if dst.OnHand != q("4") || dst.Value != m("40.00") {
					t.Errorf("destination %s / %s, want 4 / 40.00", dst.OnHand, dst.Value)
				}
				// An expiry given on the move wins.
				xf.LineID, xf.Expiry, xf.Qty = 3, &other, q("1")
				if err := b.Post(xf); err != nil {
					t.Fatal(err)
				}
				if !dst.Expiry.Equal(other.Time) {
					t.Errorf("destination expiry %s, want %s", dst.Expiry, other)
				}
			})
		}
	}
}

// A disassembled product worth 0.02 split equally over four components:
// shares rounded one by one (0.005 → 0.01) may not pass what was issued,
// so the last ones get 0.00, never −0.01, and the parts sum to 0.02.
func TestBookWeightSharesNeverNegative(t *testing.T) {
	b := domain.NewBook()
	if err := b.Post(domain.Move{Kind: domain.MoveIn, LineID: 1, ItemID: bkItem, Method: ma, From: bkSupplier, To: 11, Qty: q("1"), Value: m("0.02")}); err != nil {
		t.Fatal(err)
	}
	if err := b.Post(domain.Move{Kind: domain.MoveOut, LineID: 2, ItemID: bkItem, Method: ma, From: 11, To: bkCustomer, Qty: q("1")}); err != nil {
		t.Fatal(err)
	}
	var sum domain.Money
	for i := range 4 {
		item := int64(10 + i)
		mv := domain.Move{Kind: domain.MoveIn, LineID: int64(3 + i), ItemID: item, Method: ma, From: bkOpening, To: 11, Qty: q("1"),
			Weight: 1, WeightTotal: 4, LastShare: i == 3}
		if err := b.Post(mv); err != nil {
			t.Fatalf("component %d: %v", i, err)
		}
		v := b.Balances[domain.BalanceKey{ItemID: item, LocationID: 11}].Value
		if v < 0 {
			t.Errorf("component %d got %s", i, v)
		}
		sum += v
	}
	if sum != m("0.02") {
		t.Errorf("components sum to %s, want 0.02", sum)
	}
}
