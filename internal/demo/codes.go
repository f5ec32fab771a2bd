package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// ean13 completes a 12-digit body with its GS1 check digit: weights 1 and 3
// alternate from the left, and the check digit rounds the sum up to a
// multiple of ten.
func ean13(body string) string {
	if len(body) != 12 {
		panic("demo: EAN-13 body must have 12 digits: " + body)
	}
	sum := 0
	for i, r := range body {
		d := int(r - '0')
		if i%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return body + string(rune('0'+(10-sum%10)%10))
}

// validEAN13 reports whether s is 13 digits with a correct check digit.
func validEAN13(s string) bool {
	if len(s) != 13 || strings.Trim(s, "0123456789") != "" {
		return false
	}
	return ean13(s[:12]) == s
}

// The unified social credit code (统一社会信用代码, GB 32100-2015): 18
// characters from a 31-character alphabet without I, O, S, V, Z.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// uscc returns a well-formed unified social credit code: "9" (registered
// with market regulation), the entity type ('1' a company, '2' an
// individual business), the 6-digit region, a 9-character organisation code
// starting "MA" (the form issued since 2015) with its GB 11714 check
// character, and the final check character.
func uscc(rng *rand.Rand, entity byte, region string) string {
	body := []byte("MA")
	for len(body) < 8 {
		body = append(body, usccAlphabet[rng.IntN(len(usccAlphabet))])
	}
	// GB 11714 organisation code check: digits count as themselves,
	// letters A=10 … Z=35.
	orgWeights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range body {
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		body = append(body, 'X')
	case 11:
		body = append(body, '0')
	default:
		body = append(body, byte('0'+c))
	}
	code := "9" + string(entity) + region + string(body)
	if len(code) != 17 {
		panic(fmt.Sprintf("demo: bad USCC body %q", code))
	}
	return code + string(usccAlphabet[usccCheck(code)])
}

func usccCheck(body17 string) int {
	sum := 0
	for i := range 17 {
		sum += strings.IndexByte(usccAlphabet, body17[i]) * usccWeights[i]
	}
	return (31 - sum%31) % 31
}

// validUSCC reports whether s is 18 characters of the alphabet with a
// correct final check character.
func validUSCC(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := range 18 {
		if strings.IndexByte(usccAlphabet, s[i]) < 0 {
			return false
		}
	}
	return usccAlphabet[usccCheck(s[:17])] == s[17]
}

// digits returns n random decimal digits.
func digits(rng *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + rng.IntN(10))
	}
	return string(b)
}

var mobilePrefixes = []string{"138", "139", "137", "136", "135", "158", "159", "150", "186", "188", "189", "177", "133", "180", "131", "151"}

// mobile returns a plausible mainland mobile number.
func mobile(rng *rand.Rand) string {
	return mobilePrefixes[rng.IntN(len(mobilePrefixes))] + digits(rng, 8)
}
