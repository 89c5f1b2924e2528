/* rest.c: active time and rest-break functions. They read only their arguments (no
** clock, no environment): INNOCUOUS and DETERMINISTIC, so Datasette can use them.
**   SELECT session_id, lumo_active_seconds(timestamp) FROM messages GROUP BY 1;
**   SELECT lumo_active_seconds(timestamp, 180) OVER (ORDER BY timestamp ROWS 50 PRECEDING) FROM messages;
**   SELECT lumo_rest_level(75);                 -- 'heads_up'
** Active time: the events are sorted (input order does not matter); consecutive events
** at most idle_gap_seconds apart (default 300) are one run of activity; each run counts
** its span, but at least LUMO_MIN_RUN_SECONDS (60): a lone event is a minute of work.
** Rest levels (the reference dashboard's rule): below heads_up_at minutes 'rested', from
** heads_up_at 'heads_up', from break_at 'take_a_break' (defaults 60 and 120). */
#include "lumo_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LUMO_MIN_RUN_SECONDS 60.0
#define LUMO_IDLE_GAP_DEFAULT 300.0

/* Seconds since the epoch of an ISO-8601 text (date, optional time, fraction, Z or
** +hh:mm) or of a number (seconds); NAN when neither. */
static double ts_seconds(sqlite3_value *v) {
  int t = sqlite3_value_type(v);
  if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) return sqlite3_value_double(v);
  if (t != SQLITE_TEXT) return NAN;
  int64_t ms;
  return lumo_iso_to_ms((const char *)sqlite3_value_text(v), &ms) ? ms / 1000.0 : NAN;
}

typedef struct active_acc {
  double *ts; /* owned */
  int n, cap;
  double gap;
  int oom;
} active_acc;

static int dbl_cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The active seconds of n sorted timestamps. */
static double active_of(const double *ts, int n, double gap) {
  if (n == 0) return 0;
  double total = 0, run_start = ts[0];
  for (int i = 1; i <= n; i++) {
    if (i == n || ts[i] - ts[i - 1] > gap) {
      double span = ts[i - 1] - run_start;
      total += span < LUMO_MIN_RUN_SECONDS ? LUMO_MIN_RUN_SECONDS : span;
      if (i < n) run_start = ts[i];
    }
  }
  return total;
}

static void active_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  active_acc *a = sqlite3_aggregate_context(ctx, sizeof(*a));
  if (!a) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (a->n == 0 && a->cap == 0) a->gap = LUMO_IDLE_GAP_DEFAULT;
  if (argc > 1 && sqlite3_value_type(argv[1]) != SQLITE_NULL) {
    double g = sqlite3_value_double(argv[1]);
    if (g < 0) {
      sqlite3_result_error(ctx, "lumo_active_seconds(): idle_gap_seconds must not be negative", -1);
      return;
    }
    a->gap = g;
  }
  double s = ts_seconds(argv[0]);
  if (isnan(s)) return; /* NULL and unparsable timestamps are not events */
  if (a->n == a->cap) {
    int cap = a->cap ? a->cap * 2 : 64;
    double *p = sqlite3_realloc64(a->ts, sizeof(double) * (size_t)cap);
    if (!p) {
      a->oom = 1;
      sqlite3_result_error_nomem(ctx);
      return;
    }
    a->ts = p;
    a->cap = cap;
  }
  a->ts[a->n++] = s;
}

/* Window support: remove one occurrence of the value leaving the frame. */
static void active_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  active_acc *a = sqlite3_aggregate_context(ctx, sizeof(*a));
  double s = ts_seconds(argv[0]);
  if (!a || isnan(s)) return;
  for (int i = 0; i < a->n; i++)
    if (a->ts[i] == s) {
      a->ts[i] = a->ts[--a->n];
      return;
    }
}

static void active_value(sqlite3_context *ctx) {
  active_acc *a = sqlite3_aggregate_context(ctx, 0);
  if (!a || a->n == 0) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  double *tmp = sqlite3_malloc64(sizeof(double) * (size_t)a->n);
  if (!tmp) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  memcpy(tmp, a->ts, sizeof(double) * (size_t)a->n);
  qsort(tmp, (size_t)a->n, sizeof(double), dbl_cmp);
  sqlite3_result_double(ctx, active_of(tmp, a->n, a->gap));
  sqlite3_free(tmp);
}

static void active_final(sqlite3_context *ctx) {
  active_value(ctx);
  active_acc *a = sqlite3_aggregate_context(ctx, 0);
  if (a) sqlite3_free(a->ts);
}

static void rest_level_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return;
  double m = sqlite3_value_double(argv[0]);
  double heads = argc > 1 && sqlite3_value_type(argv[1]) != SQLITE_NULL ? sqlite3_value_double(argv[1]) : 60;
  double brk = argc > 2 && sqlite3_value_type(argv[2]) != SQLITE_NULL ? sqlite3_value_double(argv[2]) : 120;
  if (heads > brk) {
    sqlite3_result_error(ctx, "lumo_rest_level(): heads_up_at must not exceed break_at", -1);
    return;
  }
  const char *level = m >= brk ? "take_a_break" : m >= heads ? "heads_up" : "rested";
  sqlite3_result_text(ctx, level, -1, SQLITE_STATIC);
}

static const lumo_col active_args[] = {
  {"timestamp", "TEXT", "an activity event: ISO-8601 text or seconds since the epoch; NULL is ignored", 0},
  {"idle_gap_seconds", "REAL", "optional: longest gap that still counts as active (default 300)", 0},
};
static const lumo_col rest_args[] = {
  {"continuous_minutes", "REAL", "minutes of work without a break of 15 minutes", 0},
  {"heads_up_at", "REAL", "optional: minutes from which the level is heads_up (default 60)", 0},
  {"break_at", "REAL", "optional: minutes from which the level is take_a_break (default 120)", 0},
};
const lumo_object lumo_active_seconds_object = {
  "function", "lumo_active_seconds",
  "aggregate and window: seconds of activity (gaps up to the idle gap; each run at least 60 s)",
  active_args, 2};
const lumo_object lumo_rest_level_object = {
  "function", "lumo_rest_level", "'rested', 'heads_up' or 'take_a_break' for minutes of continuous work",
  rest_args, 3};

int lumo_register_time(sqlite3 *db) {
  const int pure = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  int rc = SQLITE_OK;
  for (int n = 1; n <= 2 && rc == SQLITE_OK; n++)
    rc = sqlite3_create_window_function(db, "lumo_active_seconds", n, pure, NULL, active_step,
                                        active_final, active_value, active_inverse, NULL);
  for (int n = 1; n <= 3 && rc == SQLITE_OK; n++)
    rc = sqlite3_create_function(db, "lumo_rest_level", n, pure, NULL, rest_level_fn, NULL, NULL);
  return rc;
}
