// The rich-text editor's pickers in the user's language: Quill (quill.snow.css) and Frappe
// (scss/common/quill.scss) write their labels in CSS, "Normal", "Heading 1", "Table", "Insert Row
// Above" …, which no translation reaches. The same rules are given again with the translated words,
// on a selector one step more specific. Loaded by the desk bundle and on the website (the web form).
(function () {
	const t = (text) => (window.__ ? window.__(text) : text);
	const q = (s) => JSON.stringify(t(s));
	const header = ".ql-snow .ql-picker.ql-header";
	const css = [
		`html ${header} .ql-picker-label::before, html ${header} .ql-picker-item::before { content: ${q("Normal")}; }`,
		...[1, 2, 3, 4, 5, 6].map(
			(n) =>
				`html ${header} .ql-picker-label[data-value="${n}"]::before, html ${header} .ql-picker-item[data-value="${n}"]::before { content: ${JSON.stringify(
					t("Heading {0}").replace("{0}", n)
				)}; }`
		),
		`html .ql-snow .ql-picker.ql-table .ql-picker-label::before { content: ${q("Table")}; }`,
		...[
			["insert-table", "Insert Table"],
			["insert-row-above", "Insert Row Above"],
			["insert-row-below", "Insert Row Below"],
			["insert-column-right", "Insert Column Right"],
			["insert-column-left", "Insert Column Left"],
			["delete-row", "Delete Row"],
			["delete-column", "Delete Column"],
			["delete-table", "Delete Table"],
		].map(
			([value, label]) =>
				`html .ql-snow .ql-table .ql-picker-options [data-value="${value}"]::before { content: ${q(label)}; }`
		),
	].join("\n");
	const add = () => {
		const style = document.createElement("style");
		style.id = "cc-editor-labels";
		style.textContent = css;
		document.head.appendChild(style);
	};
	if (document.head) add();
	else document.addEventListener("DOMContentLoaded", add);
})();
