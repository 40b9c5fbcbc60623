/* banned.h — functions suivi does not call (as git's banned.h).
 *
 * strcpy, strcat and sprintf write without a bound; strncpy leaves a string
 * unterminated when it fills the buffer and pads when it does not; atoi
 * cannot say that a text was no number (util_parse_ll does); gets cannot be
 * used safely at all.  Use buf.h's builders, snprintf, memcpy with a known
 * length, and util_parse_ll / util_parse_int instead.
 *
 * Every .c file of src/ includes this header last, after the system
 * headers (which declare these functions: poisoning them earlier would make
 * those declarations errors); a call after it is a compile error. */
#ifndef SUIVI_BANNED_H
#define SUIVI_BANNED_H

#pragma GCC poison strcpy strcat strncpy sprintf vsprintf atoi atol atoll gets

#endif
