package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hcsc-kz/kiosk/config"
	"github.com/hcsc-kz/kiosk/devices/mrz"
	"github.com/hcsc-kz/kiosk/flows/i18n"
	"github.com/hcsc-kz/kiosk/flows/precheck"
)

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// precheckJSON is the answer of `kiosk precheck`: what the kiosk would tell
// the visitor, in their language.
type precheckJSON struct {
	Decision            string         `json:"decision"`
	TranslationRequired bool           `json:"translationRequired"`
	TranslationSource   string         `json:"translationSource"`
	ReadyDate           string         `json:"readyDate"`
	Items               []precheckItem `json:"items"`
	// Question is the question the kiosk would ask first, when it must.
	Question string   `json:"question,omitempty"`
	Notices  []string `json:"notices,omitempty"`
}

type precheckItem struct {
	Key    string `json:"key"`
	Text   string `json:"text"`
	Reason string `json:"reason"`
	Kind   string `json:"kind"`
}

// cmdPrecheck reads an MRZ on stdin and prints the precheck's checklist as
// one JSON object, so trainers and clerks can see what the kiosk will say.
// Input that is not an MRZ is not an error: it is the "rescan" answer.
func cmdPrecheck(_ context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("precheck", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var scripts, vizFields stringList
	representative := fs.Bool("representative", false, "a representative applies, with a power of attorney")
	fs.Var(&scripts, "viz-script", "ISO 15924 script seen in the visual zone (Latn, Cyrl, Arab, Hani, …); repeatable")
	fs.Var(&vizFields, "viz", "FIELD=TEXT: one visual-zone field as the scanner read it; FIELD is surname, givenNames or placeOfBirth; repeatable")
	vizText := fs.String("viz-text", "", "the whole visual zone's text, when the scanner cannot say which field is which")
	atFlag := fs.String("at", "", "application time, RFC 3339 (default: now), e.g. 2026-11-25T10:00:00+05:00")
	langFlag := fs.String("lang", "kk", "language of the texts: kk, ru or en")
	nonLatin := fs.String("non-latin", "", "the visitor's answer about the place of birth: yes (only in letters other than Latin and Cyrillic) or no (in Latin or Cyrillic too)")
	poaFrom := fs.String("poa-from", "", "ICAO code of the state where the power of attorney was notarized (KAZ, RUS, …)")
	translationFrom := fs.String("translation-from", "", "ICAO code of the state where the translation was notarized")
	failures := fs.Int("failures", 0, "failed scans before this one")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: kiosk precheck [flags] < mrz-lines")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	lang, err := i18n.ParseLang(*langFlag)
	if err != nil {
		return usageError(e, "--lang=%q: want kk, ru or en", *langFlag)
	}
	at := e.now()
	if *atFlag != "" {
		if at, err = time.Parse(time.RFC3339, *atFlag); err != nil {
			return usageError(e, "--at=%q: not an RFC 3339 time; want e.g. 2026-11-25T10:00:00+05:00", *atFlag)
		}
	}
	in := precheck.Input{At: at, PreviousFailures: *failures, VIZ: precheck.VIZ{Text: *vizText}}
	for _, s := range scripts {
		if len(s) != 4 || strings.Trim(strings.ToLower(s), "abcdefghijklmnopqrstuvwxyz") != "" {
			return usageError(e, "--viz-script=%q: want a four-letter ISO 15924 code such as Latn, Cyrl, Arab", s)
		}
		in.VIZ.Scripts = append(in.VIZ.Scripts, s)
	}
	for _, kv := range vizFields {
		// The text may be a name: the messages never repeat it.
		name, text, ok := strings.Cut(kv, "=")
		if !ok {
			return usageError(e, "--viz: no '=' in the value; want FIELD=TEXT with FIELD one of surname, givenNames, placeOfBirth")
		}
		f, err := precheck.ParseField(name)
		if err != nil {
			return usageError(e, "--viz: field %q: want FIELD=TEXT with FIELD one of surname, givenNames, placeOfBirth", name)
		}
		if in.VIZ.Fields == nil {
			in.VIZ.Fields = make(map[precheck.Field]string)
		}
		if _, twice := in.VIZ.Fields[f]; twice {
			return usageError(e, "--viz: field %s given twice; give each of surname, givenNames, placeOfBirth once", f)
		}
		in.VIZ.Fields[f] = text
	}
	switch strings.ToLower(*nonLatin) {
	case "":
	case "yes":
		in.NonLatin = precheck.Yes
	case "no":
		in.NonLatin = precheck.No
	default:
		return usageError(e, "--non-latin=%q: want yes or no", *nonLatin)
	}
	for _, s := range []*string{poaFrom, translationFrom} {
		*s = strings.ToUpper(strings.TrimSpace(*s))
		if *s != "" && (len(*s) > 3 || strings.Trim(*s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
			return usageError(e, "%q: want an ICAO state code such as KAZ, RUS, DEU", *s)
		}
	}
	in.PowerOfAttorneyFrom, in.TranslationFrom = *poaFrom, *translationFrom
	if *representative {
		in.Applicant = precheck.Representative
	}
	text, err := io.ReadAll(io.LimitReader(e.stdin, maxMRZInput+1))
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk precheck: reading stdin: %v\n", err)
		return 1
	}
	if len(text) <= maxMRZInput {
		if doc, err := mrz.Parse(string(text), at); err == nil {
			in.Doc = doc
		}
	}

	checker, cat, err := newPrecheck(e)
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk precheck: %v\n", err)
		return 1
	}
	out, err := json.Marshal(precheckAnswer(checker.Check(in), cat, lang))
	if err != nil {
		fmt.Fprintf(e.stderr, "kiosk precheck: %v\n", err)
		return 1
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	return 0
}

func usageError(e *env, format string, a ...any) int {
	fmt.Fprintf(e.stderr, "kiosk precheck: "+format+"\n", a...)
	return 2
}

// newPrecheck builds the checker and the catalogs from the configuration.
func newPrecheck(e *env) (*precheck.Checker, *i18n.Catalog, error) {
	cfg, err := loadConfig(e)
	if err != nil {
		return nil, nil, err
	}
	checker, err := precheck.ForBranch(cfg.Flow, cfg.Kiosk.TimeZone)
	if err != nil {
		return nil, nil, err
	}
	cat, err := i18n.New()
	if err != nil {
		return nil, nil, err
	}
	return checker, cat, nil
}

// precheckAnswer translates a result into the JSON contract.
func precheckAnswer(r precheck.Result, cat *i18n.Catalog, lang i18n.Lang) precheckJSON {
	out := precheckJSON{
		Decision:            r.Decision.String(),
		TranslationRequired: r.TranslationRequired,
		TranslationSource:   r.TranslationSource.String(),
		Items:               []precheckItem{},
	}
	if r.ReadyDate != (config.Day{}) {
		out.ReadyDate = r.ReadyDate.String()
	}
	for _, it := range r.Items {
		out.Items = append(out.Items, precheckItem{
			Key:    it.Text.Key,
			Text:   cat.Format(lang, it.Text),
			Reason: cat.Format(lang, it.Reason),
			Kind:   it.Kind.String(),
		})
	}
	if r.Ask == precheck.AskNonLatin {
		out.Question = cat.Text(lang, "screen.script.question")
	}
	for _, m := range r.Notices {
		out.Notices = append(out.Notices, cat.Format(lang, m))
	}
	return out
}
