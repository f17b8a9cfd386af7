// Requests the server could not answer in a form the desk understands.
//
// When MariaDB is away, the app answers 503 with a translated message (database_outage.py), which
// the desk shows like any server message. A few failures still reach the browser without one: the
// first request after logging in while MariaDB is away fails inside Frappe before the app is asked
// (a bare "500 Internal Server Error"), and a server that is down or restarting does not answer at
// all (status 0). Frappe shows nothing for those, so the clerk would not know that the save failed.
// This says so, at most once every few seconds however many requests failed together.

const QUIET_MS = 10000;
let last_shown = 0;
let page_unloading = false;

window.addEventListener("beforeunload", () => {
	page_unloading = true;
});

function answered_with_json(xhr) {
	// Frappe (and the outage answer) explain themselves in JSON; Frappe shows those messages itself
	const content_type = xhr.getResponseHeader("content-type") || "";
	return Boolean(xhr.responseJSON) || content_type.includes("application/json");
}

function unexplained_failure(xhr) {
	if (page_unloading || xhr.statusText === "abort") return false;
	if (![0, 500, 503].includes(xhr.status)) return false;
	return !answered_with_json(xhr);
}

$(document).ajaxError((event, xhr) => {
	if (!unexplained_failure(xhr)) return;
	const now = Date.now();
	if (now - last_shown < QUIET_MS) return;
	last_shown = now;
	frappe.msgprint({
		title: __("Server unavailable"),
		indicator: "red",
		message: __(
			"The server could not be reached or could not complete the request, so nothing was saved. Please try again in a minute: your entries are still in the form.",
		),
	});
});
