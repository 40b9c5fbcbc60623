// tests/browser/pages-needs.test.mjs — the needs of the states: the matrix, by country,
// by theme, the gaps, the records, the import.
// checkPages() (lib.mjs) loads each page below in fr, en and ar, signed in as the
// admin, and checks 200, HTML under 100 kB, <html lang dir>, no console error, no
// request to another host; axe-core (WCAG 2.1 A/AA) runs on each page in one
// language, in turn down the list (fr, en, ar, fr, …): the tests named "(axe)".
import { checkPages } from './lib.mjs';

checkPages([
  '/needs/matrix', '/needs/map', '/needs/map?measure=pcve', '/needs/country/SN', '/needs/theme/pcve',
  '/needs/gaps', '/needs', '/needs/1', '/needs/new', '/needs/import',
]);
