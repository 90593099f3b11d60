// Package workday answers which days are working days in Kazakhstan, and so
// when an IIN applied for today is ready.
//
// # Data, not code
//
// The holidays and each year's transfers come from [config.Calendar]
// (config/calendar_kz.toml). This package only holds the rules that turn
// them into days off:
//
//   - Saturday and Sunday are days off.
//   - The fixed public holidays are days off in the years they hold for
//     (30 August until 2025, 15 March from 2027). One that falls on a
//     Saturday or Sunday gives the next working day off by itself (Law "On
//     holidays", art. 5); 7 January and the first day of Kurban Ait never
//     move (Labour Code, art. 84).
//   - The year's transfer of days off (for 2025 an order of the Minister of
//     Labour) adds days off and makes some Saturdays or Sundays working days.
//
// # Ready date
//
// The IIN is ready within one working day (shared/CONTEXT.md). An
// application counts for the day it is made when the branch opens that day
// (config.Hours: its weekday hours; closed on holidays and days given off)
// and has not yet closed, else for the next day the branch opens; the ready
// date is the first working day after that. NextOpening says when a closed
// branch opens, for the ticket's wait. Times are read in the zone of
// the time.Time passed in: the caller converts to the branch's zone.
package workday
