/* entity.h — the entity registry: one description per entity.
 *
 * Each entity is a table of field descriptors (model.c).  That one
 * description drives the SQL schema and statements (store.c), JSON in and
 * out and validation (record.c), CSV export (csv.c), the generic list,
 * detail and form pages (web.c) and the OpenAPI document (openapi.c).
 * Adding a field is a row here plus its `since` migration number; adding
 * an entity is a table here.  Hand-written code is kept for what is truly
 * specific (follow-up rules, aggregates, reports).
 *
 * The tables are static; registry_init() fills in the derived column offsets once
 * at start, after which everything here is read-only and thread-safe. */
#ifndef SUIVI_ENTITY_H
#define SUIVI_ENTITY_H
#include <stdbool.h>
#include <stddef.h>

#include "entity_ids.h"
#include "err.h"
#include "i18n.h"

/* Who may do what (DESIGN §2).  ROLE_PUBLIC is a visitor without a session. */
enum role { ROLE_PUBLIC, ROLE_ADMIN, ROLE_OFFICER, ROLE_FOCAL, ROLE_DONOR, ROLE__MAX };

#define ROLE_BIT(r) (1u << (r))
#define R_STAFF (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_OFFICER))
#define R_USERS (R_STAFF | ROLE_BIT(ROLE_FOCAL) | ROLE_BIT(ROLE_DONOR))

extern const char *const role_name[ROLE__MAX]; /* "public", "admin", "officer", "focal", "donor" */
static inline bool role_staff(enum role r)
{
	return (R_STAFF & ROLE_BIT(r)) != 0;
}
bool role_parse(const char *s, enum role *out);

enum ftype {
	FT_ID,    /* integer key assigned by the store ("id") */
	FT_CODE,  /* text key given by the writer (country and theme codes) */
	FT_TEXT,  /* one string */
	FT_I18N,  /* {"fr","en","ar"}: three columns NAME_fr, NAME_en, NAME_ar */
	FT_INT,   /* integer within [min, max] */
	FT_BOOL,
	FT_DATE,  /* YYYY-MM-DD, a real calendar date */
	FT_ENUM,  /* one of values[] */
	FT_REF,   /* the key of a record of entity `ref` */
	FT_REFS,  /* a set of keys of `ref`, kept in a link table */
};

enum {
	F_REQUIRED = 1 << 0, /* must be given on create and never null */
	F_RO = 1 << 1,       /* computed or assigned by the server */
	F_LIST = 1 << 2,     /* a column of the list page */
	F_SEARCH = 1 << 3,   /* searched by ?q= */
	F_LONG = 1 << 4,     /* long text: a textarea in forms */
	F_COMPUTED = 1 << 5, /* not stored: `expr` computes it in SQL */
	F_PRIVATE = 1 << 6,  /* personal data: staff only; for everyone else the
				field is absent from JSON, pages, CSV, search and filters */
	F_PARENT = 1 << 7,   /* FT_REF: the record belongs to the one it names (a
				document to its meeting or programme) and is seen by
				those who see that one only (ent_partial, store.c) */
	F_RKEY = 1 << 8,     /* the record key of statistical disclosure control
				(sdc.h): a random integer in [0, 2^31) that the database
				gives each row as it is inserted (the column's default,
				whatever the path of the insert); shown to nobody, staff
				included — absent from JSON, pages, CSV, OpenAPI, search,
				filters, sorts and the audit trail — and written by nobody.
				An FT_INT field, F_RO, without .def */
	F_UNIQUE = 1 << 9,   /* no two records hold the same value (absent values
				may repeat): a unique index, made by the migration
				that adds the field (store.c) */
	F_MONEY = 1 << 10,   /* FT_INT: an amount in minor units of the currency
				that the next field ("currency") names (money.h);
				the API, CSV and IATI carry minor units, pages show
				and forms take currency units ("250 000,00") */
	F_STAMP = 1 << 11,   /* with F_RO: set by suivi on each write, never by a writer
				(a review state, review.h): an import writes it too */
};

