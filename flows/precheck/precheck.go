package precheck

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/config/zone"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/workday"
)

// Applicant says who stands at the kiosk.
type Applicant uint8

// Who may apply (shared/CONTEXT.md: in person, or a representative with a
// notarized power of attorney).
const (
	Self           Applicant = iota // the foreigner who needs the IIN
	Representative                  // someone applying for them
)

// Answer is the visitor's answer about the place of birth: Yes when it is
// written only in letters other than Latin and Cyrillic (a translation is
// needed), No when it is written in Latin or Cyrillic letters, alone or
// beside another script.
type Answer uint8

// The answers; Unanswered until the visitor has been asked.
const (
	Unanswered Answer = iota
	Yes
	No
)

// VIZ is what the scanner read of the passport's visual zone, when it
// reads more than the MRZ. Fields wins over the whole page's Text, and
// Text over Scripts, when they have letters.
type VIZ struct {
	// Fields is the text of single fields as the scanner read them, in any
	// script: a full-page scanner that knows the layout gives them.
	Fields map[Field]string
	// Text is the whole visual zone's text in any script, when the scanner
	// cannot say which field is which.
	Text string
	// Scripts are ISO 15924 codes ("Latn", "Cyrl", "Arab", "Hani", …) of
	// the letters the scanner saw. "Zyyy", "Zinh", "Zxxx" and "Zzzz" say
	// nothing and are ignored, and so is anything that is not four letters.
	Scripts []string
}

// Input is one application as the kiosk knows it when it prechecks.
type Input struct {
	// Doc is the parsed MRZ; nil when the scan gave nothing that parses.
	Doc *mrz.Document
	// NotICAO, with Doc nil, is the document the scan was recognised as
	// when its MRZ is not an ICAO one (mrz.ErrNotICAO): refused for what it
	// is, not counted as a misread.
	NotICAO mrz.NonICAO
	// PreviousFailures counts this visitor's failed scans before this one.
	PreviousFailures int
	Applicant        Applicant
	VIZ              VIZ
	// NonLatin is the visitor's answer to the place-of-birth question,
	// asked only when the scanner and the policy table cannot decide.
	NonLatin Answer
	// PowerOfAttorneyFrom and TranslationFrom are the ICAO codes of the
	// states where those documents were notarized: "KAZ" for Kazakhstan, ""
	// when unknown.
	PowerOfAttorneyFrom string
	TranslationFrom     string
	// At is when the application is made; it is read in the branch's zone.
	At time.Time
}

// Decision is the precheck's verdict.
type Decision uint8

// The verdicts.
const (
	// OK: the passport is all the visitor needs at the window.
	OK Decision = iota
	// NeedsDocuments: more documents are needed at the window (the list
	// says which, some only under a condition it states).
	NeedsDocuments
	// CannotApply: no application can be taken with this document or path.
	CannotApply
	// Rescan: the scan was not usable; scan the passport again.
	Rescan
	// SeeClerk: scans kept failing; a clerk takes over.
	SeeClerk
)

// String returns the decision as in the JSON contract: "ok",
// "needs-documents", "cannot-apply", "rescan" or "see-clerk".
func (d Decision) String() string {
	switch d {
	case OK:
		return "ok"
	case NeedsDocuments:
		return "needs-documents"
	case CannotApply:
		return "cannot-apply"
	case Rescan:
		return "rescan"
	case SeeClerk:
		return "see-clerk"
	}
	return fmt.Sprintf("Decision(%d)", d)
}

// MarshalText writes the decision's name.
func (d Decision) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Source says what decided whether a translation is required.
type Source uint8

// The sources, in the order the precheck consults them.
const (
	SourceNone    Source = iota // not decided: the document was refused, or the visitor not yet asked
	SourceVIZ                   // the letters the scanner read in the visual zone
	SourcePolicy                // the issuing state's entry in flow.translation_policy
	SourceVisitor               // the visitor's answer
)

// String returns "none", "viz", "policy" or "visitor".
func (s Source) String() string {
	switch s {
	case SourceNone:
		return "none"
	case SourceVIZ:
		return "viz"
	case SourcePolicy:
		return "policy"
	case SourceVisitor:
		return "visitor"
	}
	return fmt.Sprintf("Source(%d)", s)
}

