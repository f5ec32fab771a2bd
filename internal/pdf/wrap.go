package pdf

import (
	"strings"
	"unicode"
)

// Line breaking for mixed Chinese and Latin text: a line may break between
// any two Han characters and at spaces, but not inside a Latin word or a
// number ("330ml", "KL-330", "3.5"), and — the usual 避头尾 rules — not
// before closing punctuation (，。）》 …) nor after opening punctuation
// (（《【 …). A word wider than the whole line is broken where it must.

// noLineStart may not begin a line.
const noLineStart = "，。、；：？！）》」』】〕〉］｝〗’”…—～％‰·,.;:?!)]}%>/"

// noLineEnd may not end a line.
const noLineEnd = "（《「『【〔〈［｛〖‘“([{<¥￥$€#"

// isWordRune is part of a Latin word or number that stays on one line.
func isWordRune(r rune) bool {
	if r < 0x80 {
		return unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.+&'*#@/×", r)
	}
	return r == '×' || r == '·' || (unicode.IsLetter(r) && !isCJK(r)) || unicode.IsDigit(r)
}

// isCJK says whether r is a Han character, kana, hangul, or a full-width
// form: text that may be broken after any character.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// tokens splits s into the pieces a line may break between. Spaces are
// tokens of their own, so a break can fall on them (and they are dropped
// at the break).
func tokens(s string) []string {
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		switch {
		case rs[i] == ' ':
			for j < len(rs) && rs[j] == ' ' {
				j++
			}
		case isWordRune(rs[i]):
			for j < len(rs) && isWordRune(rs[j]) {
				j++
			}
		}
		out = append(out, string(rs[i:j]))
		i = j
	}
	// Glue punctuation to its neighbour so that no line starts with a
	// closing mark or ends with an opening one.
	var glued []string
	for i := 0; i < len(out); i++ {
		t := out[i]
		for i+1 < len(out) && (startsWithAny(out[i+1], noLineStart) || endsWithAny(t, noLineEnd)) && out[i+1] != " " {
			t += out[i+1]
			i++
		}
		glued = append(glued, t)
	}
	return glued
}

func startsWithAny(s, set string) bool {
	for _, r := range s {
		return strings.ContainsRune(set, r)
	}
	return false
}

func endsWithAny(s, set string) bool {
	r := []rune(s)
	return len(r) > 0 && strings.ContainsRune(set, r[len(r)-1])
}

// Wrap breaks s into lines no wider than w mm in the current font size.
// Line breaks in s are kept.
func (d *Doc) Wrap(s string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		lines = append(lines, d.wrapLine(d.clean(para), w)...)
	}
	return lines
}

func (d *Doc) wrapLine(s string, w float64) []string {
	var lines []string
	cur := ""
	flush := func() {
		if t := strings.TrimRight(cur, " "); t != "" || len(lines) == 0 {
			lines = append(lines, t)
		}
		cur = ""
	}
	for _, t := range tokens(strings.TrimSpace(s)) {
		if cur == "" && t == " " {
			continue
		}
		if d.Width(cur+t) <= w {
			cur += t
			continue
		}
		if strings.TrimSpace(cur) != "" {
			flush()
			if t == " " {
				continue
			}
		}
		// t alone is too wide for a line: break it where it must.
		for d.Width(t) > w {
			r := []rune(t)
			n := 1
			for n < len(r) && d.Width(string(r[:n+1])) <= w {
				n++
			}
			cur = string(r[:n])
			flush()
			t = string(r[n:])
		}
		cur = t
	}
	flush()
	return lines
}
