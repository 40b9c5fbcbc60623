// The authorisation matrix, generated from the registry: every collection that
// /api/v1/openapi.json names × every route (API: list, CSV, one record, create,
// change, delete; pages: list, detail, new, edit, the delete confirmation, and the
// new/edit/delete forms) ×
// every identity (each role with an API token and with a browser session, nobody,
// a session that expired, a token that is not one) → the status the rules give:
//
//   nobody (no or unknown credentials, expired session): API 401; a page GET 303 to
//     /login?next=…; a form POST 403 (no session, so no CSRF token);
//   a role that may not read the collection (the audit trail: staff only; needs
//     assessments: not donors): 403;
//   reading: 200;
//   writing a read-only collection (the audit trail): API 405, pages refuse (403/405);
//   writing as a role the collection does not allow (focal points and donors, but
//     focal points on their own country's needs): 403; else 201/200/204, pages 303.
// A collection scoped by country is tried on a record of the focal point's country
// (what other countries' rows do is tested in auth-scope.test.mjs).  A collection a
// donor sees in part (donor_scope: the programmes its organisation funds) is tried on
// the same record by everyone: when the donor's organisation does not fund it, the
// donor lists the collection (200) but the record does not exist for it (404), and a
// copy of it is not the donor's to make (422); auth-donor.test.mjs tries the rest.
// A collection whose rows belong to records of others (x-suivi-access.parents: a
// document is seen by whoever sees its meeting, outcome, action or programme) is tried
// once under each parent, on a row under a record that some role may not see where
// there is one (a programme the donor does not fund; a record of another country than
// the focal point's, where the parent is scoped by country): for that role the row is
// as hidden as its parent.  The download of a collection made by uploads is tried with
// the record.
//
// A new entity is covered by this file without a new line: its routes come from the
// OpenAPI document and its bodies from its records.  Both backends.
//
// In three files (this one, auth-matrix-2 and auth-matrix-3), each a third of the collections:
// the whole matrix took minutes on PostgreSQL on a busy machine.
import { matrix } from './auth-matrix-common.mjs';

matrix({ part: 0, parts: 3 });
