package hall

import (
	"errors"
	"strconv"
	"strings"
)

// Phrase is an announcement: a ticket number called to a window, as the
// Kazakh and the Russian voice say it. It is built only from a number and
// a window that ParsePhrase accepted: never free text.
type Phrase struct {
	Number string // "A042", as printed
	Window int    // 1 to MaxWindow
	KK, RU string
}

// MaxWindow is the highest window number an announcement names.
const MaxWindow = 999

// ErrPhrase: a number or a window an announcement cannot be made of.
var ErrPhrase = errors.New("hall: announce a number such as A042 (1 to 8 capital Latin letters, 3 to 6 digits) and a window 1 to 999")

// ParsePhrase checks a ticket number and a window strictly and makes
// their announcement. The number is its prefix, 1 to 8 capital Latin
// letters, then 3 to 6 digits, as the hall's numbers are printed; the
// window is a number 1 to MaxWindow without leading zeros. Errors:
// ErrPhrase.
//
// The voices read "A042" badly: the Russian one says the Latin A in
// English and both say "zero forty-two". So the letters are written as
// their Russian names in Cyrillic (A "А", P "Пэ", K "Ка"), which the
// Kazakh voice reads the same way, and the digits as the number without
// its leading zeros: "А 42". The Kazakh phrase names the window with an
// ordinal in words, "үшінші терезеге келіңіз" (please come to the third
// window), as a Kazakh announcement does; the voice reads "3-терезеге" as
// "үш терезеге", a cardinal. The Russian one says "окно 3".
//
//	kk: Нөмір А 42, үшінші терезеге келіңіз.
//	ru: Номер А 42, окно 3.
func ParsePhrase(number, window string) (Phrase, error) {
	letters := 0
	for letters < len(number) && 'A' <= number[letters] && number[letters] <= 'Z' {
		letters++
	}
	digits := number[letters:]
	if letters < 1 || letters > 8 || len(digits) < 3 || len(digits) > 6 || !allDigits(digits) {
		return Phrase{}, ErrPhrase
	}
	if len(window) == 0 || len(window) > 3 || window[0] == '0' || !allDigits(window) {
		return Phrase{}, ErrPhrase
	}
	win, _ := strconv.Atoi(window) // three digits at most: no error
	n, _ := strconv.Atoi(digits)
	var spoken strings.Builder
	for i := 0; i < letters; i++ {
		spoken.WriteString(letterNames[number[i]-'A'])
		spoken.WriteByte(' ')
	}
	spoken.WriteString(strconv.Itoa(n))
	return Phrase{
		Number: number,
		Window: win,
		KK:     "Нөмір " + spoken.String() + ", " + kazakhOrdinal(win) + " терезеге келіңіз.",
		RU:     "Номер " + spoken.String() + ", окно " + window + ".",
	}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// letterNames are the Latin letters' names as Russian speakers say them,
// in Cyrillic, which both voices read.
var letterNames = [26]string{
	"А", "Бэ", "Цэ", "Дэ", "Е", "Эф", "Гэ", "Аш", "И", "Йот", "Ка", "Эль", "Эм",
	"Эн", "О", "Пэ", "Кю", "Эр", "Эс", "Тэ", "У", "Вэ", "Дубль-вэ", "Икс", "Игрек", "Зэт",
}

// Kazakh numerals: only the last word of a number takes the ordinal
// ending (он екі → он екінші), and its form is irregular enough
// (қырық → қырқыншы, жиырма → жиырмасыншы) to be listed, not derived.
var (
	kkUnits    = [10]string{"", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"}
	kkUnitsOrd = [10]string{"", "бірінші", "екінші", "үшінші", "төртінші", "бесінші", "алтыншы", "жетінші", "сегізінші", "тоғызыншы"}
	kkTens     = [10]string{"", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"}
	kkTensOrd  = [10]string{"", "оныншы", "жиырмасыншы", "отызыншы", "қырқыншы", "елуінші", "алпысыншы", "жетпісінші", "сексенінші", "тоқсаныншы"}
)

// kazakhOrdinal writes n, 1 to 999, as a Kazakh ordinal in words.
func kazakhOrdinal(n int) string {
	h, t, u := n/100, n/10%10, n%10
	var words []string
	if h > 0 {
		if h > 1 {
			words = append(words, kkUnits[h])
		}
		if t == 0 && u == 0 {
			return strings.Join(append(words, "жүзінші"), " ")
		}
		words = append(words, "жүз")
	}
	if u == 0 {
		return strings.Join(append(words, kkTensOrd[t]), " ")
	}
	if t > 0 {
		words = append(words, kkTens[t])
	}
	return strings.Join(append(words, kkUnitsOrd[u]), " ")
}
