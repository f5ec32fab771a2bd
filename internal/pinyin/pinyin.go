// Package pinyin makes 助记码 (mnemonic codes): the pinyin initials of a
// Chinese name, so a clerk finds 可口可乐 by typing "kkkl". Letters and
// digits pass through lower-cased; everything else is dropped.
//
// It wraps github.com/mozillazg/go-pinyin (MIT), whose dictionary covers the
// CJK Unified Ideographs; writing our own character table would be a worse
// copy of it.
package pinyin

import (
	"strings"
	"unicode"

	gopinyin "github.com/mozillazg/go-pinyin"
)

// MaxLen is the longest mnemonic generated.
const MaxLen = 64

var args = func() gopinyin.Args {
	a := gopinyin.NewArgs()
	a.Style = gopinyin.FirstLetter
	a.Fallback = func(rune, gopinyin.Args) []string { return nil }
	return a
}()

// Initials returns the mnemonic of s: 可口可乐 330ml → "kkkl330ml".
func Initials(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= MaxLen {
			break
		}
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToLower(r))
		case unicode.Is(unicode.Han, r):
			if p := gopinyin.SinglePinyin(r, args); len(p) > 0 && p[0] != "" {
				b.WriteString(strings.ToLower(p[0][:1]))
			}
		}
	}
	return b.String()
}
