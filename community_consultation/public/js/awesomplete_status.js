// The hidden live region of Frappe's autocomplete (awesomplete 1.1, which writes its status in English:
// "Begin typing for results.", "3 results found", "…, list item 2 of 3") read out in the user's
// language to screen-reader users, in the desk and on the web form. Loaded by the desk bundle and on
// every website page (`web_include_js`). To re-check after a Frappe upgrade: focus a Link field in
// Chinese and read the span[role=status] next to its input.
(function () {
	const tr = (text, args) => (window.__ ? window.__(text, args) : text.replace(/\{(\d)\}/g, (m, i) => args[i]));
	const RULES = [
		[/^Begin typing for results\.$/, () => tr("Type to search")],
		[/^Type (\d+) or more characters for results\.$/, (m) => tr("Type {0} or more characters to search", [m[1]])],
		[/^No results found$/, () => tr("No results")],
		[/^(\d+) results found$/, (m) => tr("{0} results", [m[1]])],
		[/^(.*), list item (\d+) of (\d+)$/, (m) => tr("{0}, item {1} of {2}", [m[1], m[2], m[3]])],
	];
	const translate = (el) => {
		const text = el.textContent;
		for (const [pattern, render] of RULES) {
			const match = text.match(pattern);
			if (match) {
				const translated = render(match);
				if (translated !== text) el.textContent = translated;
				return;
			}
		}
	};
	// Only the autocomplete in use is watched: when one of its inputs gets the focus, its own status
	// element (a child of its .awesomplete wrapper) is translated and observed from then on; nothing else
	// on the page is observed.
	const watch = (event) => {
		const box = event.target && event.target.closest && event.target.closest(".awesomplete");
		const status = box && box.querySelector(":scope > span[role=status]");
		if (!status || status.dataset.ccObserved) return;
		status.dataset.ccObserved = "1";
		translate(status);
		new MutationObserver(() => translate(status)).observe(status, {
			childList: true,
			characterData: true,
			subtree: true,
		});
	};
	document.addEventListener("focusin", watch);
})();
