"""QR codes on paper notices (主动公开协商成果, 二(五)4): a resident who reads a notice on the bulletin
board scans it to reach the same notice on the web — the unit's public page, where the outcome's
implementation progress is published (二(六)) and the upcoming sessions are listed — or the web form
to propose a topic.

The codes are drawn on the server with segno (pure Python, no network) as PNG data URIs, so
wkhtmltopdf embeds them in the PDF as images and the printed page needs nothing from the internet.
"""

from urllib.parse import quote, unquote

import frappe
from frappe import _
from frappe.utils import get_url

from community_consultation.portal.web_form import WEB_FORM_ROUTE

# 4 px a module: sharp in the PDF (wkhtmltopdf keeps whole pixels) and readable at 25 mm on paper
MODULE_PX = 4
QUIET_ZONE_MODULES = 4


def unit_page_path(unit: str, anchor: str | None = None) -> str:
	"""The public page of a unit's outcomes and sessions, /consultation/<unit>[#anchor]."""
	path = "/consultation/" + quote(unit, safe="")
	return path + ("#" + quote(anchor, safe="") if anchor else "")


def public_url_of(doc) -> str:
	"""Where the QR code on `doc`'s printed notice leads: its own entry on the unit's public page (an
	outcome, a session), the unit's public page (a meeting's resolutions), or the web form to propose a
	topic."""
	if doc.doctype in ("Consultation Outcome", "Consultation Session") and doc.get("community_unit"):
		return get_url(unit_page_path(doc.community_unit, doc.name))
	if doc.doctype == "Community Meeting" and doc.get("community_unit"):
		# the unit's public page shows each resolution with the outcome it decided and its progress
		return get_url(unit_page_path(doc.community_unit))
	return get_url("/" + WEB_FORM_ROUTE)


def qr_data_uri(text: str) -> str:
	"""A PNG QR code of `text` (error correction M: survives a worn or creased notice) as a data URI."""
	import segno

	return segno.make_qr(text, error="m").png_data_uri(scale=MODULE_PX, border=QUIET_ZONE_MODULES)


def consultation_qr(doc, caption: str | None = None) -> str:
	"""The QR code of `doc`'s public page with its caption and its address in print, as HTML for the
	print formats (jinja method `consultation_qr`)."""
	url = public_url_of(doc)
	caption = caption or _("Scan to read this notice and its progress online")
	return (
		'<div class="cc-qr">'
		f'<img src="{qr_data_uri(url)}" alt="{frappe.utils.escape_html(_("QR code: {0}").format(url))}">'
		f'<div class="cc-qr-caption">{frappe.utils.escape_html(caption)}</div>'
		# printed as a reader types it (坑口村, not %E5%9D%91…); the code carries the encoded address
		f'<div class="cc-qr-url cc-no">{frappe.utils.escape_html(unquote(url))}</div>'
		"</div>"
	)
