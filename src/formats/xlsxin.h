/* xlsxin.h — the rows of an XLSX workbook's sheet, handed out as csvin
 * hands out the records of a CSV file (csvin.h), so that every import
 * reads a spreadsheet as it reads CSV.
 *
 * What it reads (ECMA-376, as Excel, LibreOffice, Google Sheets and
 * openpyxl write it): the sheet named, else the first visible one; shared
 * and inline strings (rich text runs joined, phonetic runs left out);
 * numbers as written in the file; booleans as 1 and 0; formulas by their
 * cached value; dates stored as serial numbers in a date format, in the
 * 1900 or the 1904 system, as YYYY-MM-DD (with the time when it is not
 * midnight); merged cells, whose value stands in each cell they cover; rows
 * above the header that are one merged title, left out; empty rows, left
 * out.  Line numbers are the sheet's row numbers and field i is column i,
 * so that a problem is named by its cell ("B14": xlsxin_cell_name).
 *
 * Safety: the archive is read from memory with minizip (the library
 * libxlsxwriter already brings), each part through libxml2's reader with
 * no network, no DTD and no entity substitution (as iati_parse.c).  A part
 * larger than XLSXIN_PART_MAX expanded, or expanding more than
 * XLSXIN_RATIO times over XLSXIN_RATIO_FROM bytes, is refused before it is
 * read (a zip bomb); expansion stops at the size the archive declares. */
#ifndef SUIVI_XLSXIN_H
#define SUIVI_XLSXIN_H
#include <stdbool.h>
#include <stddef.h>

#include "csvin.h"

#define XLSXIN_PART_MAX (512ULL << 20)
#define XLSXIN_RATIO 200ULL
#define XLSXIN_RATIO_FROM (1ULL << 20)

/* Do the n bytes at p start as a ZIP archive does (an XLSX workbook)? */
bool xlsxin_is_zip(const char *p, size_t n);

/* A reader of the rows of `sheet` (NULL or "": the first visible sheet) in
 * the workbook of n bytes at p (borrowed: they must outlive the reader).
 * Never NULL: a workbook that cannot be read gives a reader whose first
 * csvin_next answers CSVIN_ERROR with the reason (English). */
struct csvin *xlsxin_open(const char *p, size_t n, const char *sheet,
			  const struct csvin_limits *lim);

/* A reader of the n bytes at p told apart by their content: a workbook's
 * `sheet` (xlsxin_open), else CSV (csvin_new_mem). */
struct csvin *xlsxin_or_csv(const char *p, size_t n, const char *sheet,
			    const struct csvin_limits *lim);

/* The name of the cell of column col (0: A) in row `row`: "B14". */
void xlsxin_cell_name(size_t col, long long row, char out[24]);

#endif