struct field {
	const char *name;     /* JSON key, SQL column (prefix for FT_I18N) */
	enum ftype type;
	unsigned flags;
	const char *ref;      /* FT_REF / FT_REFS: the entity referred to */
	const char *const *values; /* FT_ENUM: NULL-terminated allowed values;
				    FT_TEXT: the terms it usually holds (English
				    msgids, as UN M49's regions), shown translated */
	long long min, max;   /* FT_INT range; FT_TEXT/FT_I18N/FT_CODE max length (0: default) */
	const char *pattern;  /* FT_CODE/FT_TEXT: "A2", "A3", "D3", "slug", "orgtype" or NULL */
	const char *def;      /* default for create, as SQL literal text, or NULL */
	const char *expr;     /* F_COMPUTED: SQL expression over columns of "t"; each '?' is bound to today's date */
	const char *label;    /* UI label (English msgid) */
	const char *help;     /* hint shown under the form field (msgid) or NULL */
	const char *hxl;      /* its Humanitarian Exchange Language hashtag ("#country+code"),
				 written under the header of exports asked with ?hxl=true
				 (table.h); a multilingual field's gets +i_fr, +i_en, +i_ar */
	int since;            /* migration that added the field (0: the entity's) */
	/* derived by registry_init() */
	int col;              /* first result column in store rows */
	const struct entity *target; /* resolved `ref` */
	/* FT_REF, FT_REFS: the column where the label of what it names starts
	 * in a labelled row (store.h: query.labels; label.h) */
	int label_col;
	const struct entity *entity; /* the one it is a field of */
};

/* "When a record is written with `from` set, copy it to field `to` of the
 * record that `via` refers to" — in the same transaction (hooks.c); a
 * reviewed record's, once it is approved.  An entity's propagate is a list
 * ended by one whose from is NULL. */
struct propagate {
	const char *from, *via, *to;
	/* A reviewed record approved late: its value goes only when no approved
	 * record of the same `via` is later by this field (then by number), so
	 * that an old report approved after a newer one moves nothing back. */
	const char *latest_by;
};

struct buf;

/* ---- the label rule (DESIGN §6: a record is shown by its label) -------------------
 *
 * An entity's label_rule says how people name one of its records: items
 * separated by " — ", ". ", ", " or " ", each one of
 *   field            the field's value: a text in the reader's language, a date
 *                    in the reader's words, an enum's translated label, ...
 *   ref.field        a field of the record that reference `ref` names
 *   ref              the label of the record `ref` names, nested: the part
 *                    before its first " — " and the rest in parentheses
 *                    ("Course (Rabat, 8 February 2027)"); a record nested in a
 *                    nested one shows that first part only
 *   start~end        two dates, as a range
 *   amount$currency  an amount of minor units in its currency
 *   (items)          the items in parentheses, when any of them is there
 * An empty item is left out with its separator (of the separators around
 * it, the strongest — " — ", ". ", ", ", " " — stays).  A field the reader
 * may not see (F_PRIVATE) gives way to the record's neutral name ("Participant
 * 12"), and a referenced record the reader may not see gives nothing.
 *
 * registry_init compiles each rule into label_ops (label.c), which the store
 * turns into columns of one query (store.h: query.labels) and label.c
 * into text. */
enum label_kind {
	LB_VALUE, /* f's value */
	LB_RANGE, /* f ~ f2 */
	LB_MONEY, /* f $ f2 */
	LB_SEP,   /* sep */
	LB_GROUP, /* "(", up to ops[end] (an LB_END) */
	LB_OPEN,  /* the label of the record f names, up to ops[end] (an LB_END) */
	LB_END,
};
enum label_sep { LS_NONE, LS_SPACE, LS_COMMA, LS_STOP, LS_DASH }; /* weakest first */
#define LABEL_HOPS 4 /* references followed from a record to a field of its label */
/* In a labelled row, the column of a set of references holds its records
 * one after the other: each its cells (its key, then its label's columns as
 * those of a single reference) separated by LABEL_CELL, the records by
 * LABEL_RECORD; an empty cell is a NULL (store.c writes them, label.c reads
 * them). */
#define LABEL_CELL "\x1f"
#define LABEL_RECORD "\x1e"

struct field;
struct label_op {
	enum label_kind kind;
	enum label_sep sep;
	int nhops;
	const struct field *hops[LABEL_HOPS]; /* the references from the record to f's record */
	const struct field *f, *f2;
	int col;  /* LB_VALUE, LB_RANGE, LB_MONEY: first column; LB_OPEN: the named record's key */
	int end;  /* LB_GROUP, LB_OPEN: index of the matching LB_END */
};

struct conn;
struct ferrs;
struct record;
struct store;
struct write;

