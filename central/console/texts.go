package console

import (
	"net/http"

	"github.com/hcsc-kz/kiosk/central"
)

// text is every word of the console's pages in one language.
type text struct {
	Lang, Title                             string
	SignIn, Login, Password, SignOut        string
	Wrong, SignedOut, Forbidden             string
	Locked                                  string // %d: central.SignInLockout in minutes
	Failed, NoSuchWindow                    string
	Branch, Window, ChooseWindow, Change    string
	UnknownBranch, Clerk, Supervisor, Admin string
	SupervisorPage, WindowTaken             string
	deskWords
}

func (t *text) role(r central.Role) string {
	switch r {
	case central.RoleSupervisor:
		return t.Supervisor
	case central.RoleAdmin:
		return t.Admin
	}
	return t.Clerk
}

// langName is a language as its own speakers call it, for the switch.
type langName struct{ Code, Name string }

// langNames lists the console's languages, the default first.
func langNames() []langName {
	return []langName{{"kk", "Қазақша"}, {"ru", "Русский"}, {"en", "English"}}
}

var all = map[string]*text{
	"kk": {
		deskWords: deskKK,
		Lang:      "kk", Title: "Оператор пульті",
		SignIn: "Кіру", Login: "Логин", Password: "Құпиясөз", SignOut: "Шығу",
		Wrong:        "Логин немесе құпиясөз қате.",
		Locked:       "Сәтсіз әрекеттер тым көп. %d минуттан кейін қайталап көріңіз.",
		SignedOut:    "Сеанс аяқталды. Қайта кіріңіз.",
		Forbidden:    "Пішіннің мерзімі өтті. Бетті жаңартып, қайталап көріңіз.",
		Failed:       "Сервер жауап бере алмады. Біраз күтіп, қайталап көріңіз.",
		NoSuchWindow: "Мұндай терезе бұл бөлімшеде жоқ.",
		Branch:       "Бөлімше", Window: "Терезе", ChooseWindow: "Терезеңізді таңдаңыз", Change: "Терезені ауыстыру",
		UnknownBranch: "Бұл бөлімше серверге белгісіз: әкімшіге хабарласыңыз.",
		Clerk:         "оператор", Supervisor: "супервайзер", Admin: "әкімші",
		SupervisorPage: "Бөлімшені бақылау: кезек, терезелер, киосктер, аудит",
		WindowTaken:    "Бұл терезеде басқа оператор жұмыс істеп тұр: басқа терезені таңдаңыз.",
	},
	"ru": {
		deskWords: deskRU,
		Lang:      "ru", Title: "Пульт оператора",
		SignIn: "Войти", Login: "Логин", Password: "Пароль", SignOut: "Выйти",
		Wrong:        "Неверный логин или пароль.",
		Locked:       "Слишком много неудачных попыток. Повторите через %d минут.",
		SignedOut:    "Сеанс завершён. Войдите снова.",
		Forbidden:    "Форма устарела. Обновите страницу и повторите.",
		Failed:       "Сервер не смог ответить. Подождите и повторите.",
		NoSuchWindow: "Такого окна в этом отделении нет.",
		Branch:       "Отделение", Window: "Окно", ChooseWindow: "Выберите своё окно", Change: "Сменить окно",
		UnknownBranch: "Это отделение неизвестно серверу: обратитесь к администратору.",
		Clerk:         "оператор", Supervisor: "супервайзер", Admin: "администратор",
		SupervisorPage: "Наблюдение за отделением: очередь, окна, киоски, аудит",
		WindowTaken:    "За этим окном уже работает другой оператор: выберите другое окно.",
	},
	"en": {
		deskWords: deskEN,
		Lang:      "en", Title: "Clerk console",
		SignIn: "Sign in", Login: "Login", Password: "Password", SignOut: "Sign out",
		Wrong:        "Wrong login or password.",
		Locked:       "Too many failed attempts. Try again in %d minutes.",
		SignedOut:    "Your session has ended. Please sign in again.",
		Forbidden:    "This form has expired. Reload the page and try again.",
		Failed:       "The server could not answer. Wait a moment and try again.",
		NoSuchWindow: "This branch has no such window.",
		Branch:       "Branch", Window: "Window", ChooseWindow: "Choose your window", Change: "Change window",
		UnknownBranch: "The server does not know this branch: ask the administrator.",
		Clerk:         "clerk", Supervisor: "supervisor", Admin: "administrator",
		SupervisorPage: "The branch at a glance: queues, windows, kiosks, audit",
		WindowTaken:    "Another clerk is working at this window: choose another.",
	},
}

// texts returns the words of the request's ?lang=, Kazakh by default.
func texts(r *http.Request) *text {
	if t, ok := all[r.URL.Query().Get("lang")]; ok {
		return t
	}
	return all["kk"]
}
