package config

// PolicyEntry is one issuing state's answer to the question the
// translation rule turns on: does this state's passport print the place of
// birth in Latin or Cyrillic letters? (ICAO Doc 9303 part 3, 3.1 makes
// issuers give the holder's name in Latin letters whatever their script,
// so the name needs no translation; the place of birth is the field that
// can be missing in Latin or Cyrillic.)
type PolicyEntry struct {
	// State is the MRZ's ICAO code ("D" for Germany).
	State string
	// Policy is TranslationNotRequired (it does), TranslationRequired (it
	// does not) or TranslationAsk (the kiosk asks the visitor).
	Policy string
	// Source says where the answer comes from.
	Source string
	// Assumed marks an answer nobody has checked against a specimen or a
	// rule; it never demands a translation (it asks instead).
	Assumed bool
}

// Sources of the table's entries.
const (
	srcLatin    = "the state's language is written in Latin letters, so every field of the data page is"
	srcCyrillic = "the state's language is written in Cyrillic letters, so every field of the data page is"
	srcUnknown  = "assumed: the national script is neither Latin nor Cyrillic, and whether the place of birth is also printed in Latin was not checked against a specimen"
)

// PlaceOfBirthPolicy is the shipped policy table, the start of every
// branch's flow.translation_policy. An entry is "not-required" only where
// it follows from the script the state writes its language in; states with
// another script are "ask" until someone checks their passports (the
// visitor is asked one question), and there is no "required" entry: none
// has been checked. A state not listed is asked about too.
func PlaceOfBirthPolicy() []PolicyEntry {
	entries := []PolicyEntry{
		{State: "RUS", Source: srcCyrillic}, {State: "BLR", Source: srcCyrillic},
		{State: "UKR", Source: srcCyrillic}, {State: "KGZ", Source: srcCyrillic},
		{State: "TJK", Source: srcCyrillic}, {State: "MNG", Source: srcCyrillic},
		{State: "UZB", Source: srcLatin}, {State: "TKM", Source: srcLatin},
		{State: "AZE", Source: srcLatin}, {State: "MDA", Source: srcLatin},
		{State: "TUR", Source: srcLatin}, {State: "D", Source: srcLatin}, {State: "DEU", Source: srcLatin},
		{State: "FRA", Source: srcLatin}, {State: "GBR", Source: srcLatin},
		{State: "USA", Source: srcLatin}, {State: "ITA", Source: srcLatin},
		{State: "POL", Source: srcLatin}, {State: "VNM", Source: srcLatin},
	}
	for i := range entries {
		entries[i].Policy = TranslationNotRequired
	}
	// Common in the halls; their passports may well print the place of
	// birth in Latin too (China's in pinyin, for one), but until a
	// specimen is checked the visitor is asked rather than sent for a
	// translation they may not need.
	for _, s := range []string{"CHN", "KOR", "JPN", "GEO", "ARM", "IRN", "AFG", "ISR", "GRC", "THA",
		"SAU", "ARE", "EGY", "SYR", "IRQ", "IND", "PAK"} {
		entries = append(entries, PolicyEntry{State: s, Policy: TranslationAsk, Source: srcUnknown, Assumed: true})
	}
	return entries
}

// defaultTranslationPolicy is PlaceOfBirthPolicy as the map
// flow.translation_policy holds.
func defaultTranslationPolicy() map[string]string {
	m := make(map[string]string)
	for _, e := range PlaceOfBirthPolicy() {
		m[e.State] = e.Policy
	}
	return m
}
