"""Check that a backup of a site gives everything back: back it up with its files, restore it into a new
site, compare both sites, drop the new site. Run it through scripts/backup-check.

Compared, table by table (count and a SHA-256 over every column of every row, in name order):
- every DocType of the app (units, catalogue, stakeholders, topics, sessions, outcomes, their child
  tables: participants, materials, notices, progress…, settings and any DocType added later);
- the amendment history: the version rows (`Version`) of the app's documents, and each chain of
  corrected outcomes and sessions (`amended_from`) from the original to its latest correction;
- the attachments: every `File` row, and the SHA-256 of each file's contents on disk;
- who may see which unit: the User Permissions on Community Unit.

Back up a quiet site (or accept that what changes between the backup and the comparison differs).

The exit status is 0 when the restored site has the same of everything, 1 when anything differs or a
step fails (the step and its output are printed).
"""

import argparse
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

APP = "community_consultation"
SAMPLE_PRIVATE = "backup-check-materials.txt"
SAMPLE_PUBLIC = "backup-check-notice.txt"


def parse_args(argv=None):
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("site", help="the site to back up and check")
	parser.add_argument("--bench", default=os.environ.get("FRAPPE_BENCH", "/opt/frappe-bench"))
	parser.add_argument("--restore-site", help="name of the new site (default restore-check.<site>)")
	parser.add_argument("--keep", action="store_true", help="keep the restored site for inspection")
	parser.add_argument(
		"--compare-with",
		metavar="SITE",
		help="only compare with this existing site (a site restored before, e.g. with --keep)",
	)
	parser.add_argument(
		"--add-samples",
		action="store_true",
		help="first attach a private material to a draft session and a public file to an outcome (once)",
	)
	return parser.parse_args(argv)


# ------------------------------------------------------------------------------------ bench


class StepFailed(Exception):
	pass


def bench(args, *command: str, site: str | None = None, secrets_: tuple[str, ...] = ()) -> str:
	cmd = ["bench"] + (["--site", site] if site else []) + list(command)
	shown = " ".join("***" if c in secrets_ else c for c in cmd)
	print(f"$ {shown}", flush=True)
	out = subprocess.run(cmd, cwd=args.bench, capture_output=True, text=True)
	text = "\n".join(
		line
		for line in (out.stdout + out.stderr).replace("\r", "\n").splitlines()
		if line.strip() and not line.startswith(("Updating DocTypes", "Warning: MariaDB version"))
	)
	if out.returncode != 0:
		raise StepFailed(f"{shown} failed (exit status {out.returncode}):\n{text[-3000:]}")
	return text


def root_credentials(args) -> tuple[str, str]:
	conf = json.loads((Path(args.bench) / "sites" / "common_site_config.json").read_text())
	return conf.get("root_login", "root"), conf.get("root_password", "")


def backup(args) -> dict[str, Path]:
	"""`bench backup --with-files`: the paths of the database dump, the file archives and the config."""
	text = bench(args, "backup", "--with-files", site=args.site)
	paths = {}
	for key, label in (
		("config", "Config"),
		("database", "Database"),
		("public", "Public"),
		("private", "Private"),
	):
		found = re.search(rf"^{label}\s*:\s*(\S+)", text, re.MULTILINE)
		if not found:
			raise StepFailed(f"the backup summary names no {label} file:\n{text}")
		path = Path(found.group(1))
		paths[key] = path if path.is_absolute() else (Path(args.bench) / "sites" / path).resolve()
	return paths


def restore(args, files: dict[str, Path]):
	"""A new site, with the source site's encryption key, restored from the backup."""
	login, password = root_credentials(args)
	target = args.restore_site
	drop(args, target, missing_ok=True)
	admin_password = secrets.token_urlsafe(12)
	bench(
		args,
		"new-site",
		target,
		"--admin-password",
		admin_password,
		"--db-root-username",
		login,
		"--db-root-password",
		password,
		"--mariadb-user-host-login-scope=%",
		secrets_=(password, admin_password),
	)
	key = json.loads(files["config"].read_text()).get("encryption_key")
	if key:
		bench(args, "set-config", "encryption_key", key, site=target, secrets_=(key,))
	bench(
		args,
		"restore",
		str(files["database"]),
		"--with-public-files",
		str(files["public"]),
		"--with-private-files",
		str(files["private"]),
		"--db-root-username",
		login,
		"--db-root-password",
		password,
		"--force",
		site=target,
		secrets_=(password,),
	)


