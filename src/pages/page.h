/* page.h — the HTML frame of every page and the helpers that format values
 * for people (dates in their language, record names, enum labels).
 *
 * Pages are server-rendered HTML5 that works without JavaScript.  All text
 * from users or the database goes through buf_html. */
#ifndef SUIVI_PAGE_H
#define SUIVI_PAGE_H
#include "buf.h"
#include "db.h"
#include "entity.h"
#include "http.h"
#include "label.h"
#include "map.h"
#include "store.h"

/* Starts a page: doctype, <html lang dir>, head, header with navigation and
 * the language switch, then <main>.  title is plain text (escaped here). */
void page_begin(struct request *req, struct response *resp, const char *title);
/* A stylesheet or a script of static/ ("forum.css", "grid.js") by its
 * content-hashed URL, which browsers keep for a year (assets.h). */
void page_css(struct buf *b, const char *file);
void page_js(struct buf *b, const char *file);
/* The stylesheet `css` and the icon, for a document's <head>. */
void page_head_links(struct buf *b, const char *css);
/* Closes <main>, adds the footer and closes the document. */
void page_end(struct request *req, struct response *resp);

/* The hidden _csrf field every state-changing form carries. */
void page_csrf_field(struct request *req, struct buf *out);

/* A page that says msgid (translated) with status, and a link home: what
 * a request that cannot be answered otherwise gets. */
void page_error(struct request *req, struct response *resp, int status, const char *msgid);
/* The same with a link back to local path back, named back_msgid (translated). */
void page_error_back(struct request *req, struct response *resp, int status, const char *msgid, const char *back,
		     const char *back_msgid);

/* A redirect (303 See Other) to a local path. */
void page_redirect(struct response *resp, const char *location);

/* A translated UI string. */
#define _(msgid) tr(req->lang, msgid)

/* What a page says when the database could not take a write (or answer):
 * its disk is full (APP_FULL: tell the administrator) or it is
 * unavailable (anything else: try again shortly); translated. */
const char *page_db_problem(const struct request *req, enum app_err rc);
/* A part of a page (a section, a table, a count) whose reading answered
 * rc: when rc is a failure, writes in the part's place a short alert that
 * it could not be read (page_db_problem's words) and returns true, so
 * that the caller writes neither a half-read list nor "none"; APP_OK
 * writes nothing and returns false. */
bool page_part_failed(struct request *req, struct buf *b, enum app_err rc);
/* The error page of a page whose own record (or what its heading names)
 * could not be read, or written: 404 "No such record." for APP_NOT_FOUND,
 * 409 for a record in a locked period (APP_LOCKED), else the
 * database's problem with its status (503, or 507 for a full disk). */
void page_error_rc(struct request *req, struct response *resp, enum app_err rc);

/* YYYY-MM-DD as "26 septembre 2024" in lang (escaped into out). */
void page_date(struct buf *out, enum lang lang, const char *iso);
/* The text of a multilingual column triple at col in the user's language,
 * falling back to fr, en, ar; NULL when all are empty.  *shown receives
 * the language actually used. */
const char *page_i18n(const struct row *row, int col, enum lang lang, enum lang *shown);
/* Writes the value of multilingual text, with a lang attribute when it is
 * not in the page's language. */
void page_i18n_html(struct buf *out, const struct row *row, int col, enum lang lang, size_t max_chars);
/* Answers a file drawn into resp->body, a PDF (shown inline) or a workbook
 * (saved) as name ends in .pdf or .xlsx, when rc is APP_OK and none_msgid
 * NULL; else the error page of rc, or 404 with none_msgid (there was
 * nothing to draw), the body dropped. */
void page_file_answer(struct request *req, struct response *resp, enum app_err rc, const char *none_msgid,
		     const char *name);
/* The address the reader reached this server by ("https://host", from its
 * Host header), or nothing when that header is missing or odd. */
void page_origin(const struct request *req, struct buf *out);
struct label_reader page_reader(const struct request *req, enum label_mode mode);
/* The label of the record of a labelled row of e (store.h: query.labels),
 * as HTML. */
void page_label(struct request *req, struct buf *out, const struct entity *e, const struct row *row);
/* The record that reference f of a labelled row names: a link named by
 * its label, or only "#key" when the reader may not see it; nothing when
 * the field is empty.  A set of references (FT_REFS): each so, with
 * commas. */
void page_ref_html(struct request *req, struct buf *out, const struct field *f, const struct row *row);
/* <option>s of the records q lists (up to its limit: the first in the
 * entity's order) and of the selected ones, named by their labels, in the order of their
 * labels in the reader's language unless q has a sort of its own; two
 * records whose labels read alike get their numbers after them, so that
 * no two options look the same.  selected: the keys to mark,
 * comma-separated, or NULL.  Sets q's labels. */
