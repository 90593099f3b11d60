package console

// enrolWords are the enrolment form's and code page's words in one
// language.
type enrolWords struct {
	Title, Enrol, Kiosk, Make, Hint string
	Code, Valid, Once, Back         string // Valid: %s is the expiry
	NoSuchKiosk, NotAudited         string
}

var enrolAll = map[string]*enrolWords{
	"kk": {
		Title: "Киоскіні тіркеу", Enrol: "Киоскіні тіркеу", Kiosk: "Киоск", Make: "Бір реттік код алу",
		Hint: "Код киоскінің тіркеу экранына енгізіледі. Жаңа код осы киоскінің бұрынғы кодын жояды.",
		Code: "Тіркеу коды", Valid: "%s дейін жарамды, бір рет қана.", Once: "Код тек қазір көрсетіледі: оны киоскіге енгізіңіз немесе техникке беріңіз.",
		Back: "Супервайзер бетіне оралу", NoSuchKiosk: "Бұл бөлімшеде мұндай киоск жоқ.",
		NotAudited: "Код аудит журналына жазылмады, сондықтан жасалмады. Біраз күтіп, қайталап көріңіз.",
	},
	"ru": {
		Title: "Регистрация киоска", Enrol: "Регистрация киоска", Kiosk: "Киоск", Make: "Получить одноразовый код",
		Hint: "Код вводится на экране регистрации киоска. Новый код отменяет прежний код этого киоска.",
		Code: "Код регистрации", Valid: "Действует до %s, один раз.", Once: "Код показан только сейчас: введите его на киоске или передайте технику.",
		Back: "К странице супервайзера", NoSuchKiosk: "В этом отделении нет такого киоска.",
		NotAudited: "Код не удалось записать в журнал аудита, поэтому он не создан. Подождите и повторите.",
	},
	"en": {
		Title: "Enrol a kiosk", Enrol: "Enrol a kiosk", Kiosk: "Kiosk", Make: "Get a one-time code",
		Hint: "The code is typed on the kiosk's enrolment screen. A new code cancels the kiosk's earlier one.",
		Code: "Enrolment code", Valid: "Valid until %s, once.", Once: "The code is shown only now: type it on the kiosk or give it to the technician.",
		Back: "Back to the supervisor page", NoSuchKiosk: "This branch has no such kiosk.",
		NotAudited: "The code could not be recorded in the audit log, so it was not made. Wait a moment and try again.",
	},
}

// enrolTexts returns the enrolment words in t's language.
func enrolTexts(t *text) *enrolWords {
	if w, ok := enrolAll[t.Lang]; ok {
		return w
	}
	return enrolAll["kk"]
}
