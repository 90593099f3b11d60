// Package precheck tells a visitor, before they queue, what they still need
// at the window: the rules of shared/CONTEXT.md applied to the scanned
// passport.
//
// # Rules, in the order they are applied
//
//  1. Nothing readable was scanned, or the MRZ check digits fail, or a field
//     the application needs is not a real value (a birth date 990231, an
//     empty surname): scan again; after flow.max_scan_failures failed scans,
//     go to the information desk (SeeClerk).
//  2. The document must be a passport: TD3 with a document code "P…", or
//     the Russian internal passport. An ID card or a visa cannot be used.
//  3. A citizen of Kazakhstan (nationality KAZ) already has an IIN.
//  4. The representative path is off unless flow.representative_allowed:
//     since the MIA rules amended on 29 February 2024 an IIN is formed only
//     when the foreigner applies in person; a power of attorney serves only
//     to correct an existing IIN.
//  5. An expired passport cannot be used; one expiring within
//     flow.expiry_warning_days gets a warning. The Russian internal
//     passport's MRZ has no expiry: it must be replaced at 20 and at 45 and
//     is taken to stay valid 90 days after that birthday (an assumption from
//     the Russian passport regulation, not from CONTEXT.md).
//  6. The translation rule: a notarized translation into Kazakh or Russian
//     is required only when the surname, the given names or the place of
//     birth is not given in Cyrillic or Latin letters on the data page; a
//     field printed in a national script and in Latin needs none. It is
//     decided field by field from the visual-zone text the scanner reads
//     (VIZ.Fields); else from the whole page (VIZ.Text, VIZ.Scripts) when
//     it shows only Latin/Cyrillic or only other letters (a mix cannot say
//     which field is which); else from flow.translation_policy, which
//     answers whether the issuing state prints the place of birth in Latin
//     or Cyrillic (names need no entry: ICAO Doc 9303 has them printed in
//     Latin); else from the visitor's answer to one question about the
//     place of birth. Until answered, the result asks (Result.Ask) and
//     lists the translation with its condition. Result.TranslationSource
//     says which decided, and the item's reason names the field.
//  7. A representative brings the passport of the person they represent, a
//     notarized power of attorney and their own identity document.
//  8. A power of attorney or translation notarized abroad needs an apostille
//     or consular legalisation, except from the states in
//     flow.convention_states (Minsk and Chisinau conventions); when the
//     state is not known the list says so as a condition.
//  9. The service is free; the IIN is ready within one working day, on the
//     date flows/workday computes in the branch's zone.
//
// # Results
//
// A [Result] holds a [Decision] and a checklist of [Item]s, each a message
// key with its reason key: the screens, the ticket and `kiosk precheck`
// translate them with flows/i18n. Check never fails and never panics:
// every input, however bad, gets a decision with a reason.
package precheck
