#!/usr/bin/env python3
"""tools/gen-demo-needs.py — writes data/demo-needs.json, the SAMPLE needs
assessments of the demo (DESIGN: anything not in the communiqué is marked as
sample data).  The values are drawn from a seeded generator: they say nothing
about any real country's security, and every record carries sample: true and
a reference that says so.  Run again only to change the sample; the output
is deterministic.

    tools/gen-demo-needs.py > data/demo-needs.json
"""
import csv
import json
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
STATES = os.path.join(ROOT, '..', 'shared', 'data', 'african-states.csv')
THEMES = ['maritime_security', 'border_security', 'terrorist_financing', 'pcve',
          'criminal_justice', 'prison_management', 'terrorist_travel', 'cybersecurity',
          'vulnerable_targets', 'victims', 'aviation_security', 'human_rights_gender']
DATES = ['2024-03-15', '2025-03-14', '2026-03-13']
SOURCES = ['self_assessment', 'expert_mission', 'un_assessment']
# Follow-up actions of the demo that address needs: the maritime conference's
# report (action 11, in progress) answers maritime needs of Atlantic states.
MARITIME_ACTION = 11


def states():
    path = STATES if os.path.exists(STATES) else os.path.join(ROOT, 'data', 'african-states.csv')
    with open(path, newline='', encoding='utf-8') as f:
        return [(r['iso2'], r['atlantic_african_state'] == '1') for r in csv.DictReader(f)]


def main():
    rnd = random.Random(20241126)
    needs = []
    for iso2, atlantic in states():
        pool = THEMES if atlantic else [t for t in THEMES if t != 'maritime_security']
        themes = rnd.sample(pool, rnd.randint(3, 6))
        if atlantic and 'maritime_security' not in themes:
            themes[0] = 'maritime_security'
        for theme in themes:
            severity = rnd.randint(1, 5)
            first = rnd.randint(0, 1)
            for i, date in enumerate(DATES[first:]):
                last = i == len(DATES) - first - 1
                severity = max(1, min(5, severity + rnd.choice([-1, 0, 0, 1])))
                rec = {
                    'country': iso2, 'theme': theme, 'assessed_on': date,
                    'severity': severity, 'source': rnd.choice(SOURCES),
                    'status': 'open', 'sample': True,
                    'reference': 'Sample data generated for the demonstration; not an assessment',
                    'description': {
                        'fr': "Valeur d'exemple pour la démonstration (pas une évaluation réelle).",
                        'en': 'Sample value for the demonstration (not a real assessment).',
                    },
                }
                if last and rnd.random() < 0.25:
                    rec['status'] = rnd.choice(['being_addressed', 'met'])
                if last and atlantic and theme == 'maritime_security' and rnd.random() < 0.5:
                    rec['actions'] = [MARITIME_ACTION]
                    rec['status'] = 'being_addressed'
                needs.append(rec)
    json.dump({'needs': needs}, sys.stdout, ensure_ascii=False, indent=None, separators=(',', ':'))
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
