package domain_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/jxc-erp/jxc/internal/domain"
)

func TestDocNumber(t *testing.T) {
	day := domain.NewDate(2026, 11, 22)
	tests := []struct {
		prefix string
		day    domain.Date
		seq    int64
		want   string
	}{
		{"RK", day, 1, "RK20261122-0001"},
		{"RK", day, 123, "RK20261122-0123"},
		{"RK", day, 9999, "RK20261122-9999"},
		{"RK", day, 10000, "RK20261122-10000"},
		{"RK", day, 123456, "RK20261122-123456"},
		{"CG", domain.NewDate(2026, 1, 5), 42, "CG20260105-0042"},
		{"", day, 7, "20261122-0007"},
		{"QGXSCKDB", domain.NewDate(1999, 12, 31), 1, "QGXSCKDB19991231-0001"},
		{"XS", day, math.MaxInt64, "XS20261122-9223372036854775807"},
	}
	for _, tt := range tests {
		if got := domain.DocNumber(tt.prefix, tt.day, tt.seq); got != tt.want {
			t.Errorf("DocNumber(%q, %s, %d) = %q, want %q", tt.prefix, tt.day, tt.seq, got, tt.want)
		}
	}
}

func TestParseDocNumber(t *testing.T) {
	type parsed struct {
		Prefix string
		Day    domain.Date
		Seq    int64
	}
	tests := []struct {
		in   string
		want parsed
	}{
		{"RK20261122-0001", parsed{"RK", domain.NewDate(2026, 11, 22), 1}},
		{"RK20261122-9999", parsed{"RK", domain.NewDate(2026, 11, 22), 9999}},
		{"RK20261122-10000", parsed{"RK", domain.NewDate(2026, 11, 22), 10000}},
		{"20240229-0012", parsed{"", domain.NewDate(2024, 2, 29), 12}},
		{"A120261122-0001", parsed{"A1", domain.NewDate(2026, 11, 22), 1}},   // the date is the last 8 digits
		{"R-K20261122-0001", parsed{"R-K", domain.NewDate(2026, 11, 22), 1}}, // the sequence follows the last '-'
		{"入库20261122-0003", parsed{"入库", domain.NewDate(2026, 11, 22), 3}},
		{"XS20261122-9223372036854775807", parsed{"XS", domain.NewDate(2026, 11, 22), math.MaxInt64}},
	}
	for _, tt := range tests {
		prefix, day, seq, err := domain.ParseDocNumber(tt.in)
		if err != nil {
			t.Errorf("ParseDocNumber(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, parsed{prefix, day, seq}); diff != "" {
			t.Errorf("ParseDocNumber(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseDocNumberInvalid(t *testing.T) {
	for _, in := range []string{
		"",
		"-",
		"RK",
		"RK20261122",
		"RK20261122-",
		"RK-0001",
		"20261122",
		"RK20261122-001",                 // shorter than four digits
		"RK20261122-00001",               // leading zero beyond the padding
		"RK20261122-0000",                // sequences start at 1
		"RK20261122--001",                // negative
		"RK20261122-+001",                // sign
		"RK20261122-00a1",                // not a digit
		"RK20261122-0001 ",               // trailing space
		" RK20261122-0001",               // leading space
		"R K20261122-0001",               // space in the prefix
		"RK\x0020261122-0001",            // control character
		"RK\xff20261122-0001",            // invalid UTF-8
		"RK20261122-9223372036854775808", // overflows int64
		"RK2026112-0001",                 // seven-digit date
		"RK2026-11-22-0001",              // dashed date
		"RK20261322-0001",                // month 13
		"RK20260230-0001",                // 30 February
		"RK20250229-0001",                // not a leap year
		"RK2026112a-0001",                // letter in the date
		"RK20261122_0001",                // wrong separator
		"RK２０２６１１２２-0001",                // full-width digits
		"RK20261122-0001-",               // dangling separator
	} {
		_, _, _, err := domain.ParseDocNumber(in)
		if err == nil {
			t.Errorf("ParseDocNumber(%q): no error", in)
			continue
		}
		if got := domain.ErrorCode(err); got != domain.EInvalid {
			t.Errorf("ParseDocNumber(%q): code %q, want %q", in, got, domain.EInvalid)
		}
	}
}

func TestDocNumberRoundTrip(t *testing.T) {
	tests := []struct {
		prefix string
		day    domain.Date
		seq    int64
	}{
		{"RK", domain.NewDate(2026, 11, 22), 1},
		{"RK", domain.NewDate(2026, 11, 22), 10000},
		{"CG", domain.NewDate(2000, 1, 1), 9999},
		{"", domain.NewDate(2024, 2, 29), 58},
		{"QGXSCKDB", domain.NewDate(9999, 12, 31), 1000001},
		{"A1", domain.NewDate(1970, 6, 15), 3},
		{"R-K", domain.NewDate(2026, 11, 22), 12},
		{"入库", domain.NewDate(2026, 11, 22), 4},
		{"XS", domain.NewDate(2026, 11, 22), math.MaxInt64},
	}
	for _, tt := range tests {
		s := domain.DocNumber(tt.prefix, tt.day, tt.seq)
		prefix, day, seq, err := domain.ParseDocNumber(s)
		if err != nil {
			t.Errorf("ParseDocNumber(%q): %v", s, err)
			continue
		}
		if prefix != tt.prefix || !day.Equal(tt.day.Time) || seq != tt.seq {
			t.Errorf("ParseDocNumber(%q) = %q, %s, %d; want %q, %s, %d", s, prefix, day, seq, tt.prefix, tt.day, tt.seq)
		}
		if again := domain.DocNumber(prefix, day, seq); again != s {
			t.Errorf("DocNumber(ParseDocNumber(%q)) = %q", s, again)
		}
	}
}
