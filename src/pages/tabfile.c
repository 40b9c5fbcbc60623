/* tabfile.c — see tabfile.h. */
#include "tabfile.h"

#include <string.h>

#include "i18n.h"
#include "util.h"
#include "xalloc.h"
#include "xlsx.h"
#include "xlsx_export.h"
#include "banned.h"

static bool wants_xlsx(const struct request *req)
{
	return util_ends_with(req->path, ".xlsx");
}

static enum app_err fill_csv(struct request *req, struct buf *out, bool bom, tabfile_fill fill, void *ctx)
{
	if (bom)
		buf_adds(out, "\xEF\xBB\xBF");
	struct tab *t = tab_csv(out);
	enum app_err rc = fill(req, t, ctx);
	tab_free(t);
	return rc;
}

/* The sheet in a temporary file, then into out. */
static enum app_err fill_xlsx(struct request *req, struct buf *out, const char *sheet, tabfile_fill fill, void *ctx)
{
	struct xlsx *x = xlsx_new_temp();
	enum app_err rc = x ? xlsx_sheet(x, tr(req->lang, sheet), req->lang == LANG_AR) : APP_INTERNAL;
	if (!rc) {
		struct tab *t = tab_sheet(x);
		rc = fill(req, t, ctx);
		tab_free(t);
	}
	if (x && rc)
		xlsx_abandon(x);
	else if (x)
		rc = xlsx_close_into(x, out);
	return rc;
}

bool tabfile_hxl(const struct request *req)
{
	bool hxl;
	return util_parse_flag(args_get(&req->query, "hxl"), &hxl) && hxl;
}

void tabfile_answer(struct request *req, struct response *resp, const char *name, const char *sheet, bool bom,
		    tabfile_fill fill, void *ctx)
{
	bool hxl;
	if (!util_parse_flag(args_get(&req->query, "hxl"), &hxl)) {
		resp->status = 400;
		resp->content_type = "text/plain; charset=utf-8";
		buf_adds(&resp->body, "hxl is true or false.\n");
		return;
	}
	bool xlsx = wants_xlsx(req);
	enum app_err rc = xlsx ? fill_xlsx(req, &resp->body, sheet, fill, ctx)
			       : fill_csv(req, &resp->body, bom, fill, ctx);
	if (rc) {
		buf_reset(&resp->body);
		resp->status = err_status(rc);
		resp->content_type = "text/plain; charset=utf-8";
		buf_adds(&resp->body, tr(req->lang, err_message(rc)));
		buf_addc(&resp->body, '\n');
		return;
	}
	resp->status = 200;
	resp->content_type = xlsx ? XLSX_CONTENT_TYPE : "text/csv; charset=utf-8";
	char *cd = xasprintf("attachment; filename=\"%s.%s\"", name, xlsx ? "xlsx" : "csv");
	resp_header(resp, "Content-Disposition", cd);
	free(cd);
}
