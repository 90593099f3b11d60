package journey_test

import (
	"testing"

	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/journey"
)

// TestPriorityAgeReads checks the priority line reads right for any age a
// branch may set: Russian says "с 61 года" but "с 62 лет".
func TestPriorityAgeReads(t *testing.T) {
	cat, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		age  int
		lang i18n.Lang
		want string
	}{
		{61, i18n.Russian, "Приоритетная очередь (с 61 года): вас вызовут раньше"},
		{62, i18n.Russian, "Приоритетная очередь (с 62 лет): вас вызовут раньше"},
		{65, i18n.Russian, "Приоритетная очередь (с 65 лет): вас вызовут раньше"},
		{70, i18n.Russian, "Приоритетная очередь (с 70 лет): вас вызовут раньше"},
		{61, i18n.Kazakh, "Басым кезек (61 жастан бастап): сізді ертерек шақырады"},
		{62, i18n.Kazakh, "Басым кезек (62 жастан бастап): сізді ертерек шақырады"},
		{65, i18n.Kazakh, "Басым кезек (65 жастан бастап): сізді ертерек шақырады"},
		{70, i18n.Kazakh, "Басым кезек (70 жастан бастап): сізді ертерек шақырады"},
		{61, i18n.English, "Priority lane (aged 61 and over): you are called sooner"},
		{62, i18n.English, "Priority lane (aged 62 and over): you are called sooner"},
		{65, i18n.English, "Priority lane (aged 65 and over): you are called sooner"},
		{70, i18n.English, "Priority lane (aged 70 and over): you are called sooner"},
	}
	for _, tt := range tests {
		tk := journey.TicketData{Number: "A-042", Lang: tt.lang, Priority: true, PriorityAge: tt.age}
		if got := tk.Block(cat, tt.lang).Priority; got != tt.want {
			t.Errorf("age %d, %s: priority line %q, want %q", tt.age, tt.lang, got, tt.want)
		}
	}
}
