// Package i18n renders jxc's server-side messages in zh-CN and en: error
// messages, field rules and entity and field names. Every key exists in both
// languages; a test fails otherwise. The web UI has its own catalogue.
package i18n

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lang is a supported language.
type Lang string

const (
	ZH Lang = "zh-CN"
	EN Lang = "en"
)

// Default is the language when the caller states none we support.
const Default = ZH

// Parse picks the best supported language from an Accept-Language header
// (or a plain "en" / "zh-CN"); quality values are honoured in order of
// appearance, which is what browsers send.
func Parse(header string) Lang {
	type cand struct {
		lang Lang
		q    float64
		i    int
	}
	var cs []cand
	for i, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			q = parseQ(v)
		}
		tag = strings.ToLower(strings.TrimSpace(tag))
		switch {
		case tag == "zh" || strings.HasPrefix(tag, "zh-"):
			cs = append(cs, cand{ZH, q, i})
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			cs = append(cs, cand{EN, q, i})
		}
	}
	if len(cs) == 0 {
		return Default
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].q > cs[b].q })
	return cs[0].lang
}

func parseQ(v string) float64 {
	switch {
	case strings.HasPrefix(v, "1"):
		return 1
	case strings.HasPrefix(v, "0.") && len(v) > 2:
		d := float64(v[2]-'0') / 10
		if len(v) > 3 {
			d += float64(v[3]-'0') / 100
		}
		return d
	}
	return 0
}

// T renders key in lang with {name} placeholders filled from params. A
// missing key renders as the key itself (and fails the catalogue test).
func T(lang Lang, key string, params map[string]string) string {
	cat := catalog[lang]
	if cat == nil {
		cat = catalog[Default]
	}
	msg, ok := cat[key]
	if !ok {
		return key
	}
	for k, v := range params {
		// Names of entities and fields inside messages are translated too.
		if k == "entity" || k == "field" || k == "other" {
			v = Name(lang, v)
		}
		msg = strings.ReplaceAll(msg, "{"+k+"}", v)
	}
	return msg
}

// Has reports whether key exists in lang.
func Has(lang Lang, key string) bool {
	_, ok := catalog[lang][key]
	return ok
}

// Name translates an entity or field name for messages: "units[1].barcode"
// → "单位 2 › 条码". Positions are shown from 1, as people count rows; a
// field may have its own name under its parent ("lines.min_qty" = 起订量).
func Name(lang Lang, name string) string {
	cat := catalog[lang]
	if v, ok := cat["name."+name]; ok {
		return v
	}
	parts := strings.Split(name, ".")
	parent := ""
	for i, p := range parts {
		base, idx, hasIdx := strings.Cut(p, "[")
		label := base
		if v, ok := cat["name."+parent+"."+base]; ok && parent != "" {
			label = v
		} else if v, ok := cat["name."+base]; ok {
			label = v
		}
		if hasIdx {
			if n, err := strconv.Atoi(strings.TrimSuffix(idx, "]")); err == nil {
				label += " " + strconv.Itoa(n+1)
			}
		}
		parts[i], parent = label, base
	}
	return strings.Join(parts, " › ")
}

// FieldMessage puts a field's name before what is wrong with it, the way
// each language writes it: "明细 1 › 数量：必须大于 0", "Lines 1 › quantity:
// must be greater than 0".
func FieldMessage(lang Lang, field, text string) string {
	if lang == ZH {
		return Name(lang, field) + "：" + text
	}
	return capitalize(Name(lang, field)) + ": " + text
}

// Join lists messages in one sentence: "；" between them in Chinese, "; "
// in English.
func Join(lang Lang, msgs []string) string {
	if lang == ZH {
		return strings.Join(msgs, "；")
	}
	return strings.Join(msgs, "; ")
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Keys lists every key of lang (tests).
func Keys(lang Lang) []string {
	keys := make([]string, 0, len(catalog[lang]))
	for k := range catalog[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
