/* accounts_http.h — the admin's pages of accounts: the list, making one
 * (with a one-time password shown once), an account's page, resetting
 * its password, disabling and enabling it.  The rules are the domain's
 * (accounts.h), shared with `suivi user`. */
#ifndef SUIVI_ACCOUNTS_HTTP_H
#define SUIVI_ACCOUNTS_HTTP_H

#include "route.h"

/* GET /accounts, GET|POST /accounts/new, GET /accounts/{id}, POST
 * /accounts/{id}/password|disable|enable (routes.c: browser sessions of
 * admins; making and resetting hash a password, R_HASHES). */
route_fn accounts_list_page, accounts_new_page, accounts_create, accounts_detail_page;
route_fn accounts_reset, accounts_reset_link, accounts_disable, accounts_enable, accounts_email;

#endif
