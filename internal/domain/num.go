package domain

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// Fixed-point numbers. The scales are chosen once, here, and documented in
// docs/DECISIONS.md:
//
//	Qty   1e-4 of the base unit   (12.5 kg  = 125000)
//	Price 1e-4 of the currency    (unit prices and costs: 0.0035 = 35)
//	Money 1e-2 of the currency    (amounts in 分: 12.50 = 1250)
//	Rate  1e-2 of a percent       (tax and discount rates: 13% = 1300)
//
// They are distinct types so the compiler refuses Qty + Money. Products go
// through a 128-bit intermediate and round half away from zero (四舍五入)
// only where a method says so.
type (
	Qty   int64
	Price int64
	Money int64
	Rate  int64
)

const (
	QtyScale   = 4
	PriceScale = 4
	MoneyScale = 2
	RateScale  = 2
)

var pow10 = [...]int64{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000}

// QtyOf returns n whole base units.
func QtyOf(n int64) Qty { return Qty(n * pow10[QtyScale]) }

// MoneyOf returns n whole currency units.
func MoneyOf(n int64) Money { return Money(n * pow10[MoneyScale]) }

// PriceOf returns a price of n whole currency units.
func PriceOf(n int64) Price { return Price(n * pow10[PriceScale]) }

// RateOf returns n whole percent.
func RateOf(n int64) Rate { return Rate(n * pow10[RateScale]) }

func (q Qty) String() string   { return formatFixed(int64(q), QtyScale) }
func (p Price) String() string { return formatFixed(int64(p), PriceScale) }
func (m Money) String() string { return formatFixed(int64(m), MoneyScale) }

// Grouped is the amount with its thousands grouped, as a person reads it in
// a message: -1,280.00.
func (m Money) Grouped() string { return GroupThousands(m.String()) }

// GroupThousands puts commas between the thousands of a decimal number.
func GroupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

func (r Rate) String() string { return formatFixed(int64(r), RateScale) }

// Append appends the String form to b (no allocation: exports write
// numbers by the million).
func (q Qty) Append(b []byte) []byte { return appendFixed(b, int64(q), QtyScale) }

// Append appends the String form to b.
func (p Price) Append(b []byte) []byte { return appendFixed(b, int64(p), PriceScale) }

// Append appends the String form to b.
func (m Money) Append(b []byte) []byte { return appendFixed(b, int64(m), MoneyScale) }

// Append appends the String form to b.
func (r Rate) Append(b []byte) []byte { return appendFixed(b, int64(r), RateScale) }

// ParseQty parses a decimal string such as "12.5" or "-3". More decimal places
// than the scale is an error, never a silent rounding.
func ParseQty(s string) (Qty, error)     { v, err := parseFixed(s, QtyScale); return Qty(v), err }
func ParsePrice(s string) (Price, error) { v, err := parseFixed(s, PriceScale); return Price(v), err }
func ParseMoney(s string) (Money, error) { v, err := parseFixed(s, MoneyScale); return Money(v), err }
func ParseRate(s string) (Rate, error)   { v, err := parseFixed(s, RateScale); return Rate(v), err }

// The JSON form of every fixed-point number is a string ("12.5000"), so no
// client ever parses money as a float. Text marshalling also makes the
// OpenAPI schema a string.
func (q Qty) MarshalText() ([]byte, error)   { return []byte(q.String()), nil }
func (p Price) MarshalText() ([]byte, error) { return []byte(p.String()), nil }
func (m Money) MarshalText() ([]byte, error) { return []byte(m.String()), nil }
func (r Rate) MarshalText() ([]byte, error)  { return []byte(r.String()), nil }

func (q *Qty) UnmarshalText(b []byte) error {
	v, err := parseFixed(string(b), QtyScale)
	*q = Qty(v)
	return err
}

func (p *Price) UnmarshalText(b []byte) error {
	v, err := parseFixed(string(b), PriceScale)
	*p = Price(v)
	return err
}

func (m *Money) UnmarshalText(b []byte) error {
	v, err := parseFixed(string(b), MoneyScale)
	*m = Money(v)
	return err
}

func (r *Rate) UnmarshalText(b []byte) error {
	v, err := parseFixed(string(b), RateScale)
	*r = Rate(v)
	return err
}

// Amount returns qty × price as Money, rounded half away from zero.
func (p Price) Amount(q Qty) (Money, error) {
	// qty 1e-4 × price 1e-4 = 1e-8; money is 1e-2.
	v, ok := MulDivRound(int64(q), int64(p), pow10[QtyScale+PriceScale-MoneyScale])
	if !ok {
		return 0, Errorf(EInvalid, "amount out of range: %s × %s", q, p)
	}
	return Money(v), nil
}

