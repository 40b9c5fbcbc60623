#!/usr/bin/env python3
"""tools/po-fill.py — fills the empty msgstr of po/LANG.po from a JSON file of
translations {"msgid": {"fr": "...", "ar": "...", "en": "..."}} (maintainers,
after tools/update-po).  Entries already translated are left alone; every
other line of the catalogue is kept as it is.

    tools/po-fill.py translations.json
"""
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')


def unquote(line):
    s = line[line.index('"') + 1:line.rindex('"')]
    return bytes(s, 'utf-8').decode('unicode_escape').encode('latin-1').decode('utf-8')


def quote(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n').replace('\t', '\\t') + '"'


def fill(path, lang, table):
    lines = open(path, encoding='utf-8').read().split('\n')
    out, i, filled = [], 0, 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith('msgid '):
            out.append(line)
            i += 1
            continue
        msgid_lines = [line]
        i += 1
        while i < len(lines) and lines[i].startswith('"'):
            msgid_lines.append(lines[i])
            i += 1
        msgid = ''.join(unquote(x) for x in msgid_lines)
        out.extend(msgid_lines)
        if i < len(lines) and lines[i].startswith('msgstr '):
            str_lines = [lines[i]]
            i += 1
            while i < len(lines) and lines[i].startswith('"'):
                str_lines.append(lines[i])
                i += 1
            current = ''.join(unquote(x) for x in str_lines)
            t = table.get(msgid, {}).get(lang)
            if msgid and not current and t:
                out.append('msgstr ' + quote(t))
                filled += 1
            else:
                out.extend(str_lines)
    open(path, 'w', encoding='utf-8').write('\n'.join(out))
    return filled


def main():
    table = json.load(open(sys.argv[1], encoding='utf-8'))
    for lang in ('fr', 'en', 'ar'):
        n = fill(os.path.join(ROOT, 'po', f'{lang}.po'), lang, table)
        print(f'po/{lang}.po: {n} filled')


if __name__ == '__main__':
    main()
