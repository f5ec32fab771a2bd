package domain

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Document numbers have the form PREFIX + YYYYMMDD + "-" + sequence, e.g.
// RK20261122-0001: the prefix of the document type (DefaultNumberPrefixes,
// possibly empty), the business date, and the sequence of the document
// within that prefix and day, zero-padded to four digits and simply wider
// from 10000 on (RK20261122-10000).
const (
	docNumberDateLayout = "20060102"
	docNumberSeqWidth   = 4
)

// DocNumber formats a document number. seq counts from 1; day must have a
// four-digit year. ParseDocNumber inverts it for every prefix without white
// space or control characters (in valid UTF-8) and every seq ≥ 1.
func DocNumber(prefix string, day Date, seq int64) string {
	s := strconv.FormatInt(seq, 10)
	if pad := docNumberSeqWidth - len(s); pad > 0 && seq >= 0 {
		s = strings.Repeat("0", pad) + s
	}
	return prefix + day.Format(docNumberDateLayout) + "-" + s
}

// ParseDocNumber splits a document number made by DocNumber. The sequence
// is what follows the last "-", the date the eight digits before it, and the
// prefix everything before the date. Only the canonical form is accepted:
// a valid date, a sequence ≥ 1 of at least four digits with no leading zero
// beyond the padding, and a prefix of valid UTF-8 without white space or
// control characters. Anything else is an EInvalid error.
func ParseDocNumber(s string) (prefix string, day Date, seq int64, err error) {
	bad := func() (string, Date, int64, error) {
		return "", Date{}, 0, Errorf(EInvalid, "not a document number (PREFIXYYYYMMDD-NNNN): %q", s)
	}
	i := strings.LastIndexByte(s, '-')
	if i < len(docNumberDateLayout) {
		return bad()
	}
	head, digits := s[:i], s[i+1:]
	if len(digits) < docNumberSeqWidth || !allASCIIDigits(digits) ||
		(len(digits) > docNumberSeqWidth && digits[0] == '0') {
		return bad()
	}
	seq, perr := strconv.ParseInt(digits, 10, 64)
	if perr != nil || seq < 1 {
		return bad()
	}
	prefix, ds := head[:len(head)-len(docNumberDateLayout)], head[len(head)-len(docNumberDateLayout):]
	if !allASCIIDigits(ds) {
		return bad()
	}
	t, terr := time.Parse(docNumberDateLayout, ds)
	if terr != nil {
		return bad()
	}
	if !utf8.ValidString(prefix) || strings.ContainsFunc(prefix, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}) {
		return bad()
	}
	return prefix, Date{t}, seq, nil
}

func allASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
