package console

import (
	"strings"

	"github.com/hcsc-kz/kiosk/central/api"
)

// deskWords are the words of the clerk's desk: the card, the actions and
// the waiting list.
type deskWords struct {
	CallNext, Recall, NoShow, Complete         string
	ResultIIN, ResultMissing, ResultRefused    string
	Note, NoteHint, NeedNote                   string
	NobodyWaiting, NoVisitor, NoApplication    string
	OtherBranch, BadState, NoTicket            string
	Card, Ticket, Issued, Called               string
	Latin, Cyrillic, Surname, GivenNames       string
	Document, DocNumber, Nationality, Issuing  string
	Birth, Sex, Expiry, MRZ, MRZBad            string
	Told, Decision, Checklist, Translation     string
	Yes, No, Lane, Booked, WalkIn              string
	Phone, NoPhone, Language                   string
	WaitingList, Number, Waiting, Minutes      string
	Unprinted, Offline, ServedToday, Shortcuts string
	Ordinary, Priority, BookedLane             string
	Male, Female, SexUnknown                   string
	OK, NeedsDocuments, CannotApply, Rescan    string
	ByVIZ, ByPolicy, ByVisitor, Years          string
	Copy                                       string
	// The redirect, the parked list and the live refresh.
	Redirect, RedirectTo, RedirectHint, BadRedirect string
	RedirectedFrom, ToWindow, ToService, Returning  string
	Park, ParkedList, CallBack, NobodyParked        string
	Average, Reconnecting                           string
	// NotInDocument stands for a field the document does not have (the
	// Russian internal passport's MRZ has no expiry); WindowKeys says how
	// to choose a window from the keyboard.
	NotInDocument, WindowKeys string
	// WindowBusy refuses a call while a visitor is at the window;
	// NotYourWindow an action on another window's visitor. Mine and
	// ParkedAt mark the parked list's visitors.
	WindowBusy, NotYourWindow, Mine, ParkedAt string
	// The document types' names, the card says with the code.
	DocPassport, DocRusInternal, DocID, DocVisa string
}

// docName names a document type in the clerk's language with its MRZ code
// («Паспорт (P)»), the code alone for a type it does not know. PN is the
// Russian internal passport only when Russia issued it.
func (t *text) docName(code, issuing string) string {
	var name string
	switch {
	case code == "PN" && issuing == "RUS":
		name = t.DocRusInternal
	case strings.HasPrefix(code, "P"):
		name = t.DocPassport
	case strings.HasPrefix(code, "I"), strings.HasPrefix(code, "A"), strings.HasPrefix(code, "C"):
		name = t.DocID
	case strings.HasPrefix(code, "V"):
		name = t.DocVisa
	default:
		return code
	}
	return name + " (" + code + ")"
}

// source says what decided the translation, "" when the kiosk did not say.
func (t *text) source(s string) string {
	switch s {
	case "viz":
		return t.ByVIZ
	case "policy":
		return t.ByPolicy
	case "visitor":
		return t.ByVisitor
	}
	return ""
}

func (t *text) lane(l api.Lane) string {
	switch l {
	case api.LanePriority:
		return t.Priority
	case api.LaneBooked:
		return t.BookedLane
	}
	return t.Ordinary
}

func (t *text) sex(s string) string {
	switch s {
	case "M":
		return t.Male
	case "F":
		return t.Female
	}
	return t.SexUnknown
}

func (t *text) decision(d api.Decision) string {
	switch d {
	case api.DecisionOK:
		return t.OK
	case api.DecisionNeedsDocuments:
		return t.NeedsDocuments
	case api.DecisionCannotApply:
		return t.CannotApply
	case api.DecisionRescan:
		return t.Rescan
	}
	return string(d)
}

