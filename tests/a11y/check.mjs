// Accessibility and language checks in Debian's Chromium, driven by tests/test_accessibility.py and
// tests/test_desk_chinese.py. Reads a JSON job on stdin, prints a JSON report on stdout.
//   {"base": "http://127.0.0.1:PORT", "mode": "axe" | "text", "pages": [{"path", "user", "password",
//    "fill_form": bool}], "widths": [360, 1280]}
// axe: for each page and width, the WCAG 2.1 A/AA violations (rule, impact, targets), the page's
//      <html lang>, whether it scrolls sideways, and for the web form a keyboard-only walk.
// text: for each page, the visible text of the desk page once it has loaded (and no longer shows
//       `loading_text`, the user's "Loading..."), what its `actions` open, and whether it says unsaved.
// Every entry lists the dialogs (`alert`, `confirm`) the page opened: `dialogs`.
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";

const job = JSON.parse(await new Promise((resolve) => {
	let data = "";
	process.stdin.on("data", (chunk) => (data += chunk));
	process.stdin.on("end", () => resolve(data));
}));
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
	args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const WECHAT_UA =
	"Mozilla/5.0 (Linux; Android 13; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560 WeChat/arm64 Weixin NetType/WIFI Language/zh_CN";

async function newPage(width, page_job) {
	const context = await browser.newContext({
		viewport: { width, height: width < 600 ? 740 : 900 },
		userAgent: width < 600 ? WECHAT_UA : undefined,
		locale: "zh-CN",
		// what WeChat and a phone set to Chinese send
		extraHTTPHeaders: { "Accept-Language": "zh-CN,zh;q=0.9" },
	});
	const page = await context.newPage();
	// a dialog the page opens (`alert` of an injected script) is dismissed and reported (entry.dialogs)
	page.dialogs = [];
	page.on("dialog", async (dialog) => {
		page.dialogs.push(dialog.message());
		await dialog.dismiss().catch(() => {});
	});
	if (page_job.user) {
		const r = await page.request.post(job.base + "/api/method/login", {
			form: { usr: page_job.user, pwd: page_job.password },
		});
		if (!r.ok()) throw new Error(`login failed for ${page_job.user}: ${r.status()}`);
	}
	return { context, page };
}

async function settle(page) {
	await page.waitForLoadState("networkidle", { timeout: 30000 }).catch(() => {});
	await page.waitForTimeout(600);
}

async function axe(page) {
	const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
	return result.violations.map((v) => ({
		id: v.id,
		impact: v.impact,
		help: v.help,
		targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
	}));
}

async function pageFacts(page) {
	return page.evaluate(() => ({
		lang: document.documentElement.lang,
		scrolls_sideways: document.documentElement.scrollWidth > window.innerWidth + 1,
		title: document.title,
		url: location.pathname,
	}));
}

// Tab through the form: every field and the submit button is reached, and each shows a visible focus
// indicator (an outline or a box shadow that differs from its unfocused look).
async function keyboardWalk(page) {
	const steps = [];
	await page.focus("body");
	for (let i = 0; i < 80; i++) {
		await page.keyboard.press("Tab");
		const info = await page.evaluate(() => {
			const el = document.activeElement;
			if (!el || el === document.body) return null;
			const style = getComputedStyle(el);
			const visible =
				(style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) ||
				(style.boxShadow && style.boxShadow !== "none");
			return {
				tag: el.tagName.toLowerCase(),
				name: el.getAttribute("data-fieldname") || el.closest("[data-fieldname]")?.getAttribute("data-fieldname") || el.getAttribute("type") || el.textContent.trim().slice(0, 30),
				visible_focus: !!visible,
				is_submit: el.matches("button.submit-btn, button[type=submit]"),
			};
		});
		if (info) steps.push(info);
		if (info && info.is_submit) break;
	}
	return steps;
}

