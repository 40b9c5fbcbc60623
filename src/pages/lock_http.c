/* lock_http.c — see lock_http.h. */
#define _POSIX_C_SOURCE 200809L
#include "lock_http.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "args.h"
#include "domain.h"
#include "page.h"
#include "util.h"
#include "banned.h"

static const struct entity *scope_entity(enum lock_scope scope)
{
	return scope == LOCK_PROGRAMME ? ENT(PROGRAMME) : ENT(MEETING);
}

/* May who read the programme or meeting?  (Its lock is part of its page.) */
static enum app_err readable(struct request *req, enum lock_scope scope, long long id)
{
	char key[24];
	snprintf(key, sizeof key, "%lld", id);
	return dom_readable(req->app, scope_entity(scope), key, &req->who);
}

/* What a lock holds, in the reader's words (a msgid). */
static const char *holds(enum lock_scope scope)
{
	return scope == LOCK_PROGRAMME
		       ? N_("Its funding transactions and indicator periods dated up to that day can no longer be "
			    "changed, added or deleted.")
		       : N_("Its actions' progress updates dated up to that day can no longer be changed, added or "
			    "deleted.");
}

void lock_section(struct request *req, struct buf *b, enum lock_scope scope, long long id)
{
	struct period_lock l;
	enum app_err rc = store_lock_get(req->app->store, scope, id, &l);
	bool staff = role_staff(req->who.role);
	if (!staff && !rc && !l.locked)
		return;
	const char *name = lock_scope_name(scope);
	buf_printf(b, "<section id=\"lock\" class=\"lock\"><h2>%s</h2>",
		   scope == LOCK_PROGRAMME ? _("Locked reporting period") : _("Locked follow-up"));
	if (page_part_failed(req, b, rc)) {
		buf_adds(b, "</section>");
		return;
	}
	if (l.locked) {
		buf_printf(b, "<p class=\"locked\">%s ", _("Locked as of"));
		page_date(b, req->lang, l.as_of);
		buf_printf(b, " (%s <bdi>", _("by"));
		buf_html(b, l.locked_by);
		buf_printf(b, "</bdi>). %s</p>", _(holds(scope)));
	} else {
		buf_printf(b, "<p>%s</p>", _("Once the figures of a period are reported and checked, lock them: "
					     "what is dated up to the day you choose can then no longer change."));
	}
	if (staff)
		buf_adds(b, "<div class=\"lock-forms\">");
	if (staff) {
		buf_printf(b, "<form method=\"post\" action=\"/%ss/%lld/lock\">", name, id);
		page_csrf_field(req, b);
		buf_printf(b, "<label for=\"lock-as-of\">%s</label> <input type=\"date\" id=\"lock-as-of\" name=\"as_of\" "
			      "required value=\"%s\"> <button type=\"submit\">%s</button></form>",
			   _("Lock as of"), l.as_of, l.locked ? _("Change the date") : _("Lock"));
	}
	if (l.locked && req->who.role == ROLE_ADMIN) {
		buf_printf(b, "<form method=\"post\" action=\"/%ss/%lld/unlock\">", name, id);
		page_csrf_field(req, b);
		buf_printf(b, "<button type=\"submit\" class=\"secondary\">%s</button></form>", _("Unlock"));
	}
	buf_adds(b, staff ? "</div></section>" : "</section>");
}

/* ---- the changes, for pages and the API ---------------------------------------------- */

/* Locks scope id as of as_of for who: an officer may not move a lock
 * earlier (APP_FORBIDDEN); APP_INVALID for a date that is not one. */
static enum app_err lock_as(struct request *req, enum lock_scope scope, long long id, const char *as_of)
{
	if (!role_staff(req->who.role))
		return APP_FORBIDDEN;
	if (!as_of || !util_valid_date(as_of))
		return APP_INVALID;
	enum app_err rc = readable(req, scope, id);
	return rc ? rc
		  : store_lock_set(req->app->store, scope, id, as_of, dom_actor(req->app, &req->who),
				   req->who.role == ROLE_ADMIN);
}

static enum app_err unlock_as(struct request *req, enum lock_scope scope, long long id)
{
	if (req->who.role != ROLE_ADMIN)
		return APP_FORBIDDEN;
	enum app_err rc = readable(req, scope, id);
	return rc ? rc : store_lock_clear(req->app->store, scope, id, dom_actor(req->app, &req->who));
}

