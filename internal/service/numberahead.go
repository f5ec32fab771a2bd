package service

import (
	"context"

	"github.com/jxc-erp/jxc/internal/domain"
	"github.com/jxc-erp/jxc/internal/store"
)

// A new document's number on PostgreSQL is drawn in a short transaction of
// its own (DECISIONS.md, "Document numbers"), which cost a round trip of
// its own. When the service has numbered a document of the same company
// and type before, it knows the prefix the company's settings give it,
// and the number goes in the round trip of the reads before the posting
// (viewAhead) instead. If the settings changed the prefix meanwhile, the
// number drawn is not used (a gap, as a failed posting leaves) and number
// draws one with the new prefix. A document refused by the checks after
// the reads leaves a gap too.

type numberAheadKey struct{}

// numberAhead is what viewAhead drew for the document being created.
type numberAhead struct {
	drawn  bool
	prefix string
	day    domain.Date
	n      int64
	ids    store.DocIDs
}

type prefixKey struct {
	company int64
	typ     domain.DocType
}

// withNumberAhead marks ctx as creating one new document: viewAhead may
// draw its number, and number then uses it.
func withNumberAhead(ctx context.Context) context.Context {
	return context.WithValue(ctx, numberAheadKey{}, &numberAhead{})
}

// aheadNumber returns the read that draws d's number in viewAhead's round
// trip, and the step that collects it after the reads, when ctx asks for
// one (withNumberAhead), the engine numbers before the posting and the
// prefix is known; nil otherwise.
func (s *Service) aheadNumber(ctx context.Context, d *domain.Document) (draw func(tx *store.Tx), collect func(tx *store.Tx)) {
	na, _ := ctx.Value(numberAheadKey{}).(*numberAhead)
	if na == nil || s.db.NumbersInPosting() || d.ID != 0 {
		return nil, nil
	}
	v, ok := s.prefixes.Load(prefixKey{d.CompanyID, d.Type})
	if !ok {
		return nil, nil
	}
	prefix, day, lines := v.(string), d.Date, len(d.Lines)
	draw = func(tx *store.Tx) { _, _, _ = tx.NextNumberIDs(ctx, d.CompanyID, prefix, day, lines) }
	collect = func(tx *store.Tx) {
		if n, ids, err := tx.NextNumberIDs(ctx, d.CompanyID, prefix, day, lines); err == nil {
			*na = numberAhead{drawn: true, prefix: prefix, day: day, n: n, ids: ids}
		}
	}
	return draw, collect
}

// takeAhead returns the number viewAhead drew for d if it was drawn for
// prefix, d's date and line count.
func takeAhead(ctx context.Context, d *domain.Document, prefix string) (int64, store.DocIDs, bool) {
	na, _ := ctx.Value(numberAheadKey{}).(*numberAhead)
	if na == nil || !na.drawn || na.prefix != prefix || na.day != d.Date || len(na.ids.Lines) != len(d.Lines) {
		return 0, store.DocIDs{}, false
	}
	na.drawn = false // once
	return na.n, na.ids, true
}
