/* ratelimits.c: the plan limits Codex writes with its token_count events (spec 2.3):
**   "rate_limits": {"limit_id": "codex", "plan_type": "plus",
**                   "primary":   {"used_percent": 12.0, "window_minutes": 300, "resets_at": 1761950218},
**                   "secondary": {"used_percent": 7.0, "window_minutes": 10080, "resets_at": 1762458353}}
** Builds differ in the reset time: resets_at (epoch seconds), reset_at (some 2024 builds)
** or resets_in_seconds (relative to the event, 2025 builds). A window that is null or has
** no used_percent is absent (an account without a plan limit writes both as null). Read
** into codex_state.limits by codex_line, stored by lumo_sync in rate_limits. */
#include "codex.h"

#include <string.h>

static void copy_text(lumo_span v, char *out, size_t cap) {
  lumo_buf b = {0};
  out[0] = 0;
  if (v.n && lumo_json_is_string(v) && lumo_json_decode(v, &b) == 0 && b.p) {
    size_t n = b.len < cap - 1 ? b.len : cap - 1;
    memcpy(out, b.p, n);
    out[n] = 0;
  }
  lumo_buf_free(&b);
}

static void read_window(lumo_span w, int64_t at_ms, codex_window *out) {
  memset(out, 0, sizeof(*out));
  lumo_span v;
  double pct;
  if (!w.n || w.p[0] != '{' || lumo_json_get(w, "used_percent", &v) != 1 || lumo_json_double(v, &pct) != 0)
    return;
  if (pct != pct || pct < 0 || pct > 1e6) return; /* NaN or absurd: not a share of a limit */
  out->has = 1;
  out->used_percent = pct;
  int64_t i;
  if (lumo_json_get(w, "window_minutes", &v) == 1 && lumo_json_int(v, &i) == 0 && i > 0 && i < (1LL << 40))
    out->window_minutes = i;
  if ((lumo_json_get(w, "resets_at", &v) == 1 || lumo_json_get(w, "reset_at", &v) == 1) &&
      lumo_json_int(v, &i) == 0 && i > 0 && i < (1LL << 40))
    out->resets_at_ms = i * 1000;
  else if (at_ms && lumo_json_get(w, "resets_in_seconds", &v) == 1 && lumo_json_int(v, &i) == 0 && i >= 0 &&
           i < (1LL << 40))
    out->resets_at_ms = at_ms + i * 1000;
}

void codex_rate_limits(lumo_span rl, int64_t at_ms, codex_limits *out) {
  lumo_span v;
  out->seen = 0;
  if (!rl.n || rl.p[0] != '{') return;
  out->at_ms = at_ms;
  read_window(lumo_json_get(rl, "primary", &v) == 1 ? v : (lumo_span){NULL, 0}, at_ms, &out->w[0]);
  read_window(lumo_json_get(rl, "secondary", &v) == 1 ? v : (lumo_span){NULL, 0}, at_ms, &out->w[1]);
  copy_text(lumo_json_get(rl, "limit_id", &v) == 1 ? v : (lumo_span){NULL, 0}, out->limit_id, sizeof(out->limit_id));
  copy_text(lumo_json_get(rl, "plan_type", &v) == 1 ? v : (lumo_span){NULL, 0}, out->plan_type, sizeof(out->plan_type));
  out->seen = out->w[0].has || out->w[1].has;
}
