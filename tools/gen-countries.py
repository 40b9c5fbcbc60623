#!/usr/bin/env python3
"""Generate data/countries.json, the `countries` reference data of suivi.

DO NOT EDIT data/countries.json BY HAND: change this generator (or its inputs)
and run it again:

    python3 tools/gen-countries.py            # writes data/countries.json
    python3 tools/gen-countries.py -o -       # writes to standard output

The output is one JSON object {"countries": [...]} in the record format of
docs/API.md (collection `countries`): one record per ISO 3166-1 entry (249),
sorted by alpha-2 code, with the fields code, iso3, m49, name {fr,en,ar},
un_african_member, atlantic_african_state and m49_region.

Inputs (dev-time only; standard library only):

- Debian iso-codes: /usr/share/iso-codes/json/iso_3166-1.json, and the gettext
  catalogues /usr/share/locale/{fr,ar}/LC_MESSAGES/iso_3166-1.mo, whose keys
  are the English `name` field of the JSON file.
- ../shared/data/african-states.csv (see ../shared/data/README.md): the 54
  African Member States of the United Nations, with their UN (UNTERM) names in
  English and French, the UN Arabic short name, the UN M49 region and the flag
  of the 23 states of the Atlantic African States Process.

Rules:

- The 54 rows of african-states.csv take their names, region and AASP flag
  from the CSV; un_african_member is true for exactly these 54.
- Every other entry: en = iso-codes `common_name` when present, else `name`;
  fr and ar = the catalogue translation of the English `name`, or the English
  `name` when the catalogue has none; un_african_member and
  atlantic_african_state false, m49_region null (this includes Western Sahara,
  EH, which is not a UN Member State).
- m49 is the 3-digit ISO 3166-1 numeric code, which for countries is the M49
  code (the CSV's m49 is checked against it).

The generator checks its output (249 rows, 54 members, the 23 AASP states, ...)
and exits non-zero rather than write a wrong file. The output is deterministic.
"""

import argparse
import csv
import gettext
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

DEFAULT_ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
DEFAULT_LOCALEDIR = "/usr/share/locale"
DEFAULT_CSV = os.path.join(ROOT, "..", "shared", "data", "african-states.csv")
DEFAULT_OUT = os.path.join(ROOT, "data", "countries.json")

EXPECTED_AASP = ("AO BJ CD CG CI CM CV GA GH GM GN GQ GW LR MA MR NA NG SL SN "
                 "ST TG ZA").split()
REGIONS = {"Northern Africa", "Eastern Africa", "Middle Africa",
           "Southern Africa", "Western Africa"}
CSV_HEADER = ["iso2", "iso3", "m49", "region_m49", "name_en", "name_fr",
              "name_ar", "name_ar_iso_codes", "atlantic_african_state"]


