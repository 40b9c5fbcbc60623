// tests/browser/pages-training.test.mjs — training: the catalogue, sessions and their
// results grid, participants, certificates and their check, the public dashboard, the
// imports, duplicates.
// checkPages() (lib.mjs) loads each page below in fr, en and ar, signed in as the
// admin, and checks 200, HTML under 100 kB, <html lang dir>, no console error, no
// request to another host; axe-core (WCAG 2.1 A/AA) runs on each page in one
// language, in turn down the list (fr, en, ar, fr, …): the tests named "(axe)".
import { checkPages } from './lib.mjs';

checkPages([
  '/catalogue', '/sessions/1', '/sessions/1/results', '/participants/1', '/enrolments/1/certificate',
  '/verify', '/verify/PO-2025-AAAAAAAA', '/training', '/training?country=SN&sex=female',
  '/participants/import', '/enrolments/import', '/participants/duplicates',
]);