def drop(args, site: str, missing_ok: bool = False):
	if missing_ok and not (Path(args.bench) / "sites" / site).exists():
		return
	login, password = root_credentials(args)
	bench(
		args,
		"drop-site",
		site,
		"--db-root-username",
		login,
		"--db-root-password",
		password,
		"--no-backup",
		"--force",
		secrets_=(password,),
	)
	# drop-site keeps the site's folder under archived/sites: this one was only a check
	archived = Path(args.bench) / "archived" / "sites" / site
	if archived.exists():
		shutil.rmtree(archived)


# ------------------------------------------------------------------------------------ site contents


def connect(args, site: str):
	sys.path.insert(0, str(Path(args.bench) / "apps" / "frappe"))
	os.chdir(Path(args.bench) / "sites")
	import frappe

	frappe.init(site, sites_path=".")
	frappe.connect()
	return frappe


def row_digest(row) -> str:
	return hashlib.sha256(json.dumps([str(v) for v in row], ensure_ascii=False).encode()).hexdigest()


def table_rows(frappe, doctype: str, where: str = "", params=None) -> dict[str, str]:
	"""{name: digest of every column} of a DocType's rows (columns in name order)."""
	columns = sorted(frappe.db.get_table_columns(doctype))
	select = ", ".join(f"`{c}`" for c in columns)
	query = f"select `name`, {select} from `tab{doctype}` {where} order by `name`"
	rows = frappe.db.sql(query, params, as_list=True) if params else frappe.db.sql(query, as_list=True)
	return {str(r[0]): row_digest(r[1:]) for r in rows}


def file_digest(frappe, file_url: str | None) -> str:
	"""SHA-256 of a local file's contents, "MISSING" when the file is not on disk."""
	if not file_url or not file_url.startswith(("/files/", "/private/files/")):
		return "external"
	parts = unquote(file_url).lstrip("/").split("/")
	path = Path(
		frappe.get_site_path(*parts) if parts[0] == "private" else frappe.get_site_path("public", *parts)
	)
	if not path.is_file():
		return "MISSING"
	digest = hashlib.sha256()
	with path.open("rb") as f:
		for block in iter(lambda: f.read(1 << 20), b""):
			digest.update(block)
	return digest.hexdigest()


def amendment_chains(frappe, doctype: str) -> dict[str, str]:
	"""{latest correction: original → … → latest} of every amended document of `doctype`."""
	parent = dict(
		frappe.db.sql(f"select name, amended_from from `tab{doctype}` where ifnull(amended_from, '') != ''")
	)
	chains = {}
	amended = set(parent.values())
	for latest in parent:
		if latest in amended:
			continue
		chain, name = [latest], latest
		while name in parent:
			name = parent[name]
			chain.append(name)
		chains[latest] = " → ".join(reversed(chain))
	return chains


def snapshot(args, site: str) -> dict[str, dict[str, str]]:
	"""Everything compared, as {label: {key: digest}}."""
	frappe = connect(args, site)
	try:
		modules = frappe.get_module_list(APP)
		doctypes = frappe.get_all(
			"DocType",
			filters={"module": ("in", modules), "is_virtual": 0},
			fields=["name", "issingle"],
			order_by="name",
		)
		data = {}
		for dt in doctypes:
			if dt.issingle:
				rows = frappe.db.sql(
					"select field, value from `tabSingles` where doctype = %s order by field", dt.name
				)
				data[dt.name] = {field: row_digest([value]) for field, value in rows}
			else:
				data[dt.name] = table_rows(frappe, dt.name)
		names = [dt.name for dt in doctypes]
		data["Version (history of the app's documents)"] = table_rows(
			frappe, "Version", "where ref_doctype in %(names)s", {"names": names}
		)
		for doctype in ("Consultation Outcome", "Consultation Session"):
			if doctype in names:
				chains = amendment_chains(frappe, doctype)
				data[f"{doctype}: amendment chains"] = {k: row_digest([v]) for k, v in chains.items()}
		data["File (rows)"] = table_rows(frappe, "File")
		data["File (contents on disk)"] = {
			name: file_digest(frappe, url)
			for name, url in frappe.db.sql("select name, file_url from `tabFile` where is_folder = 0")
		}
		data["User Permission on Community Unit"] = table_rows(
			frappe, "User Permission", "where allow = 'Community Unit'"
		)
		return data
	finally:
		frappe.destroy()


