#!/usr/bin/python3
"""xlsx-write.py OUT.xlsx SPEC.json: a workbook written by openpyxl (Debian's
python3-openpyxl), as an office's spreadsheet program would give it, for the
XLSX import tests.  SPEC: {"epoch1904": bool, "sheets": [{"title": str,
"rows": [[cell, ...], ...], "merge": ["A1:F1", ...], "formats": {"C3":
"DD/MM/YYYY"}}]}; a cell is a string, a number, null, {"date": "YYYY-MM-DD"}
or {"bool": true}."""
import datetime
import json
import sys

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904


def value(cell):
    if isinstance(cell, dict) and "date" in cell:
        return datetime.date.fromisoformat(cell["date"])
    if isinstance(cell, dict) and "bool" in cell:
        return bool(cell["bool"])
    return cell


def main(out, spec_file):
    with open(spec_file, encoding="utf-8") as f:
        spec = json.load(f)
    wb = openpyxl.Workbook()
    if spec.get("epoch1904"):
        wb.epoch = CALENDAR_MAC_1904
    wb.remove(wb.active)
    for s in spec["sheets"]:
        ws = wb.create_sheet(s["title"])
        for row in s["rows"]:
            ws.append([value(c) for c in row])
        for ref in s.get("merge", []):
            ws.merge_cells(ref)
        for ref, fmt in s.get("formats", {}).items():
            ws[ref].number_format = fmt
    wb.save(out)


def edit(path, sheet_cells):
    """xlsx-write.py --edit BOOK.xlsx '{"B3": "new"}': changes cells of the first sheet."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for ref, v in json.loads(sheet_cells).items():
        ws[ref] = value(v)
    wb.save(path)


if __name__ == "__main__":
    if sys.argv[1] == "--edit":
        edit(sys.argv[2], sys.argv[3])
    else:
        main(sys.argv[1], sys.argv[2])