// Share returns m × part / whole rounded half away from zero: the value of
// part of a quantity whose whole is worth m. Share(whole) is exactly m.
func (m Money) Share(part, whole Qty) (Money, error) {
	if whole == 0 {
		return 0, Errorf(EInvalid, "share of zero quantity")
	}
	v, ok := MulDivRound(int64(m), int64(part), int64(whole))
	if !ok {
		return 0, Errorf(EInvalid, "value out of range")
	}
	return Money(v), nil
}

// MulRate returns m × r rounded half away from zero (r = 13.00 means 13 %).
func (m Money) MulRate(r Rate) (Money, error) {
	v, ok := MulDivRound(int64(m), int64(r), 100*pow10[RateScale])
	if !ok {
		return 0, Errorf(EInvalid, "value out of range")
	}
	return Money(v), nil
}

// MulDivRound returns a×b/c rounded half away from zero, computed with a
// 128-bit intermediate. ok is false on division by zero or when the result
// does not fit in int64.
func MulDivRound(a, b, c int64) (int64, bool) {
	if c == 0 {
		return 0, false
	}
	neg := (a < 0) != (b < 0) != (c < 0)
	ua, ub, uc := absU(a), absU(b), absU(c)
	hi, lo := bits.Mul64(ua, ub)
	if hi >= uc {
		return 0, false
	}
	quo, rem := bits.Div64(hi, lo, uc)
	// Round half away from zero: compare 2*rem with divisor without overflow.
	if rem >= uc-rem {
		quo++
		if quo == 0 { // wrapped past 2^64-1
			return 0, false
		}
	}
	// -2^63 fits in int64; +2^63 does not.
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	if quo > limit {
		return 0, false
	}
	if neg {
		return -int64(quo), true
	}
	return int64(quo), true
}

func absU(v int64) uint64 {
	if v < 0 {
		return uint64(-(v + 1)) + 1
	}
	return uint64(v)
}

func formatFixed(v int64, scale int) string {
	var buf [24]byte
	return string(appendFixed(buf[:0], v, scale))
}

func appendFixed(b []byte, v int64, scale int) []byte {
	if v < 0 {
		b = append(b, '-')
	}
	u := absU(v)
	p := uint64(pow10[scale])
	b = strconv.AppendUint(b, u/p, 10)
	if scale > 0 {
		var d [18]byte
		frac := u % p
		for i := scale - 1; i >= 0; i-- {
			d[i] = byte('0' + frac%10)
			frac /= 10
		}
		b = append(append(b, '.'), d[:scale]...)
	}
	return b
}

// ErrDecimal is what every malformed number reports; the field name is added
// by the caller.
var ErrDecimal = fmt.Errorf("not a decimal number")

func parseFixed(s string, scale int) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, ErrDecimal
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	intPart, fracPart, hasDot := strings.Cut(s, ".")
	if intPart == "" && (!hasDot || fracPart == "") {
		return 0, ErrDecimal
	}
	if len(fracPart) > scale {
		// Trailing zeros beyond the scale are harmless ("1.50000").
		extra := fracPart[scale:]
		if strings.Trim(extra, "0") != "" {
			return 0, fmt.Errorf("%w: at most %d decimal places", ErrDecimal, scale)
		}
		fracPart = fracPart[:scale]
	}
	for _, r := range intPart + fracPart {
		if r < '0' || r > '9' {
			return 0, ErrDecimal
		}
	}
	if hasDot && fracPart == "" && intPart == "" {
		return 0, ErrDecimal
	}
	limit := uint64(math.MaxInt64) // -2^63 fits in int64; +2^63 does not
	if neg {
		limit++
	}
	var v uint64
	digits := intPart + fracPart + strings.Repeat("0", scale-len(fracPart))
	for _, r := range digits {
		hi, lo := bits.Mul64(v, 10)
		if hi != 0 {
			return 0, fmt.Errorf("%w: out of range", ErrDecimal)
		}
		lo, carry := bits.Add64(lo, uint64(r-'0'), 0)
		if carry != 0 || lo > limit {
			return 0, fmt.Errorf("%w: out of range", ErrDecimal)
		}
		v = lo
	}
	if neg {
		return -int64(v), nil
	}
	return int64(v), nil
}

// QtyOne is the quantity 1.
const QtyOne = Qty(10000)

// UnitPrice is m / q as a Price rounded half away from zero (0 when q is 0
// or the result does not fit).
func (m Money) UnitPrice(q Qty) Price {
	if q == 0 {
		return 0
	}
	v, ok := MulDivRound(int64(m), pow10[PriceScale+QtyScale-MoneyScale], int64(q))
	if !ok {
		return 0
	}
	return Price(v)
}

// Short is the quantity without trailing zeros, for messages: "2", "2.5".
func (q Qty) Short() string {
	s := q.String()
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}
