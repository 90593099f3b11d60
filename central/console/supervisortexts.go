package console

import "github.com/hcsc-kz/kiosk/central"

// superWords are the supervisor page's words in one language.
type superWords struct {
	Title, Back, Updated, NotSupervisor                  string
	Queues, Service, Lane, Waiting, Longest, QueueEmpty  string
	Windows, Who, LastSeen, NoWindows, User              string
	Kiosks, Kiosk, State, Paper, Scanner, Outbox, Clock  string
	Version, Rejected, Quarantined, Attention, AllWell   string
	Online, Offline, OfflineSince, NeverSeen, Unknown    string
	PaperOK, PaperLow, PaperOut                          string
	DeviceOK, DeviceFailed, DeviceAbsent                 string
	Audit, When, Action, Ticket, Export, AuditEmpty      string
	Minutes, Seconds                                     string // %d: minutes; the unit of seconds
	ExportRefused, Live                                  string
	Parked, ParkedList, ParkedBy, ParkedSince, NoParked  string
	Actions                                              map[string]string
	NeedsPaper, NeedsPaperSoon, IsOffline, ScannerFailed string // %s: the kiosk
	// UpdateFailed and UpdatePending say a release (%s) in the kiosk's
	// other slot did not boot to a ready kiosk, or waits for a restart;
	// UpdateAlert is the first for the list at the top (%s: the kiosk,
	// then the release).
	UpdateFailed, UpdatePending, UpdateAlert string
}

// action is how the page names an audit action.
func (w *superWords) action(a string) string {
	if s, ok := w.Actions[a]; ok {
		return s
	}
	return a
}