def compare(source: dict, restored: dict) -> list[tuple[str, int, int, bool, list[str]]]:
	results = []
	for label in sorted(set(source) | set(restored)):
		a, b = source.get(label, {}), restored.get(label, {})
		differing = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
		results.append((label, len(a), len(b), not differing, differing[:5]))
	return results


def add_samples(args):
	"""A private material on a draft session and a public file on an outcome, once."""
	frappe = connect(args, args.site)
	try:
		frappe.set_user("Administrator")
		if not frappe.db.exists("File", {"file_name": SAMPLE_PRIVATE}):
			session = frappe.get_all("Consultation Session", filters={"docstatus": 0}, pluck="name", limit=1)
			if not session:
				raise StepFailed("no draft session to attach a material to: load the demo data first")
			doc = frappe.get_doc("Consultation Session", session[0])
			file = frappe.get_doc(
				{
					"doctype": "File",
					"file_name": SAMPLE_PRIVATE,
					"is_private": 1,
					"attached_to_doctype": doc.doctype,
					"attached_to_name": doc.name,
					"content": "协商会议材料：议题说明、议事规则、现场照片清单（备份检查样例）。\n".encode(),
				}
			).insert(ignore_permissions=True)
			doc.append(
				"materials", {"material_title": "协商会议材料（备份检查样例）", "attachment": file.file_url}
			)
			doc.save(ignore_permissions=True)
			print(f"attached {file.file_url} to {doc.name}")
		if not frappe.db.exists("File", {"file_name": SAMPLE_PUBLIC}):
			outcome = frappe.get_all("Consultation Outcome", filters={"docstatus": 1}, pluck="name", limit=1)
			if outcome:
				file = frappe.get_doc(
					{
						"doctype": "File",
						"file_name": SAMPLE_PUBLIC,
						"is_private": 0,
						"attached_to_doctype": "Consultation Outcome",
						"attached_to_name": outcome[0],
						"content": "协商成果公示（备份检查样例）。\n".encode(),
					}
				).insert(ignore_permissions=True)
				print(f"attached {file.file_url} to {outcome[0]}")
		frappe.db.commit()
	finally:
		frappe.destroy()


def main(argv=None) -> int:
	args = parse_args(argv)
	args.restore_site = args.restore_site or f"restore-check.{args.site}"
	if args.restore_site == args.site:
		sys.exit("the restore site must be a new site, not the one backed up")
	try:
		if args.compare_with:
			args.restore_site = args.compare_with
		else:
			if args.add_samples:
				add_samples(args)
			files = backup(args)
			print("backup: " + ", ".join(f"{k} {v.name}" for k, v in files.items()), flush=True)
			restore(args, files)
		results = compare(snapshot(args, args.site), snapshot(args, args.restore_site))
	except StepFailed as e:
		print(f"error: {e}", file=sys.stderr)
		return 1
	finally:
		if not (args.keep or args.compare_with):
			try:
				drop(args, args.restore_site, missing_ok=True)
			except StepFailed as e:
				print(f"warning: the restore site was not dropped: {e}", file=sys.stderr)

	print(f"\n{'compared':<52}{args.site:>12}{'restored':>12}")
	for label, a, b, same, differing in results:
		print(f"{label:<52}{a:>12}{b:>12}  {'same' if same else 'DIFFERENT: ' + ', '.join(differing)}")
	bad = [r for r in results if not r[3]]
	print(
		f"\n{len(results) - len(bad)} of {len(results)} compared sets are identical in the restored site"
		+ ("." if not bad else f"; {len(bad)} differ.")
	)
	return 1 if bad else 0


if __name__ == "__main__":
	sys.exit(main())
