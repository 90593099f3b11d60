package i18n

import (
	"embed"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"text/template/parse"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/language"

	"github.com/hcsc-kz/kiosk/config"
)

// catalogFS holds the message files; an embed.FS is read-only.
//
//go:embed catalog/*.toml
var catalogFS embed.FS

// Lang is a language the kiosk speaks, as a BCP 47 base tag.
type Lang string

// The kiosk's languages. Kazakh is the state language and comes first.
const (
	Kazakh  Lang = "kk"
	Russian Lang = "ru"
	English Lang = "en"
)

// Languages returns the languages with a catalog, Kazakh first.
func Languages() []Lang { return []Lang{Kazakh, Russian, English} }

// ErrLanguage is returned by ParseLang for a language with no catalog.
var ErrLanguage = errors.New("i18n: no catalog for this language; use kk, ru or en")

// ErrMessage is wrapped by Localize's errors: a key or plural form missing,
// or a template that does not run.
var ErrMessage = errors.New("i18n: message")

// ParseLang reads "kk", "ru", "en" or a longer tag such as "ru-RU".
func ParseLang(s string) (Lang, error) {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "-")
	base, _, _ = strings.Cut(base, "_")
	for _, l := range Languages() {
		if string(l) == base {
			return l, nil
		}
	}
	return "", fmt.Errorf("%w: %q", ErrLanguage, s)
}

// Args are a message's template data. The value under "Count" picks the
// plural form; a config.Day value is written as a date in the language.
type Args map[string]any

// Message is a message key with its arguments: what flows hand to a screen
// or a ticket instead of text.
type Message struct {
	Key  string
	Args Args
}

// M returns a Message with no arguments.
func M(key string) Message { return Message{Key: key} }

// Catalog is the set of message catalogs. It never changes after New, so
// it is safe for concurrent use.
type Catalog struct {
	localizers map[Lang]*goi18n.Localizer
	messages   map[Lang]map[string]*goi18n.Message
}

// New parses the embedded catalogs.
func New() (*Catalog, error) {
	bundle := goi18n.NewBundle(language.Kazakh)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{
		localizers: map[Lang]*goi18n.Localizer{},
		messages:   map[Lang]map[string]*goi18n.Message{},
	}
	for _, l := range Languages() {
		name := "catalog/" + string(l) + ".toml"
		data, err := catalogFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		f, err := bundle.ParseMessageFileBytes(data, name)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		msgs := make(map[string]*goi18n.Message, len(f.Messages))
		for _, m := range f.Messages {
			msgs[m.ID] = m
		}
		c.messages[l] = msgs
		c.localizers[l] = goi18n.NewLocalizer(bundle, string(l))
	}
	return c, nil
}

// Localize returns the message's text in lang, or an error wrapping
// ErrMessage when the key or the plural form it needs is missing there.
func (c *Catalog) Localize(lang Lang, m Message) (string, error) {
	loc, ok := c.localizers[lang]
	if !ok {
		return "", fmt.Errorf("%w: %q", ErrLanguage, lang)
	}
	if _, ok := c.messages[lang][m.Key]; !ok {
		return "", fmt.Errorf("%w: %s: no key %q", ErrMessage, lang, m.Key)
	}
	lc := &goi18n.LocalizeConfig{MessageID: m.Key}
	if len(m.Args) > 0 {
		data := make(map[string]any, len(m.Args))
		for k, v := range m.Args {
			if d, ok := v.(config.Day); ok {
				v = c.Date(lang, d)
			}
			data[k] = v
		}
		lc.TemplateData = data
		if n, ok := m.Args["Count"]; ok {
			lc.PluralCount = n
		}
	}
	s, err := loc.Localize(lc)
	if err != nil {
		return s, fmt.Errorf("%w: %s: %q: %v", ErrMessage, lang, m.Key, err)
	}
	return s, nil
}

// Format returns the message's text in lang and never fails: a key missing
// in lang falls back to Kazakh, then to the key itself. The tests make sure
// neither fallback happens with the shipped catalogs.
func (c *Catalog) Format(lang Lang, m Message) string {
	s, err := c.Localize(lang, m)
	if err == nil {
		return s
	}
	if lang != Kazakh {
		if s, err := c.Localize(Kazakh, m); err == nil {
			return s
		}
	}
	if s != "" {
		return s
	}
	return m.Key
}

// Text returns the text of a message with no arguments.
func (c *Catalog) Text(lang Lang, key string) string { return c.Format(lang, M(key)) }

// Date writes a day as the language writes dates.
func (c *Catalog) Date(lang Lang, d config.Day) string {
	month := c.Text(lang, "month."+strconv.Itoa(int(d.Month)))
	s, err := c.Localize(lang, Message{Key: "date.format", Args: Args{
		"Day": strconv.Itoa(d.Day), "Month": month, "Year": strconv.Itoa(d.Year),
	}})
	if err != nil {
		return d.String()
	}
	return s
}

// Keys returns the keys of lang's catalog, sorted.
func (c *Catalog) Keys(lang Lang) []string {
	keys := make([]string, 0, len(c.messages[lang]))
	for k := range c.messages[lang] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether lang's catalog holds key.
func (c *Catalog) Has(lang Lang, key string) bool {
	_, ok := c.messages[lang][key]
	return ok
}

// Forms returns the plural forms a key has in lang ("one", "few", "many",
// "other", …), or just "other" for a plain message.
func (c *Catalog) Forms(lang Lang, key string) []string {
	m, ok := c.messages[lang][key]
	if !ok {
		return nil
	}
	var forms []string
	for _, f := range []struct {
		name, text string
	}{{"zero", m.Zero}, {"one", m.One}, {"two", m.Two}, {"few", m.Few}, {"many", m.Many}, {"other", m.Other}} {
		if f.text != "" {
			forms = append(forms, f.name)
		}
	}
	return forms
}

// Placeholders returns, for each plural form of key in lang, the sorted
// template fields it uses: {"one": ["Count"], "other": ["Count"]}.
func (c *Catalog) Placeholders(lang Lang, key string) (map[string][]string, error) {
	m, ok := c.messages[lang][key]
	if !ok {
		return nil, fmt.Errorf("%w: %s: no key %q", ErrMessage, lang, key)
	}
	out := map[string][]string{}
	for _, f := range []struct {
		name, text string
	}{{"zero", m.Zero}, {"one", m.One}, {"two", m.Two}, {"few", m.Few}, {"many", m.Many}, {"other", m.Other}} {
		if f.text == "" {
			continue
		}
		fields, err := templateFields(f.text)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %q (%s): %v", ErrMessage, lang, key, f.name, err)
		}
		out[f.name] = fields
	}
	return out, nil
}

// templateFields lists the {{.Field}} names a template uses, sorted.
func templateFields(text string) ([]string, error) {
	trees, err := parse.Parse("m", text, "{{", "}}")
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, cmd := range n.Cmds {
				for _, a := range cmd.Args {
					walk(a)
				}
			}
		case *parse.FieldNode:
			set[strings.Join(n.Ident, ".")] = true
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		}
	}
	for _, t := range trees {
		walk(t.Root)
	}
	fields := make([]string, 0, len(set))
	for f := range set {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	return fields, nil
}
