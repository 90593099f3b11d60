package main

import (
	"strings"
	"testing"
)

// TestPrecheckVIZFieldTwice: the same --viz field twice is a usage error
// (exit 2) naming the field, never the texts, which may be a name; it is
// not the last one silently taken.
func TestPrecheckVIZFieldTwice(t *testing.T) {
	ind := precheckTD3("IND", "SHARMA<<PRIYA", "900215", "300101")
	for _, args := range [][]string{
		{"--viz", "placeOfBirth=القاهرة", "--viz", "placeOfBirth=CAIRO"},
		{"--viz", "surname=SHARMA", "--viz=surname=शर्मा"},
	} {
		_, stderr, code := runPrecheck(t, ind, args...)
		field, _, _ := strings.Cut(strings.TrimPrefix(args[len(args)-1], "--viz="), "=")
		if code != 2 || !strings.Contains(stderr, "--viz") || !strings.Contains(stderr, field) {
			t.Errorf("kiosk precheck %v = exit %d, %q, want exit 2 naming --viz and %s", args, code, stderr, field)
		}
		for _, a := range args {
			if _, text, ok := strings.Cut(strings.TrimPrefix(a, "--viz="), "="); ok && strings.Contains(stderr, text) {
				t.Errorf("kiosk precheck %v: stderr %q repeats the text %q", args, stderr, text)
			}
		}
	}
}

// TestPrecheckVIZFieldsNamed: when more than one field is in another
// script only, the translation's reason names each, in every language.
func TestPrecheckVIZFieldsNamed(t *testing.T) {
	chn := precheckTD3("CHN", "ZHANG<<WEI", "900215", "300101")
	tests := []struct {
		args []string
		lang string
		want []string
	}{
		{[]string{"--viz", "surname=张", "--viz", "placeOfBirth=北京"}, "en", []string{"surname", "place of birth"}},
		{[]string{"--viz", "surname=张", "--viz", "placeOfBirth=北京"}, "ru", []string{"фамилию", "место рождения"}},
		{[]string{"--viz", "surname=张", "--viz", "placeOfBirth=北京"}, "kk", []string{"тегі", "туған жері"}},
		{[]string{"--viz", "surname=张", "--viz", "givenNames=伟"}, "en", []string{"surname", "given names"}},
		{[]string{"--viz", "givenNames=伟", "--viz", "placeOfBirth=北京"}, "ru", []string{"имя", "место рождения"}},
		{[]string{"--viz", "surname=张", "--viz", "givenNames=伟", "--viz", "placeOfBirth=北京"}, "kk", []string{"тегі", "аты", "туған жері"}},
		{[]string{"--viz", "surname=张", "--viz", "givenNames=伟", "--viz", "placeOfBirth=北京"}, "en", []string{"surname", "given names", "place of birth"}},
	}
	for _, tt := range tests {
		args := append(tt.args, "--lang="+tt.lang)
		out, stderr, code := runPrecheck(t, chn, args...)
		if code != 0 {
			t.Fatalf("kiosk precheck %v = exit %d (%s), want 0", args, code, stderr)
		}
		reason := ""
		for _, it := range out.Items {
			if it.Key == "precheck.item.notarized_translation" {
				reason = it.Reason
			}
		}
		for _, w := range tt.want {
			if !strings.Contains(reason, w) {
				t.Errorf("kiosk precheck %v: translation reason %q does not name %q", args, reason, w)
			}
		}
	}
}
