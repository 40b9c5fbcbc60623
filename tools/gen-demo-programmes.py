#!/usr/bin/env python3
"""Writes data/demo-programmes.json: the sample technical-assistance programmes of
the demo (DESIGN M5).  Every figure here is invented for the demonstration and
flagged `sample`; the only facts are those the founding communiqué gives (the
UNOCT Programme Office in Rabat, Morocco's multidimensional support, the
conference and the forum).

The needs a programme answers are found in data/demo-needs.json, whose records
take the ids 1, 2, … in file order when `suivi demo` loads it into a new
database (it is loaded before this file)."""
import json, os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
needs = json.load(open(os.path.join(ROOT, 'data', 'demo-needs.json')))['needs']

def need_ids(countries, themes, limit):
    """Open needs of severity >= 4 in these countries and themes, latest first."""
    found = [(n['assessed_on'], i + 1) for i, n in enumerate(needs)
             if n['country'] in countries and n['theme'] in themes and n['severity'] >= 4 and n['status'] == 'open']
    return sorted(i for _, i in sorted(found, reverse=True)[:limit])

SAMPLE = 'Sample data for the demonstration: every figure is invented'
PO_COUNTRIES = ['MA', 'SN', 'CI', 'NE']
ATLANTIC = ['MA', 'MR', 'SN', 'GM', 'GW', 'GN', 'SL', 'LR', 'CI', 'GH', 'TG', 'BJ', 'NG', 'CM', 'GQ', 'GA', 'ST', 'CV']
SAHEL = ['ML', 'NE', 'BF', 'TD', 'MR']

def s(fr, en, ar=None):
    d = {'fr': fr, 'en': en}
    if ar:
        d['ar'] = ar
    return d

organisations = [
    {'id': 4, 'name': s('Bailleur A (exemple fictif)', 'Donor A (fictitious sample)', 'المانح أ (مثال وهمي)'),
     'acronym': 'DA', 'type': '10', 'sample': True, 'source': SAMPLE + ': a fictitious donor'},
    {'id': 5, 'name': s('Bailleur B (exemple fictif)', 'Donor B (fictitious sample)', 'المانح ب (مثال وهمي)'),
     'acronym': 'DB', 'type': '40', 'sample': True, 'source': SAMPLE + ': a fictitious donor'},
]

programmes = [
    {'id': 1, 'iati_identifier': 'XX-SAMPLE-PO-001',
     'title': s("Formation spécialisée des forces de sécurité africaines — Bureau de programme de l'ONUCT à Rabat (chiffres d'exemple)",
                'Specialised training of African security forces — UNOCT Programme Office in Rabat (sample figures)',
                'التدريب المتخصص لقوات الأمن الأفريقية — مكتب برنامج مكتب الأمم المتحدة لمكافحة الإرهاب في الرباط (أرقام على سبيل المثال)'),
     'description': s("Le Bureau de programme de l'ONUCT à Rabat dispense une formation spécialisée aux forces de sécurité africaines grâce au soutien multidimensionnel du Maroc (communiqué, par. 6). Budget, bailleurs et montants : valeurs d'exemple.",
                      "The UNOCT Programme Office in Rabat gives specialised training to African security forces thanks to Morocco's multidimensional support (communiqué, para. 6). Budget, donors and amounts: sample values."),
     'implementer': 3, 'donors': [4], 'countries': PO_COUNTRIES,
     'themes': ['maritime_security', 'border_security', 'terrorist_financing'],
     'needs': need_ids(PO_COUNTRIES, ['maritime_security', 'border_security', 'terrorist_financing'], 6),
     'start_date': '2021-06-24', 'status': 'implementation', 'budget': 250000000, 'currency': 'USD',
     'published': True,
     'sample': True, 'source': 'Communiqué, para. 6 (the office and its support); press reports (opened 24 June 2021). ' + SAMPLE},
    {'id': 2, 'iati_identifier': 'XX-SAMPLE-ATL-002',
     'title': s("Sécurité maritime le long de la côte atlantique africaine (programme d'exemple)",
                'Maritime security along the African Atlantic coast (sample programme)',
                'الأمن البحري على طول الساحل الأطلسي الأفريقي (برنامج على سبيل المثال)'),
     'description': s("Programme d'exemple lié à la conférence sur la sécurité maritime prévue dans le cadre du Processus des États atlantiques africains (communiqué, par. 7).",
                      'Sample programme linked to the conference on maritime security planned within the Atlantic African States Process (communiqué, para. 7).'),
     'implementer': 2, 'donors': [4, 5], 'countries': ATLANTIC, 'themes': ['maritime_security'],
     'needs': need_ids(ATLANTIC, ['maritime_security'], 8),
     'start_date': '2025-01-01', 'end_date': '2027-12-31', 'status': 'implementation', 'budget': 120000000, 'currency': 'USD',
     'published': True,
     'sample': True, 'source': SAMPLE},
    {'id': 3, 'iati_identifier': 'XX-SAMPLE-CFT-003',
     'title': s("Lutte contre le financement du terrorisme au Sahel (programme d'exemple)",
                'Countering the financing of terrorism in the Sahel (sample programme)'),
     'implementer': 2, 'donors': [5], 'countries': SAHEL, 'themes': ['terrorist_financing'],
     'needs': need_ids(SAHEL, ['terrorist_financing'], 5),
     'start_date': '2026-06-01', 'end_date': '2028-05-31', 'status': 'pipeline', 'budget': 80000000, 'currency': 'USD',
     # in the pipeline: staff have not published it to IATI yet (the public file leaves it out)
     'published': False,
     'sample': True, 'source': SAMPLE},
]

