// The console's one script: a copy button beside each field of the card
// puts the field's text on the clipboard. Everything else is plain forms.
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
