package i18n

import (
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// isoRegion maps the ICAO 9303 state codes that are not ISO 3166 codes to
// one CLDR knows: Germany's one-letter "D", and the codes for nationals of
// the British territories, which CLDR knows only as the United Kingdom.
func isoRegion(code string) string {
	switch code {
	case "D":
		return "DEU"
	case "GBD", "GBN", "GBO", "GBP", "GBS":
		return "GBR"
	}
	return code
}

// Country names an ICAO state code in the language, with the code after it
// in brackets for the clerk: "Германия (D)". A code CLDR does not know
// (the specimen state UTO, XXA for a stateless person) is given as it is.
func (c *Catalog) Country(lang Lang, code string) string {
	region, err := language.ParseRegion(isoRegion(code))
	if err != nil || code == "" {
		return code
	}
	tag, err := language.Parse(string(lang))
	if err != nil {
		return code
	}
	name := display.Regions(tag).Name(region)
	if name == "" {
		return code
	}
	return name + " (" + code + ")"
}
