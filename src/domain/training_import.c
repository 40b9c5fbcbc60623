/* training_import.c — see training_import.h.
 *
 * Runs on the CSV engine of import.c: each cell is decoded by the
 * registry's decoder and each row checked by the batch (batch.h) as any
 * create — the same messages as the API's, a participant twice in one
 * session included (the enrolment's unique declaration).  What is the
 * training's own is here: the words of its spreadsheets, a person found by
 * name (names.h: the match key), known people not imported twice. */
#define _POSIX_C_SOURCE 200809L
#include "training_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "record.h"
#include "store_tsum.h"
#include "xalloc.h"
#include "banned.h"

#define RING 512 /* rows written but perhaps still queued (store_import batches ≤ 256) */

bool timport_kind_parse(const char *s, enum timport_kind *out)
{
	if (strcmp(s, "participants") == 0)
		*out = TIMPORT_PARTICIPANTS;
	else if (strcmp(s, "enrolments") == 0)
		*out = TIMPORT_ENROLMENTS;
	else
		return false;
	return true;
}

/* Words spreadsheets use for the columns, folded (names_norm): a field of
 * the entity imported, or of the participant an enrolment row names. */
static const struct import_alias aliases[] = {
	{ "nom", "family_name", 0 }, { "nom_de_famille", "family_name", 0 }, { "surname", "family_name", 0 },
	{ "last_name", "family_name", 0 }, { "prenom", "given_names", 0 }, { "prenoms", "given_names", 0 },
	{ "first_name", "given_names", 0 }, { "given_name", "given_names", 0 }, { "courriel", "email", 0 },
	{ "e_mail", "email", 0 }, { "mail", "email", 0 }, { "telephone", "phone", 0 }, { "tel", "phone", 0 },
	{ "passeport", "document_number", 0 }, { "numero_de_document", "document_number", 0 },
	{ "numero_de_passeport", "document_number", 0 }, { "document", "document_number", 0 },
	{ "date_de_naissance", "birth_date", 0 }, { "naissance", "birth_date", 0 }, { "ne_le", "birth_date", 0 },
	{ "dob", "birth_date", 0 }, { "pays", "country", 0 }, { "agence", "agency", 0 }, { "service", "agency", 0 },
	{ "institution", "agency", 0 }, { "fonction", "function", 0 }, { "poste", "function", 0 }, { "grade", "rank", 0 },
	{ "sexe", "sex", 0 }, { "genre", "sex", 0 }, { "gender", "sex", 0 }, { "age", "age_band", 0 },
	{ "tranche_d_age", "age_band", 0 }, { "echantillon", "sample", 0 }, { "participant_id", "participant", 0 },
	{ "numero_du_participant", "participant", 0 }, { "session_id", "session", 0 },
	{ "numero_de_session", "session", 0 }, { "jours", "days_attended", 0 }, { "jours_de_presence", "days_attended", 0 },
	{ "presence", "days_attended", 0 }, { "pre_test", "pre_score", 0 }, { "score_pre_test", "pre_score", 0 },
	{ "post_test", "post_score", 0 }, { "score_post_test", "post_score", 0 }, { "satisfaction", "satisfaction", 0 },
	{ "termine", "completed", 0 }, { "acheve", "completed", 0 }, { "complete", "completed", 0 },
};

/* Words of French spreadsheets for allowed values. */
static const struct import_word words[] = {
	{ "sex", "f", "female" }, { "sex", "femme", "female" }, { "sex", "feminin", "female" },
	{ "sex", "m", "male" }, { "sex", "h", "male" }, { "sex", "homme", "male" }, { "sex", "masculin", "male" },
	{ "agency", "douane", "customs" }, { "agency", "douanes", "customs" },
	{ "agency", "garde_cotes", "coast_guard" }, { "agency", "justice", "judiciary" },
	{ "agency", "penitentiaire", "prison" }, { "agency", "armee", "military" }, { "agency", "autre", "other" },
};

/* The person-identifying columns an enrolment row may give instead of a
 * number: fields of the participant it names. */
enum { P_FAMILY, P_GIVEN, P_COUNTRY, P_BIRTH, P_DOCUMENT, NPERSON };
static const char *const person_cols[NPERSON] = { "family_name", "given_names", "country", "birth_date",
						  "document_number" };

struct ring_entry {
	char *key, *birth, *doc;
	long long id;
	unsigned long long hash; /* of key: most rows compare this alone */
};

struct ctx {
	enum timport_kind kind;
	struct timport_result *res;
	struct record person;     /* an enrolment row's participant, as named */
	struct rec_names *pnames; /* for it: the countries' names */
	struct buf key;
	/* the people of the last rows written, which may still wait in a
	 * batch (PostgreSQL): how a row sees the people of the rows before */
	struct ring_entry ring[RING];
	size_t ring_n;
};

