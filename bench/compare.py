#!/usr/bin/env python3
"""Compares two bench/run.py results files, case by case (clip, mode, engine).

  bench/compare.py BASELINE.json CURRENT.json [--json]

For every metric present in both runs: baseline -> current and the change in percent of the
baseline ("~0%" within +-0.5 %). Lower is better for every metric except realtime_factor.
"""
import argparse
import json
import sys

METRICS = ["load_ms", "mel_ms", "encoder_ms", "prefill_ms", "first_token_ms", "ms_per_token", "decode_ms",
           "total_ms", "wall_ms", "realtime_factor", "peak_rss_kb"]


def load(path):
    with open(path) as f:
        doc = json.load(f)
    return doc, {(r["clip"], r["mode"], r["engine"]): r for r in doc["results"]}


def delta(a, b):
    if a is None or b is None or a == 0:
        return None
    return 100.0 * (b - a) / a


def fmt_delta(d):
    if d is None:
        return "—"
    return "~0%" if abs(d) < 0.5 else f"{d:+.1f}%"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("baseline")
    ap.add_argument("current")
    ap.add_argument("--json", action="store_true", help="print the comparison as JSON instead of markdown")
    args = ap.parse_args()
    base_doc, base = load(args.baseline)
    cur_doc, cur = load(args.current)

    rows = []
    for key, b in base.items():
        c = cur.get(key)
        if c is None or b.get("status") != "ok" or c.get("status") != "ok":
            continue
        for m in METRICS:
            if b.get(m) is not None and c.get(m) is not None:
                rows.append({"clip": key[0], "mode": key[1], "engine": key[2], "metric": m,
                             "baseline": b[m], "current": c[m], "delta_pct": delta(b[m], c[m])})
    floors = {k: d.get("floor_ms_per_token") for k, d in (("baseline", base_doc), ("current", cur_doc))}

    if args.json:
        json.dump({"baseline": base_doc["label"], "current": cur_doc["label"], "floor_ms_per_token": floors,
                   "rows": rows}, sys.stdout, indent=1)
        print()
        return
    print(f"{base_doc['label']} -> {cur_doc['label']}")
    for key in ("threads", "max_new_tokens", "segment_sec", "model"):
        if base_doc.get(key) != cur_doc.get(key):
            print(f"note: {key} differs: {base_doc.get(key)} -> {cur_doc.get(key)}")
    if floors["baseline"] and floors["current"]:
        print(f"decode floor: {floors['baseline']:.1f} -> {floors['current']:.1f} ms/token "
              f"({fmt_delta(delta(floors['baseline'], floors['current']))})")
    print()
    print("| clip | mode | engine | metric | baseline | current | delta |")
    print("|---|---|---|---|---:|---:|---:|")
    for r in rows:
        digits = 2 if r["metric"] in ("realtime_factor", "ms_per_token") else 0
        print(f"| {r['clip']} | {r['mode']} | {r['engine']} | {r['metric']} | {r['baseline']:.{digits}f} | "
              f"{r['current']:.{digits}f} | {fmt_delta(r['delta_pct'])} |")
    missing = sorted(set(base) ^ set(cur))
    if missing:
        print()
        print("Only in one run: " + ", ".join("/".join(k) for k in missing))


if __name__ == "__main__":
    main()
