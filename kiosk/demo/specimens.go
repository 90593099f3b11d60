package demo

// Specimen is a sample passport for the demo: fictitious holders, check
// digits correct, expiry dates in the future.
type Specimen struct {
	ID    string
	Label string // shown on the demo's scan button; no personal data of anyone real
	Lines []string
}

// Specimens are the demo's passports: the first is what F2 scans.
func Specimens() []Specimen {
	return []Specimen{
		{ID: "latin", Label: "D", Lines: []string{
			"P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<",
			"C01X00T478D<<6408125F3108099<<<<<<<<<<<<<<<4",
		}},
		{ID: "non-latin", Label: "CHN", Lines: []string{
			"P<CHNZHANG<<WEI<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
			"E123456782CHN9001158M3203031<<<<<<<<<<<<<<<6",
		}},
		{ID: "rus-internal", Label: "RUS PN", Lines: []string{
			"PNRUSIVANOV<<IVAN<IVANOVI3<<<<<<<<<<<<<<<<<<",
			"4501234568RUS8001014M<<<<<<09250210770007<86",
		}},
		{ID: "over-65", Label: "GBR 65+", Lines: []string{
			"P<GBRSMITH<<JOHN<PAUL<<<<<<<<<<<<<<<<<<<<<<<",
			"5334013720GBR5811306M3004124<<<<<<<<<<<<<<<8",
		}},
		{ID: "kaz-citizen", Label: "KAZ", Lines: []string{
			"P<KAZNURLANULY<<ARMAN<<<<<<<<<<<<<<<<<<<<<<<",
			"N123456785KAZ9505058M3301018<<<<<<<<<<<<<<<2",
		}},
	}
}