var superAll = map[string]*superWords{
	"kk": {
		Title: "Супервайзер", Back: "Пультке оралу", Updated: "Жаңартылды", NotSupervisor: "Бұл бет тек осы бөлімшенің супервайзері мен әкімшісіне арналған.",
		Queues: "Кезек", Service: "Қызмет", Lane: "Кезек түрі", Waiting: "Күтуде", Longest: "Ең ұзақ күту", QueueEmpty: "Ешкім күтіп тұрған жоқ.",
		Windows: "Ашық терезелер", Who: "Оператор", User: "Пайдаланушы", LastSeen: "Соңғы әрекет", NoWindows: "Ашық терезе жоқ.",
		Kiosks: "Киоскілер", Kiosk: "Киоск", State: "Күйі", Paper: "Қағаз", Scanner: "Сканер", Outbox: "Жіберілмеген",
		Clock: "Сағат ауытқуы", Version: "Нұсқа", Rejected: "қабылданбаған", Quarantined: "оқшауланған",
		Attention: "Назар аударыңыз", AllWell: "Барлық киоскілер жұмыс істеп тұр.",
		Online: "желіде", Offline: "желіден тыс", OfflineSince: "%s бастап желіден тыс", NeverSeen: "ешқашан хабарласпаған", Unknown: "белгісіз",
		PaperOK: "бар", PaperLow: "аз қалды", PaperOut: "ТАУСЫЛДЫ",
		DeviceOK: "жұмыс істейді", DeviceFailed: "АҚАУ", DeviceAbsent: "орнатылмаған",
		Audit: "Аудит журналы", When: "Уақыты", Action: "Әрекет", Ticket: "Талон", Export: "CSV жүктеу", AuditEmpty: "Жазба жоқ.",
		Minutes: "%d мин", Seconds: "с", ExportRefused: "Экспорт жазылмады, сондықтан берілмеді. Біраз күтіп, қайталап көріңіз.", Live: "Тікелей жаңартылады",
		Parked: "Кейінге қалдырылған", ParkedList: "Кейінге қалдырылған келушілер", ParkedBy: "Кім қалдырды", ParkedSince: "Қашаннан бері", NoParked: "Кейінге қалдырылған келуші жоқ.",
		Actions: map[string]string{central.AuditCalled: "шақырды", central.AuditViewed: "өтінішті ашты", central.AuditRecalled: "қайта шақырды",
			central.AuditNoShow: "келмеді", central.AuditRedirected: "бағыттады", central.AuditParked: "кейінге қалдырды", central.AuditCalledBack: "кейінге қалдырылғанды шақырды",
			central.AuditCompleted: "аяқтады", central.AuditExported: "журналды жүктеді",
			central.AuditEnrolCode: "киоскіге тіркеу коды жасады", central.AuditEnrolled: "киоск тіркелді"},
		NeedsPaper: "%s: қағаз таусылды", NeedsPaperSoon: "%s: қағаз аз қалды", IsOffline: "%s: желіден тыс", ScannerFailed: "%s: сканер ақауы",
		UpdateFailed: "%s жаңартуы іске қосылмады, алдыңғы нұсқа жұмыс істеп тұр", UpdatePending: "%s жаңартуы қайта қосуды күтуде", UpdateAlert: "%s: %s жаңартуы іске қосылмады",
	},
	"ru": {
		Title: "Супервайзер", Back: "К пульту", Updated: "Обновлено", NotSupervisor: "Эта страница только для супервайзера и администратора этого отделения.",
		Queues: "Очередь", Service: "Услуга", Lane: "Вид очереди", Waiting: "Ждут", Longest: "Дольше всех ждёт", QueueEmpty: "Никто не ждёт.",
		Windows: "Открытые окна", Who: "Оператор", User: "Пользователь", LastSeen: "Последнее действие", NoWindows: "Открытых окон нет.",
		Kiosks: "Киоски", Kiosk: "Киоск", State: "Состояние", Paper: "Бумага", Scanner: "Сканер", Outbox: "Не отправлено",
		Clock: "Сдвиг часов", Version: "Версия", Rejected: "отклонено", Quarantined: "в карантине",
		Attention: "Требует внимания", AllWell: "Все киоски в порядке.",
		Online: "на связи", Offline: "нет связи", OfflineSince: "нет связи с %s", NeverSeen: "ни разу не выходил на связь", Unknown: "неизвестно",
		PaperOK: "есть", PaperLow: "заканчивается", PaperOut: "НЕТ БУМАГИ",
		DeviceOK: "работает", DeviceFailed: "НЕИСПРАВЕН", DeviceAbsent: "не установлен",
		Audit: "Журнал аудита", When: "Время", Action: "Действие", Ticket: "Талон", Export: "Выгрузить CSV", AuditEmpty: "Записей нет.",
		Minutes: "%d мин", Seconds: "с", ExportRefused: "Выгрузку не удалось записать в журнал, поэтому она не выдана. Подождите и повторите.", Live: "Обновляется в реальном времени",
		Parked: "Отложено", ParkedList: "Отложенные посетители", ParkedBy: "Кто отложил", ParkedSince: "С какого времени", NoParked: "Отложенных посетителей нет.",
		Actions: map[string]string{central.AuditCalled: "вызвал", central.AuditViewed: "открыл заявление", central.AuditRecalled: "вызвал повторно",
			central.AuditNoShow: "не явился", central.AuditRedirected: "перенаправил", central.AuditParked: "отложил", central.AuditCalledBack: "вызвал отложенного",
			central.AuditCompleted: "завершил", central.AuditExported: "выгрузил журнал",
			central.AuditEnrolCode: "создал код регистрации киоска", central.AuditEnrolled: "киоск зарегистрирован"},
		NeedsPaper: "%s: нет бумаги", NeedsPaperSoon: "%s: бумага заканчивается", IsOffline: "%s: нет связи", ScannerFailed: "%s: сканер неисправен",
		UpdateFailed: "обновление %s не запустилось, работает прежняя версия", UpdatePending: "обновление %s ждёт перезапуска", UpdateAlert: "%s: обновление %s не запустилось",
	},
	"en": {
		Title: "Supervisor", Back: "Back to the console", Updated: "Updated", NotSupervisor: "This page is for this branch's supervisor and administrator only.",
		Queues: "Queue", Service: "Service", Lane: "Lane", Waiting: "Waiting", Longest: "Longest wait", QueueEmpty: "Nobody is waiting.",
		Windows: "Windows open", Who: "Clerk", User: "User", LastSeen: "Last action", NoWindows: "No window is open.",
		Kiosks: "Kiosks", Kiosk: "Kiosk", State: "State", Paper: "Paper", Scanner: "Scanner", Outbox: "Undelivered",
		Clock: "Clock offset", Version: "Version", Rejected: "rejected", Quarantined: "quarantined",
		Attention: "Needs attention", AllWell: "Every kiosk is working.",
		Online: "online", Offline: "offline", OfflineSince: "offline since %s", NeverSeen: "never reported", Unknown: "unknown",
		PaperOK: "ok", PaperLow: "low", PaperOut: "OUT",
		DeviceOK: "working", DeviceFailed: "FAILED", DeviceAbsent: "not fitted",
		Audit: "Audit log", When: "When", Action: "Action", Ticket: "Ticket", Export: "Export CSV", AuditEmpty: "No entries.",
		Minutes: "%d min", Seconds: "s", ExportRefused: "The export could not be recorded in the audit log, so it was not given. Wait a moment and try again.", Live: "Updates live",
		Parked: "Parked", ParkedList: "Parked visitors", ParkedBy: "Parked by", ParkedSince: "Since", NoParked: "Nobody is parked.",
		Actions: map[string]string{central.AuditCalled: "called", central.AuditViewed: "opened the application", central.AuditRecalled: "recalled",
			central.AuditNoShow: "no-show", central.AuditRedirected: "redirected", central.AuditParked: "parked", central.AuditCalledBack: "called back",
			central.AuditCompleted: "completed", central.AuditExported: "exported the log",
			central.AuditEnrolCode: "made a kiosk's enrolment code", central.AuditEnrolled: "kiosk enrolled"},
		NeedsPaper: "%s: out of paper", NeedsPaperSoon: "%s: paper low", IsOffline: "%s: offline", ScannerFailed: "%s: scanner failed",
		UpdateFailed: "update %s did not start; the previous release runs", UpdatePending: "update %s waits for a restart", UpdateAlert: "%s: update %s did not start",
	},
}

// superTexts returns the supervisor page's words in t's language.
func superTexts(t *text) *superWords {
	if w, ok := superAll[t.Lang]; ok {
		return w
	}
	return superAll["kk"]
}