/* What an entity does besides writing its row, in the write's transaction
 * (as Redis's dictType callbacks): the store calls before() once the
 * references are checked and before the row is written (it may set fields
 * of the record written, w->after, and mark them in w->changed), after()
 * once the row, its links and its audit entry are written.  after_batch()
 * follows a batch of creates (an import) whose records are numbered above
 * `since`, instead of after() for each.  An entity that keeps tables of its
 * own beside its row's (the enrolments' training summaries) adds their DDL
 * to each migration's with ddl(), after the entities' tables, and fills
 * them with migrated(), after the migration's record keys, in its
 * transaction.  Any may be NULL. */
struct ent_hooks {
	enum app_err (*before)(struct store *st, struct write *w);
	enum app_err (*after)(struct store *st, struct write *w);
	enum app_err (*after_batch)(struct store *st, const struct entity *e, long long since);
	void (*ddl)(struct buf *b, int version);
	enum app_err (*migrated)(struct conn *c, int version);
};

/* A column kept from the record's fields, shown to no one: the store writes
 * it with every insert, and with every update of a field it is made from
 * (a participant's match key, names.h). */
struct derived {
	const char *column;
	const char *const *from; /* NULL-terminated field names */
	void (*value)(const struct record *r, struct buf *out);
};

/* The review's fields, in their order (struct entity's review). */
enum { REVIEW_STATE, REVIEW_COMMENT, REVIEW_AT, REVIEW_BY, REVIEW_NFIELDS };

struct entity {
	const char *name;         /* singular, SQL table: "action_update" */
	const char *plural;       /* collection, URL segment: "action_updates" */
	const char *label;        /* msgid, singular: "Follow-up update" */
	const char *label_plural; /* msgid, plural */
	struct field *fields;
	int nfields;
	const char *label_rule;   /* how people name a record: see "the label rule" above */
	const char *sort;         /* default sort, "-start_date" or NULL (key) */
	const char *page_sort;    /* the list page's when the reader chose none
				     ("name": in the reader's collation), where
				     it differs from the API's (sort) */
	int since;                /* migration that created the table */
	/* Pickers (select boxes) list first, under pick_groups[0], the records
	 * whose FT_BOOL field pick_first is true, then the others under
	 * pick_groups[1] (msgids); NULL: one list (African States first). */
	const char *pick_first;
	const char *pick_groups[2];
	bool readonly;            /* written by suivi itself only (the audit trail) */
	bool upload;              /* records are made by uploading a file (docs.c, multipart),
				     not by a JSON create; then changed and deleted as others */
	unsigned read, write;     /* ROLE_BITs that may read and write it */
	/* A focal point sees only the rows whose field `scope` is its country
	 * (NULL: every row); later entities (needs, participants) declare it. */
	const char *scope;
	/* A donor sees only the rows its organisation funds: the path of field
	 * names from a row to the organisations that fund it, each step but
	 * the last a reference ("programme.donors"); NULL: donors read every
	 * row.  Checked by ent_prepare(); read by the store (where_clause). */
	const char *donor_scope;
	/* Fields whose values together are unique ("participant,session"), or
	 * NULL; an absent value counts as a value when there are several.  The
	 * index (TABLE_once, or TABLE_FIELD for one field) is made by the
	 * migration that adds the last of them (store.c); the rule is published
	 * in the OpenAPI document (x-suivi-unique).  unique_msg: the field error
	 * on the last field when an import repeats it (%s: its value), or NULL. */
	const char *unique;
	const char *unique_msg;
	const struct propagate *propagate; /* a list, or NULL */
	const struct ent_hooks *hooks;     /* or NULL */
	const struct derived *derived;     /* NULL-terminated by .column, or NULL */
	/* Cross-field rules, after per-field validation; adds to errs. */
	void (*check)(const struct entity *e, const struct record *r, struct ferrs *errs);
	/* Rules that read other records (a forum rating's programme must be
	 * one the rater may rate), after the others pass; adds to errs. */
	enum app_err (*check_store)(struct store *st, const struct record *r, struct ferrs *errs);
	/* derived by registry_init() */
	int key;                  /* index of the key field (FT_ID or FT_CODE) */
	int ncols;                /* columns in a store row, see ent_prepare */
	int col_version, col_created, col_updated;
	const struct field *pick_first_field; /* the field pick_first names, or NULL */
	/* A reviewed entity's (review.h) four review fields, in model.c's
	 * REVIEW order: review[REVIEW_STATE] .. review[REVIEW_BY]; NULL when it
	 * is not reviewed.  Found once by ent_prepare. */
	const struct field *review;
	/* The compiled label rule, and the columns it reads (label.c) */
	struct label_op *label_ops;
	int label_nops, label_width;
	/* Columns a labelled row has after its ncols: its own label's, then for
	 * each reference the key of the record it names (NULL when the reader
	 * may not see it) and that record's label columns, and for each set of
	 * references one column of them all (label.c) */
	int label_ncols;
};

