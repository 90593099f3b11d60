package scanner_test

import "strings"

// ICAO Doc 9303 specimens (the fictitious state Utopia): public test data,
// no real person.
const (
	td3L1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
	td3L2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
	td1L1 = "I<UTOD231458907<<<<<<<<<<<<<<<"
	td1L2 = "7408122F1204159UTO<<<<<<<<<<<6"
	td1L3 = "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"
	td2L1 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<"
	td2L2 = "D231458907UTO7408122F1204159<<<<<<<6"
	// td3Bad has a character outside the MRZ alphabet: the parser refuses it.
	td3BadL1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<#"
	// td3Forged has a wrong birth date check digit: a document, not Valid.
	td3ForgedL2 = "L898902C36UTO7408121F1204159ZE184226B<<<<<10"
)

var (
	td3 = td3L1 + "\n" + td3L2
	td1 = td1L1 + "\n" + td1L2 + "\n" + td1L3
	td2 = td2L1 + "\n" + td2L2
)

// cr sends lines the commonest way: each line ends with CR.
func cr(lines ...string) string { return strings.Join(lines, "\r") + "\r" }