static unsigned long long hash_str(const char *s)
{
	unsigned long long h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* ---- the same person ---- */

struct match {
	struct ctx *x;
	const char *birth, *doc;
	long long confirmed, candidates, conflicting;
};

static void weigh(struct match *m, long long id, const char *birth, const char *doc)
{
	m->candidates++;
	bool b = m->birth && birth && strcmp(m->birth, birth) == 0;
	bool d = m->doc && doc && *doc && strcmp(m->doc, doc) == 0;
	bool bx = m->birth && birth && strcmp(m->birth, birth) != 0;
	bool dx = m->doc && doc && *doc && strcmp(m->doc, doc) != 0;
	if ((b || d) && !bx && !dx) {
		if (!m->confirmed)
			m->confirmed = id;
	} else if (bx || dx) {
		m->conflicting++;
	}
}

static enum app_err match_found(void *ctx, long long id, const char *birth, const char *doc)
{
	struct match *m = ctx;
	for (size_t i = 0; i < m->x->ring_n && i < RING; i++)
		if (m->x->ring[i].id == id)
			return APP_OK; /* seen in the ring already */
	weigh(m, id, birth, doc);
	return APP_OK;
}

/* Looks the key up among the participants (the database, and the last rows
 * of this file, which may still be queued). */
static enum app_err find_person(struct import *imp, const char *key, const char *birth, const char *doc,
				struct match *m)
{
	struct ctx *x = import_ctx(imp);
	*m = (struct match){ .x = x, .birth = birth, .doc = doc && *doc ? doc : NULL };
	unsigned long long h = hash_str(key);
	for (size_t i = 0; i < x->ring_n && i < RING; i++)
		if (x->ring[i].hash == h && strcmp(x->ring[i].key, key) == 0)
			weigh(m, x->ring[i].id, x->ring[i].birth, x->ring[i].doc);
	return store_tsum_match(import_app(imp)->store, key, match_found, m);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void ring_add(struct ctx *x, const char *key, const char *birth, const char *doc, long long id)
{
	struct ring_entry *r = &x->ring[x->ring_n++ % RING];
	free(r->key);
	free(r->birth);
	free(r->doc);
	*r = (struct ring_entry){ .key = xstrdup(key), .birth = dup_or_null(birth), .doc = dup_or_null(doc),
				  .id = id, .hash = hash_str(key) };
}

/* Where the rows come from, unless they say: the file's name. */
static void default_source(struct import *imp, struct record *rec)
{
	int source = rec->e == ENT(PARTICIPANT) ? PARTICIPANT_SOURCE : ENROLMENT_SOURCE;
	if (!rec->v[source].set && import_options(imp)->name)
		rec_set_text(rec, source, import_options(imp)->name);
}

/* ---- participants ---- */

/* A participant already there (the same match key, confirmed by the birth
 * date or the document number) is not imported again. */
static enum app_err participant_row(struct import *imp, struct record *rec, const char *const *extra, bool *write,
				    long long *key)
{
	(void)extra;
	(void)key;
	struct ctx *x = import_ctx(imp);
	default_source(imp, rec);
	names_match_key(&x->key, rec_text(rec, PARTICIPANT_FAMILY_NAME), rec_text(rec, PARTICIPANT_GIVEN_NAMES),
			rec_text(rec, PARTICIPANT_COUNTRY));
	struct match m;
	enum app_err rc = find_person(imp, buf_cstr(&x->key), rec_text(rec, PARTICIPANT_BIRTH_DATE),
				      rec_text(rec, PARTICIPANT_DOCUMENT_NUMBER), &m);
	if (rc)
		return rc;
	*write = !m.confirmed;
	if (m.confirmed)
		x->res->matched++;
	else if (m.candidates)
		x->res->likely++;
	return APP_OK;
}

static void participant_written(struct import *imp, const struct record *rec, long long id)
{
	struct ctx *x = import_ctx(imp);
	if (!import_immediate(imp)) /* (else the database has it already) */
		ring_add(x, buf_cstr(&x->key), rec_text(rec, PARTICIPANT_BIRTH_DATE), rec_text(rec, PARTICIPANT_DOCUMENT_NUMBER),
			 id);
}

/* ---- enrolments ---- */

/* An enrolment's participant may be named instead of numbered: family
 * name, country and birth date or document number. */
static bool may_lack(struct import *imp, const struct field *f)
{
	return f == FLD(ENROLMENT, PARTICIPANT) && import_column(imp, "family_name") &&
	       import_column(imp, "country") && (import_column(imp, "birth_date") || import_column(imp, "document_number"));
}

/* The participant an enrolment row names by its person columns: decoded as
 * a participant's fields are, then the one confirmed match. */
static enum app_err named_participant(struct import *imp, struct record *rec, const char *const *extra)
{
	struct ctx *x = import_ctx(imp);
	struct record *p = &x->person;
	rec_reset(p);
	for (int k = 0; k < NPERSON; k++) {
		char arg[REC_ARG_MAX] = "";
		const char *bad = extra[k] ? rec_text_value(p, ent_field_index(p->e, person_cols[k]), LANG_FR, extra[k],
							     strlen(extra[k]), x->pnames, 0, arg, sizeof arg) : NULL;
		if (bad)
			import_problem(imp, person_cols[k], import_column(imp, person_cols[k]), bad, arg[0] ? arg : NULL);
	}
	const char *family = rec_text(p, PARTICIPANT_FAMILY_NAME), *country = rec_text(p, PARTICIPANT_COUNTRY);
	const char *birth = rec_text(p, PARTICIPANT_BIRTH_DATE), *doc = rec_text(p, PARTICIPANT_DOCUMENT_NUMBER);
	if (!family || !country || (!birth && !doc)) {
		import_problem(imp, "participant", NULL,
			      N_("the participant must be given by number, or by family name, country and date of birth or document number"),
			      NULL);
		return APP_OK;
	}
	names_match_key(&x->key, family, rec_text(p, PARTICIPANT_GIVEN_NAMES), country);
	struct match m;
	enum app_err rc = find_person(imp, buf_cstr(&x->key), birth, doc, &m);
	if (rc)
		return rc;
	if (!m.confirmed) {
		import_problem(imp, "participant", NULL, m.candidates
			? N_("matches participants by name and country, but none with this date of birth or document number")
			: N_("no participant has this name and country; import the participant first"), NULL);
		return APP_OK;
	}
	char id[24];
	snprintf(id, sizeof id, "%lld", m.confirmed);
	rec_set_text(rec, ENROLMENT_PARTICIPANT, id);
	return APP_OK;
}

static enum app_err enrolment_row(struct import *imp, struct record *rec, const char *const *extra, bool *write,
				  long long *key)
{
	(void)key;
	*write = true;
	default_source(imp, rec);
	return rec_text(rec, ENROLMENT_PARTICIPANT) ? APP_OK : named_participant(imp, rec, extra);
}

/* ---- the import ---- */

static void summary(struct import *imp, struct buf *out)
{
	struct ctx *x = import_ctx(imp);
	buf_printf(out, ",\"created\":%lld", x->res->checked - x->res->matched);
	if (x->kind == TIMPORT_PARTICIPANTS)
		buf_printf(out, ",\"matched\":%lld,\"likely_duplicates\":%lld", x->res->matched, x->res->likely);
}

static void ctx_release(struct ctx *x)
{
	for (size_t i = 0; i < RING; i++) {
		free(x->ring[i].key);
		free(x->ring[i].birth);
		free(x->ring[i].doc);
	}
	rec_free(&x->person);
	rec_names_free(x->pnames);
	buf_release(&x->key);
}

enum app_err import_training(struct app *app, enum timport_kind kind, struct csvin *in,
			     const struct import_opts *o, struct timport_result *res)
{
	memset(res, 0, sizeof *res);
	const struct entity *pe = ENT(PARTICIPANT);
	struct ctx x = { .kind = kind, .res = res };
	rec_init(&x.person, pe);
	x.pnames = rec_names_new(pe);
	bool people = kind == TIMPORT_PARTICIPANTS;
	struct import_spec spec = {
		.entity = people ? ENT_PARTICIPANT : ENT_ENROLMENT,
		.unknown = people ? N_("is not a column of participants") : N_("is not a column of enrolments"),
		.aliases = aliases, .naliases = sizeof aliases / sizeof *aliases,
		.words = words, .nwords = sizeof words / sizeof *words,
		.extra_entity = pe, .extra = people ? NULL : person_cols, .nextra = people ? 0 : NPERSON,
		/* numbered by the batch: a row's person is known by number at once */
		.batch = { .keys = true },
		.may_lack = people ? NULL : may_lack,
		.row = people ? participant_row : enrolment_row,
		.written = people ? participant_written : NULL,
		.ctx = &x,
	};
	enum app_err rc = people ? APP_OK : batch_ref_names(app, pe, x.pnames);
	struct import_result r = { 0 };
	if (!rc)
		rc = import_run(app, &spec, in, o, &r, summary);
	res->checked = r.checked;
	res->created = r.rows;
	res->updated = r.updated;
	res->unchanged = r.unchanged;
	res->bad_rows = r.bad_rows;
	res->errors = r.errors;
	if (rc)
		res->created = 0;
	ctx_release(&x);
	return rc;
}
