// Package i18n holds every string a visitor or a ticket shows, in Kazakh
// (the state language, first), Russian and English.
//
// # Catalogs
//
// The texts are data: catalog/kk.toml, ru.toml and en.toml, embedded in the
// binary and read by github.com/nicksnyder/go-i18n with CLDR plural rules.
// A key is a dotted path ("ticket.your_number"); a table with one/few/many/
// other is a plural message, chosen by its Count. Placeholders are Go
// template fields ("{{.Date}}"). The tests fail when a key is missing in any
// language, when the placeholders of a key differ between languages or plural
// forms, or when a language lacks a plural form its rules need (Russian
// one/few/many/other; Kazakh and English one/other).
//
// # Using a catalog
//
// Build one [Catalog] with [New] at start-up and share it: it never changes.
// [Catalog.Format] never fails, so a screen always has something to show;
// [Catalog.Localize] reports a missing key or form, for tests and tools.
// A [config.Day] argument is written as a date in the language
// ("2026 жылғы 26 қараша", "26 ноября 2026", "26 November 2026").
package i18n
