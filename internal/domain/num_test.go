package domain_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
)

// parsers adapts the four Parse functions to one shape so the tables can
// share cases.
var parsers = map[string]func(string) (int64, error){
	"Qty":   func(s string) (int64, error) { v, err := domain.ParseQty(s); return int64(v), err },
	"Price": func(s string) (int64, error) { v, err := domain.ParsePrice(s); return int64(v), err },
	"Money": func(s string) (int64, error) { v, err := domain.ParseMoney(s); return int64(v), err },
	"Rate":  func(s string) (int64, error) { v, err := domain.ParseRate(s); return int64(v), err },
}

func TestParseValid(t *testing.T) {
	tests := []struct {
		typ, in string
		want    int64
	}{
		{"Qty", "12.5", 125000},
		{"Qty", "-3", -30000},
		{"Qty", "+1.25", 12500},
		{"Qty", "0.0001", 1},
		{"Qty", "-0.0001", -1},
		{"Qty", "1.50000", 15000}, // trailing zeros beyond the scale are fine
		{"Qty", "1.500000000000", 15000},
		{"Qty", "0", 0},
		{"Qty", "-0", 0},
		{"Qty", "007", 70000},
		{"Qty", " 7 ", 70000},
		{"Qty", "922337203685477.5807", math.MaxInt64},
		{"Qty", "-922337203685477.5807", -math.MaxInt64},
		{"Qty", "-922337203685477.5808", math.MinInt64}, // what Qty(MinInt64).String() prints

		{"Price", "12.5", 125000},
		{"Price", "0.0035", 35},
		{"Price", "-3", -30000},
		{"Price", "+1.25", 12500},
		{"Price", "0.0001", 1},
		{"Price", "1.50000", 15000},

		{"Money", "12.5", 1250},
		{"Money", "12.50", 1250},
		{"Money", "-3", -300},
		{"Money", "+1.25", 125},
		{"Money", "0.01", 1},
		{"Money", "0.0100", 1},
		{"Money", "1.50000", 150},
		{"Money", "92233720368547758.07", math.MaxInt64},

		{"Rate", "13", 1300},
		{"Rate", "13.5", 1350},
		{"Rate", "-3", -300},
		{"Rate", "+1.25", 125},
		{"Rate", "0.01", 1},
		{"Rate", "1.50000", 150},
	}
	for _, tt := range tests {
		got, err := parsers[tt.typ](tt.in)
		if err != nil {
			t.Errorf("Parse%s(%q): unexpected error %v", tt.typ, tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse%s(%q) = %d, want %d", tt.typ, tt.in, got, tt.want)
		}
	}
}

func TestParseInvalid(t *testing.T) {
	// Invalid for every type.
	common := []string{
		"", " ", ".", "-", "+", "-.", "+.", "abc", "1.2.3", "1e5", "1E5", "1,5", "1 000",
		"--1", "+-1", "-+1", "0x10", "1.2a", "a1", "NaN", "Inf", "١٢", "１２",
		"99999999999999999999",
		"-99999999999999999999",
		"99999999999999999999999999999999999999999",
	}
	for typ, parse := range parsers {
		for _, in := range common {
			if got, err := parse(in); err == nil {
				t.Errorf("Parse%s(%q) = %d, want an error", typ, in, got)
			} else if !errors.Is(err, domain.ErrDecimal) {
				t.Errorf("Parse%s(%q) error %v does not wrap ErrDecimal", typ, in, err)
			}
		}
	}
	// Too many decimal places, or just out of range, for one type.
	specific := []struct{ typ, in string }{
		{"Qty", "0.00001"},
		{"Qty", "1.00001"},
		{"Qty", "1.00000.0"},
		{"Qty", "922337203685477.5808"},  // MaxInt64 + 1
		{"Qty", "-922337203685477.5809"}, // MinInt64 - 1
		{"Qty", "1000000000000000"},
		{"Price", "0.00001"},
		{"Price", "0.12345"},
		{"Money", "0.001"},
		{"Money", "12.345"},
		{"Money", "1.00.0"},
		{"Money", "92233720368547758.08"},
		{"Rate", "0.001"},
		{"Rate", "13.125"},
	}
	for _, tt := range specific {
		if got, err := parsers[tt.typ](tt.in); err == nil {
			t.Errorf("Parse%s(%q) = %d, want an error", tt.typ, tt.in, got)
		} else if !errors.Is(err, domain.ErrDecimal) {
			t.Errorf("Parse%s(%q) error %v does not wrap ErrDecimal", tt.typ, tt.in, err)
		}
	}
}

func TestString(t *testing.T) {
	tests := []struct {
		v    interface{ String() string }
		want string
	}{
		{domain.Qty(0), "0.0000"},
		{domain.Qty(-5), "-0.0005"},
		{domain.Qty(5), "0.0005"},
		{domain.Qty(125000), "12.5000"},
		{domain.Qty(-125000), "-12.5000"},
		{domain.Qty(-10000), "-1.0000"},
		{domain.QtyOf(24), "24.0000"},
		{domain.Qty(math.MaxInt64), "922337203685477.5807"},
		{domain.Qty(math.MinInt64), "-922337203685477.5808"},
		{domain.Price(0), "0.0000"},
		{domain.Price(35), "0.0035"},
		{domain.Price(-35), "-0.0035"},
		{domain.PriceOf(3), "3.0000"},
		{domain.Money(0), "0.00"},
		{domain.Money(1), "0.01"},
		{domain.Money(-1), "-0.01"},
		{domain.Money(-99), "-0.99"},
		{domain.Money(123456), "1234.56"},
		{domain.MoneyOf(-7), "-7.00"},
		{domain.Money(math.MinInt64), "-92233720368547758.08"},
		{domain.Rate(0), "0.00"},
		{domain.Rate(1300), "13.00"},
		{domain.RateOf(13), "13.00"},
		{domain.Rate(-50), "-0.50"},
	}
	for _, tt := range tests {
		if got := tt.v.String(); got != tt.want {
			t.Errorf("%T(%d).String() = %q, want %q", tt.v, tt.v, got, tt.want)
		}
	}
}

// Every value prints as text that parses back to the same value.
func TestStringParseRoundTrip(t *testing.T) {
	values := []int64{0, 1, -1, 5, -5, 99, 100, -100, 12345, 125000, -125000, 1 << 40, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	for _, v := range values {
		check := func(typ, s string) {
			t.Helper()
			got, err := parsers[typ](s)
			if err != nil || got != v {
				t.Errorf("Parse%s(%q) = %d, %v; want %d", typ, s, got, err, v)
			}
		}
		check("Qty", domain.Qty(v).String())
		check("Price", domain.Price(v).String())
		check("Money", domain.Money(v).String())
		check("Rate", domain.Rate(v).String())
	}
}

type amounts struct {
	Q  domain.Qty     `json:"q"`
	P  domain.Price   `json:"p"`
	M  domain.Money   `json:"m"`
	R  domain.Rate    `json:"r"`
	PQ *domain.Qty    `json:"pq"`
	MS []domain.Money `json:"ms"`
}

func TestJSONRoundTrip(t *testing.T) {
	pq := domain.Qty(-5)
	in := amounts{Q: 125000, P: 35, M: -1250, R: 1300, PQ: &pq, MS: []domain.Money{0, 1, -99}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"q":"12.5000","p":"0.0035","m":"-12.50","r":"13.00","pq":"-0.0005","ms":["0.00","0.01","-0.99"]}`
	if string(b) != wantJSON {
		t.Errorf("json.Marshal =\n  %s\nwant\n  %s", b, wantJSON)
	}
	var out amounts
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("json.Unmarshal(%s): %v", b, err)
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Errorf("round trip mismatch (-in +out):\n%s", diff)
	}

	// Clients may send shorter decimal strings.
	var short amounts
	if err := json.Unmarshal([]byte(`{"q":"12.5","p":"3","m":"0.5","r":"13"}`), &short); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(amounts{Q: 125000, P: 30000, M: 50, R: 1300}, short); diff != "" {
		t.Errorf("short strings (-want +got):\n%s", diff)
	}

	// A JSON number is refused, as is anything that is not a decimal.
	for _, bad := range []string{
		`{"q":12.5}`, `{"m":1}`, `{"q":"1e5"}`, `{"q":""}`, `{"m":"0.001"}`, `{"r":"abc"}`, `{"p":"1.2.3"}`,
	} {
		var a amounts
		if err := json.Unmarshal([]byte(bad), &a); err == nil {
			t.Errorf("json.Unmarshal(%s) = %+v, want an error", bad, a)
		}
	}
}

func TestConstructors(t *testing.T) {
	if got := domain.QtyOf(3); got != 30000 {
		t.Errorf("QtyOf(3) = %d", got)
	}
	if got := domain.PriceOf(-2); got != -20000 {
		t.Errorf("PriceOf(-2) = %d", got)
	}
	if got := domain.MoneyOf(5); got != 500 {
		t.Errorf("MoneyOf(5) = %d", got)
	}
	if got := domain.RateOf(13); got != 1300 {
		t.Errorf("RateOf(13) = %d", got)
	}
}

func mustQty(t *testing.T, s string) domain.Qty {
	t.Helper()
	v, err := domain.ParseQty(s)
	if err != nil {
		t.Fatalf("ParseQty(%q): %v", s, err)
	}
	return v
}

func mustPrice(t *testing.T, s string) domain.Price {
	t.Helper()
	v, err := domain.ParsePrice(s)
	if err != nil {
		t.Fatalf("ParsePrice(%q): %v", s, err)
	}
	return v
}

func mustMoney(t *testing.T, s string) domain.Money {
	t.Helper()
	v, err := domain.ParseMoney(s)
	if err != nil {
		t.Fatalf("ParseMoney(%q): %v", s, err)
	}
	return v
}

func mustRate(t *testing.T, s string) domain.Rate {
	t.Helper()
	v, err := domain.ParseRate(s)
	if err != nil {
		t.Fatalf("ParseRate(%q): %v", s, err)
	}
	return v
}

func TestPriceAmount(t *testing.T) {
	tests := []struct{ qty, price, want string }{
		{"3", "3.3333", "10.00"}, // 9.9999 rounds up
		{"-3", "3.3333", "-10.00"},
		{"3", "-3.3333", "-10.00"},
		{"-3", "-3.3333", "10.00"},
		{"1", "0.005", "0.01"}, // exactly half: away from zero
		{"-1", "0.005", "-0.01"},
		{"1", "-0.005", "-0.01"},
		{"1", "0.0049", "0.00"},
		{"-1", "0.0049", "0.00"},
		{"1", "0.0051", "0.01"},
		{"2.5", "12.34", "30.85"},
		{"0.0001", "0.0001", "0.00"},
		{"0", "99.99", "0.00"},
		{"12.5", "0", "0.00"},
		{"24", "2.5", "60.00"},
		{"0.333", "3", "1.00"}, // 0.999
		{"0.3333", "0.0015", "0.00"},
		{"1000000", "12345.6789", "12345678900.00"},
	}
	for _, tt := range tests {
		q, p, want := mustQty(t, tt.qty), mustPrice(t, tt.price), mustMoney(t, tt.want)
		got, err := p.Amount(q)
		if err != nil {
			t.Errorf("Price(%s).Amount(%s): %v", tt.price, tt.qty, err)
			continue
		}
		if got != want {
			t.Errorf("Price(%s).Amount(%s) = %s, want %s", tt.price, tt.qty, got, want)
		}
	}

	// Out of range is an EInvalid error, never a wrapped value.
	for _, c := range []struct {
		q domain.Qty
		p domain.Price
	}{
		{math.MaxInt64, math.MaxInt64},
		{math.MinInt64, math.MaxInt64},
		{math.MaxInt64, domain.PriceOf(1000)},
		// q×p/1e6 is 2^64-1 and a half: rounding must not wrap to 0.
		{2097153, 8796088827905999999},
		{-2097153, 8796088827905999999},
	} {
		got, err := c.p.Amount(c.q)
		if err == nil {
			t.Errorf("Price(%d).Amount(%d) = %d, want an error", c.p, c.q, got)
		} else if code := domain.ErrorCode(err); code != domain.EInvalid {
			t.Errorf("Price(%d).Amount(%d) error code %q, want %q", c.p, c.q, code, domain.EInvalid)
		}
	}
}

func TestMoneyShare(t *testing.T) {
	tests := []struct{ m, part, whole, want string }{
		{"100.00", "3", "10", "30.00"},
		{"10.00", "1", "3", "3.33"},
		{"10.00", "2", "3", "6.67"},
		{"10.00", "3", "3", "10.00"},
		{"10.00", "0", "3", "0.00"},
		{"-10.00", "1", "3", "-3.33"},
		{"-10.00", "2", "3", "-6.67"},
		{"10.00", "-1", "3", "-3.33"},
		{"10.00", "1", "-3", "-3.33"},
		{"0.01", "1", "2", "0.01"}, // half a cent rounds away from zero
		{"-0.01", "1", "2", "-0.01"},
		{"12.50", "0.5", "2.5", "2.50"},
		{"100.00", "6", "3", "200.00"}, // more than the whole is allowed
	}
	for _, tt := range tests {
		m, part, whole, want := mustMoney(t, tt.m), mustQty(t, tt.part), mustQty(t, tt.whole), mustMoney(t, tt.want)
		got, err := m.Share(part, whole)
		if err != nil {
			t.Errorf("Money(%s).Share(%s, %s): %v", tt.m, tt.part, tt.whole, err)
			continue
		}
		if got != want {
			t.Errorf("Money(%s).Share(%s, %s) = %s, want %s", tt.m, tt.part, tt.whole, got, want)
		}
	}
}

// Issuing the whole takes the whole value: Share(whole, whole) is exactly m,
// whatever m and whole are, so the last issue of a batch leaves nothing
// behind.
func TestMoneyShareWholeIsExact(t *testing.T) {
	ms := []domain.Money{0, 1, -1, 999, 1000, -1000, 33333, 1 << 50, math.MaxInt64, -math.MaxInt64, math.MinInt64}
	wholes := []domain.Qty{1, -1, 3, 7, 30000, 33333, 1 << 40, math.MaxInt64, math.MinInt64}
	for _, m := range ms {
		for _, w := range wholes {
			got, err := m.Share(w, w)
			if err != nil || got != m {
				t.Errorf("Money(%d).Share(%d, %d) = %d, %v; want %d", m, w, w, got, err, m)
			}
		}
	}
}

func TestMoneyShareErrors(t *testing.T) {
	tests := []struct {
		m           domain.Money
		part, whole domain.Qty
	}{
		{domain.MoneyOf(10), domain.QtyOf(1), 0},
		{0, 0, 0},
		{math.MaxInt64, 2, 1},
		{math.MinInt64, -1, 1},
	}
	for _, tt := range tests {
		got, err := tt.m.Share(tt.part, tt.whole)
		if err == nil {
			t.Errorf("Money(%d).Share(%d, %d) = %d, want an error", tt.m, tt.part, tt.whole, got)
		} else if code := domain.ErrorCode(err); code != domain.EInvalid {
			t.Errorf("Money(%d).Share(%d, %d) error code %q, want %q", tt.m, tt.part, tt.whole, code, domain.EInvalid)
		}
	}
}

func TestMoneyMulRate(t *testing.T) {
	tests := []struct{ m, r, want string }{
		{"100.00", "13", "13.00"},
		{"0.05", "13", "0.01"}, // 0.0065
		{"-0.05", "13", "-0.01"},
		{"0.03", "13", "0.00"}, // 0.0039
		{"0.25", "6", "0.02"},  // 0.015: half away from zero
		{"-0.25", "6", "-0.02"},
		{"0.25", "-6", "-0.02"},
		{"0.23", "6", "0.01"}, // 0.0138
		{"100.00", "0", "0.00"},
		{"123.45", "100", "123.45"},
		{"200.00", "0.01", "0.02"},
		{"99.99", "12.5", "12.50"}, // 12.49875
		{"1000.00", "200", "2000.00"},
	}
	for _, tt := range tests {
		m, r, want := mustMoney(t, tt.m), mustRate(t, tt.r), mustMoney(t, tt.want)
		got, err := m.MulRate(r)
		if err != nil {
			t.Errorf("Money(%s).MulRate(%s): %v", tt.m, tt.r, err)
			continue
		}
		if got != want {
			t.Errorf("Money(%s).MulRate(%s) = %s, want %s", tt.m, tt.r, got, want)
		}
	}
	if got, err := domain.Money(math.MaxInt64).MulRate(domain.RateOf(200)); err == nil {
		t.Errorf("MaxInt64 × 200%% = %d, want an error", got)
	} else if code := domain.ErrorCode(err); code != domain.EInvalid {
		t.Errorf("MaxInt64 × 200%% error code %q, want %q", code, domain.EInvalid)
	}
}

func TestMulDivRound(t *testing.T) {
	const (
		maxI = math.MaxInt64
		minI = math.MinInt64
	)
	tests := []struct {
		a, b, c int64
		want    int64
		ok      bool
	}{
		// Half away from zero, every sign combination.
		{5, 1, 2, 3, true},
		{-5, 1, 2, -3, true},
		{5, -1, 2, -3, true},
		{5, 1, -2, -3, true},
		{-5, -1, 2, 3, true},
		{-5, 1, -2, 3, true},
		{5, -1, -2, 3, true},
		{-5, -1, -2, -3, true},
		{4, 1, 3, 1, true},
		{-4, 1, 3, -1, true},
		{4, 1, -3, -1, true},
		{5, 1, 3, 2, true},
		{-5, 1, 3, -2, true},
		{1, 1, 3, 0, true},
		{-1, 1, 3, 0, true},
		{3, 1, 2, 2, true},
		{-3, 1, 2, -2, true},
		{7, 3, 1, 21, true},
		{0, 5, 7, 0, true},
		{0, 0, 1, 0, true},

		// Division by zero.
		{1, 1, 0, 0, false},
		{0, 0, 0, 0, false},
		{minI, minI, 0, 0, false},

		// Large values through the 128-bit intermediate.
		{maxI, maxI, maxI, maxI, true},
		{maxI, 2, 2, maxI, true},
		{maxI, 1, 2, 4611686018427387904, true}, // …903.5 rounds up
		{maxI, 10000, 1000000, 92233720368547758, true},
		{1 << 62, 1 << 62, 1 << 62, 1 << 62, true},

		// Overflow.
		{maxI, maxI, 1, 0, false},
		{maxI, 2, 1, 0, false},
		{maxI, maxI, maxI - 1, 0, false},
		// 65535 × 281479271743489 = 2^64-1; half of it rounds to 2^63, one
		// past MaxInt64; negated it is exactly MinInt64.
		{65535, 281479271743489, 2, 0, false},
		{-65535, 281479271743489, 2, minI, true},
		// 31 × 1190112520884487201 = 2^65-1; half of it rounds to 2^64,
		// which must not wrap around to 0.
		{31, 1190112520884487201, 2, 0, false},
		{-31, 1190112520884487201, 2, 0, false},

		// MinInt64 anywhere: no panic, exact where it fits.
		{minI, 1, 1, minI, true},
		{1, minI, 1, minI, true},
		{minI, -1, 1, 0, false},
		{minI, 1, -1, 0, false},
		{-1, -1, minI, 0, true},
		{minI, 1, minI, 1, true},
		{minI, -1, minI, -1, true},
		{minI, minI, minI, minI, true},
		{minI, minI, maxI, 0, false},
		{minI, minI, 1, 0, false},
		{minI, 1, 2, -(1 << 62), true},
		{minI, 3, 2, 0, false},
		{minI, 2, 2, minI, true},
		{minI, 1, 3, -3074457345618258603, true}, // -3074457345618258602.67
		{minI, -1, 3, 3074457345618258603, true},
	}
	for _, tt := range tests {
		got, ok := domain.MulDivRound(tt.a, tt.b, tt.c)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("MulDivRound(%d, %d, %d) = %d, %v; want %d, %v", tt.a, tt.b, tt.c, got, ok, tt.want, tt.ok)
		}
	}
}

// Append writes what String returns, after what is there.
func TestAppendIsString(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 9999, 10000, -10001, 123456789, math.MaxInt64, math.MinInt64} {
		for _, c := range []struct {
			got  []byte
			want string
		}{
			{domain.Qty(v).Append([]byte("x")), domain.Qty(v).String()},
			{domain.Price(v).Append([]byte("x")), domain.Price(v).String()},
			{domain.Money(v).Append([]byte("x")), domain.Money(v).String()},
		} {
			if string(c.got) != "x"+c.want {
				t.Errorf("Append(%d) = %q, want %q", v, c.got, "x"+c.want)
			}
		}
	}
}

// A message shows money as a person reads it: 10,000.00, not 10000.00.
func TestMoneyGrouped(t *testing.T) {
	for m, want := range map[domain.Money]string{0: "0.00", 99999: "999.99", 1000000: "10,000.00", -128000: "-1,280.00", 123456789012: "1,234,567,890.12"} {
		if got := m.Grouped(); got != want {
			t.Errorf("%d grouped: %q, want %q", m, got, want)
		}
	}
}
