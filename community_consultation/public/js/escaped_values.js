// Stored values with an apostrophe shown in the user's language: Frappe v15's list view
// (list/list_view.js, get_column_html) escapes a Select value for HTML before it translates it, so
// __("Villagers&#39; Representatives&#39; Meeting") finds no translation and a clerk reads the English
// meeting kind in every list of meetings or meeting rules. A message that is escaped text and has no
// translation of its own is looked up unescaped, and its translation escaped again. To re-check after a
// Frappe upgrade: open the Community Meeting list in Chinese and read the meeting kind column.
(function () {
	const translate = window.__;
	if (!translate || translate.__cc_unescapes) return;
	const ESCAPED = /&(#39|#x27|quot|amp|lt|gt);/;
	const unescape = (text) => {
		const area = document.createElement("textarea");
		area.innerHTML = text;
		return area.value;
	};
	const __ = function (message, replace, context) {
		const translated = translate(message, replace, context);
		if (translated !== message || typeof message !== "string" || !ESCAPED.test(message)) return translated;
		const plain = unescape(message);
		const found = translate(plain, replace, context);
		return found === plain ? translated : frappe.utils.escape_html(found);
	};
	__.__cc_unescapes = true;
	window.__ = __;
})();
