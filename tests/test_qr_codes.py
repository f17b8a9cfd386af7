"""QR codes on the printed notices: the session notice and the outcome's public notice carry a QR code,
drawn on the server, that leads to the notice's entry on the unit's public page. The test renders the
PDF as Frappe does (wkhtmltopdf), takes the QR image out of the PDF and decodes it with zxing-cpp."""

import io

import frappe
from frappe.translate import print_language
from frappe.utils import add_days, get_url, nowdate
from pypdf import PdfReader
from test_print_formats import case, served_assets

from community_consultation.portal.qr import qr_data_uri, unit_page_path

__all__ = ["case"]


def decoded_qr_codes(doctype: str, name: str, print_format: str) -> tuple[list[str], str]:
	"""The texts of the QR codes in the PDF's images, and the URL the page would encode."""
	unit = frappe.db.get_value(doctype, name, "community_unit")
	return decoded_qr_codes_of(doctype, name, print_format, unit_page_path(unit, name))


def decoded_qr_codes_of(doctype: str, name: str, print_format: str, path: str) -> tuple[list[str], str]:
	"""The texts of the QR codes in the images of the record's PDF, and the site's URL of `path` (both
	while the PDF's assets are served, as the print sees the site)."""
	import zxingcpp

	with served_assets(), print_language("zh"):
		pdf = frappe.get_print(doctype, name, print_format, as_pdf=True)
		expected = get_url(path)
	texts = []
	for page in PdfReader(io.BytesIO(pdf)).pages:
		for image in page.images:
			texts += [result.text for result in zxingcpp.read_barcodes(image.image.convert("L"))]
	return texts, expected


def test_qr_data_uri_decodes_to_the_url():
	import base64

	import zxingcpp
	from PIL import Image

	url = "http://example.com/consultation/%E5%9D%91%E5%8F%A3%E6%9D%91#OUT-2026-00001"
	png = base64.b64decode(qr_data_uri(url).partition(",")[2])
	(result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))
	assert result.format == zxingcpp.BarcodeFormat.QRCode and result.text == url


def test_session_notice_pdf_qr_code_leads_to_the_session_on_the_unit_page(case):
	case.session.db_set("notice_published_on", add_days(nowdate(), -6))
	texts, expected = decoded_qr_codes("Consultation Session", case.session.name, "协商会议通知")
	assert texts == [expected]
	assert expected.endswith(unit_page_path(case.units.village_a, case.session.name))


def test_outcome_public_notice_pdf_qr_code_leads_to_the_outcome_on_the_unit_page(case):
	texts, expected = decoded_qr_codes("Consultation Outcome", case.outcome.name, "协商成果公示")
	assert texts == [expected]
	assert "#" + case.outcome.name in expected
