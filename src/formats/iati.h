/* iati.h — IATI 2.03 activity files: the in-memory form of a file (one
 * activity per programme), writing it as XML (iati.c) and reading it from
 * XML with libxml2 (iati_parse.c, declared in iati_parse.h).  The database side is store_iati.c:
 * programmes → struct iati_doc → XML for the export; and iati_import.c:
 * XML → struct iati_doc → programmes for the import.  Parsing needs no database, so the
 * fuzzer (fuzz/fuzz_iati.c) runs it alone. */
#ifndef SUIVI_IATI_H
#define SUIVI_IATI_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* The languages suivi keeps, in the order the export writes them. */
enum { IATI_FR, IATI_EN, IATI_AR, IATI_NLANG };

/* suivi's own attributes (IATI allows attributes of other namespaces):
 * suivi:sample="1" on an activity made of sample data. */
#define IATI_SUIVI_NS "urn:x-suivi:iati"
extern const char *const iati_langs[IATI_NLANG];

/* A text in suivi's languages; NULL (or "") where not given.  Owned. */
struct iati_text {
	char *t[IATI_NLANG];
};

struct iati_org {
	char *ref;  /* IATI organisation identifier, or NULL */
	char *type; /* OrganisationType code, or NULL */
	struct iati_text name;
	long long id; /* the database's, when known (export; import after matching) */
	long line;
};

struct iati_txn {
	int type; /* TransactionType 1–4 */
	char date[11];
	long long amount; /* minor units */
	char currency[4];
	char *ref;
	struct iati_text desc;
	int provider, receiver; /* indexes into doc->orgs, or -1 */
	long line;
	bool left_out; /* import: not written (recorded already, or a skip says why) */
};

/* A period row as the database keeps it: the total (sex 0, no country) or
 * one cell of the disaggregation by sex or by country. */
struct iati_prow {
	char start[11], end[11];
	int sex; /* 0 none, 1 female, 2 male */
	char country[3];
	bool has_target, has_actual;
	long long target, actual;
	struct iati_text comment;
	bool left_out; /* import: not written (a skip says why) */
};

struct iati_indicator {
	struct iati_text title;
	int measure; /* 1 unit, 2 percentage */
	bool ascending;
	bool has_baseline;
	long long baseline_year, baseline;
	bool has_baseline_value;
	bool computed; /* its actuals come from training records (results.h) */
	struct iati_prow *rows;
	size_t nrows;
	long long id; /* the database's (export; import: once written, -1 left out: a skip says why) */
	long line;
};

struct iati_result {
	int type; /* ResultType 1–3 */
	struct iati_text title, desc;
	struct iati_indicator *ind;
	size_t nind;
	long long id; /* the database's (export; import: once written, -1 left out: a skip says why) */
	long line;
};

struct iati_activity {
	char *identifier;
	char currency[4]; /* default-currency */
	char updated[21]; /* last-updated-datetime, YYYY-MM-DDTHH:MM:SSZ, or "" */
	struct iati_text title, desc;
	int implementer; /* index into doc->orgs, or -1 */
	int *donors;     /* indexes into doc->orgs */
	size_t ndonors;
	int status; /* ActivityStatus 1–6 */
	char start[11], end[11];
	char (*countries)[3];
	size_t ncountries;
	char **themes; /* theme codes (export; import: vocabulary 99 codes) */
	size_t nthemes;
	char **sectors; /* import: DAC 5-digit codes (vocabulary 1), mapped to themes by the store */
	size_t nsectors;
	long *sector_lines;
	bool has_budget;
	long long budget;
	struct iati_txn *txns;
	size_t ntxns;
	struct iati_result *results;
	size_t nresults;
	bool sample;
	long long id; /* the programme's (export; import: once written or found) */
	long line;
};

/* Something the import did not record, and why (English; the line in the file). */
struct iati_skip {
	long line;
	char *msg;
};

struct iati_doc {
	struct iati_activity *acts;
	size_t nacts;
	struct iati_org *orgs; /* every organisation any activity names */
	size_t norgs;
	struct iati_org reporting; /* the export's reporting organisation */
	bool reporting_ref_own;    /* its ref is its record's iati_ref (not $SUIVI_IATI_REF or "SUIVI") */
	struct iati_skip *skips;
	size_t nskips;
	char *error; /* a fatal problem (malformed XML, not an activity file): nothing may be imported */
	long error_line;
	/* Export: what the file holds, said in a comment at its top when it is
	 * not the public file (static text without "--"), or NULL. */
	const char *note;
};

void iati_doc_free(struct iati_doc *d);
/* Appends an organisation (zeroed, id 0) and returns its index. */
int iati_org_add(struct iati_doc *d);
struct iati_activity *iati_act_add(struct iati_doc *d);
void iati_skip(struct iati_doc *d, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- codes ---------------------------------------------------------------------------- */

/* The DAC 5-digit purpose code (codelists/Sector.xml, vocabulary 1) for a
 * theme code (data/themes.json), or NULL for an unknown theme. */
const char *iati_theme_sector(const char *theme);
/* The first theme whose sector is the DAC code, or NULL. */
const char *iati_sector_theme(const char *dac);
/* ISO 4217 code in codelists/Currency.xml (active or withdrawn)? */
bool iati_known_currency(const char *code);
/* programme.status (pipeline…suspended) ↔ ActivityStatus 1–6; 0 / NULL when unknown. */
int iati_status_code(const char *status);
const char *iati_status_name(int code);
/* funding_transaction.kind ↔ TransactionType 1–4. */
int iati_txn_code(const char *kind);
const char *iati_txn_name(int code);
/* result.level ↔ ResultType 1–3. */
int iati_result_code(const char *level);
const char *iati_result_name(int code);

/* ---- writing -------------------------------------------------------------------------- */

/* Appends s escaped for XML character data and attribute values: & < > "
 * as entities, CR, LF and TAB in attributes as character references (so
 * that they survive a parser's normalisation), and the control characters
 * XML 1.0 forbids dropped.  NULL appends nothing. */
void iati_xml_escape(struct buf *b, const char *s, bool attr);
/* An amount of minor units in a currency of `decimals` (0–3, money.h)
 * decimals: "12.34" for 1234 with 2, "1234" with 0 (XOF), "-0.005" for -5
 * with 3 (TND). */
void iati_amount(struct buf *b, long long minor, int decimals);
/* Parses an xsd:decimal into minor units of a currency of `decimals`
 * decimals; false when it is not a decimal or is out of range.  Non-zero
 * digits past the currency's decimals are rounded (half up): *rounded
 * then says so. */
bool iati_parse_amount(const char *s, int decimals, long long *out, bool *rounded);

/* Writes the whole file: <?xml …?>, doc->note as a comment, <iati-activities
 * version="2.03" generated-datetime="now"> and one activity per doc->acts. */
void iati_write(const struct iati_doc *d, const char *now, struct buf *out);

/* The generated-datetime: now (UTC), or $SUIVI_IATI_NOW when it is one
 * (YYYY-MM-DDTHH:MM:SSZ): tests compare two exports byte for byte. */
void iati_now(char out[21]);

#endif
