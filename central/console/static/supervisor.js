// The supervisor page stays current: on each of the branch's events (a
// ticket, a call, a kiosk's heartbeat) it fetches itself again and swaps
// in its live part, at most once a second; a kiosk going silent sends no
// event, so it also refreshes every 30 seconds. EventSource reconnects by
// itself after a cut.
"use strict";
(function () {
	var live = document.getElementById("live");
	if (!live || !window.EventSource || !window.fetch) return;
	var pending = false, last = 0;
	function refresh() {
		if (pending) return;
		pending = true;
		var wait = Math.max(0, 1000 - (Date.now() - last));
		setTimeout(function () {
			last = Date.now();
			fetch(live.dataset.page, { credentials: "same-origin" }).then(function (r) {
				if (!r.ok) throw new Error(r.status);
				return r.text();
			}).then(function (html) {
				var doc = new DOMParser().parseFromString(html, "text/html");
				var next = doc.getElementById("live");
				if (next) live.innerHTML = next.innerHTML;
				live.classList.remove("stale");
			}).catch(function () {
				live.classList.add("stale");
			}).finally(function () { pending = false; });
		}, wait);
	}
	var es = new EventSource(live.dataset.events);
	es.addEventListener("change", refresh);
	es.onerror = function () { live.classList.add("stale"); };
	es.onopen = function () { refresh(); };
	setInterval(refresh, 30000);
})();
