// tests/browser/menus.mjs — each role's menu, by group, as the menu tests expect it
// (issue 14): shared by menu.test.mjs and menu-phone.test.mjs.

const DIALOGUE = ['/meetings?kind=strategic_dialogue', '/outcomes'];
const FOLLOWUP = ['/board', '/actions', '/actions?late=true', '/action_updates'];
// those who review entries (staff) or submit them (focal points) have the review queue second
const FOLLOWUP_REVIEW = [FOLLOWUP[0], '/review', ...FOLLOWUP.slice(1)];
const NEEDS = ['/needs/matrix', '/needs/map', '/needs/gaps', '/needs'];
const PROGRAMMES = ['/programmes/overview', '/programmes', '/transactions', '/contributions', '/results', '/indicators'];
const DATA = ['/documents', '/countries', '/themes', '/organisations', '/persons', '/iati.xml', '/api/v1/'];
// staff have the texts left to translate besides
const DATA_STAFF = [...DATA.slice(0, 5), '/translations', ...DATA.slice(5)];

// Each role's menu: its groups (in the English menu) and their pages, in order.
export const MENUS = {
  public: {
    Training: ['/training', '/verify'],
    Data: ['/iati.xml'],
  },
  admin: {
    Dialogue: DIALOGUE,
    'Follow-up': [...FOLLOWUP_REVIEW, '/progress-links'], // the reminders' links: staff's
    Needs: [...NEEDS, '/needs/import'],
    Training: ['/training', '/catalogue', '/sessions', '/participants', '/enrolments', '/participants/duplicates',
      '/participants/import', '/enrolments/import', '/verify'],
    Programmes: [...PROGRAMMES, '/programmes/import'],
    'Events and forum': ['/meetings', '/registrations', '/evaluations'],
    Data: DATA_STAFF,
    Administration: ['/accounts', '/notifications', '/audit'],
  },
  focal: {
    Dialogue: DIALOGUE,
    'Follow-up': FOLLOWUP_REVIEW,
    Needs: [...NEEDS, '/needs/import'],
    Training: ['/training', '/catalogue', '/sessions', '/participants', '/verify'],
    Programmes: PROGRAMMES,
    'Events and forum': ['/meetings', '/registrations', '/evaluations'],
    Data: DATA,
  },
  donor: {
    Dialogue: DIALOGUE,
    'Follow-up': FOLLOWUP,
    Training: ['/training', '/catalogue', '/sessions', '/verify'],
    Programmes: PROGRAMMES,
    'Events and forum': ['/meetings', '/evaluations'],
    Data: DATA,
  },
};
MENUS.officer = { ...MENUS.admin, Administration: ['/audit'] }; // accounts are the admin's
