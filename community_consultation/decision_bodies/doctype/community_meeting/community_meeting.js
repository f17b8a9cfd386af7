// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Community Meeting", {
	setup(frm) {
		frm.set_query("topic", "agenda", () => ({
			filters: { community_unit: frm.doc.community_unit, review_decision: "Accepted" },
		}));
	},
	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new() && frm.doc.meeting_basis) {
			frm.add_custom_button(__("Load Sign-in List"), () =>
				frm.call("load_sign_in_list").then(() => frm.reload_doc())
			);
		}
		const by_roster = (frm.doc.meeting_kind || "").includes("Representatives");
		// who records attendance: whoever may write the meeting, and its supervision committee
		// (community_meeting.may_record_attendance, which the server checks on every tick)
		const may_record = frm.perm[0].write || frappe.user.has_role("Supervision Committee Member");
		if (
			frm.doc.docstatus === 0 &&
			!frm.is_new() &&
			may_record &&
			(by_roster || frm.doc.basis_source === "Register")
		) {
			frm.add_custom_button(
				by_roster ? __("Sign In from Roster") : __("Sign In from Register"),
				() => sign_in(frm)
			);
		}
		if (frm.doc.quorum_summary) {
			const quorate = frm.doc.quorate;
			frm.dashboard.set_headline_alert(
				`<div class="${quorate ? "text-success" : "text-danger"}">${__("{0}: {1}", [
					quorate ? __("Quorate") : __("Not quorate"),
					frappe.utils.escape_html(frm.doc.quorum_summary),
				])}</div>`
			);
		}
		if (frm.doc.docstatus === 0) {
			frm.set_intro(
				__("Print the sign-in sheet, tick the attendance from it, record each item's vote, then Submit to conclude the meeting. A meeting that did not reach its quorum is recorded as held and not quorate: it decides nothing."),
				"blue"
			);
		}
	},
});

// Sign-in by ticking the household register or the representatives' roster
// (community_meeting.tick_attendance): search by name or household number, tick one or all shown; the
// count and the quorum update with each tick.
function sign_in(frm) {
	const dialog = new frappe.ui.Dialog({
		title: __("Sign In"),
		size: "large",
		fields: [
			{
				fieldname: "txt",
				fieldtype: "Data",
				label: __("Name or Household No."),
				onchange: () => load(),
			},
			{ fieldname: "state", fieldtype: "HTML" },
			{ fieldname: "list", fieldtype: "HTML" },
		],
		primary_action_label: __("Tick All Shown"),
		primary_action: () => tick(shown.filter((r) => !r.present).map((r) => r.name), 1),
	});
	let shown = [];
	const show_state = (state) => {
		dialog.fields_dict.state.$wrapper.html(
			`<div class="${state.quorate ? "text-success" : "text-danger"}">${__("{0} present: {1}", [
				state.present_count,
				frappe.utils.escape_html(state.quorum_summary || ""),
			])}</div>`
		);
	};
	const render = () => {
		const rows = shown
			.map(
				(r) => `<label class="d-block" style="padding: 6px 0; font-size: 16px;">
				<input type="checkbox" data-member="${frappe.utils.escape_html(r.name)}" ${r.present ? "checked" : ""}>
				${r.household_no ? frappe.utils.escape_html(r.household_no) + " · " : ""}${frappe.utils.escape_html(r.member_name)}</label>`
			)
			.join("");
		dialog.fields_dict.list.$wrapper.html(rows || `<p class="text-muted">${__("No one found.")}</p>`);
		dialog.fields_dict.list.$wrapper.find("input").on("change", (e) => {
			tick([e.target.dataset.member], e.target.checked ? 1 : 0);
		});
	};
	const method =
		"community_consultation.decision_bodies.doctype.community_meeting.community_meeting.sign_in_list";
	const load = () =>
		frappe
			.xcall(method, { meeting: frm.doc.name, txt: dialog.get_value("txt") || "" })
			.then((rows) => {
				shown = rows;
				render();
			});
	const tick = (members, present) => {
		if (!members.length) return;
		frappe
			.xcall(
				"community_consultation.decision_bodies.doctype.community_meeting.community_meeting.tick_attendance",
				{ meeting: frm.doc.name, members, present }
			)
			.then((state) => {
				const ticked = new Set(members);
				shown.forEach((row) => {
					if (ticked.has(row.name)) row.present = present;
				});
				render();
				show_state(state);
			})
			.catch(() => load());
	};
	dialog.onhide = () => frm.reload_doc();
	dialog.show();
	show_state(frm.doc);
	load();
}
