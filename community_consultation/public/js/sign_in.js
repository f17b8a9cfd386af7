// The platform's sign-in and sign-up pages (www/login.html, www/sign-up.html): each form posts to the
// app's endpoints and says what happened in its own status line (role=status), in the page's language.
(() => {
	const messages = window.cc_sign_in_messages || {};
	const __ = (text, args) =>
		(messages[text] || text).replace(/\{(\d+)\}/g, (m, i) => (args && args[i] !== undefined ? args[i] : m));

	async function post(method, data) {
		const headers = { "Content-Type": "application/json", Accept: "application/json" };
		if (window.frappe && frappe.csrf_token) headers["X-Frappe-CSRF-Token"] = frappe.csrf_token;
		const response = await fetch(`/api/method/${method}`, {
			method: "POST",
			headers,
			credentials: "same-origin",
			body: JSON.stringify(data),
		});
		let body = {};
		try {
			body = await response.json();
		} catch (e) {
			body = {};
		}
		if (!response.ok) throw new Error(serverMessage(body) || __("Something went wrong. Please try again."));
		return body;
	}

	function serverMessage(body) {
		try {
			const list = JSON.parse(body._server_messages || "[]");
			const text = list.map((m) => JSON.parse(m).message).join(" ");
			// parsed inert (an element given innerHTML would load an <img> and run its onerror)
			const parsed = new DOMParser().parseFromString(text, "text/html");
			return parsed.body.textContent.trim();
		} catch (e) {
			return body.message && typeof body.message === "string" ? body.message : "";
		}
	}

	function say(status, text, error) {
		status.textContent = text;
		status.classList.toggle("cc-error", !!error);
	}

	const values = (form) => Object.fromEntries(new FormData(form).entries());

	// a form of the page: `run(form, status)` on submit; a refusal is said in the form's status line
	function onSubmit(formId, statusId, run) {
		const form = document.getElementById(formId);
		if (!form) return null;
		const status = document.getElementById(statusId);
		form.addEventListener("submit", async (event) => {
			event.preventDefault();
			try {
				await run(form, status);
			} catch (e) {
				say(status, e.message, true);
			}
		});
		return { form, status };
	}

	// mobile number and SMS code
	const sms = onSubmit("cc-sms-form", "cc-sms-status", async (form, status) => {
		say(status, __("Signing in…"));
		const data = values(form);
		const r = (await post("community_consultation.portal.sms_login.verify_code", data)).message;
		let next = r.redirect;
		if (r.sign_up) {
			next += `&redirect-to=${encodeURIComponent(data["redirect-to"] || "")}`;
			if (data.wechat_ticket) next += `&wechat_ticket=${data.wechat_ticket}`;
		}
		window.location.href = next;
	});
	if (sms) {
		const { form, status } = sms;
		const sendButton = document.getElementById("cc-send-code");
		const label = sendButton.textContent;
		let timer = null;
		const countDown = (seconds) => {
			sendButton.disabled = true;
			clearInterval(timer);
			timer = setInterval(() => {
				seconds -= 1;
				sendButton.textContent = __("Resend in {0} s", [seconds]);
				if (seconds <= 0) {
					clearInterval(timer);
					sendButton.disabled = false;
					sendButton.textContent = label;
				}
			}, 1000);
		};
		sendButton.addEventListener("click", async () => {
			const mobile = form.mobile_no.value.trim();
			say(status, __("Sending…"));
			sendButton.disabled = true;
			try {
				const r = (await post("community_consultation.portal.sms_login.send_code", { mobile_no: mobile })).message;
				say(status, __("A code was sent to {0}. It is valid for {1} minutes.", [mobile, r.valid_minutes]));
				countDown(r.resend_after || 60);
				form.code.focus();
			} catch (e) {
				sendButton.disabled = false;
				say(status, e.message, true);
			}
		});
	}

	// staff: account and password (Frappe's login)
	onSubmit("cc-password-form", "cc-password-status", async (form, status) => {
		say(status, __("Signing in…"));
		const data = values(form);
		const r = await post("login", { usr: data.usr.trim(), pwd: data.pwd });
		const target = data["redirect-to"];
		window.location.href =
			r.home_page === "/app" ? (target && target.startsWith("/app") ? target : "/app") : target || "/";
	});

	// the same answer whether or not the account exists
	onSubmit("cc-forgot-form", "cc-forgot-status", async (form, status) => {
		await post("frappe.core.doctype.user.user.reset_password", { user: form.user.value.trim() }).catch(() => {});
		say(status, __("If the account exists, an e-mail with a link to set a new password is on its way."));
	});

	// sign-up: the notice accepted, name and village
	onSubmit("cc-sign-up-form", "cc-sign-up-status", async (form, status) => {
		const data = values(form);
		data.accept_notice = form.accept_notice.checked ? 1 : 0;
		say(status, __("Signing in…"));
		const r = (await post("community_consultation.portal.sms_login.sign_up", data)).message;
		window.location.href = r.redirect;
	});
})();
