package precheck

import "fmt"

// Field is a field of the passport's data page that the translation rule
// looks at.
type Field uint8

// The fields, in the order the rule reports them.
const (
	Surname Field = iota
	GivenNames
	PlaceOfBirth
)

var fieldNames = [...]string{Surname: "surname", GivenNames: "givenNames", PlaceOfBirth: "placeOfBirth"}

// reasonSuffix names the field in its reason's key.
var reasonSuffix = [...]string{Surname: "surname", GivenNames: "given_names", PlaceOfBirth: "place_of_birth"}

// String returns "surname", "givenNames" or "placeOfBirth", as `kiosk
// precheck --viz` takes them.
func (f Field) String() string {
	if int(f) < len(fieldNames) {
		return fieldNames[f]
	}
	return fmt.Sprintf("Field(%d)", f)
}

// ParseField reads a field's name as String writes it.
func ParseField(s string) (Field, error) {
	for f, name := range fieldNames {
		if s == name {
			return Field(f), nil
		}
	}
	return 0, fmt.Errorf("precheck: field %q: want surname, givenNames or placeOfBirth", s)
}