// The whole proposal by keyboard alone: Tab to each field, type, choose from the list with the arrow
// keys, and send with Enter on the submit button.
async function fillByKeyboard(page, values) {
	const focusField = async (fieldname) => {
		for (let i = 0; i < 80; i++) {
			await page.keyboard.press("Tab");
			// a field's own input: not the editor's toolbar buttons before it
			const here = await page.evaluate(() => {
				const el = document.activeElement;
				if (!el || !el.matches("input, textarea, select, [contenteditable=true]")) return "";
				return el.closest("[data-fieldname]")?.getAttribute("data-fieldname") || "";
			});
			if (here === fieldname) return true;
		}
		return false;
	};
	const done = {};
	await page.focus("body");
	for (const [fieldname, value] of values) {
		done[fieldname] = await focusField(fieldname);
		if (value.select) {
			await page.keyboard.type(value.select, { delay: 30 });
			await page.waitForTimeout(700);
			await page.keyboard.press("ArrowDown");
			await page.keyboard.press("Enter");
		} else {
			await page.keyboard.type(value, { delay: 5 });
		}
	}
	// on to the submit button
	for (let i = 0; i < 40; i++) {
		await page.keyboard.press("Tab");
		const is_submit = await page.evaluate(() =>
			!!document.activeElement?.matches("button.submit-btn, button[type=submit]"));
		if (is_submit) {
			await page.keyboard.press("Enter");
			done.submitted = true;
			break;
		}
	}
	await page.waitForTimeout(2500);
	await settle(page);
	return done;
}

// What a desk page shows: its visible text, what its visible fields hold, the rich-text editor's
// placeholder and the labels it draws with CSS.
async function deskText(page) {
	// Frappe's filter fields keep their fieldname in a transparent span (opacity 0, never seen), which
	// innerText would read
	await page.addStyleTag({ content: ".tooltip-content { display: none !important; }" });
	return page.evaluate(() =>
		[
			document.body.innerText,
			...Array.from(document.querySelectorAll("input, textarea"))
				.filter((i) => i.offsetParent !== null && !["hidden", "checkbox", "radio"].includes(i.type))
				.map((i) => i.value || i.placeholder || ""),
			...Array.from(document.querySelectorAll(".ql-editor[data-placeholder]")).map((el) => el.dataset.placeholder),
			...Array.from(document.querySelectorAll(".ql-picker-label, .ql-picker-item"))
				.map((el) => getComputedStyle(el, "::before").content)
				.filter((content) => content.startsWith('"'))
				.map((content) => content.slice(1, -1)),
		].join("\n"));
}

const slugOf = (page_job) =>
	`${page_job.role || "page"}-${page_job.path}`.replace(/[^A-Za-z0-9\u4e00-\u9fff]+/g, "_");

// Frappe's "not found" / "not permitted" page, drawn in place of the page asked for
async function showsMessagePage(page) {
	return page.evaluate(() =>
		Array.from(document.querySelectorAll(".message-page-image")).some((img) => img.offsetParent !== null));
}

// Open what a button of the page opens (a dropdown menu, a dialog, a popover) and read it; then close it
// with Escape, so the page's record is never changed. An action is the visible text of the button, and
// optionally the item of the dropdown it opens: {"button": "操作"} or {"button": "…", "item": "…"}; or a
// CSS selector for a button that shows no text (the form's "…" menu).
const OPENED = ".modal.show .modal-content, .dropdown-menu.show, .popover.show";

async function openAction(page, action, screenshot) {
	const result = { ...action, opened: false, text: "" };
	const visibleText = () => page.evaluate((opened) =>
		Array.from(document.querySelectorAll(opened))
			.filter((el) => el.offsetParent !== null || getComputedStyle(el).position === "fixed")
			.map((el) => el.innerText)
			.join("\n"), OPENED);
	try {
		const button = action.selector
			? page.locator(`${action.selector}:visible`).first()
			: page.locator("button:visible, a.btn:visible").filter({ hasText: action.button }).first();
		await button.click({ timeout: 5000 });
		// what opens may wait for the server first (the notice dialog reads the channels)
		await page
			.waitForSelector(OPENED, { state: "visible", timeout: 8000 })
			.catch(() => {});
		await page.waitForTimeout(400);
		if (action.item) {
			await page.locator(".dropdown-menu.show").getByText(action.item, { exact: true }).first().click({ timeout: 5000 });
			await page.waitForSelector(".modal.show .modal-content", { timeout: 5000 });
			await page.waitForTimeout(500);
		}
		result.text = await visibleText();
		result.opened = result.text.trim().length > 0;
		if (screenshot) await page.screenshot({ path: screenshot });
	} catch (error) {
		result.error = String(error && error.message || error).slice(0, 500);
	}
	await page.keyboard.press("Escape");
	await page.waitForTimeout(300);
	await page.keyboard.press("Escape");
	return result;
}

