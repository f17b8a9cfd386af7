// The hidden live region of Frappe's autocomplete (awesomplete 1.1, which writes its status in English:
// "Begin typing for results.", "3 results found", "…, list item 2 of 3") read out in the user's
// language to screen-reader users, in the desk and on the web form. Loaded by the desk bundle and
// by public_a11y.js.
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
	const observe = () => {
		new MutationObserver((mutations) => {
			for (const mutation of mutations) {
				const target = mutation.target.nodeType === 3 ? mutation.target.parentElement : mutation.target;
				if (target && target.matches && target.matches(".awesomplete span[role=status]")) translate(target);
				mutation.addedNodes.forEach((node) => {
					if (node.nodeType === 1) node.querySelectorAll(".awesomplete span[role=status]").forEach(translate);
				});
			}
		}).observe(document.body, { childList: true, subtree: true, characterData: true });
		document.querySelectorAll(".awesomplete span[role=status]").forEach(translate);
	};
	if (document.body) observe();
	else document.addEventListener("DOMContentLoaded", observe);
})();
