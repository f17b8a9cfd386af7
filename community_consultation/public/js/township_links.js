// The topic's links with the township (§三(二)): the referral waiting on the township or decided by it,
// and the township's assignment the topic carries out, with its report-back deadline.
frappe.ui.form.on("Consultation Topic", {
	refresh(frm) {
		if (frm.is_new()) return;
		frappe
			.xcall("community_consultation.township.links_of_topic", { topic: frm.doc.name })
			.then(({ referral, assignment }) => {
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
				if (!referral || referral.status === "Sent Back") {
					if (["Draft", "Accepted", "Awaiting Second Round", "In Consultation"].includes(frm.doc.status)) {
						frm.add_custom_button(__("Refer to Township"), () =>
							frappe.new_doc("Township Referral", { topic: frm.doc.name })
						);
					}
				}
			});
	},
});
