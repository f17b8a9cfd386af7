"""Notices to participants, stakeholders and staff: system notification, email and SMS.

What is sent, when, and to whom (the work plan's §; docs/procedure.md, "Notices"):

| notice | when | to |
| --- | --- | --- |
| Session Notice (§二(五)2) | the session's notice is published | every participant of the session |
| Outcome Filed (§二(五)4) | the outcome is filed (submitted), or Notify Stakeholders | the topic's stakeholders |
| Publicity Started (§二(五)4) | its publicity starts (at once, or by the daily job) | the topic's stakeholders |
| Deadline Reminder / Deadline Day (§二(六)) | `deadline_reminder_days` before the deadline, and on it | the implementer |
| Outcome Overdue (§三) | the outcome becomes Overdue (daily job) | the Party organisation and the supervision committee |
| Annual Return Reminder (§三) | in December, once a year | the county's staff |
| Report Back Overdue (§二(六)) | a village's report back on an entrusted matter is past its deadline | the township's officers, the village's clerks |
| Correction Overdue (§三(三)) | a correction an inspection required is past its deadline | the township's officers, the village's secretary, the supervision committee |
| Plan Reminder (§三(二)) | a date of the village's consultation plan is near | the village's clerks and secretary |

The wording is a standard Notification of this module for each notice (notification/…, event
"Custom": Frappe never sends them by itself, because its recipients by role would reach users of every
village). To change a wording, an administrator disables the standard Notification and makes a copy whose
name starts with the standard one's name; the copy is used while the standard one is disabled. Disabling
both stops that notice.

Recipients are worked out here, always within the record's unit: stakeholders of the record, and users
whose User Permissions on Community Unit cover the record's unit. Each is reached through every channel
they have: a system notification (a user), an email (an address), an SMS (a mobile number, when SMS
Settings has a gateway). A notice is recorded — on the session participant (`notified_on`,
`notified_via`), on the outcome (`notices`) and always in the Consultation Notice Log — only when a channel
took it: an email queued, a system notification created, an SMS the gateway accepted (2xx). An SMS the
gateway refuses is logged in the Error Log and not recorded. A participant with no electronic contact is
notified by the clerk (phone, bulletin board), who records it by hand.

Modules: `catalogue` (the notices, their Notifications and what their texts are given),
`recipients` (who hears of a record, within its unit) and `delivery` (sending through each channel,
recording what was sent, and the notices that follow the procedure's steps and the calendar).
"""
