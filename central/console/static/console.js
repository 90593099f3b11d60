// The console's one script: a copy button beside each field of the card
// puts the field's text on the clipboard, a digit picks the window, and the
// desk keeps itself up to date from the branch's event stream. Everything
// else is plain forms.
"use strict";
document.addEventListener("click", function (e) {
	var b = e.target.closest("button[data-copy]");
	if (!b || !navigator.clipboard) return;
	var f = document.getElementById(b.dataset.copy);
	if (!f) return;
	navigator.clipboard.writeText(f.textContent.trim()).then(function () {
		b.classList.add("copied");
		setTimeout(function () { b.classList.remove("copied"); }, 1500);
	});
});

// The window choice: a digit, 1 to 9, picks the window of that number, as
// the page says (Alt+digit is the browser's own, switching tabs).
(function () {
	var form = document.querySelector("form.windows");
	if (!form) return;
	document.addEventListener("keydown", function (e) {
		if (e.altKey || e.ctrlKey || e.metaKey || e.repeat || !/^[1-9]$/.test(e.key)) return;
		if (e.target instanceof Element && e.target.closest("input, select, textarea")) return;
		var b = form.querySelector('button[value="' + e.key + '"]');
		if (!b) return;
		e.preventDefault();
		b.click();
	});
})();

// The live desk: on every event of the branch the desk is fetched again
// and its parts swapped in, except the card while it shows the same visit
// (a note being typed stays). EventSource reconnects by itself after a
// cut, sending Last-Event-ID; when the server refused or went away it
// gives up, and this tries again, more slowly each time. Each (re)opening
// fetches the desk, so what happened while cut off shows too.
(function () {
	var desk = document.getElementById("desk");
	if (!desk || !window.EventSource || !window.fetch) return;
	var status = document.getElementById("live-status");
	var busy = false, again = false, delay = 1000;

	function swap(html) {
		var doc = new DOMParser().parseFromString(html, "text/html");
		doc.querySelectorAll("[data-part]").forEach(function (part) {
			var old = document.getElementById(part.id);
			// Parts that did not change stay, so a button is not replaced
			// under the clerk's pointer for nothing.
			if (!old || old.isEqualNode(part)) return;
			if (part.dataset.key !== undefined && part.dataset.key === old.dataset.key) return;
			old.replaceWith(document.adoptNode(part));
		});
	}

	function refresh() {
		if (busy) { again = true; return; }
		busy = true;
		fetch(desk.dataset.live, { credentials: "same-origin" }).then(function (r) {
			if (r.status === 401) { location.href = desk.dataset.signin; return ""; }
			return r.status === 200 ? r.text() : "";
		}).then(function (html) {
			if (html) swap(html);
		}).catch(function () {}).then(function () {
			busy = false;
			if (again) { again = false; refresh(); }
		});
	}

	function connect() {
		var es = new EventSource(desk.dataset.events);
		es.onopen = function () { status.hidden = true; delay = 1000; refresh(); };
		es.onmessage = refresh;
		es.onerror = function () {
			status.hidden = false;
			if (es.readyState !== EventSource.CLOSED) return; // reconnecting by itself
			es.close();
			refresh(); // a session that ended goes to the sign-in page
			setTimeout(connect, delay);
			delay = Math.min(delay * 2, 30000);
		};
	}
	connect();
	// The waiting minutes grow without events.
	setInterval(refresh, 60000);
})();
