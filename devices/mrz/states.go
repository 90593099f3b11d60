package mrz

import "strings"

// knownStates holds the codes ICAO Doc 9303-3 allows for an issuing state
// or a nationality: the ISO 3166-1 alpha-3 codes (from the iso-codes
// project's list), Germany's "D", the British, United Nations, European
// Union and organisation codes and those for stateless persons and
// refugees (XXA, XXB, XXC, XXX), and ICAO's specimen state UTO. It is used
// only to accept a state code an OCR repair produced: Parse does not
// refuse an unknown code it read as letters.
const knownStates = "|" +
	"ABW|AFG|AGO|AIA|ALA|ALB|AND|ARE|ARG|ARM|ASM|ATA|ATF|ATG|AUS|AUT|AZE|" +
	"BDI|BEL|BEN|BES|BFA|BGD|BGR|BHR|BHS|BIH|BLM|BLR|BLZ|BMU|BOL|BRA|BRB|" +
	"BRN|BTN|BVT|BWA|CAF|CAN|CCK|CHE|CHL|CHN|CIV|CMR|COD|COG|COK|COL|COM|" +
	"CPV|CRI|CUB|CUW|CXR|CYM|CYP|CZE|D|DEU|DJI|DMA|DNK|DOM|DZA|ECU|EGY|" +
	"ERI|ESH|ESP|EST|ETH|EUE|FIN|FJI|FLK|FRA|FRO|FSM|GAB|GBD|GBN|GBO|GBP|" +
	"GBR|GBS|GEO|GGY|GHA|GIB|GIN|GLP|GMB|GNB|GNQ|GRC|GRD|GRL|GTM|GUF|GUM|" +
	"GUY|HKG|HMD|HND|HRV|HTI|HUN|IDN|IMN|IND|IOT|IRL|IRN|IRQ|ISL|ISR|ITA|" +
	"JAM|JEY|JOR|JPN|KAZ|KEN|KGZ|KHM|KIR|KNA|KOR|KWT|LAO|LBN|LBR|LBY|LCA|" +
	"LIE|LKA|LSO|LTU|LUX|LVA|MAC|MAF|MAR|MCO|MDA|MDG|MDV|MEX|MHL|MKD|MLI|" +
	"MLT|MMR|MNE|MNG|MNP|MOZ|MRT|MSR|MTQ|MUS|MWI|MYS|MYT|NAM|NCL|NER|NFK|" +
	"NGA|NIC|NIU|NLD|NOR|NPL|NRU|NZL|OMN|PAK|PAN|PCN|PER|PHL|PLW|PNG|POL|" +
	"PRI|PRK|PRT|PRY|PSE|PYF|QAT|REU|RKS|ROU|RUS|RWA|SAU|SDN|SEN|SGP|SGS|" +
	"SHN|SJM|SLB|SLE|SLV|SMR|SOM|SPM|SRB|SSD|STP|SUR|SVK|SVN|SWE|SWZ|SXM|" +
	"SYC|SYR|TCA|TCD|TGO|THA|TJK|TKL|TKM|TLS|TON|TTO|TUN|TUR|TUV|TWN|TZA|" +
	"UGA|UKR|UMI|UNA|UNK|UNO|URY|USA|UTO|UZB|VAT|VCT|VEN|VGB|VIR|VNM|VUT|" +
	"WLF|WSM|XBA|XCC|XCE|XCO|XDC|XEC|XES|XIM|XMP|XOM|XPO|XXA|XXB|XXC|XXX|" +
	"YEM|ZAF|ZMB|ZWE|"

// isKnownState reports whether code (fillers trimmed) is in knownStates.
func isKnownState(code string) bool {
	return len(code) > 0 && strings.IndexByte(code, '|') < 0 && strings.Contains(knownStates, "|"+code+"|")
}
