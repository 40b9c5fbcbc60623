#include "http.h"
bool web_handle(struct request *req, struct response *resp) { (void)req; (void)resp; return false; }
