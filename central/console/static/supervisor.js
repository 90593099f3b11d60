// The supervisor page stays current: on each of the branch's events (a
// ticket, a call, a kiosk's heartbeat) it fetches its live part again and
// swaps it in, at most once a second; a kiosk going silent sends no
// event, so it also refreshes every 30 seconds. These fetches and the
// stream do not extend the session: a page left alone signs out, and a
// 401 takes it to the sign-in page. EventSource reconnects by itself
// after a cut; when the server refused or went away it gives up, and this
// tries again, more slowly each time. Each (re)opening refreshes, so what
// happened while cut off shows too.
"use strict";
(function () {
	var live = document.getElementById("live");
	if (!live || !window.EventSource || !window.fetch) return;
	var pending = false, last = 0, delay = 1000;
	function refresh() {
		if (pending) return;
		pending = true;
		var wait = Math.max(0, 1000 - (Date.now() - last));
		setTimeout(function () {
			last = Date.now();
			fetch(live.dataset.part, { credentials: "same-origin" }).then(function (r) {
				if (r.status === 401) { location.href = live.dataset.signin; return ""; }
				if (!r.ok) throw new Error(r.status);
				return r.text();
			}).then(function (html) {
				if (!html) return;
				live.innerHTML = html;
				live.classList.remove("stale");
			}).catch(function () {
				live.classList.add("stale");
			}).finally(function () { pending = false; });
		}, wait);
	}
	function connect() {
		var es = new EventSource(live.dataset.events);
		window.superEvents = es; // for a test that needs the stream cut
		es.addEventListener("change", refresh);
		es.onopen = function () { delay = 1000; refresh(); };
		es.onerror = function () {
			live.classList.add("stale");
			if (es.readyState !== EventSource.CLOSED) return; // reconnecting by itself
			es.close();
			refresh(); // a session that ended goes to the sign-in page
			setTimeout(connect, delay);
			delay = Math.min(delay * 2, 30000);
		};
	}
	connect();
	setInterval(refresh, 30000);
})();