def tx(i, prog, kind, date, amount, provider=None, receiver=None, currency='USD', en='', fr=''):
    t = {'id': i, 'programme': prog, 'kind': kind, 'date': date, 'amount': amount, 'currency': currency,
         'sample': True, 'source': SAMPLE}
    if provider: t['provider'] = provider
    if receiver: t['receiver'] = receiver
    if en: t['description'] = s(fr or en, en)
    return t

transactions = [
    tx(1, 1, 'commitment', '2021-07-01', 200000000, 4, 2, fr='Engagement du bailleur A', en='Commitment of donor A'),
    tx(2, 1, 'incoming_funds', '2021-09-15', 80000000, 4, 2, fr='Première tranche', en='First tranche'),
    tx(3, 1, 'disbursement', '2022-02-01', 60000000, 2, 3, fr='Versement au Bureau de programme', en='Disbursement to the Programme Office'),
    tx(4, 1, 'incoming_funds', '2023-03-01', 70000000, 4, 2, fr='Deuxième tranche', en='Second tranche'),
    tx(5, 1, 'disbursement', '2023-04-01', 70000000, 2, 3),
    tx(6, 1, 'expenditure', '2024-12-31', 95000000, 3, None, fr='Dépenses de formation 2022–2024', en='Training expenditure 2022–2024'),
    tx(7, 2, 'commitment', '2025-01-15', 80000000, 4, 2),
    tx(8, 2, 'commitment', '2025-02-01', 30000000, 5, 2, currency='EUR', fr='Engagement en euros du bailleur B', en="Donor B's commitment in euros"),
    tx(9, 2, 'disbursement', '2025-03-01', 40000000, 2, 3),
    tx(10, 2, 'expenditure', '2025-12-31', 15000000, 3, None),
    tx(11, 3, 'commitment', '2026-05-01', 50000000, 5, 2),
]

MOROCCO = 'Communiqué, para. 6 (Morocco\'s multidimensional support to the office); the value is a sample estimate'
contributions = [
    {'id': 1, 'programme': 1, 'provider': 1, 'kind': 'premises', 'start_date': '2021-06-24',
     'description': s('Locaux du Bureau de programme à Rabat', 'Premises of the Programme Office in Rabat', 'مقر مكتب البرنامج في الرباط'),
     'value': 30000000, 'currency': 'USD', 'sample': True, 'source': MOROCCO},
    {'id': 2, 'programme': 1, 'provider': 1, 'kind': 'trainers', 'start_date': '2021-06-24',
     'description': s('Formateurs mis à disposition', 'Trainers made available', 'مدربون موضوعون رهن الإشارة'),
     'value': 12000000, 'currency': 'USD', 'sample': True, 'source': MOROCCO},
    {'id': 3, 'programme': 1, 'provider': 1, 'kind': 'logistics', 'start_date': '2021-06-24',
     'description': s('Logistique des sessions (hébergement, transport)', 'Session logistics (lodging, transport)', 'لوجستيات الدورات (الإقامة والنقل)'),
     'value': 8000000, 'currency': 'USD', 'sample': True, 'source': MOROCCO},
]

results = [
    {'id': 1, 'programme': 1, 'level': 'output', 'title': s('Des agents de sécurité africains sont formés', 'African security officials are trained'), 'sample': True, 'source': SAMPLE},
    {'id': 2, 'programme': 1, 'level': 'outcome', 'title': s('Les agents formés appliquent leurs compétences', 'Trained officials apply their skills'), 'sample': True, 'source': SAMPLE},
    {'id': 3, 'programme': 2, 'level': 'output', 'title': s('Des agents des États côtiers sont formés à la sécurité maritime', "Coastal states' officials are trained in maritime security"), 'sample': True, 'source': SAMPLE},
]

