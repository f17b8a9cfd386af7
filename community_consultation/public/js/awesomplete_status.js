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
	// Only the statuses of Frappe's autocompletes are observed, each on its own: every Awesomplete sets its
	// `list` once its status element exists (and again when its data changes), so the prototype's `list`
	// setter hands the instance's own status to `serve`, and those made earlier are served at once;
	// nothing else on the page is observed. Where the library is not loaded yet, the status is served when
	// its input gets the focus.
	const serve = (status) => {
		if (!status || status.dataset.ccObserved) return;
		status.dataset.ccObserved = "1";
		translate(status);
		new MutationObserver(() => translate(status)).observe(status, {
			childList: true,
			characterData: true,
			subtree: true,
		});
	};
	const install = () => {
		const Awesomplete = window.Awesomplete;
		const list = Awesomplete && Object.getOwnPropertyDescriptor(Awesomplete.prototype, "list");
		if (!list || !list.set || list.set.__cc_serves) return;
		const set = function (value) {
			list.set.call(this, value);
			serve(this.status);
		};
		set.__cc_serves = true;
		Object.defineProperty(Awesomplete.prototype, "list", { ...list, set });
		// the autocompletes made before this script ran (Awesomplete.all lists every live instance)
		(Awesomplete.all || []).forEach((instance) => serve(instance.status));
	};
	install();
	document.addEventListener("DOMContentLoaded", install);
	document.addEventListener("focusin", (event) => {
		const box = event.target && event.target.closest && event.target.closest(".awesomplete");
		serve(box && box.querySelector(":scope > span[role=status]"));
	});
})();