// text mode: one browser context per user, logged in once, walking that user's pages as a clerk does —
// the first by loading it, the next through the desk's own router; the users walk side by side
async function textWalk(page_jobs) {
	const byUser = new Map();
	page_jobs.forEach((page_job, index) => {
		const key = page_job.user || "";
		if (!byUser.has(key)) byUser.set(key, []);
		byUser.get(key).push({ page_job, index });
	});
	const entries = new Array(page_jobs.length);
	await Promise.all(Array.from(byUser.values(), async (jobs) => {
		const { context, page } = await newPage(1400, jobs[0].page_job);
		let loaded = false;
		for (const { page_job, index } of jobs) {
			const entry = { path: page_job.path, width: 1400 };
			try {
				if (!loaded) {
					const response = await page.goto(job.base + page_job.path, { waitUntil: "domcontentloaded" });
					entry.status = response && response.status();
					loaded = entry.status === 200;
				} else {
					await page.evaluate((path) => frappe.set_route(path), decodeURI(page_job.path));
					entry.status = 200;
				}
				await settle(page);
				// the workspace's cards and charts, a list's rows: until none says it is still loading
				if (job.loading_text) {
					await page
						.waitForFunction((text) => !document.body.innerText.includes(text), job.loading_text, { timeout: 15000 })
						.catch(() => {});
				}
				await page.waitForTimeout(page_job.wait || 1000);
				if (await showsMessagePage(page)) entry.status = 404;
				entry.route = await page.evaluate(() => frappe.get_route_str());
				// a record merely opened is not changed ("Not Saved"); a new one is unsaved by nature
				entry.unsaved_on_open = await page.evaluate(() =>
					frappe.get_route()[0] === "Form" && !!window.cur_frm && !cur_frm.is_new() && cur_frm.is_dirty());
				entry.text = await deskText(page);
				if (job.screenshots) {
					await page.screenshot({ path: `${job.screenshots}/${slugOf(page_job)}.png`, fullPage: true });
				}
				entry.actions = [];
				for (const action of page_job.actions || []) {
					const shot = job.screenshots &&
						`${job.screenshots}/${slugOf(page_job)}-${slugOf({ path: action.item || action.button || "menu" })}.png`;
					entry.actions.push(await openAction(page, action, shot));
				}
				entry.facts = await pageFacts(page);
			} catch (error) {
				entry.error = String(error && error.stack || error);
				loaded = false;
			}
			entry.dialogs = page.dialogs.splice(0);
			entries[index] = entry;
		}
		await context.close();
	}));
	return entries;
}

async function axeWalk(page_jobs) {
	const report = [];
	for (const page_job of page_jobs) {
		for (const width of job.widths) {
			const { context, page } = await newPage(width, page_job);
			const entry = { path: page_job.path, width };
			try {
				const response = await page.goto(job.base + page_job.path, { waitUntil: "domcontentloaded" });
				entry.status = response && response.status();
				await settle(page);
				entry.facts = await pageFacts(page);
				entry.violations = await axe(page);
				if (page_job.zoom_check) {
					// 200 % zoom of a 1280 px window is 640 CSS px; WCAG 1.4.10 asks for 320 CSS px
					await page.setViewportSize({ width: 320, height: 640 });
					await page.waitForTimeout(300);
					entry.scrolls_sideways_at_320 = (await pageFacts(page)).scrolls_sideways;
					await page.setViewportSize({ width, height: width < 600 ? 740 : 900 });
				}
				if (page_job.keyboard && width === job.widths[job.widths.length - 1]) {
					entry.keyboard = await keyboardWalk(page);
				}
				if (page_job.fill_form && width === job.widths[0]) {
					await page.reload({ waitUntil: "domcontentloaded" });
					await settle(page);
					entry.filled = await fillByKeyboard(page, page_job.fill_form);
					entry.after_submit = await pageFacts(page);
					entry.after_submit.text = await page.evaluate(() => document.body.innerText);
					entry.after_submit_violations = await axe(page);
				}
			} catch (error) {
				entry.error = String(error && error.stack || error);
			}
			entry.dialogs = page.dialogs.splice(0);
			report.push(entry);
			await context.close();
		}
	}
	return report;
}

