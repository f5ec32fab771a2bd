package domain

// Allocation (核销) planning on a partner's account: which credits (a
// payment or receipt not yet applied, a credited return) settle which
// debits (a bill, an invoice), and by how much. The store records what is
// planned and refuses anything beyond what is open on either side.

// OpenDoc is a document with what of it is still open on the account,
// as a positive amount whichever side it is on.
type OpenDoc struct {
	ID   int64
	Open Money
}

// Allocation applies Amount of credit CreditID to debit DebitID.
type Allocation struct {
	DebitID  int64
	CreditID int64
	Amount   Money
}

// PlanSettle applies the credits to the debits in the order given (the
// caller orders debits earliest due first, credits oldest first): the
// first credit goes to the first debit until one of them is used up, and
// so on, until either side runs out. Nothing moves money; the two sides
// only cancel out up to the smaller of their totals.
func PlanSettle(debits, credits []OpenDoc) []Allocation {
	var out []Allocation
	d := append([]OpenDoc(nil), debits...)
	c := append([]OpenDoc(nil), credits...)
	for i, j := 0, 0; i < len(d) && j < len(c); {
		if d[i].Open <= 0 {
			i++
			continue
		}
		if c[j].Open <= 0 {
			j++
			continue
		}
		amt := min(d[i].Open, c[j].Open)
		out = append(out, Allocation{DebitID: d[i].ID, CreditID: c[j].ID, Amount: amt})
		d[i].Open -= amt
		c[j].Open -= amt
	}
	return out
}