class GenError(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise GenError(msg)


def load_iso(path):
    with open(path, encoding="utf-8") as f:
        rows = json.load(f)["3166-1"]
    for r in rows:
        check(re.fullmatch(r"[A-Z]{2}", r["alpha_2"]), "bad alpha_2 %r" % r)
        check(re.fullmatch(r"[A-Z]{3}", r["alpha_3"]), "bad alpha_3 %r" % r)
        check(re.fullmatch(r"[0-9]{3}", r["numeric"]), "bad numeric %r" % r)
    return rows


def load_african(path):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    check(not text.startswith("\ufeff"), "african-states.csv: BOM")
    reader = csv.reader(text.splitlines())
    header = next(reader)
    check(header == CSV_HEADER, "african-states.csv: unexpected header %r" % header)
    out = {}
    for line, row in enumerate(reader, start=2):
        check(len(row) == len(CSV_HEADER), "african-states.csv:%d: %d fields" % (line, len(row)))
        rec = dict(zip(CSV_HEADER, row))
        check(all(v and v == v.strip() for v in row), "african-states.csv:%d: empty or padded field" % line)
        check(rec["region_m49"] in REGIONS, "african-states.csv:%d: region %r" % (line, rec["region_m49"]))
        check(rec["atlantic_african_state"] in ("0", "1"), "african-states.csv:%d: AASP flag" % line)
        check(rec["iso2"] not in out, "african-states.csv:%d: duplicate %s" % (line, rec["iso2"]))
        out[rec["iso2"]] = rec
    return out


def build(iso_rows, african, localedir):
    cats = {lang: gettext.translation("iso_3166-1", localedir, languages=[lang])
            for lang in ("fr", "ar")}

    def tr(lang, msgid):
        # gettext returns the msgid itself when there is no translation,
        # which is the fallback to English we want.
        return cats[lang].gettext(msgid)

    iso_codes = {r["alpha_2"] for r in iso_rows}
    missing = sorted(set(african) - iso_codes)
    check(not missing, "african-states.csv codes not in iso-codes: %s" % missing)

    records = []
    for r in sorted(iso_rows, key=lambda r: r["alpha_2"]):
        code = r["alpha_2"]
        a = african.get(code)
        if a is not None:
            check(a["iso3"] == r["alpha_3"], "%s: iso3 %s != iso-codes %s" % (code, a["iso3"], r["alpha_3"]))
            check(a["m49"] == r["numeric"], "%s: m49 %s != iso-codes %s" % (code, a["m49"], r["numeric"]))
            name = {"fr": a["name_fr"], "en": a["name_en"], "ar": a["name_ar"]}
            member, aasp, region = True, a["atlantic_african_state"] == "1", a["region_m49"]
        else:
            name = {"fr": tr("fr", r["name"]),
                    "en": r.get("common_name", r["name"]),
                    "ar": tr("ar", r["name"])}
            member, aasp, region = False, False, None
        records.append({
            "code": code,
            "iso3": r["alpha_3"],
            "m49": r["numeric"],
            "name": name,
            "un_african_member": member,
            "atlantic_african_state": aasp,
            "m49_region": region,
        })
    return records


def verify(records):
    check(len(records) == 249, "expected 249 countries, got %d" % len(records))
    codes = [c["code"] for c in records]
    check(codes == sorted(set(codes)), "codes not unique and sorted")
    for key in ("iso3", "m49"):
        vals = [c[key] for c in records]
        check(len(set(vals)) == len(vals), "%s not unique" % key)
    members = [c for c in records if c["un_african_member"]]
    check(len(members) == 54, "expected 54 African members, got %d" % len(members))
    aasp = [c["code"] for c in records if c["atlantic_african_state"]]
    check(aasp == EXPECTED_AASP, "AASP states differ: %s" % aasp)
    for c in records:
        check(all(c["name"][l] for l in ("fr", "en", "ar")), "%s: empty name" % c["code"])
        check((c["m49_region"] is not None) == c["un_african_member"], "%s: m49_region" % c["code"])
        check(not c["atlantic_african_state"] or c["un_african_member"], "%s: AASP not member" % c["code"])
    eh = next(c for c in records if c["code"] == "EH")
    check(not eh["un_african_member"] and eh["m49_region"] is None, "EH must not be a member")


def dump(records):
    lines = [json.dumps(c, ensure_ascii=False, separators=(", ", ": ")) for c in records]
    return '{"countries": [\n' + ",\n".join(lines) + "\n]}\n"


def main(argv=None):
    p = argparse.ArgumentParser(description="Generate data/countries.json (do not edit it by hand).")
    p.add_argument("--iso-json", default=DEFAULT_ISO_JSON, help="iso-codes iso_3166-1.json (default: %(default)s)")
    p.add_argument("--localedir", default=DEFAULT_LOCALEDIR, help="gettext locale directory (default: %(default)s)")
    p.add_argument("--csv", default=DEFAULT_CSV, help="african-states.csv (default: ../shared/data/african-states.csv)")
    p.add_argument("-o", "--output", default=DEFAULT_OUT, help="output file, '-' for standard output (default: data/countries.json)")
    args = p.parse_args(argv)
    try:
        records = build(load_iso(args.iso_json), load_african(args.csv), args.localedir)
        verify(records)
    except (GenError, OSError, ValueError, KeyError) as e:
        print("gen-countries: %s" % e, file=sys.stderr)
        return 1
    text = dump(records)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        tmp = args.output + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
