package domain

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFollowUpValidate(t *testing.T) {
	day := NewDate(2026, 3, 10)
	before, same, after := NewDate(2026, 3, 9), day, NewDate(2026, 3, 20)
	ok := func() FollowUp {
		return FollowUp{PartnerID: 1, Day: day, Kind: FollowUpCall, Note: "问了报价", NextAction: "发报价单", NextDate: &after}
	}
	long := make([]rune, 501)
	for i := range long {
		long[i] = '长'
	}
	tests := []struct {
		name string
		edit func(f *FollowUp)
		want []string // field:rule
	}{
		{"valid", func(f *FollowUp) {}, nil},
		{"no next action at all", func(f *FollowUp) { f.NextAction, f.NextDate = "", nil }, nil},
		{"action without a date", func(f *FollowUp) { f.NextDate = nil }, nil},
		{"next date the same day", func(f *FollowUp) { f.NextDate = &same }, nil},
		{"next date before the contact", func(f *FollowUp) { f.NextDate = &before }, []string{"next_date:before_day"}},
		{"date without an action", func(f *FollowUp) { f.NextAction = "" }, []string{"next_action:required"}},
		{"unknown kind", func(f *FollowUp) { f.Kind = "fax" }, []string{"kind:one_of"}},
		{"empty note", func(f *FollowUp) { f.Note = "  " }, []string{"note:required"}},
		{"no day", func(f *FollowUp) { f.Day = Date{} }, []string{"day:required"}},
		{"no partner", func(f *FollowUp) { f.PartnerID = 0 }, []string{"partner_id:required"}},
		{"long action", func(f *FollowUp) { f.NextAction = string(long) }, []string{"next_action:max_length"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ok()
			tt.edit(&f)
			var got []string
			if err := f.Validate(); err != nil {
				for _, fe := range err.(*Error).Fields {
					got = append(got, fe.Field+":"+fe.Rule)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Validate() fields mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFollowUpDue(t *testing.T) {
	d := func(day int) *Date { v := NewDate(2026, 3, day); return &v }
	asOf := *d(10)
	tests := []struct {
		name string
		f    FollowUp
		want bool
	}{
		{"due today", FollowUp{NextAction: "回访", NextDate: d(10)}, true},
		{"overdue", FollowUp{NextAction: "回访", NextDate: d(1)}, true},
		{"later", FollowUp{NextAction: "回访", NextDate: d(11)}, false},
		{"done", FollowUp{NextAction: "回访", NextDate: d(1), Done: true}, false},
		{"no date", FollowUp{NextAction: "回访"}, false},
	}
	for _, tt := range tests {
		if got := tt.f.Due(asOf); got != tt.want {
			t.Errorf("%s: Due = %v, want %v", tt.name, got, tt.want)
		}
	}
}