// MarshalText writes the source's name.
func (s Source) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Kind sorts the checklist's items.
type Kind uint8

// The kinds of item.
const (
	Bring   Kind = iota // a document to bring to the window
	Warning             // the application goes ahead, but the visitor should know
	Info                // the clerk will look at something
	Refusal             // why no application can be taken
	Action              // what to do now: scan again, go to the desk
)

// String returns "bring", "warning", "info", "refusal" or "action".
func (k Kind) String() string {
	switch k {
	case Bring:
		return "bring"
	case Warning:
		return "warning"
	case Info:
		return "info"
	case Refusal:
		return "refusal"
	case Action:
		return "action"
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Item is one line of the checklist: a text and its reason, both messages.
type Item struct {
	Kind   Kind
	Text   i18n.Message
	Reason i18n.Message
}

// Question is something the journey must ask before the list is final.
type Question uint8

// The questions.
const (
	NoQuestion  Question = iota
	AskNonLatin          // "is your place of birth written in Latin or Cyrillic letters?"
)

// Result is the precheck's answer. It holds message keys only: the screen,
// the ticket and `kiosk precheck` translate them.
type Result struct {
	Decision            Decision
	TranslationRequired bool
	TranslationSource   Source
	// Ask is set when the visitor's answer would change the list.
	Ask Question
	// ReadyDate is the day the IIN is ready; zero unless the decision is OK
	// or NeedsDocuments. ReadyDateCovered is false when the calendar data do
	// not cover that year (the date ignores that year's transfers).
	ReadyDate        config.Day
	ReadyDateCovered bool
	// Expiry is the passport's expiry date, derived for the Russian internal
	// passport; zero when unknown.
	Expiry config.Day
	Items  []Item
	// Notices are said to every visitor who can apply: the service is free,
	// the ready date, eGov.
	Notices []i18n.Message
}

// Message keys the precheck gives. Every one is in each catalog (tested).
const (
	keyPassport          = "precheck.item.passport"
	keyPrincipalPassport = "precheck.item.principal_passport"
	keyTranslation       = "precheck.item.notarized_translation"
	keyTranslationIf     = "precheck.item.translation_if"
	keyPoA               = "precheck.item.poa"
	keyRepID             = "precheck.item.rep_id"
	keyLegalPoA          = "precheck.item.legalisation_poa"
	keyLegalTranslation  = "precheck.item.legalisation_translation"
	keyLegalIfAbroad     = "precheck.item.legalisation_if_abroad"
	keyLegalIfAbroadTr   = "precheck.item.legalisation_abroad.translation_only"
	keyLegalIfAbroadPoA  = "precheck.item.legalisation_abroad.poa_only"
	keyExpiring          = "precheck.item.expiring"
	keyBirthMissing      = "precheck.item.birth_date_missing"
	keyNotPassport       = "precheck.item.not_passport"
	keyFrenchIDCard      = "precheck.item.french_id_card"
	keyDrivingLicence    = "precheck.item.driving_licence"
	keyKZCitizen         = "precheck.item.kz_citizen"
	keyExpired           = "precheck.item.expired"
	keyRepOff            = "precheck.item.representative_off"
	keyRescan            = "precheck.item.rescan"
	keySeeClerk          = "precheck.item.see_clerk"

	reasonPrefix = "precheck.reason."
)

// Keys lists every message key Check can put in a Result, so a test can
// check each exists in every language.
func Keys() []string {
	keys := []string{
		keyPassport, keyPrincipalPassport, keyTranslation, keyTranslationIf, keyPoA, keyRepID,
		keyLegalPoA, keyLegalTranslation, keyLegalIfAbroad, keyLegalIfAbroadTr, keyLegalIfAbroadPoA, keyExpiring, keyBirthMissing,
		keyNotPassport, keyFrenchIDCard, keyDrivingLicence, keyKZCitizen, keyExpired, keyRepOff, keyRescan, keySeeClerk,
		"notice.free", "notice.ready", "notice.egov",
	}
	for _, r := range []string{
		"passport", "principal_passport", "translation_viz", "field_not_latin.surname", "field_not_latin.given_names",
		"field_not_latin.place_of_birth", "fields_not_latin.surname_given_names", "fields_not_latin.surname_place_of_birth",
		"fields_not_latin.given_names_place_of_birth", "fields_not_latin.all", "translation_policy", "translation_visitor",
		"translation_ask", "poa", "rep_id", "legalisation", "legalisation_if_abroad", "expiring",
		"birth_date_missing", "not_passport", "not_icao", "kz_citizen", "expired", "expired_age", "representative_off",
		"check_digits", "unreadable", "bad_birth_date", "bad_expiry_date", "missing_surname",
		"missing_document_number", "missing_nationality", "missing_expiry_date", "scan_failures",
	} {
		keys = append(keys, reasonPrefix+r)
	}
	return keys
}

// Checker runs the precheck with one branch's settings. It never changes
// after New, so it is safe for concurrent use.
type Checker struct {
	flow        config.Flow
	cal         *workday.Calendar
	loc         *time.Location
	hours       config.Schedule
	conventions map[string]bool
}

// ErrSettings is wrapped by New's errors: settings the precheck cannot use.
var ErrSettings = errors.New("precheck: settings")

// ForBranch returns a Checker for a branch in Kazakhstan: its flow
// settings, the embedded working-day calendar and the branch's IANA zone.
func ForBranch(flow config.Flow, name string) (*Checker, error) {
	// Kazakhstan's zones come from data built into the binary, not the
	// image's zone files, which may predate UTC+5 (1 March 2024).
	loc, err := zone.Load(name)
	if err != nil {
		return nil, fmt.Errorf("%w: time zone %q: %w", ErrSettings, name, err)
	}
	cal, err := workday.Kazakhstan()
	if err != nil {
		return nil, fmt.Errorf("%w: calendar: %w", ErrSettings, err)
	}
	return New(flow, cal, loc)
}

// ReadyDate is the day an IIN applied for at the given time is ready: the
// first working day after the day the application counts for.
func (c *Checker) ReadyDate(at time.Time) config.Day { return c.cal.ReadyDate(at.In(c.loc), c.hours) }

// Opens returns when the branch next opens (its weekday hours and the
// working-day calendar), in the branch's zone, for an instant while it is
// closed; ok is false while it is open.
func (c *Checker) Opens(at time.Time) (opens time.Time, ok bool) {
	return c.cal.NextOpening(at.In(c.loc), c.hours)
}

// New returns a Checker for the branch's flow settings, working-day
// calendar and time zone.
func New(flow config.Flow, cal *workday.Calendar, loc *time.Location) (*Checker, error) {
	if cal == nil {
		return nil, fmt.Errorf("%w: no working-day calendar; build one with workday.New", ErrSettings)
	}
	if loc == nil {
		return nil, fmt.Errorf("%w: no time zone; load the branch's with zone.Load", ErrSettings)
	}
	hours, err := flow.Hours.Schedule()
	if err != nil {
		return nil, fmt.Errorf("%w: flow.%w", ErrSettings, err)
	}
	if flow.MaxScanFailures < 1 {
		return nil, fmt.Errorf("%w: flow.max_scan_failures = %d: must be at least 1", ErrSettings, flow.MaxScanFailures)
	}
	c := &Checker{
		flow:        flow,
		cal:         cal,
		loc:         loc,
		hours:       hours,
		conventions: make(map[string]bool, len(flow.ConventionStates)),
	}
	for _, s := range flow.ConventionStates {
		c.conventions[s] = true
	}
	return c, nil
}

// Check prechecks one application. It never fails: every outcome, bad input
// included, is a decision with its reasons.
func (c *Checker) Check(in Input) Result {
	doc := in.Doc
	if doc == nil {
		switch in.NotICAO {
		case mrz.FrenchIDCard:
			return refuse(keyFrenchIDCard, "not_icao", nil)
		case mrz.DrivingLicence:
			return refuse(keyDrivingLicence, "not_icao", nil)
		}
		return c.scanFailed(in, "unreadable")
	}
	if !isPassport(doc) {
		return refuse(keyNotPassport, "not_passport", nil)
	}
	if !doc.Valid {
		return c.scanFailed(in, "check_digits")
	}
	if r := unreadableField(doc); r != "" {
		return c.scanFailed(in, r)
	}
	if doc.Nationality == "KAZ" {
		return refuse(keyKZCitizen, "kz_citizen", nil)
	}
	if in.Applicant == Representative && !c.flow.RepresentativeAllowed {
		return refuse(keyRepOff, "representative_off", nil)
	}
	at := in.At.In(c.loc)
	today := workday.DayOf(at)
	expiry, reason := expiryOf(doc, today)
	if reason == "expired_age" || (expiry != (config.Day{}) && before(expiry, today)) {
		if reason == "" {
			reason = "expired"
		}
		r := refuse(keyExpired, reason, i18n.Args{"Date": expiry})
		r.Expiry = expiry
		return r
	}

	r := Result{Decision: OK, Expiry: expiry}
	r.Items = make([]Item, 0, 8)
	if in.Applicant == Representative {
		r.add(Bring, keyPrincipalPassport, "principal_passport", nil)
	} else {
		r.add(Bring, keyPassport, "passport", nil)
	}
	c.translation(&r, in, doc)
	// The conditional apostille item names the documents the visitor has
	// whose state of notarization is not known: the translation, the power
	// of attorney, or both.
	var trAbroad, poaAbroad bool
	if r.TranslationRequired {
		trAbroad = c.legalisation(&r, in.TranslationFrom, keyLegalTranslation)
	}
	if in.Applicant == Representative {
		r.add(Bring, keyPoA, "poa", nil)
		poaAbroad = c.legalisation(&r, in.PowerOfAttorneyFrom, keyLegalPoA)
		r.add(Bring, keyRepID, "rep_id", nil)
	}
	switch {
	case trAbroad && poaAbroad:
		r.add(Bring, keyLegalIfAbroad, "legalisation_if_abroad", nil)
	case trAbroad:
		r.add(Bring, keyLegalIfAbroadTr, "legalisation_if_abroad", nil)
	case poaAbroad:
		r.add(Bring, keyLegalIfAbroadPoA, "legalisation_if_abroad", nil)
	}
	if expiry != (config.Day{}) && daysBetween(today, expiry) <= c.flow.ExpiryWarningDays {
		r.add(Warning, keyExpiring, "expiring", i18n.Args{"Date": expiry})
	}
	if doc.BirthDate.Status == mrz.DateMissing {
		r.add(Info, keyBirthMissing, "birth_date_missing", nil)
	}
	for _, it := range r.Items[1:] {
		if it.Kind == Bring {
			r.Decision = NeedsDocuments
			break
		}
	}
	r.Notices = []i18n.Message{
		i18n.M("notice.free"),
		{Key: "notice.ready"},
		i18n.M("notice.egov"),
	}
	c.Redate(&r, at)
	return r
}

// Redate sets the ready date of a result a visitor can apply with to the
// one of an application made at the given time. The journey calls it when
// the application is sent: a passport checked at 17:58 and sent at 18:01
// counts for the next working day, and its ready date moves with it.
func (c *Checker) Redate(r *Result, at time.Time) {
	if r.Decision != OK && r.Decision != NeedsDocuments {
		return
	}
	at = at.In(c.loc)
	r.ReadyDate = c.ReadyDate(at)
	r.ReadyDateCovered = c.cal.Covers(r.ReadyDate.Year) && c.cal.Covers(workday.DayOf(at).Year)
	notices := make([]i18n.Message, len(r.Notices))
	for i, n := range r.Notices {
		if n.Key == "notice.ready" {
			n = i18n.Message{Key: n.Key, Args: i18n.Args{"Date": r.ReadyDate}}
		}
		notices[i] = n
	}
	r.Notices = notices
}

func (r *Result) add(kind Kind, key, reason string, args i18n.Args) {
	r.Items = append(r.Items, Item{
		Kind:   kind,
		Text:   i18n.Message{Key: key, Args: args},
		Reason: i18n.Message{Key: reasonPrefix + reason, Args: args},
	})
}

func refuse(key, reason string, args i18n.Args) Result {
	r := Result{Decision: CannotApply}
	r.add(Refusal, key, reason, args)
	return r
}

// scanFailed asks for another scan, or sends the visitor to a clerk once
// this failure reaches flow.max_scan_failures.
func (c *Checker) scanFailed(in Input, reason string) Result {
	if in.PreviousFailures+1 >= c.flow.MaxScanFailures {
		r := Result{Decision: SeeClerk}
		r.add(Action, keySeeClerk, "scan_failures", nil)
		return r
	}
	r := Result{Decision: Rescan}
	r.add(Action, keyRescan, reason, nil)
	return r
}

// isPassport accepts a TD3 passport (document code P…) and the Russian
// internal passport; an ID card, a visa or another TD3 document is refused.
func isPassport(doc *mrz.Document) bool {
	switch doc.Format {
	case mrz.RUSInternal:
		return true
	case mrz.TD3:
		return strings.HasPrefix(doc.DocumentCode, "P")
	}
	return false
}

// unreadableField names the reason for a field the application needs that
// did not come through, even with check digits that verify.
func unreadableField(doc *mrz.Document) string {
	switch {
	case doc.BirthDate.Status == mrz.DateInvalid:
		return "bad_birth_date"
	case doc.ExpiryDate.Status == mrz.DateInvalid:
		return "bad_expiry_date"
	case strings.TrimSpace(doc.Surname) == "":
		return "missing_surname"
	case doc.DocumentNumber == "":
		return "missing_document_number"
	case doc.Nationality == "":
		return "missing_nationality"
	case doc.Format == mrz.TD3 && doc.ExpiryDate.Status == mrz.DateMissing:
		return "missing_expiry_date"
	}
	return ""
}

// expiryOf returns the passport's last valid day. The Russian internal
// passport's MRZ has no expiry: it must be replaced at 20 and at 45, and
// stays valid for 90 days after that birthday (assumed from the Russian
// passport regulation; see the package doc). reason is "expired_age" when
// that rule has run out.
func expiryOf(doc *mrz.Document, today config.Day) (config.Day, string) {
	if doc.Format != mrz.RUSInternal {
		if doc.ExpiryDate.Known() {
			return dayOf(doc.ExpiryDate), ""
		}
		return config.Day{}, ""
	}
	if !doc.BirthDate.Known() || doc.Russian == nil || !doc.Russian.IssueDate.Known() {
		return config.Day{}, ""
	}
	birth, issued := dayOf(doc.BirthDate), dayOf(doc.Russian.IssueDate)
	for _, age := range []int{20, 45} {
		birthday := addYears(birth, age)
		if !before(issued, birthday) {
			continue // issued after that birthday: the rule has been met
		}
		last := addDays(birthday, 90)
		if before(last, today) {
			return last, "expired_age"
		}
		return last, ""
	}
	return config.Day{}, ""
}

// translation applies the translation rule (shared/CONTEXT.md, "2026
// changes"): a notarized translation is needed only when the surname, the
// given names or the place of birth is not given in Cyrillic or Latin
// letters on the data page; a field printed in a national script and in
// Latin needs none. It decides from the visual zone field by field, then
// from the whole page's letters, then from the state's entry about the
// place of birth, then from the visitor's answer; unanswered, it asks and
// lists the item with its condition.
//
// Names the scanner did not read are taken as given in Latin: ICAO Doc
// 9303 makes every issuer print them in Latin letters (the Russian
// internal passport prints them in Cyrillic), so in practice the question
// is the place of birth.
func (c *Checker) translation(r *Result, in Input, doc *mrz.Document) {
	birthKnown := false
	var notLatin []string // the fields in other letters only, each named in the reason
	for f := Surname; f <= PlaceOfBirth; f++ {
		switch letters(in.VIZ.Fields[f]) {
		case otherOnly:
			notLatin = append(notLatin, reasonSuffix[f])
		case latinOrCyrillic, mixed:
			birthKnown = birthKnown || f == PlaceOfBirth
		}
	}
	switch len(notLatin) {
	case 0:
	case 1:
		r.setTranslation(true, SourceVIZ, "field_not_latin."+notLatin[0])
		return
	case len(reasonSuffix):
		r.setTranslation(true, SourceVIZ, "fields_not_latin.all")
		return
	default:
		r.setTranslation(true, SourceVIZ, "fields_not_latin."+strings.Join(notLatin, "_"))
		return
	}
	if birthKnown {
		r.setTranslation(false, SourceVIZ, "")
		return
	}
	switch pageLetters(in.VIZ) {
	case otherOnly:
		r.setTranslation(true, SourceVIZ, "translation_viz")
		return
	case latinOrCyrillic:
		r.setTranslation(false, SourceVIZ, "")
		return
	}
	switch c.flow.TranslationPolicy[doc.IssuingState] {
	case config.TranslationRequired:
		r.setTranslation(true, SourcePolicy, "translation_policy")
		return
	case config.TranslationNotRequired:
		r.setTranslation(false, SourcePolicy, "")
		return
	}
	switch in.NonLatin {
	case Yes:
		r.setTranslation(true, SourceVisitor, "translation_visitor")
	case No:
		r.setTranslation(false, SourceVisitor, "")
	default:
		r.Ask = AskNonLatin
		r.add(Bring, keyTranslationIf, "translation_ask", nil)
	}
}

func (r *Result) setTranslation(required bool, src Source, reason string) {
	r.TranslationRequired, r.TranslationSource = required, src
	if required {
		r.add(Bring, keyTranslation, reason, nil)
	}
}

// legalisation adds the apostille item for a document notarized in a state
// outside the Minsk and Chisinau conventions; it reports whether the state
// is unknown, so the caller can add the conditional item once.
func (c *Checker) legalisation(r *Result, from, key string) (unknown bool) {
	switch {
	case from == "":
		return true
	case from == "KAZ" || c.conventions[from]:
		return false
	}
	r.add(Bring, key, "legalisation", nil)
	return false
}

// script sorts the letters of a text or page.
type script uint8

const (
	noLetters       script = iota // nothing to go by: digits, punctuation, nothing
	latinOrCyrillic               // Latin or Cyrillic letters only
	otherOnly                     // letters, none of them Latin or Cyrillic
	mixed                         // Latin or Cyrillic letters, and others
)

func (s script) add(latinCyr bool) script {
	switch {
	case s == noLetters && latinCyr:
		return latinOrCyrillic
	case s == noLetters:
		return otherOnly
	case (s == latinOrCyrillic) != latinCyr:
		return mixed
	}
	return s
}

// letters sorts a text by its letters' Unicode scripts.
func letters(text string) script {
	s := noLetters
	for _, ch := range text {
		if unicode.IsLetter(ch) {
			s = s.add(unicode.Is(unicode.Latin, ch) || unicode.Is(unicode.Cyrillic, ch))
		}
	}
	return s
}

// pageLetters sorts the whole page by its text, or when that has no
// letters by the ISO 15924 codes the scanner reported. "Zyyy", "Zinh",
// "Zxxx", "Zzzz" and anything that is not four letters say nothing.
func pageLetters(v VIZ) script {
	if s := letters(v.Text); s != noLetters {
		return s
	}
	s := noLetters
	for _, code := range v.Scripts {
		if len(code) != 4 || !isASCIILetters(code) {
			continue
		}
		switch strings.ToLower(code) {
		case "zyyy", "zinh", "zxxx", "zzzz":
		case "latn", "cyrl":
			s = s.add(true)
		default:
			s = s.add(false)
		}
	}
	return s
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func dayOf(d mrz.Date) config.Day { return config.Day{Year: d.Year, Month: d.Month, Day: d.Day} }

func noon(d config.Day) time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

func before(a, b config.Day) bool { return noon(a).Before(noon(b)) }

func daysBetween(from, to config.Day) int { return int(noon(to).Sub(noon(from)).Hours() / 24) }

func addDays(d config.Day, n int) config.Day { return workday.DayOf(noon(d).AddDate(0, 0, n)) }

// addYears returns the same day n years later; for 29 February in a common
// year it is 28 February (the last day of the month), where Go's AddDate
// would give 1 March.
func addYears(d config.Day, n int) config.Day {
	t := time.Date(d.Year+n, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
	if t.Month() != d.Month {
		t = t.AddDate(0, 0, -t.Day())
	}
	return workday.DayOf(t)
}
