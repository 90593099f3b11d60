package printer_test

import "github.com/hcsc-kz/kiosk/devices/printer"

// sampleBlocks are a ticket's texts in Kazakh, Russian and English, as the
// flow would give them. No personal data.
func sampleBlocks() map[string]printer.Block {
	return map[string]printer.Block{
		"kk": {
			Lang: "kk", NumberLabel: "Кезек нөміріңіз", Booked: "Алдын ала жазылған",
			Service: "Жеке сәйкестендіру нөмірін (ЖСН) алу",
			Branch:  "ХҚКО, Астана қ., Есіл ауданы", Kiosk: "Киоск K-07", Issued: "14.05.2025 10:32",
			Wait: "Алдыңызда 12 адам, ~25 мин", Ready: "ЖСН дайын болады: 15.05.2025",
			BringHeading:  "Терезеге алып келіңіз:",
			Bring:         []string{"шетелдік паспорт", "паспорттың нотариат куәландырған аудармасы"},
			Notice:        "Қызмет тегін көрсетіледі, делдалға ақы төлемеңіз",
			StatusCaption: "Сканерлеңіз: кезектегі орныңыз",
		},
		"ru": {
			Lang: "ru", NumberLabel: "Ваш номер", Booked: "По записи",
			Service: "Получение ИИН", Kiosk: "Киоск K-07", Issued: "14.05.2025 10:32",
			Wait: "Перед вами 12 человек, ~25 мин", Ready: "ИИН будет готов: 15.05.2025",
			BringHeading:  "Возьмите к окну:",
			Bring:         []string{"иностранный паспорт", "нотариальный перевод паспорта"},
			Notice:        "Услуга бесплатна, не платите посредникам",
			StatusCaption: "Сканируйте: ваше место в очереди",
		},
		"en": {
			Lang: "en", NumberLabel: "Your number", Booked: "Booked",
			Service: "Getting an IIN", Kiosk: "Kiosk K-07", Issued: "14.05.2025 10:32",
			Wait: "12 people ahead, ~25 min", Ready: "IIN ready on: 15.05.2025",
			BringHeading:  "Bring to the window:",
			Bring:         []string{"foreign passport", "notarized translation of the passport"},
			Notice:        "The service is free; do not pay intermediaries",
			StatusCaption: "Scan: your place in the queue",
		},
	}
}

// sampleTicket returns a typical ticket in the given languages, in order:
// the branch in Kazakh only, and a checklist of the passport alone (the
// translation is needed only for passports in other scripts).
func sampleTicket(langs ...string) *printer.Ticket {
	t := fullTicket(langs...)
	t.Booked = false
	for i := range t.Blocks {
		t.Blocks[i].Bring = t.Blocks[i].Bring[:1]
	}
	return t
}

// fullTicket returns a ticket with every field filled, the translation on
// the checklist and the booked mark.
func fullTicket(langs ...string) *printer.Ticket {
	bs := sampleBlocks()
	t := &printer.Ticket{Number: "A042", Booked: true, Status: "ST-7QK2-9F4M", KioskLine: "K-07 · 14.05.2025\u00a010:32"}
	for _, l := range langs {
		t.Blocks = append(t.Blocks, bs[l])
	}
	return t
}
