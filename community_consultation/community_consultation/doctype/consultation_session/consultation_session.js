// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Consultation Session", {
	setup(frm) {
		frm.set_query("topic", () => ({
			filters: {
				status: ["in", community_consultation.life_cycle.states("Consultation Topic", "takes_sessions")],
			},
		}));
	},
	refresh(frm) {
		// a user who reads the session without changing it (a village reading the township's) is offered
		// nothing to do
		if (!frm.is_new() && !frm.perm[0].write) return;
		// with a workflow on sessions, its Publish Notice action publishes the notice
		const notice_action = frm.doc.notice_published_on || !frappe.model.has_workflow(frm.doctype);
		if (frm.doc.docstatus === 0 && !frm.is_new() && notice_action) {
			frm.add_custom_button(
				frm.doc.notice_published_on ? __("Notify Remaining Participants") : __("Publish Notice"),
				() => publish_notice(frm)
			);
		}
		if (frm.doc.docstatus === 1 && ["Consensus", "Referred to Villagers' Meeting"].includes(frm.doc.result)) {
			frm.add_custom_button(__("Outcome"), () =>
				frm.call("make_outcome").then((r) => frappe.set_route("Form", "Consultation Outcome", r.message))
			, __("Create"));
		}
		if (frm.doc.docstatus === 0) {
			frm.set_intro(
				__("Step 1: list the participants (one Convener, at least one Proposer). Step 2: publish the notice at least the lead time before the session. Step 3: record the four steps, the vote and the minutes, then Submit to conclude."),
				"blue"
			);
		}
	},
	topic(frm) {
		if (!frm.doc.topic || (frm.doc.participants || []).length) return;
		frappe.db.get_doc("Consultation Topic", frm.doc.topic).then((topic) => {
			(topic.participants || []).forEach((p) => {
				const row = frm.add_child("participants", { stakeholder: p.stakeholder, stakeholder_name: p.stakeholder_name });
				if (p.stakeholder === topic.proposer) row.participant_role = "Proposer";
			});
			frm.refresh_field("participants");
		});
	},
});

function publish_notice(frm) {
	const save_first = frm.is_dirty() ? frm.save() : Promise.resolve();
	save_first.then(() =>
		frappe.db.get_list("Notice Channel", { fields: ["name"], limit: 20 }).then((channels) => {
			frappe.prompt(
				{
					fieldname: "channels",
					fieldtype: "MultiCheck",
					label: __("Notice Channels"),
					reqd: 1,
					options: channels.map((c) => ({ label: __(c.name), value: c.name, checked: c.name === "Bulletin Board" })),
				},
				(values) =>
					frm.call("publish_notice", { channels: values.channels }).then(() => {
						frm.reload_doc();
						frappe.show_alert({ message: __("Notice published"), indicator: "green" });
					}),
				__("Publish the session notice")
			);
		})
	);
}