// walk: one person's way through the site in one browser (a phone in WeChat by default; signed in first
// as `job.user` when given): each step goes to a page, fills, presses a key, clicks (a selector, or a
// visible button by its text, `button`, inside `within`), gives a file input its files (`upload`), reads
// the SMS code the local provider received, waits for a text to show (`wait_text`) or to go (`wait_gone`),
// reads the text of what a selector shows (`read`), or checks the page (axe, its language, its text, and
// that nothing says "Frappe"); the report has one entry per step.
async function personWalk(steps) {
	const width = job.width || 360;
	const { context, page } = await newPage(width, { user: job.user, password: job.password });
	const report = [];
	for (const step of steps) {
		const entry = { step };
		try {
			if (step.goto) {
				const response = await page.goto(job.base + step.goto, { waitUntil: "domcontentloaded" });
				entry.status = response && response.status();
				await settle(page);
			}
			if (step.fill) await page.fill(step.fill, step.value);
			if (step.select) await page.selectOption(step.select, { label: step.label });
			if (step.check) await page.check(step.check);
			if (step.press) await page.keyboard.press(step.press);
			if (step.code_for) {
				// the code the local SMS provider received for this number
				const inbox = await (await fetch(step.inbox)).json();
				const mine = inbox.filter((m) => m.number === step.code_for && m.params.code);
				entry.code = mine.length ? mine[mine.length - 1].params.code : null;
				await page.fill(step.into, entry.code || "");
			}
			if (step.upload) await page.setInputFiles(step.upload, step.files);
			if (step.click) await page.click(step.click);
			if (step.button) {
				await page
					.locator(`${step.within || ""} button:visible`.trim())
					.filter({ hasText: step.button })
					.first()
					.click({ timeout: 10000 });
			}
			if (step.wait_selector) await page.waitForSelector(step.wait_selector, { state: "visible", timeout: 30000 });
			if (step.fill_form) entry.filled = await fillByKeyboard(page, step.fill_form);
			if (step.wait_url) await page.waitForURL((url) => url.pathname.startsWith(step.wait_url), { timeout: 20000 });
			if (step.wait_text) await page.waitForFunction((t) => document.body.innerText.includes(t), step.wait_text, { timeout: 20000 });
			if (step.wait_gone) await page.waitForFunction((t) => !document.body.innerText.includes(t), step.wait_gone, { timeout: 20000 });
			if (step.click || step.wait_url) await settle(page);
			if (step.read) {
				entry.text = await page.evaluate((selector) =>
					Array.from(document.querySelectorAll(selector))
						.filter((el) => el.offsetParent !== null || getComputedStyle(el).position === "fixed")
						.map((el) => el.innerText)
						.join("\n"), step.read);
			}
			if (step.inspect) {
				entry.facts = await pageFacts(page);
				entry.text = await page.evaluate(() => document.title + "\n" + document.body.innerText);
				entry.violations = await axe(page);
				if (job.screenshots) await page.screenshot({ path: `${job.screenshots}/walk-${report.length}.png`, fullPage: true });
			}
		} catch (error) {
			entry.error = String(error && error.stack || error);
			entry.url = page.url();
			entry.text = await page.evaluate(() => document.body.innerText).catch(() => "");
			entry.dialogs = page.dialogs.splice(0);
			report.push(entry);
			break;
		}
		entry.dialogs = page.dialogs.splice(0);
		report.push(entry);
	}
	await context.close();
	return report;
}

const report =
	job.mode === "text" ? await textWalk(job.pages) : job.mode === "walk" ? await personWalk(job.steps) : await axeWalk(job.pages);
await browser.close();
process.stdout.write(JSON.stringify(report));
