// tests/browser/pages-programmes.test.mjs — programmes and the forum: the conference and
// the forum, badges, the evaluation form and report, programmes, indicators,
// transactions, evaluations, the IATI import.
// checkPages() (lib.mjs) loads each page below in fr, en and ar, signed in as the
// admin, and checks 200, HTML under 100 kB, <html lang dir>, no console error, no
// request to another host; axe-core (WCAG 2.1 A/AA) runs on each page in one
// language, in turn down the list (fr, en, ar, fr, …): the tests named "(axe)".
import { checkPages } from './lib.mjs';

checkPages([
  '/meetings/2', '/meetings/3', '/meetings/3/badges', '/forum/3/evaluate',
  '/forum/3/evaluate?rater=beneficiary&country=SN', '/forum/3/report', '/programmes', '/programmes/1',
  '/programmes/overview', '/indicators/1', '/transactions', '/programmes/import', '/evaluations/1',
]);
