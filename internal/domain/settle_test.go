package domain

import (
	"reflect"
	"testing"
)

func TestPlanSettle(t *testing.T) {
	tests := []struct {
		name            string
		debits, credits []OpenDoc
		want            []Allocation
	}{
		{"an invoice and a return credit of the same amount cancel out",
			[]OpenDoc{{1, 229}}, []OpenDoc{{9, 229}}, []Allocation{{1, 9, 229}}},
		{"credits in order, each debit filled before the next",
			[]OpenDoc{{1, 34000}, {2, 72000}}, []OpenDoc{{10, 30000}, {11, 76000}},
			[]Allocation{{1, 10, 30000}, {1, 11, 4000}, {2, 11, 72000}}},
		{"more credit than debit: the rest stays open",
			[]OpenDoc{{1, 100}}, []OpenDoc{{9, 250}}, []Allocation{{1, 9, 100}}},
		{"nothing open on a side", []OpenDoc{{1, 0}, {2, 5}}, []OpenDoc{{9, 0}, {10, 5}}, []Allocation{{2, 10, 5}}},
		{"no credits", []OpenDoc{{1, 5}}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlanSettle(tt.debits, tt.credits); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
