package domain

import "strings"

// Chinese returns m as the amount in Chinese capitals (金额大写) printed on
// invoices, receipts and bank forms, e.g. 1,010,101.01 → 壹佰零壹万零壹佰零壹元零壹分.
//
// The rules, following the customary (and, where the regulations allow a
// choice, the shorter) style:
//
//   - Digits 零壹贰叁肆伍陆柒捌玖; units 拾佰仟 inside a group of four digits,
//     万 and 亿 between groups. Above 亿 the count of 亿 is itself written as
//     a number, so 1e12 元 is 壹万亿, 1e12+1e8 is 壹万零壹亿, 1e16 is 壹亿亿.
//   - A leading ten is written 壹拾 (壹拾元, 壹拾万), the formal style that
//     cannot be altered by adding a digit in front.
//   - Inside the whole-元 part, a run of zeros between two non-zero digits
//     is written as one 零. A run that ends right before a group's 仟 digit
//     is not written (105,000 → 壹拾万伍仟), unless it swallows a whole group
//     whose unit is then omitted (100,001,000 → 壹亿零壹仟). Trailing zeros
//     are never written, so 零 never stands before 元, 万 or 亿.
//   - 角 follows 元 directly even when the 元 part ends in zero
//     (10.30 → 壹拾元叁角). When 角 is zero and 分 is not, 零 is written
//     after 元 (1.05 → 壹元零伍分).
//   - 整 ends an amount with neither 角 nor 分 (100 → 壹佰元整; 0 → 零元整);
//     an amount ending in 角 or 分 has no 整.
//   - Below one 元 the 元 part is left out (0.50 → 伍角; 0.01 → 壹分).
//   - A negative amount is prefixed 负 (-12.30 → 负壹拾贰元叁角).
//
// Every int64 value, including math.MinInt64, is handled.
func (m Money) Chinese() string {
	if m == 0 {
		return "零元整"
	}
	u := absU(int64(m))
	yuan, jiao, fen := u/100, u/10%10, u%10

	var b strings.Builder
	if m < 0 {
		b.WriteString("负")
	}
	if yuan > 0 {
		chineseInt(&b, yuan)
		b.WriteString("元")
		if jiao == 0 && fen == 0 {
			b.WriteString("整")
			return b.String()
		}
		if jiao == 0 {
			b.WriteString("零")
		}
	}
	if jiao > 0 {
		b.WriteString(chineseDigits[jiao])
		b.WriteString("角")
	}
	if fen > 0 {
		b.WriteString(chineseDigits[fen])
		b.WriteString("分")
	}
	return b.String()
}

var chineseDigits = [10]string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}

// chineseInt writes n > 0 in capitals without a currency unit.
func chineseInt(b *strings.Builder, n uint64) {
	switch {
	case n >= 1_0000_0000:
		hi, lo := n/1_0000_0000, n%1_0000_0000
		chineseInt(b, hi)
		b.WriteString("亿")
		if lo > 0 {
			if lo < 1000_0000 { // 千万 digit is zero: a gap
				b.WriteString("零")
			}
			chineseInt(b, lo)
		}
	case n >= 1_0000:
		hi, lo := n/1_0000, n%1_0000
		chineseGroup(b, hi)
		b.WriteString("万")
		if lo > 0 {
			if lo < 1000 { // 仟 digit is zero: a gap
				b.WriteString("零")
			}
			chineseGroup(b, lo)
		}
	default:
		chineseGroup(b, n)
	}
}

// chineseGroup writes 0 < n < 10000, one 零 for each inner run of zeros.
func chineseGroup(b *strings.Builder, n uint64) {
	units := [4]string{"仟", "佰", "拾", ""}
	started, zero := false, false
	for i, p := range [4]uint64{1000, 100, 10, 1} {
		d := n / p % 10
		if d == 0 {
			zero = started
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		b.WriteString(chineseDigits[d])
		b.WriteString(units[i])
		started = true
	}
}
