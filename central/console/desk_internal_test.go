package console

import (
	"github.com/hcsc-kz/kiosk/central"
	"testing"
	"time"
)

func TestAge(t *testing.T) {
	at := time.Date(2025, 9, 24, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		birth string
		want  int
	}{
		{"1960-09-24", 65}, // the birthday itself
		{"1960-09-25", 64}, // the day before
		{"1960-10-01", 64},
		{"1960-01-31", 65},
		{"", 0},           // the MRZ had fillers
		{"2030-01-01", 0}, // a date in the future
		{"1960-13-01", 0},
	} {
		if got := age(tc.birth, at); got != tc.want {
			t.Errorf("age(%q) = %d, want %d", tc.birth, got, tc.want)
		}
	}
}

// TestAuditActionWords: every action the audit log records has a word in
// every language of the supervisor page, so no supervisor reads a code.
func TestAuditActionWords(t *testing.T) {
	for lang, w := range superAll {
		for _, a := range central.AuditActions() {
			if w.Actions[a] == "" {
				t.Errorf("the audit action %q has no word in %s", a, lang)
			}
		}
	}
}

// TestDocName: the card names the document type in the clerk's language
// with its code, not the bare code.
func TestDocName(t *testing.T) {
	kk, ru, en := &text{deskWords: deskKK}, &text{deskWords: deskRU}, &text{deskWords: deskEN}
	for _, tc := range []struct {
		t             *text
		code, issuing string
		want          string
	}{
		{ru, "PN", "RUS", "Внутренний паспорт РФ (PN)"},
		{kk, "PN", "RUS", "РФ ішкі төлқұжаты (PN)"},
		{en, "PN", "RUS", "Russian internal passport (PN)"},
		{ru, "PN", "UTO", "Паспорт (PN)"}, // another state's P-type
		{ru, "P", "KAZ", "Паспорт (P)"},
		{kk, "P", "KAZ", "Төлқұжат (P)"},
		{en, "ID", "KAZ", "Identity card (ID)"},
		{ru, "I", "D", "Удостоверение личности (I)"},
		{en, "V", "KAZ", "Visa (V)"},
		{en, "X", "KAZ", "X"}, // unknown: the code alone
		{en, "", "", ""},
	} {
		if got := tc.t.docName(tc.code, tc.issuing); got != tc.want {
			t.Errorf("%s docName(%q, %q) = %q, want %q", tc.t.Lang, tc.code, tc.issuing, got, tc.want)
		}
	}
}
