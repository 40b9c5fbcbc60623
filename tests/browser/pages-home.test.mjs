// tests/browser/pages-home.test.mjs — the home page, the account, reference records, the
// audit trail, the texts to translate.
// checkPages() (lib.mjs) loads each page below in fr, en and ar, signed in as the
// admin, and checks 200, HTML under 100 kB, <html lang dir>, no console error, no
// request to another host; axe-core (WCAG 2.1 A/AA) runs on each page in one
// language, in turn down the list (fr, en, ar, fr, …): the tests named "(axe)".
// A full-page screenshot of the home page per language goes to build/screenshots/.
import { checkPages } from './lib.mjs';

checkPages([
  '/', '/account', '/countries', '/themes', '/organisations/1', '/persons/1',
  '/audit', '/audit/1', '/documents/new', '/translations',
], { screenshots: { '/': 'home' } });