var deskKK = deskWords{
	CallNext: "Келесіні шақыру", Recall: "Қайта шақыру", NoShow: "Келмеді", Complete: "Аяқтау",
	ResultIIN: "ЖСН қалыптастырылды", ResultMissing: "Құжаттар жетіспейді", ResultRefused: "Бас тартылды",
	Note: "Түсініктеме", NoteHint: "Қандай құжаттар жетіспейді немесе неге бас тартылды",
	NeedNote:      "Нәтижені таңдаңыз; құжаттар жетіспесе немесе бас тартылса, себебін жазыңыз.",
	NobodyWaiting: "Кезекте ешкім жоқ.", NoVisitor: "Терезеде келуші жоқ.", NoApplication: "Келуші әлі өтінім толтырған жоқ.",
	OtherBranch: "Бұл талон басқа бөлімшенікі.", BadState: "Бұл әрекет талонның қазіргі күйіне сай емес (мысалы, ол аяқталған).",
	NoTicket: "Мұндай талон жоқ.",
	Card:     "Өтінім", Ticket: "Талон", Issued: "Берілді", Called: "Шақырылды",
	Latin: "Латынша", Cyrillic: "Кириллицамен", Surname: "Тегі", GivenNames: "Аты",
	Document: "Құжат түрі", DocNumber: "Құжат нөмірі", Nationality: "Азаматтығы", Issuing: "Берген мемлекет",
	Birth: "Туған күні", Sex: "Жынысы", Expiry: "Жарамдылық мерзімі", MRZ: "MRZ тексерілді", MRZBad: "MRZ бақылау сандары сәйкес емес",
	Told: "Киоск келушіге не айтты", Decision: "Шешім", Checklist: "Тізім", Translation: "Нотариалды аударма керек",
	Yes: "иә", No: "жоқ", Lane: "Кезек", Booked: "Алдын ала жазылған", WalkIn: "Жазылусыз",
	Phone: "SMS телефоны", NoPhone: "берілмеген", Language: "Келушінің тілі",
	WaitingList: "Күтудегілер", Number: "Нөмір", Waiting: "Күтуде", Minutes: "мин",
	Unprinted: "басылмаған", Offline: "офлайн", ServedToday: "Бүгін қызмет көрсеттіңіз", Shortcuts: "Пернелер",
	Ordinary: "жалпы", Priority: "басым", BookedLane: "жазылу бойынша",
	Male: "ер", Female: "әйел", SexUnknown: "көрсетілмеген",
	OK: "Өтінім беруге болады", NeedsDocuments: "Қосымша құжаттар керек", CannotApply: "Өтінім бере алмайды", Rescan: "Қайта сканерлеу керек",
	ByVIZ: "төлқұжаттағы әріптер бойынша", ByPolicy: "берген мемлекет ережесі бойынша", ByVisitor: "келушінің жауабы бойынша", Years: "жаста", Copy: "Көшіру",
	Redirect: "Бағыттау", RedirectTo: "Қайда", RedirectHint: "Себебі, қандай құжаттар (келесі терезе көреді)",
	BadRedirect:    "Бағыттауға басқа қызметті немесе басқа терезені таңдаңыз.",
	RedirectedFrom: "%s-терезеден бағытталды", ToWindow: "терезе", ToService: "қызмет", Returning: "бағытталған",
	Park: "Кейінге қалдыру", ParkedList: "Кейінге қалдырылғандар", CallBack: "Терезеге шақыру", NobodyParked: "Кейінге қалдырылған келуші жоқ.",
	Average: "Орташа қызмет уақыты", Reconnecting: "Байланыс үзілді, қайта қосылуда…",
	NotInDocument: "құжатта жоқ", WindowKeys: "Пернетақтада терезе нөмірін басыңыз (1–9).",
	WindowBusy: "Алдымен терезеңіздегі келушіге қызмет көрсетуді аяқтаңыз.", NotYourWindow: "Бұл келуші басқа терезеге шақырылған.",
	Mine: "сіздікі", ParkedAt: "%s-терезе",
	DocPassport: "Төлқұжат", DocRusInternal: "РФ ішкі төлқұжаты", DocID: "Жеке куәлік", DocVisa: "Виза",
}

var deskRU = deskWords{
	CallNext: "Вызвать следующего", Recall: "Вызвать повторно", NoShow: "Не явился", Complete: "Завершить",
	ResultIIN: "ИИН сформирован", ResultMissing: "Не хватает документов", ResultRefused: "Отказано",
	Note: "Комментарий", NoteHint: "Каких документов не хватает или почему отказано",
	NeedNote:      "Выберите результат; если не хватает документов или отказано, укажите причину.",
	NobodyWaiting: "В очереди никого нет.", NoVisitor: "У окна нет посетителя.", NoApplication: "Посетитель ещё не заполнил заявление.",
	OtherBranch: "Этот талон другого отделения.", BadState: "Действие не подходит к состоянию талона (например, он уже завершён).",
	NoTicket: "Такого талона нет.",
	Card:     "Заявление", Ticket: "Талон", Issued: "Выдан", Called: "Вызван",
	Latin: "Латиницей", Cyrillic: "Кириллицей", Surname: "Фамилия", GivenNames: "Имя",
	Document: "Тип документа", DocNumber: "Номер документа", Nationality: "Гражданство", Issuing: "Государство выдачи",
	Birth: "Дата рождения", Sex: "Пол", Expiry: "Срок действия", MRZ: "MRZ проверена", MRZBad: "Контрольные цифры MRZ не сошлись",
	Told: "Что киоск сказал посетителю", Decision: "Решение", Checklist: "Список", Translation: "Нужен нотариальный перевод",
	Yes: "да", No: "нет", Lane: "Очередь", Booked: "По записи", WalkIn: "Без записи",
	Phone: "Телефон для SMS", NoPhone: "не указан", Language: "Язык посетителя",
	WaitingList: "Ожидают", Number: "Номер", Waiting: "Ждёт", Minutes: "мин",
	Unprinted: "не напечатан", Offline: "офлайн", ServedToday: "Обслужено вами сегодня", Shortcuts: "Клавиши",
	Ordinary: "общая", Priority: "приоритетная", BookedLane: "по записи",
	Male: "мужской", Female: "женский", SexUnknown: "не указан",
	OK: "Можно подавать", NeedsDocuments: "Нужны ещё документы", CannotApply: "Подать нельзя", Rescan: "Нужно пересканировать",
	ByVIZ: "по буквам в паспорте", ByPolicy: "по правилу для государства выдачи", ByVisitor: "по ответу посетителя", Years: "лет", Copy: "Копировать",
	Redirect: "Перенаправить", RedirectTo: "Куда", RedirectHint: "Причина, какие документы (увидит следующее окно)",
	BadRedirect:    "Для перенаправления выберите другую услугу или другое окно.",
	RedirectedFrom: "Перенаправлен из окна %s", ToWindow: "окно", ToService: "услуга", Returning: "перенаправлен",
	Park: "Отложить", ParkedList: "Отложенные", CallBack: "Вернуть к окну", NobodyParked: "Отложенных посетителей нет.",
	Average: "Среднее время обслуживания", Reconnecting: "Связь потеряна, переподключение…",
	NotInDocument: "в документе нет", WindowKeys: "Нажмите номер окна на клавиатуре (1–9).",
	WindowBusy: "Сначала завершите работу с посетителем у вашего окна.", NotYourWindow: "Этот посетитель вызван к другому окну.",
	Mine: "ваш", ParkedAt: "окно %s",
	DocPassport: "Паспорт", DocRusInternal: "Внутренний паспорт РФ", DocID: "Удостоверение личности", DocVisa: "Виза",
}