/* What a refused change says (a msgid), or NULL for the database's. */
static const char *refusal(enum app_err rc)
{
	return rc == APP_FORBIDDEN ? N_("Only an administrator unlocks a period or moves its lock earlier.")
	     : rc == APP_INVALID ? N_("Give the date as of which the period is locked.")
	     : rc == APP_NOT_FOUND ? N_("No such record.")
				   : NULL;
}

static void page_done(struct request *req, struct response *resp, enum lock_scope scope, long long id,
		      enum app_err rc)
{
	char back[64];
	snprintf(back, sizeof back, "/%ss/%lld#lock", lock_scope_name(scope), id);
	if (!rc)
		page_redirect(resp, back);
	else if (refusal(rc))
		page_error_back(req, resp, err_status(rc), refusal(rc), back,
				scope == LOCK_PROGRAMME ? N_("Back to the programme") : N_("Back to the meeting"));
	else
		page_error_rc(req, resp, rc);
}

static void post_lock(struct request *req, struct response *resp, enum lock_scope scope)
{
	long long id;
	if (!req_param_id(req, "id", &id))
		return;
	struct args form = { 0 };
	args_parse_form(&form, req->body, req->body_len);
	page_done(req, resp, scope, id, lock_as(req, scope, id, args_get(&form, "as_of")));
	args_release(&form);
}

static void post_unlock(struct request *req, struct response *resp, enum lock_scope scope)
{
	long long id;
	if (req_param_id(req, "id", &id))
		page_done(req, resp, scope, id, unlock_as(req, scope, id));
}

void lock_programme_post(struct request *req, struct response *resp)
{
	post_lock(req, resp, LOCK_PROGRAMME);
}

void lock_meeting_post(struct request *req, struct response *resp)
{
	post_lock(req, resp, LOCK_MEETING);
}

void lock_programme_unlock(struct request *req, struct response *resp)
{
	post_unlock(req, resp, LOCK_PROGRAMME);
}

void lock_meeting_unlock(struct request *req, struct response *resp)
{
	post_unlock(req, resp, LOCK_MEETING);
}

/* ---- the API --------------------------------------------------------------------------- */

static void lock_answer(struct request *req, struct response *resp, enum lock_scope scope, long long id)
{
	struct period_lock l;
	enum app_err rc = readable(req, scope, id);
	if (!rc)
		rc = store_lock_get(req->app->store, scope, id, &l);
	if (rc) {
		resp_json_error(resp, rc, rc == APP_NOT_FOUND ? "No such record." : NULL, NULL);
		return;
	}
	json_t *o = json_pack("{s:I,s:b}", lock_scope_name(scope), (json_int_t)id, "locked", l.locked);
	if (l.locked) {
		json_object_set_new(o, "as_of", json_string(l.as_of));
		json_object_set_new(o, "locked_by", json_string(l.locked_by));
		json_object_set_new(o, "locked_at", json_string(l.locked_at));
	}
	char *text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	resp->status = 200;
	resp->content_type = "application/json";
	buf_reset(&resp->body);
	buf_adds(&resp->body, text ? text : "{}");
	free(text);
}

static void api_refused(struct response *resp, enum app_err rc)
{
	const char *msg = rc == APP_FORBIDDEN ? "Staff lock a period; only an administrator unlocks it or moves its "
						"lock earlier."
			: rc == APP_INVALID ? "The body is {\"as_of\": \"YYYY-MM-DD\"}."
			: rc == APP_NOT_FOUND ? "No such record." : NULL;
	resp_json_error(resp, rc, msg, NULL);
}

static void lock_api(struct request *req, struct response *resp, enum lock_scope scope)
{
	long long id;
	if (!req_param_id(req, "id", &id))
		return;
	enum app_err rc = APP_OK;
	if (strcmp(req->method, "POST") == 0) {
		json_t *body = json_loadb(req->body, req->body_len, 0, NULL);
		rc = lock_as(req, scope, id, json_string_value(json_object_get(body, "as_of")));
		json_decref(body);
	} else if (strcmp(req->method, "DELETE") == 0) {
		rc = unlock_as(req, scope, id);
	}
	if (rc)
		api_refused(resp, rc);
	else if (strcmp(req->method, "DELETE") == 0)
		resp->status = 204;
	else
		lock_answer(req, resp, scope, id);
}

void lock_programme_api(struct request *req, struct response *resp)
{
	lock_api(req, resp, LOCK_PROGRAMME);
}

void lock_meeting_api(struct request *req, struct response *resp)
{
	lock_api(req, resp, LOCK_MEETING);
}