indicators = [
    {'id': 1, 'result': 1, 'title': s('Personnes formées', 'People trained'), 'measure': 'unit', 'ascending': True,
     'baseline_year': 2024, 'baseline': 0, 'computed': 'people_trained', 'sample': True, 'source': SAMPLE},
    {'id': 2, 'result': 1, 'title': s("Taux d'achèvement (%)", 'Completion rate (%)'), 'measure': 'percentage', 'ascending': True,
     'baseline_year': 2024, 'baseline': 0, 'computed': 'completion_rate', 'sample': True, 'source': SAMPLE},
    {'id': 3, 'result': 1, 'title': s('Gain moyen de connaissances (points)', 'Mean knowledge gain (points)'), 'measure': 'unit', 'ascending': True,
     'baseline_year': 2024, 'baseline': 0, 'computed': 'knowledge_gain', 'sample': True, 'source': SAMPLE},
    {'id': 4, 'result': 2, 'title': s('Part des agents formés qui appliquent leurs compétences six mois après (%)', 'Share of trained officials applying their skills six months later (%)'),
     'measure': 'percentage', 'ascending': True, 'baseline_year': 2024, 'baseline': 0, 'computed': 'manual', 'sample': True, 'source': SAMPLE},
    {'id': 5, 'result': 3, 'title': s('Agents formés à la sécurité maritime', 'Officials trained in maritime security'), 'measure': 'unit', 'ascending': True,
     'baseline_year': 2024, 'baseline': 0, 'computed': 'manual', 'sample': True, 'source': SAMPLE},
]

def period(i, ind, target=None, actual=None, sex=None, country=None, start='2025-01-01', end='2025-12-31'):
    p = {'id': i, 'indicator': ind, 'start_date': start, 'end_date': end, 'sample': True, 'source': SAMPLE}
    for k, v in (('target', target), ('actual', actual), ('sex', sex), ('country', country)):
        if v is not None:
            p[k] = v
    return p

# The people-trained targets of 2025 are of the size of the training that `suivi demo`
# generates under the programme (src/cmd/cmd_training.c: some 140 people that year).
periods = [
    period(1, 1, target=150), period(2, 1, target=40, sex='female'), period(3, 1, target=110, sex='male'),
    period(4, 2, target=85), period(5, 3, target=15),
    period(6, 4, target=60, actual=48),
    period(7, 5, target=30, actual=12), period(8, 5, target=12, actual=5, sex='female'), period(9, 5, target=18, actual=7, sex='male'),
]

def evaluation(i, prog, rater, scores, country=None, organisation=None, comment=None):
    e = {'id': i, 'meeting': 3, 'programme': prog, 'rater': rater, 'sample': True,
         'source': SAMPLE + ': not a real rating'}
    if country: e['country'] = country
    if organisation: e['organisation'] = organisation
    for k, v in zip(['relevance', 'coherence', 'effectiveness', 'efficiency', 'impact', 'sustainability'], scores):
        e[k] = v
    if comment:
        e['effectiveness_comment'] = comment
    return e

evaluations = [
    evaluation(1, 1, 'beneficiary', [5, 4, 4, 3, 4, 3], country='MA', comment='Sample comment: the courses match our needs.'),
    evaluation(2, 1, 'donor', [4, 4, 4, 4, 3, 3], organisation=4, comment='Sample comment: reporting could be more regular.'),
    evaluation(3, 2, 'beneficiary', [5, 4, 3, 3, 3, 3], country='SN'),
]

# Fictitious delegates of the Atlantic conference (meeting 2): sample people.
persons = [
    {'id': 3, 'name': 'Délégué Exemple Un', 'title': s('Délégué (personne fictive)', 'Delegate (fictitious person)'), 'sample': True, 'source': SAMPLE + ': a fictitious person'},
    {'id': 4, 'name': 'Déléguée Exemple Deux', 'title': s('Déléguée (personne fictive)', 'Delegate (fictitious person)'), 'sample': True, 'source': SAMPLE + ': a fictitious person'},
    {'id': 5, 'name': 'Intervenant Exemple Trois', 'title': s('Intervenant (personne fictive)', 'Speaker (fictitious person)'), 'sample': True, 'source': SAMPLE + ': a fictitious person'},
]
registrations = [
    {'id': 1, 'meeting': 2, 'person': 3, 'country': 'MA', 'role': 'delegate', 'attended': True, 'sample': True, 'source': SAMPLE},
    {'id': 2, 'meeting': 2, 'person': 4, 'country': 'SN', 'role': 'delegate', 'attended': False, 'sample': True, 'source': SAMPLE},
    {'id': 3, 'meeting': 2, 'person': 5, 'organisation': 2, 'role': 'speaker', 'attended': True, 'sample': True, 'source': SAMPLE},
    {'id': 4, 'meeting': 3, 'person': 3, 'country': 'MA', 'role': 'beneficiary', 'attended': False, 'sample': True, 'source': SAMPLE},
]

out = {'organisations': organisations, 'persons': persons, 'programmes': programmes, 'transactions': transactions,
       'contributions': contributions, 'results': results, 'indicators': indicators, 'periods': periods,
       'evaluations': evaluations, 'registrations': registrations}
with open(os.path.join(ROOT, 'data', 'demo-programmes.json'), 'w') as f:
    json.dump(out, f, ensure_ascii=False, indent=1)
    f.write('\n')