/* Indexed by enum ent_id (entity_ids.h), in dependency order (model.c). */
extern struct entity *const entities[ENT_COUNT];
extern const size_t entities_count;

/* An entity and a field named in code, in constant time: ENT(MEETING) is
 * the meeting entity, FLD(MEETING, TITLE) its field "title" (the field's
 * identifier is the entity's with the field's name pasted on, so a field of
 * another entity cannot be asked of it).  A field's identifier is also its
 * index, as ent_field_index gives it (rec_text(r, MEETING_TITLE)). */
static inline const struct entity *ent_get(enum ent_id id)
{
	return entities[id];
}
static inline const struct field *ent_fld(enum ent_id id, int field)
{
	return &entities[id]->fields[field];
}
#define ENT(E) ent_get(ENT_##E)
#define FLD(E, F) ent_fld(ENT_##E, E##_##F)

/* Resolves references and column offsets; aborts on an inconsistent
 * registry (a programming error).  registry_init (registry.h) calls it,
 * then compiles the label rules: call that, once, before anything else. */
void ent_prepare(void);
/* Lookups by name, for names that come from outside (a URL, a CSV header,
 * a JSON key, the command line) or from the registry's own strings (.ref,
 * .scope, label rules); code that means a given entity or field says
 * ENT() or FLD().  NULL or -1 when there is none of that name. */
const struct entity *ent_by_name(const char *name);
const struct entity *ent_by_plural(const char *plural);
int ent_field_index(const struct entity *e, const char *name);
/* A value of f's values (an enum's, a term) in lang's words: translated in
 * the context of f's entity first (model.c's NC_: French agreement), then
 * alone; any other text as it is. */
const char *ent_value_label(enum lang lang, const struct field *f, const char *value);
const struct field *ent_field(const struct entity *e, const char *name);
/* The field that the next step of a donor_scope path names, in *e; moves
 * *e to the step's target and *path past the step.  NULL at the end. */
const struct field *ent_path_step(const struct entity **e, const char **path);
static inline const struct field *ent_keyfield(const struct entity *e)
{
	return &e->fields[e->key];
}
static inline bool ent_int_key(const struct entity *e)
{
	return e->fields[e->key].type == FT_ID;
}
/* Stored in the entity's own table (not a link table, not computed)? */
static inline bool field_stored(const struct field *f)
{
	return f->type != FT_REFS && !(f->flags & F_COMPUTED);
}
static inline bool ent_can_read(const struct entity *e, enum role r)
{
	return (e->read & ROLE_BIT(r)) != 0;
}
static inline bool ent_can_write(const struct entity *e, enum role r)
{
	return !e->readonly && (e->write & ROLE_BIT(r)) != 0;
}
/* May role r see field f?  Private fields are for staff only; a record
 * key is for nobody. */
static inline bool field_visible(const struct field *f, enum role r)
{
	if (f->flags & F_RKEY)
		return false;
	return !(f->flags & F_PRIVATE) || (R_STAFF & ROLE_BIT(r));
}
/* The entity's record key (F_RKEY), or NULL: its records are counted for
 * readers who are not staff by statistical disclosure control (sdc.h). */
const struct field *ent_rkey(const struct entity *e);

/* Does a reader of role r see only some rows of e?  A focal point sees
 * its country's (scope), a donor those its organisation funds
 * (donor_scope), and anyone only the rows whose parents (F_PARENT fields)
 * it may see: none under a parent of an entity it may not read, some under
 * a parent it sees in part; and anyone but staff, of a reviewed entity
 * (review.h), only the approved rows (a focal point its country's all). */
bool ent_partial(const struct entity *e, enum role r);

/* The highest migration number any entity or field declares. */
int ent_schema_version(void);

#endif
