package hall

import (
	"slices"
	"testing"
	"time"

	"github.com/hcsc-kz/kiosk/central"
	"github.com/hcsc-kz/kiosk/central/api"
)

func TestBoardApply(t *testing.T) {
	ev := func(kind api.Change, number, window string) api.BranchEvent {
		return api.BranchEvent{Kind: kind, Number: number, Window: window}
	}
	for _, tc := range []struct {
		name    string
		events  []api.BranchEvent
		calls   []call
		serving []call
	}{
		{"calls, latest first", []api.BranchEvent{ev(api.ChangeCalled, "A001", "1"), ev(api.ChangeCalled, "A002", "10"), ev(api.ChangeCalled, "A003", "2")},
			[]call{{"A003", "2"}, {"A002", "10"}, {"A001", "1"}}, []call{{"A001", "1"}, {"A003", "2"}, {"A002", "10"}}},
		{"a recall goes to the top once", []api.BranchEvent{ev(api.ChangeCalled, "A001", "1"), ev(api.ChangeCalled, "A002", "2"), ev(api.ChangeRecalled, "A001", "1")},
			[]call{{"A001", "1"}, {"A002", "2"}}, []call{{"A001", "1"}, {"A002", "2"}}},
		{"completion and no-show free the window", []api.BranchEvent{ev(api.ChangeCalled, "A001", "1"), ev(api.ChangeCalled, "A002", "2"),
			ev(api.ChangeCompleted, "A001", "1"), ev(api.ChangeNoShow, "A002", "2")},
			[]call{{"A002", "2"}, {"A001", "1"}}, nil},
		{"a late completion leaves the window's new number", []api.BranchEvent{ev(api.ChangeCalled, "A001", "1"), ev(api.ChangeCalled, "A002", "1"),
			ev(api.ChangeCompleted, "A001", "1")},
			[]call{{"A002", "1"}, {"A001", "1"}}, []call{{"A002", "1"}}},
		{"a redirected number leaves the board", []api.BranchEvent{ev(api.ChangeCalled, "A001", "1"), ev(api.ChangeRedirected, "A001", "")},
			nil, nil},
		{"a number redirected to another window leaves its own", []api.BranchEvent{ev(api.ChangeCalled, "A001", "1"), ev(api.ChangeRedirected, "A001", "3")},
			nil, nil},
		{"issued and kiosk events change nothing", []api.BranchEvent{ev(api.ChangeIssued, "A001", ""), {Kind: api.ChangeKiosk, Kiosk: "K-01"}},
			nil, nil},
		{"seven calls shown", []api.BranchEvent{ev(api.ChangeCalled, "A001", "1"), ev(api.ChangeCalled, "A002", "1"), ev(api.ChangeCalled, "A003", "1"),
			ev(api.ChangeCalled, "A004", "1"), ev(api.ChangeCalled, "A005", "1"), ev(api.ChangeCalled, "A006", "1"), ev(api.ChangeCalled, "A007", "1"),
			ev(api.ChangeCalled, "A008", "1")},
			[]call{{"A008", "1"}, {"A007", "1"}, {"A006", "1"}, {"A005", "1"}, {"A004", "1"}, {"A003", "1"}, {"A002", "1"}}, []call{{"A008", "1"}}},
	} {
		b := newBoard(central.HallBoard{})
		for _, e := range tc.events {
			b.apply(e)
		}
		if !slices.Equal(b.Calls, tc.calls) || !slices.Equal(b.Serving, tc.serving) {
			t.Errorf("%s: calls %v serving %v; want %v and %v", tc.name, b.Calls, b.Serving, tc.calls, tc.serving)
		}
	}
}

func TestSpeakable(t *testing.T) {
	now := time.Date(2025, 9, 24, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		kind api.Change
		age  time.Duration
		want bool
	}{
		{api.ChangeCalled, 0, true}, {api.ChangeRecalled, 30 * time.Second, true}, {api.ChangeCalled, 31 * time.Second, false},
		{api.ChangeCalled, 5 * time.Minute, false}, {api.ChangeCompleted, 0, false}, {api.ChangeCalled, -time.Second, true},
	} {
		if got := speakable(api.BranchEvent{Kind: tc.kind, At: now.Add(-tc.age)}, now, DefaultSpeakWithin); got != tc.want {
			t.Errorf("%s %v old: speakable = %v", tc.kind, tc.age, got)
		}
	}
}