var deskEN = deskWords{
	CallNext: "Call next", Recall: "Recall", NoShow: "No-show", Complete: "Complete",
	ResultIIN: "IIN formed", ResultMissing: "Documents missing", ResultRefused: "Refused",
	Note: "Note", NoteHint: "Which documents are missing, or why refused",
	NeedNote:      "Choose a result; for missing documents or a refusal, say which or why.",
	NobodyWaiting: "Nobody is waiting.", NoVisitor: "Nobody is at your window.", NoApplication: "The visitor has not made an application yet.",
	OtherBranch: "This ticket belongs to another branch.", BadState: "This action does not fit the ticket's state (it may be completed already).",
	NoTicket: "No such ticket.",
	Card:     "Application", Ticket: "Ticket", Issued: "Issued", Called: "Called",
	Latin: "Latin", Cyrillic: "Cyrillic", Surname: "Surname", GivenNames: "Given names",
	Document: "Document type", DocNumber: "Document number", Nationality: "Nationality", Issuing: "Issuing state",
	Birth: "Birth date", Sex: "Sex", Expiry: "Expiry", MRZ: "MRZ verified", MRZBad: "MRZ check digits failed",
	Told: "What the kiosk told the visitor", Decision: "Decision", Checklist: "Checklist", Translation: "Notarised translation required",
	Yes: "yes", No: "no", Lane: "Lane", Booked: "Booked", WalkIn: "Walk-in",
	Phone: "Phone for the SMS", NoPhone: "not given", Language: "Visitor's language",
	WaitingList: "Waiting", Number: "Number", Waiting: "Waiting", Minutes: "min",
	Unprinted: "not printed", Offline: "offline", ServedToday: "Served by you today", Shortcuts: "Keys",
	Ordinary: "ordinary", Priority: "priority", BookedLane: "booked",
	Male: "male", Female: "female", SexUnknown: "not given",
	OK: "May apply", NeedsDocuments: "More documents needed", CannotApply: "Cannot apply", Rescan: "Rescan needed",
	ByVIZ: "by the letters in the passport", ByPolicy: "by the issuing state's policy", ByVisitor: "by the visitor's answer", Years: "years old", Copy: "Copy",
	Redirect: "Redirect", RedirectTo: "To", RedirectHint: "Why, which documents (the next window sees it)",
	BadRedirect:    "To redirect, choose another service or another window.",
	RedirectedFrom: "Redirected from window %s", ToWindow: "window", ToService: "service", Returning: "redirected",
	Park: "Park", ParkedList: "Parked", CallBack: "Call back", NobodyParked: "Nobody is parked.",
	Average: "Average service time", Reconnecting: "Connection lost, reconnecting…",
	NotInDocument: "not in the document", WindowKeys: "Press the window's number on the keyboard (1–9).",
	WindowBusy: "Finish the visitor at your window first.", NotYourWindow: "This visitor is called to another window.",
	Mine: "yours", ParkedAt: "window %s",
	DocPassport: "Passport", DocRusInternal: "Russian internal passport", DocID: "Identity card", DocVisa: "Visa",
}
