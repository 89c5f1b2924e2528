#!/usr/bin/env python3
"""gen_prices.py: writes ext/prices_data.h, lumo's built-in price table.

    python3 scripts/gen_prices.py path/to/model_prices_and_context_window.json > ext/prices_data.h

Inputs: the LiteLLM map given (2026-08-21 snapshot; not committed, 1.6 MB, see
tests/fixtures/pricing-PROVENANCE.md), and, committed next to this script,
scripts/prices/litellm-retired.json (the last LiteLLM rows of retired ids the map
dropped) and scripts/prices/vendor.json (vendor-published rows, corrections, dated
changes). scripts/prices/README.md says where each comes from.

Rule for a LiteLLM row (the same one lumo_prices_load() applies at run time in
ext/pricing.c): every key whose mode is chat, responses or completion (or absent) and
which has numeric input_cost_per_token and output_cost_per_token. Rates become USD per
million tokens. A Claude row without a 1-hour cache-write rate gets 2x input
(Anthropic's published multiplier), above the long-context tier too; such cells are
marked derived. Then, in order: retired rows for keys the map lacks; vendor rows for
keys neither has; corrections (cells named in `derived`); dated changes, which split
a key into rows with validity ranges [valid_from, valid_to) in UTC that never overlap.
Deterministic: sorted by key, then valid_from. Python 3 standard library only.
"""
import calendar
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

FIELDS = [
    # (C field, LiteLLM field)
    ("in", "input_cost_per_token"),
    ("out", "output_cost_per_token"),
    ("cr", "cache_read_input_token_cost"),
    ("w5", "cache_creation_input_token_cost"),
    ("w1", "cache_creation_input_token_cost_above_1hr"),
    ("in_t", "input_cost_per_token_above_{T}_tokens"),
    ("out_t", "output_cost_per_token_above_{T}_tokens"),
    ("cr_t", "cache_read_input_token_cost_above_{T}_tokens"),
    ("w5_t", "cache_creation_input_token_cost_above_{T}_tokens"),
    ("w1_t", "cache_creation_input_token_cost_above_1hr_above_{T}_tokens"),
    ("in_p", "input_cost_per_token_priority"),
    ("out_p", "output_cost_per_token_priority"),
    ("cr_p", "cache_read_input_token_cost_priority"),
    ("in_tp", "input_cost_per_token_above_{T}_tokens_priority"),
    ("out_tp", "output_cost_per_token_above_{T}_tokens_priority"),
    ("cr_tp", "cache_read_input_token_cost_above_{T}_tokens_priority"),
    ("in_f", "input_cost_per_token_flex"),
    ("out_f", "output_cost_per_token_flex"),
    ("cr_f", "cache_read_input_token_cost_flex"),
    ("in_b", "input_cost_per_token_batches"),
    ("out_b", "output_cost_per_token_batches"),
]
RATE_FIELDS = [f for f, _ in FIELDS]
OTHER_FIELDS = ("tier", "fast", "geo")
TIERS = ("200k", "272k", "128k", "256k")


def num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def mtok(v):
    return float("%.12g" % (float(v) * 1e6))


def tier_of(e):
    for t in TIERS:
        if num(e.get("input_cost_per_token_above_%s_tokens" % t)):
            return t
    return None


def litellm_row(key, e, source):
    """A LiteLLM entry as a row, or None when it has no token prices."""
    if not isinstance(e, dict) or e.get("mode", "chat") not in ("chat", "responses", "completion"):
        return None
    if not num(e.get("input_cost_per_token")) or not num(e.get("output_cost_per_token")):
        return None
    t = tier_of(e)
    r = {"model": key, "provider": str(e.get("litellm_provider", "")), "source": source, "derived": []}
    for f, lf in FIELDS:
        if "{T}" in lf and not t:
            continue
        name = lf.replace("{T}", t) if t else lf
        if num(e.get(name)):
            r[f] = mtok(e[name])
    r["tier"] = {"200k": 200000, "272k": 272000, "128k": 128000, "256k": 256000}[t] if t else 0
    pse = e.get("provider_specific_entry")
    if isinstance(pse, dict):
        if num(pse.get("fast")):
            r["fast"] = float(pse["fast"])
        if num(pse.get("us")):
            r["geo"] = float(pse["us"])
    derive_w1(r)
    return r


def derive_w1(r):
    if "claude" in r["model"] and "w1" not in r:
        r["w1"] = float("%.12g" % (2 * r["in"]))
        r["derived"].append("w1")
    if "claude" in r["model"] and r.get("tier") and "w1_t" not in r and "in_t" in r:
        r["w1_t"] = float("%.12g" % (2 * r["in_t"]))
        r["derived"].append("w1_t")


def set_fields(r, values):
    for f, v in values.items():
        if f not in RATE_FIELDS and f not in OTHER_FIELDS:
            sys.exit("gen_prices: unknown field %r" % f)
        if v is None:
            r.pop(f, None)
        elif not num(v) or v < 0:
            sys.exit("gen_prices: %s of %s must be a non-negative number" % (f, r["model"]))
        else:
            r[f] = float(v)


def day_ms(s):
    if s is None:
        return None
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", s):
        sys.exit("gen_prices: dates are YYYY-MM-DD (UTC midnight), got %r" % s)
    y, m, d = map(int, s.split("-"))
    return calendar.timegm((y, m, d, 0, 0, 0)) * 1000


