package mrz

import "encoding/json"

// jsonDoc is the `kiosk mrz` output contract. Field order here is the order
// in the output.
type jsonDoc struct {
	Format         string       `json:"format"`
	Valid          bool         `json:"valid"`
	DocumentCode   string       `json:"documentCode"`
	IssuingState   string       `json:"issuingState"`
	Nationality    string       `json:"nationality"`
	Surname        string       `json:"surname"`
	GivenNames     string       `json:"givenNames"`
	DocumentNumber string       `json:"documentNumber"`
	BirthDate      *string      `json:"birthDate"`
	ExpiryDate     *string      `json:"expiryDate"`
	Sex            string       `json:"sex"`
	OptionalData   string       `json:"optionalData"`
	OptionalData2  *string      `json:"optionalData2,omitempty"`
	IssueDate      *string      `json:"issueDate,omitempty"`
	DepartmentCode string       `json:"departmentCode,omitempty"`
	Latin          *jsonLatin   `json:"latin,omitempty"`
	Checks         jsonChecks   `json:"checks"`
	Repairs        []jsonRepair `json:"repairs"`
	Variants       []string     `json:"variants,omitempty"`
}

type jsonLatin struct {
	Surname    string `json:"surname"`
	GivenNames string `json:"givenNames"`
}

// jsonChecks has one boolean per check digit the format has, absent ones
// left out, and "letters" for the rule that names and state codes hold no
// digit.
type jsonChecks struct {
	DocumentNumber *bool `json:"documentNumber,omitempty"`
	BirthDate      *bool `json:"birthDate,omitempty"`
	ExpiryDate     *bool `json:"expiryDate,omitempty"`
	OptionalData   *bool `json:"optionalData,omitempty"`
	Composite      *bool `json:"composite,omitempty"`
	Letters        *bool `json:"letters,omitempty"`
}

type jsonRepair struct {
	Field  string `json:"field"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	From   string `json:"from"`
	To     string `json:"to"`
}

// MarshalJSON writes the document in the `kiosk mrz` schema: dates as
// "YYYY-MM-DD" or null, sex "M"/"F"/"X", one boolean per check digit the
// format has and "letters", the repairs made, the issuer's variants
// ("variants", left out when none), and for the Russian internal passport the
// Cyrillic names with their ICAO transliteration under "latin".
func (d *Document) MarshalJSON() ([]byte, error) {
	j := jsonDoc{
		Format:         d.Format.String(),
		Valid:          d.Valid,
		DocumentCode:   d.DocumentCode,
		IssuingState:   d.IssuingState,
		Nationality:    d.Nationality,
		Surname:        d.Surname,
		GivenNames:     d.GivenNames,
		DocumentNumber: d.DocumentNumber,
		BirthDate:      dateJSON(d.BirthDate),
		ExpiryDate:     dateJSON(d.ExpiryDate),
		Sex:            d.Sex.String(),
		OptionalData:   d.OptionalData,
		Checks: jsonChecks{
			DocumentNumber: checkJSON(d.Checks.DocumentNumber),
			BirthDate:      checkJSON(d.Checks.BirthDate),
			ExpiryDate:     checkJSON(d.Checks.ExpiryDate),
			OptionalData:   checkJSON(d.Checks.OptionalData),
			Composite:      checkJSON(d.Checks.Composite),
			Letters:        checkJSON(d.Checks.Letters),
		},
		Variants: d.Variants.Names(),
		Repairs:  make([]jsonRepair, 0, len(d.Repairs)),
	}
	if d.Format == TD1 {
		j.OptionalData2 = &d.OptionalData2
	}
	if r := d.Russian; r != nil {
		j.IssueDate = dateJSON(r.IssueDate)
		j.DepartmentCode = r.DepartmentCode
		j.Latin = &jsonLatin{Surname: r.LatinSurname, GivenNames: r.LatinGivenNames}
	}
	for _, r := range d.Repairs {
		j.Repairs = append(j.Repairs, jsonRepair{Field: r.Field, Line: r.Line, Column: r.Column, From: string(r.From), To: string(r.To)})
	}
	return json.Marshal(j)
}

func dateJSON(d Date) *string {
	if !d.Known() {
		return nil
	}
	s := d.String()
	return &s
}

func checkJSON(r CheckResult) *bool {
	if r == CheckAbsent {
		return nil
	}
	ok := r == CheckPassed
	return &ok
}
