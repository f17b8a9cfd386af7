// Accessibility and language checks in Debian's Chromium, driven by tests/test_accessibility.py and
// tests/test_desk_chinese.py. Reads a JSON job on stdin, prints a JSON report on stdout.
//   {"base": "http://127.0.0.1:PORT", "mode": "axe" | "text", "pages": [{"path", "user", "password",
//    "fill_form": bool}], "widths": [360, 1280]}
// axe: for each page and width, the WCAG 2.1 A/AA violations (rule, impact, targets), the page's
//      <html lang>, whether it scrolls sideways, and for the web form a keyboard-only walk.
// text: for each page, the visible text of the desk page once it has loaded.
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

const report = [];
for (const page_job of job.pages) {
	for (const width of job.mode === "axe" ? job.widths : [1400]) {
		const { context, page } = await newPage(width, page_job);
		const entry = { path: page_job.path, width };
		try {
			const response = await page.goto(job.base + page_job.path, { waitUntil: "domcontentloaded" });
			entry.status = response && response.status();
			await settle(page);
			if (job.mode === "text") {
				await page.waitForTimeout(page_job.wait || 1500);
				// Frappe's filter fields keep their fieldname in a transparent span (opacity 0, never seen),
				// which innerText would read
				await page.addStyleTag({ content: ".tooltip-content { display: none !important; }" });
				// what the page shows, and what its inputs show (a value is not in innerText)
				entry.text = await page.evaluate(() =>
					[
						document.body.innerText,
						// what the visible fields show (a value is not in innerText)
						...Array.from(document.querySelectorAll("input, textarea"))
							.filter((i) => i.offsetParent !== null && !["hidden", "checkbox", "radio"].includes(i.type))
							.map((i) => i.value || i.placeholder || ""),
						// the rich-text editor's placeholder
						...Array.from(document.querySelectorAll(".ql-editor[data-placeholder]")).map((el) => el.dataset.placeholder),
						// labels drawn by CSS (the rich-text editor's pickers)
						...Array.from(document.querySelectorAll(".ql-picker-label, .ql-picker-item"))
							.map((el) => getComputedStyle(el, "::before").content)
							.filter((content) => content.startsWith('"'))
							.map((content) => content.slice(1, -1)),
					].join("\n"));
				if (job.screenshots) {
					const slug = `${page_job.role || "page"}-${page_job.path}`.replace(/[^A-Za-z0-9\u4e00-\u9fff]+/g, "_");
					await page.screenshot({ path: `${job.screenshots}/${slug}.png`, fullPage: true });
				}
				entry.facts = await pageFacts(page);
			} else {
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
			}
		} catch (error) {
			entry.error = String(error && error.stack || error);
		}
		report.push(entry);
		await context.close();
	}
}
await browser.close();
process.stdout.write(JSON.stringify(report));
