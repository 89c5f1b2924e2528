/* num.c: numbers in text without the host's locale. strtod and printf's %g follow
** LC_NUMERIC, so in a host that called setlocale (a Python program under de_DE, say)
** "0.25" would parse as 0 and 0.25 would print as "0,25". JSON, LiteLLM files and
** lumo's own output always use '.', so every parse and print of a double goes
** through here, with the "C" locale set for the calling thread only (uselocale is
** per thread, so the host's other threads and its own formatting are untouched). */
#include "lumo_int.h"

#include <locale.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static locale_t c_locale;
static pthread_once_t c_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

static locale_t lumo_c_locale(void) {
  pthread_once(&c_once, make_c_locale);
  return c_locale;
}

double lumo_strtod(const char *s, char **end) {
  locale_t c = lumo_c_locale();
  if (c) return strtod_l(s, end, c);
  return strtod(s, end); /* newlocale failed (out of memory): the best left */
}

int lumo_fmt_double(char *buf, size_t cap, const char *fmt, double d) {
  locale_t c = lumo_c_locale();
  locale_t old = c ? uselocale(c) : (locale_t)0;
  int n = snprintf(buf, cap, fmt, d);
  if (c) uselocale(old);
  return n;
}
