/* xlsx_floor ROWS FILE — the spreadsheet library's floor: libxlsxwriter alone, in the
 * constant-memory mode suivi uses, writing ROWS rows shaped as suivi's export of
 * enrolments (17 columns: numbers, yes/no, two times, and texts of the lengths of its
 * labels), nothing read, nothing looked up.  bench/xlsx times it beside `suivi export
 * xlsx enrolments`, the way nginx stands beside suivi's pages. */
#include <stdio.h>
#include <stdlib.h>

#include <xlsxwriter.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return fprintf(stderr, "usage: xlsx_floor ROWS FILE\n"), 2;
	long rows = atol(argv[1]);
	lxw_workbook_options o = { .constant_memory = 1, .tmpdir = getenv("TMPDIR") };
	lxw_workbook *wb = workbook_new_opt(argv[2], &o);
	if (!wb)
		return fprintf(stderr, "xlsx_floor: cannot write %s\n", argv[2]), 1;
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	lxw_format *time = workbook_add_format(wb);
	format_set_num_format(time, "yyyy-mm-dd hh:mm:ss");
	lxw_datetime at = { 2026, 12, 3, 18, 28, 50 };
	for (long r = 1; r <= rows; r++) {
		lxw_col_t c = 0;
		worksheet_write_number(ws, (lxw_row_t)r, c++, (double)r, NULL);
		worksheet_write_string(ws, (lxw_row_t)r, c++,
				       "Exemple, Participante Une (Maroc, Garde-côtes) — Sécurité maritime et lutte "
				       "contre le terrorisme (exemple) (Rabat, 10–14 mars 2025)", NULL);
		worksheet_write_number(ws, (lxw_row_t)r, c++, (double)(r % 200000), NULL);
		worksheet_write_string(ws, (lxw_row_t)r, c++, "Exemple, Participante Une (Maroc, Garde-côtes)", NULL);
		worksheet_write_number(ws, (lxw_row_t)r, c++, (double)(r % 300), NULL);
		worksheet_write_string(ws, (lxw_row_t)r, c++,
				       "Sécurité maritime et lutte contre le terrorisme (exemple) — Rabat, 10–14 mars 2025",
				       NULL);
		for (int k = 0; k < 4; k++)
			worksheet_write_number(ws, (lxw_row_t)r, c++, (double)(50 + k), NULL);
		worksheet_write_boolean(ws, (lxw_row_t)r, c++, 1, NULL);
		worksheet_write_string(ws, (lxw_row_t)r, c++, "PO-2026-Y1YEPT2V", NULL);
		worksheet_write_boolean(ws, (lxw_row_t)r, c++, 1, NULL);
		worksheet_write_string(ws, (lxw_row_t)r, c++, "Sample values for the demonstration", NULL);
		worksheet_write_number(ws, (lxw_row_t)r, c++, 1, NULL);
		worksheet_write_datetime(ws, (lxw_row_t)r, c++, &at, time);
		worksheet_write_datetime(ws, (lxw_row_t)r, c++, &at, time);
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
