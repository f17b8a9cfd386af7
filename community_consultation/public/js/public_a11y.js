// The public pages for residents (docs/accessibility.md): what Frappe's website and web form leave
// to do for GB/T 37668-2019 level 2 / WCAG 2.1 AA. Included on every website page by `web_include_js`.
// - every form field's label is tied to its input (1.3.1, 4.1.2); the file input is named;
// - the rich-text editor's toolbar buttons and pickers have Chinese names (4.1.2), and Tab leaves the
//   editor instead of typing a tab character, so the form can be finished by keyboard (2.1.1, 2.1.2);
// - the page's language is zh (3.1.1) when Frappe left it unset.
(function () {
	const NAMES = {
		"ql-bold": "粗体",
		"ql-italic": "斜体",
		"ql-underline": "下划线",
		"ql-strike": "删除线",
		"ql-clean": "清除格式",
		"ql-link": "插入链接",
		"ql-image": "插入图片",
		"ql-video": "插入视频",
		"ql-blockquote": "引用",
		"ql-code-block": "代码块",
		"ql-list": "列表",
		"ql-indent": "缩进",
		"ql-align": "对齐",
		"ql-direction": "文字方向",
		"ql-table": "表格",
		"ql-color": "文字颜色",
		"ql-background": "背景颜色",
		"ql-font": "字体",
		"ql-size": "字号",
		"ql-header": "标题级别",
	};
	const nameOf = (el) => {
		for (const cls of el.classList) {
			if (NAMES[cls]) {
				const value = el.getAttribute("value");
				const suffix = { ordered: "（编号）", bullet: "（项目符号）", check: "（勾选）", "-1": "（减少）", "+1": "（增加）" }[value] || "";
				return NAMES[cls] + suffix;
			}
		}
		return "";
	};
	let counter = 0;

	// the autocomplete's screen-reader messages (awesomplete_status.js) on the Chinese public pages,
	// whose pages carry only their own translations
	const ZH_MESSAGES = {
		"Type to search": "请输入文字查找",
		"Type {0} or more characters to search": "请至少输入{0}个字查找",
		"No results": "没有结果",
		"{0} results": "共{0}项结果",
		"{0}, item {1} of {2}": "{0}，第{1}项，共{2}项",
		// the rich-text editor's pickers (editor_labels.js)
		Normal: "正文",
		"Heading {0}": "标题{0}",
		Table: "表格",
		"Insert Table": "插入表格",
		"Insert Row Above": "在上方插入行",
		"Insert Row Below": "在下方插入行",
		"Insert Column Right": "在右侧插入列",
		"Insert Column Left": "在左侧插入列",
		"Delete Row": "删除行",
		"Delete Column": "删除列",
		"Delete Table": "删除表格",
	};
	if ((document.documentElement.lang || "zh").startsWith("zh") && window.frappe) {
		frappe._messages = Object.assign(frappe._messages || {}, ZH_MESSAGES);
	}

	// titles Frappe sets without translating them
	const TITLES = { Login: "登录", "Forgot Password": "忘记密码", "Sign Up": "注册" };

	function fixup() {
		if (!document.documentElement.lang) document.documentElement.lang = "zh";
		if (document.documentElement.lang.startsWith("zh") && TITLES[document.title]) {
			document.title = TITLES[document.title];
		}
		// the logo and other images without a text alternative (1.1.1)
		document.querySelectorAll("img:not([alt])").forEach((img) => {
			const brand = document.querySelector(".navbar-brand")?.textContent.trim();
			img.setAttribute("alt", img.classList.contains("app-logo") || img.closest(".navbar-brand") ? brand || "网站标志" : "");
		});
		// the web form list's check boxes (1.3.1, 4.1.2)
		document.querySelectorAll("input[type=checkbox]:not([aria-label]):not([id])").forEach((box) => {
			if (box.closest("label")) return;
			box.setAttribute("aria-label", box.classList.contains("select-all") ? "全选" : "选择此行");
		});
		// aria-owns / aria-controls that point at a list no longer on the page (4.1.2)
		document.querySelectorAll("[aria-owns], [aria-controls], [aria-activedescendant]").forEach((el) => {
			for (const attr of ["aria-owns", "aria-controls", "aria-activedescendant"]) {
				const id = el.getAttribute(attr);
				if (id && !document.getElementById(id)) el.removeAttribute(attr);
			}
		});
		document.querySelectorAll(".frappe-control[data-fieldname]").forEach((control) => {
			const label = control.querySelector("label.control-label");
			const input = control.querySelector("input:not([type=hidden]), textarea, select");
			if (label && input) {
				if (!input.id) input.id = `cc-field-${control.dataset.fieldname}-${++counter}`;
				label.setAttribute("for", input.id);
				if (!input.getAttribute("aria-label") && label.textContent.trim()) {
					input.setAttribute("aria-label", label.textContent.trim());
				}
			}
			const editor = control.querySelector(".ql-editor");
			if (editor && label) {
				editor.setAttribute("role", "textbox");
				editor.setAttribute("aria-multiline", "true");
				if (!editor.getAttribute("aria-label")) editor.setAttribute("aria-label", label.textContent.trim());
			}
		});
		document.querySelectorAll("input[type=file]:not([aria-label])").forEach((input) => {
			const label = input.closest(".frappe-control, .form-group")?.querySelector("label");
			input.setAttribute("aria-label", (label && label.textContent.trim()) || "选择附件");
		});
		document.querySelectorAll(".ql-toolbar button, .ql-toolbar .ql-picker").forEach((el) => {
			const name = nameOf(el);
			if (!name) return;
			if (el.tagName === "BUTTON") {
				if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", name);
			} else {
				const label = el.querySelector(".ql-picker-label");
				if (label && !label.getAttribute("aria-label")) label.setAttribute("aria-label", name);
				el.querySelectorAll(".ql-picker-item:not([aria-label])").forEach((item) => {
					item.setAttribute("aria-label", `${name} ${item.dataset.value || "默认"}`);
				});
			}
		});
	}

	// Tab (and Shift+Tab) move on from the rich-text editor, as from any field: Quill's own binding
	// would indent instead, trapping a keyboard user (2.1.2). Caught before it reaches the editor; the
	// browser then moves the focus as usual.
	document.addEventListener(
		"keydown",
		(event) => {
			if (event.key !== "Tab" || event.ctrlKey || event.altKey || event.metaKey) return;
			if (event.target instanceof Element && event.target.closest(".ql-editor")) {
				event.stopImmediatePropagation();
			}
		},
		true
	);

	let queued = false;
	const schedule = () => {
		if (queued) return;
		queued = true;
		setTimeout(() => {
			queued = false;
			fixup();
		}, 50);
	};
	document.addEventListener("DOMContentLoaded", () => {
		fixup();
		new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
	});
})();