def build(data, retired, vendor):
    src = vendor["sources"]
    prov = retired.get("_provenance", {})
    by = {}
    for key in sorted(data):
        r = litellm_row(key, data[key], src["litellm"])
        if r:
            by[key] = r
    for key in sorted(retired):
        if key == "_provenance" or key in by:
            continue
        p = prov[key]
        r = litellm_row(key, retired[key], "%s %s (%s@%s)" % (src["litellm-retired"], p["date"], p["repo"], p["commit"][:7]))
        if r:
            by[key] = r
    for v in vendor["rows"]:
        if v["model"] in by:
            sys.exit("gen_prices: vendor row %s is in LiteLLM: drop it or make it a correction" % v["model"])
        r = {"model": v["model"], "provider": v["provider"], "source": src[v["source"]], "derived": [], "tier": 0}
        set_fields(r, {k: x for k, x in v.items() if k not in ("model", "provider", "source")})
        derive_w1(r)
        by[r["model"]] = r
    for c in vendor["corrections"]:
        for key in c["models"]:
            if key not in by:
                sys.exit("gen_prices: correction for missing key %s" % key)
            r = by[key]
            set_fields(r, c["set"])
            r["derived"] += sorted(c["set"])
            note = "; corrected: " + src[c["source"]]
            if note not in r["source"]:
                r["source"] += note
    # Dated changes: each key's periods, then the base row fills the gaps between them.
    periods = {}
    for d in vendor["dated"]:
        keys = d.get("models") or [k for k in sorted(by) if re.match(d["match"], k)]
        if not keys:
            sys.exit("gen_prices: dated change matches no key: %s" % d["why"])
        lo, hi = day_ms(d.get("from")), day_ms(d.get("to"))
        for key in keys:
            if key not in by:
                sys.exit("gen_prices: dated change for missing key %s" % key)
            # A period that keeps LiteLLM's own values keeps the row's provenance.
            why = (by[key]["source"] if d["source"].startswith("litellm") else src[d["source"]]) + ": " + d["why"]
            r = dict(by[key], derived=list(by[key]["derived"]), source=why)
            if "set" in d:
                set_fields(r, d["set"])
                r["derived"] += sorted(d["set"])
            if "long_context" in d:
                lc = d["long_context"]
                r["tier"] = float(lc["tier"])
                for base, x in (("in", lc["input_x"]), ("cr", lc["input_x"]), ("w5", lc["input_x"]),
                                ("w1", lc["input_x"]), ("out", lc["output_x"])):
                    if base in r:
                        r[base + "_t"] = float("%.12g" % (r[base] * x))
                        r["derived"].append(base + "_t")
            r["from"], r["to"] = lo, hi
            periods.setdefault(key, []).append(r)
    out = []
    for key in sorted(by):
        ps = sorted(periods.get(key, []), key=lambda r: -2**63 if r["from"] is None else r["from"])
        for a, b in zip(ps, ps[1:]):
            if a["to"] is None or b["from"] is None or a["to"] > b["from"]:
                sys.exit("gen_prices: overlapping dated changes for %s" % key)
        cursor, ended, rows = None, False, []  # cursor: start of the next gap (None: all time before)
        for p in ps:
            if p["from"] is not None and (cursor is None or cursor < p["from"]):
                rows.append(dict(by[key], **{"from": cursor, "to": p["from"]}))
            rows.append(p)
            cursor = p["to"]
            ended = cursor is None
        if not ended:
            rows.append(dict(by[key], **{"from": cursor, "to": None}))
        for r in rows:
            r.setdefault("from", None)
            r.setdefault("to", None)
        out += rows
    return out


def cnum(r, f):
    return "%.12g" % r[f] if f in r else "NAN"


def ctime(v):
    return "LUMO_OPEN" if v is None else "%dLL" % v


def cstr(s):
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def main():
    data = json.load(open(sys.argv[1], encoding="utf-8"))
    retired = json.load(open(os.path.join(HERE, "prices", "litellm-retired.json"), encoding="utf-8"))
    vendor = json.load(open(os.path.join(HERE, "prices", "vendor.json"), encoding="utf-8"))
    rs = build(data, retired, vendor)
    sources = sorted({r["source"] for r in rs})
    sid = {s: i for i, s in enumerate(sources)}
    w = sys.stdout.write
    w("/* prices_data.h: generated by scripts/gen_prices.py from a LiteLLM price map,\n")
    w("** scripts/prices/litellm-retired.json and scripts/prices/vendor.json; do not edit.\n")
    w("** %d rows, %d models. Rates in USD per million tokens; NAN = not listed. valid_from and\n" % (len(rs), len({r["model"] for r in rs})))
    w("** valid_to: ms since the epoch (UTC), [from, to); LUMO_OPEN = unbounded. LUMO_SOURCE lines\n")
    w("** are the sources, numbered from 0. LUMO_PRICE fields, in order:\n")
    w("** model, provider, derived, source, valid_from, valid_to, tier, fast, geo, %s */\n" % ", ".join(RATE_FIELDS))
    w("#ifdef LUMO_SOURCE\n")
    for s in sources:
        w("LUMO_SOURCE(%s)\n" % cstr(s))
    w("#endif\n#ifdef LUMO_PRICE\n")
    for r in rs:
        w('LUMO_PRICE("%s", "%s", "%s", %d, %s, %s, %d, %s, %s, %s)\n' % (
            r["model"], r["provider"], ";".join(r["derived"]), sid[r["source"]], ctime(r["from"]), ctime(r["to"]),
            r["tier"], cnum(r, "fast"), cnum(r, "geo"), ", ".join(cnum(r, f) for f in RATE_FIELDS)))
    w("#endif\n")


if __name__ == "__main__":
    main()
