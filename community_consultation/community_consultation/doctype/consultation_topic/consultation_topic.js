// Copyright (c) 2026, community_consultation developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Consultation Topic", {
	refresh(frm) {
		if (frm.is_new()) return;
		const status = frm.doc.status;
		// with a workflow on topics, its actions menu carries the review instead of these buttons
		if (status === "Draft" && frm.perm[0].write && !frappe.model.has_workflow(frm.doctype)) {
			frm.add_custom_button(__("Accept"), () => accept_topic(frm), __("Party Organisation Review"));
			frm.add_custom_button(__("Reject"), () => reject_topic(frm), __("Party Organisation Review"));
		}
		// takes sessions (the life-cycle table), and none is under way
		const takes_sessions = community_consultation.life_cycle.states(frm.doctype, "takes_sessions");
		if (takes_sessions.includes(status) && status !== "In Consultation" && frm.perm[0].write) {
			frm.add_custom_button(__("New Session"), () => {
				frappe.new_doc("Consultation Session", { topic: frm.doc.name });
			});
		}
		if (status === "Awaiting Second Round" && frm.doc.level === "Building") {
			frm.add_custom_button(__("Escalate to Community Level"), () => {
				frappe.confirm(
					__("Escalate this topic to community-level consultation? A topic of the village or community will be created, carrying the earlier rounds' record."),
					() =>
						frm.call("escalate").then((r) => {
							if (r.message) frappe.set_route("Form", "Consultation Topic", r.message);
						})
				);
			});
		}
		frm.set_intro(status_intro(frm.doc), community_consultation.life_cycle.intro_colour(frm.doctype, status));
	},
	category(frm) {
		frm.toggle_reqd("party_consent_on", !!frm.doc.requires_party_consent);
	},
});

function accept_topic(frm) {
	if (!frm.doc.requires_party_consent) {
		frm.call("accept").then(() => frm.reload_doc());
		return;
	}
	frappe.prompt(
		{
			fieldname: "party_consent_on",
			fieldtype: "Date",
			label: __("Party Consent On"),
			reqd: 1,
			default: frm.doc.party_consent_on || frappe.datetime.get_today(),
		},
		(values) => frm.call("accept", values).then(() => frm.reload_doc()),
		__("Consent of the village Party organisation")
	);
}

function reject_topic(frm) {
	frappe.prompt(
		{ fieldname: "reason", fieldtype: "Small Text", label: __("Rejection Reason"), reqd: 1 },
		(values) => frm.call("reject", values).then(() => frm.reload_doc()),
		__("Reject the topic")
	);
}

function status_intro(doc) {
	const next = {
		Draft: __("Next: the village Party organisation reviews the topic (Accept or Reject)."),
		Accepted: __("Next: prepare a consultation session and publish its notice."),
		"In Consultation": __("A consultation session is under way."),
		"Awaiting Second Round": __("The last session reached no consensus: hold a second consultation when conditions are ripe, or escalate a building-level topic."),
		Referred: __("Referred to the villagers' (representatives') meeting: file the outcome with the meeting's resolution."),
		Agreed: __("Consensus reached: file, publicise and implement the outcome."),
		Escalated: __("Escalated to community-level consultation."),
		"Not Adopted": __("The villagers' (residents') meeting voted the matter down: it is not adopted and is not implemented."),
	};
	return next[doc.status] || "";
}

// 四议两公开: the six stages as a progress line on the topics whose category follows them
const FOUR_DELIBERATIONS = [
	"Party Organisation's Proposal",
	"Two Committees' Deliberation",
	"Party Members' Assembly Review",
	"Meeting Resolution",
	"Resolution Made Public",
	"Implementation Result Made Public",
];

frappe.ui.form.on("Consultation Topic", {
	refresh(frm) {
		if (frm.is_new() || !frm.doc.four_deliberations_follow) return;
		const done = new Set((frm.doc.four_deliberations || []).map((row) => row.stage));
		const steps = FOUR_DELIBERATIONS.map((stage, i) => {
			const reached = done.has(stage);
			return `<span class="indicator-pill ${reached ? "green" : "gray"}" style="margin: 2px;">${
				i + 1
			}. ${frappe.utils.escape_html(__(stage))}</span>`;
		}).join(" → ");
		frm.dashboard.add_section(`<div>${steps}</div>`, __("Four Deliberations, Two Disclosures"));
	},
});

// The topic's links with the township (§三(二)): the referral waiting on the township or decided by it,
// and the township's assignment the topic carries out, with its report-back deadline.
frappe.ui.form.on("Consultation Topic", {
	refresh(frm) {
		if (frm.is_new()) return;
		frappe
			.xcall("community_consultation.township.queries.links_of_topic", { topic: frm.doc.name })
			.then(({ referral, assignment, can_refer, township_matter }) => {
				if (township_matter) {
					frm.set_intro(
						__("A matter of {0} that concerns your village: the township runs it, you follow it here.", [
							frm.doc.community_unit,
						]),
						"blue"
					);
				}
				if (referral) {
					const text =
						referral.status === "Awaiting Township"
							? __("Referred to {0} on {1} ({2}): waiting for the township's decision.", [
									referral.township,
									frappe.datetime.str_to_user(referral.referred_on),
									referral.name,
							  ])
							: referral.status === "Taken Up"
							? __("Taken up by {0} as township topic {1}.", [
									referral.township,
									referral.township_topic,
							  ])
							: __("Sent back by {0}: {1}", [referral.township, referral.decision_reason || ""]);
					frm.set_intro(text, referral.status === "Sent Back" ? "orange" : "blue");
				}
				if (assignment) {
					frm.set_intro(
						__("Entrusted by {0} through {1} ({2}): report the result back by {3}. {4}", [
							assignment.entrusted_by,
							assignment.community_unit,
							assignment.parent,
							frappe.datetime.str_to_user(assignment.report_back_by),
							__(assignment.report_status),
						]),
						assignment.report_status === "Overdue" ? "red" : "blue"
					);
					if (!assignment.report) {
						frm.add_custom_button(__("Report Back"), () =>
							frappe.new_doc("Entrusted Matter Report", { topic: frm.doc.name })
						);
					}
				}
				if (can_refer && (!referral || referral.status === "Sent Back")) {
					const referable = community_consultation.life_cycle.states(frm.doctype, "referable");
					if (referable.includes(frm.doc.status)) {
						frm.add_custom_button(__("Refer to Township"), () =>
							frappe.new_doc("Township Referral", { topic: frm.doc.name })
						);
					}
				}
			});
	},
});