void page_options(struct request *req, struct buf *out, struct query *q, const char *selected);
/* <option>s of every record (up to 1000) of e that the reader may see, by
 * their labels; selected as for page_options. */
void page_options_all(struct request *req, struct buf *out, const struct entity *e, const char *selected);
/* A query of up to limit records of e whose field f (a reference, a flag)
 * holds the integer v. */
struct query page_query_int(const struct entity *e, const struct field *f, long long v, long long limit);
/* Is key one of the comma-separated keys of list? */
bool page_key_in(const char *key, const char *list);
/* The words every map of Africa carries in the reader's language: Western
 * Sahara's name, the legend's direction. */
void page_map_words(struct request *req, struct map_legend *lg);
/* The notes page_map_notes writes (msgids), for maps drawn elsewhere (a PDF's). */
extern const char *const page_map_note_msgids[3];
/* The UN's notes under every map of Africa, as the page's text: the
 * disclaimer, the dashed boundary of Western Sahara, Sudan and South Sudan. */
void page_map_notes(struct request *req, struct buf *b);
/* A link to record key of e, named by its label (read: one query); only
 * "#key" when the reader may not see that record. */
void page_ref_link(struct request *req, struct buf *out, const struct entity *e, const char *key);
/* The same without the link: its label, or "#key". */
void page_ref_name(struct request *req, struct buf *out, const struct entity *e, const char *key);
/* A person named by the public office they hold in a record the reader may
 * see (a dialogue's co-chairs, named in its communiqué): the name even to
 * readers who may not read persons, linked only for those who may. */
void page_ref_holder(struct request *req, struct buf *out, const struct entity *e, const char *key);
/* The label of an enum value (translated msgid = the value). */
const char *page_enum_label(enum lang lang, const char *value);
/* A percentage as a bar with its figure, in the reader's conventions:
 * <progress> (named label for screen readers) then "86 %" (fr) or "86%". */
void page_progress(struct request *req, struct buf *b, long long pct, const char *label);
/* Text cut to at most max characters (UTF-8 safe), with an ellipsis. */
void page_text_cut(struct buf *out, const char *s, size_t max_chars);

/* A table of rows as the pages write it.  Caption and headings are
 * markup (translated strings), written as they are. */
struct page_table {
	const char *cls;     /* the table's class ("list", "list counts"), or NULL */
	const char *caption; /* or NULL: none */
	bool sr_caption;     /* the caption is for screen readers only (a heading says it to the eye) */
	bool scroll;         /* in a <div class="scroll">: a wide table scrolls in its own box on a phone */
	bool landscape;      /* with scroll: printed on a landscape page (too many columns for A4 upright) */
	const char *cols[12]; /* the column headings (<th scope="col">), up to the first NULL */
};
/* The table's opening up to <tbody>, and its end from </tbody>. */
void page_table_begin(struct buf *b, const struct page_table *t);
void page_table_end(struct buf *b, const struct page_table *t);

/* The context of a store walk whose callback writes a page's rows (or
 * items) into b.  With a table, the callback calls page_rows_add before
 * each row, which writes the table's head before the first, and the
 * caller page_rows_end after the walk. */
struct page_rows {
	struct request *req;
	struct buf *b;
	const struct page_table *table; /* or NULL: the caller writes what the rows stand in */
	int n;                          /* rows so far */
	size_t start;                   /* b's length before the first row (page_rows_add) */
};
void page_rows_add(struct page_rows *r);
/* page_rows_add, then the row's start up to its heading cell's link to
 * record id of collection: <tr><th scope="row"><a href="/collection/id">.
 * Returns r->b, where the caller writes the rest. */
struct buf *page_rows_link(struct page_rows *r, const char *collection, long long id);
/* page_rows_link, then the link's text: the multilingual text at col of
 * row in the reader's language, cut to max characters; then the end of
 * the heading cell (</a></th>). */
struct buf *page_rows_named(struct page_rows *r, const char *collection, long long id, const struct row *row, int col,
			    size_t max);
/* Closes the table (if any), or writes <p>none</p> when there was no row. */
void page_rows_end(struct page_rows *r, const char *none);
/* Ends a walk that answered rc, whose rows all went through page_rows_add:
 * page_rows_end when it succeeded; else what the walk wrote (a table's
 * head, rows, a part of one) is taken back and the alert of
 * page_part_failed written in its place — no half table, no "none". */
void page_rows_finish(struct page_rows *r, enum app_err rc, const char *none);

#endif
