// tests/browser/pages-followup.test.mjs — the follow-up of the meetings: meetings,
// outcomes, actions and their updates, the board, the follow-up report.
// checkPages() (lib.mjs) loads each page below in fr, en and ar, signed in as the
// admin, and checks 200, HTML under 100 kB, <html lang dir>, no console error, no
// request to another host; axe-core (WCAG 2.1 A/AA) runs on each page in one
// language, in turn down the list (fr, en, ar, fr, …): the tests named "(axe)".
import { checkPages } from './lib.mjs';

checkPages([
  '/meetings', '/meetings/1', '/outcomes', '/actions', '/actions?late=true', '/actions/1',
  '/actions/1/edit', '/actions/new', '/action_updates', '/board', '/board?late=true',
  '/meetings/1/report', '/progress-links',
]);
