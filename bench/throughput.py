#!/usr/bin/env python3
"""Throughput of many transcriptions on one model (issue 15, docs/modes.md 14 and 1.9), on one machine
in one run. Python 3 standard library only.

  bench/throughput.py [--model ../models/0.6b-1234] [--jar cli/target/qwen-asr.jar] [--threads 2]
                      [--max-new-tokens 64] [--in-flight 1,2,4,8] [--c-engine PATH] [--label NAME]
                      [--quantize none|int8]
                      [--skip-sweep] [--skip-stall] [--skip-folder]

1. sweep: for each number of sequences in flight, one JVM running bench/Throughput.java: decode
   tokens per second with exactly that many sequences in the batch, end-to-end tokens and audio
   seconds per second of that many transcriptions of jfk.wav started together, and the process's
   peak RSS.
2. stall: the longest gap between two tokens of a decoding transcription while another one's
   encoder and prefill of a 60 s clip run, against the median gap.
3. folder: 16 clips (jfk.wav, the clips shorter than it, and cuts of 4-12 s from the longer ones,
   made in a temporary folder with the wave module), 64 tokens each: our command line once per
   file, the C engine once per file (with --c-engine; a build from peers/build-c-engine.sh
   --cap-tokens decodes the same number of tokens), and our command line once over the folder.
   The texts of the folder run are checked against the per-file runs.

Writes bench/results/throughput-<label>.json and prints markdown tables. A random-weight model never
stops by itself, so every transcription decodes exactly --max-new-tokens tokens.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import sys
import tempfile
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as harness  # noqa: E402  (the shared helpers: measured children, the engine's java)

ROOT = harness.ROOT
AUDIO = os.path.join(os.path.dirname(ROOT), "shared", "data", "audio")
FLAGS = ["--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:+UseG1GC",
         "-XX:GCTimeRatio=4", "-XX:MaxHeapFreeRatio=20", "-XX:MinHeapFreeRatio=5", "-Xss4m"]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def clip(name):
    return os.path.join(AUDIO, name)


def last_json(out):
    for line in reversed(out.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line in:\n" + out)


def sweep(args, java):
    rows = []
    for n in args.in_flight:
        cmd = [java] + FLAGS + ["-cp", args.jar, os.path.join(harness.BENCH, "Throughput.java"), "sweep", args.model,
                                clip("jfk.wav"), str(n), str(args.max_new_tokens), str(args.threads), args.quantize]
        code, out, err, wall, rss = harness.run_measured(cmd, timeout=args.timeout)
        if code != 0:
            raise SystemExit(f"[throughput] sweep {n} failed ({code}):\n{err[-2000:]}")
        r = last_json(out)
        r["peak_rss_mib"] = round(rss / 1024)
        log(f"[throughput] {n} in flight: decode {r['decode_tokens_per_s']:.2f} tok/s, end to end "
            f"{r['e2e_tokens_per_s']:.2f} tok/s, {r['audio_seconds_per_s']:.2f} audio s/s, rss {r['peak_rss_mib']} MiB")
        rows.append(r)
    return rows


def stall(args, java):
    cmd = [java] + FLAGS + ["-cp", args.jar, os.path.join(harness.BENCH, "Throughput.java"), "stall", args.model,
                            clip("notld_60s_i_dont_want_anyones_life_on_my_hands.wav"), clip("jfk.wav"),
                            str(args.max_new_tokens), str(args.threads), args.quantize]
    code, out, err, wall, rss = harness.run_measured(cmd, timeout=args.timeout)
    if code != 0:
        raise SystemExit(f"[throughput] stall failed ({code}):\n{err[-2000:]}")
    r = last_json(out)
    log(f"[throughput] stall: median gap {r['median_gap_ms']} ms, longest while a 60 s clip is prefilled "
        f"{r['max_gap_during_long_ms']} ms")
    return r


def make_clips(folder):
    """16 clips: jfk.wav, the clips shorter than it, and cuts of the longer ones (4-12 s)."""
    with wave.open(clip("jfk.wav")) as w:
        jfk_seconds = w.getnframes() / w.getframerate()
    names = sorted(n for n in os.listdir(AUDIO) if n.endswith(".wav"))
    short, long = [], []
    for n in names:
        with wave.open(clip(n)) as w:
            (short if w.getnframes() / w.getframerate() <= jfk_seconds else long).append(n)
    paths = []
    for n in short:
        dst = os.path.join(folder, f"{len(paths):02d}-{n}")
        shutil.copyfile(clip(n), dst)
        paths.append(dst)
    lengths = [4, 6, 8, 10, 12, 5, 7, 9, 11, 4.5, 6.5, 8.5, 10.5, 12, 5.5, 7.5]
    k = 0
    while len(paths) < 16:
        src = long[k % len(long)]
        seconds = lengths[k % len(lengths)]
        with wave.open(clip(src)) as w:
            rate = w.getframerate()
            start = int((5 + 13 * (k // len(long))) * rate)
            w.setpos(min(start, max(0, w.getnframes() - int(seconds * rate))))
            frames = w.readframes(int(seconds * rate))
            params = w.getparams()
        dst = os.path.join(folder, f"{len(paths):02d}-cut-{os.path.splitext(src)[0]}-{seconds:g}s.wav")
        with wave.open(dst, "wb") as out:
            out.setparams(params)
            out.writeframes(frames)
        paths.append(dst)
        k += 1
    total = 0.0
    for p in paths:
        with wave.open(p) as w:
            total += w.getnframes() / w.getframerate()
    return paths, total


def flat(text):
    return re.sub(r"\s*(?:\r\n|\n|\r)\s*", " ", text.strip())


def folder(args, java):
    tmp = tempfile.mkdtemp(prefix="qwen-asr-folder-")
    try:
        paths, audio_seconds = make_clips(tmp)
        log(f"[throughput] folder: {len(paths)} clips, {audio_seconds:.1f} s of audio")
        ours = [java] + FLAGS + ["-jar", args.jar, "-d", args.model, "-t", str(args.threads),
                                 "--max-new-tokens", str(args.max_new_tokens), "--silent"]
        if args.quantize != "none":
            ours += ["--quantize", args.quantize]
        per_file = {"wall_s": 0.0, "peak_rss_mib": 0, "texts": {}}
        for p in paths:
            code, out, err, wall, rss = harness.run_measured(ours + ["-i", p], timeout=args.timeout)
            if code != 0:
                raise SystemExit(f"[throughput] our CLI failed on {p}:\n{err[-2000:]}")
            per_file["wall_s"] += wall / 1000
            per_file["peak_rss_mib"] = max(per_file["peak_rss_mib"], round(rss / 1024))
            per_file["texts"][p] = flat(out)
        log(f"[throughput] ours once per file: {per_file['wall_s']:.1f} s")
        c = None
        if args.c_engine:
            c = {"wall_s": 0.0, "peak_rss_mib": 0}
            env = dict(os.environ)
            env["QWEN_MAX_NEW_TOKENS"] = str(max(1, args.max_new_tokens - 1))  # see run.py CEngine
            if args.openblas_coretype:
                env["OPENBLAS_CORETYPE"] = args.openblas_coretype
            for p in paths:
                code, out, err, wall, rss = harness.run_measured(
                    [harness.rel(args.c_engine), "-d", args.model, "-i", p, "-t", str(args.threads)], env, args.timeout)
                if code != 0:
                    raise SystemExit(f"[throughput] the C engine failed on {p}:\n{err[-2000:]}")
                c["wall_s"] += wall / 1000
                c["peak_rss_mib"] = max(c["peak_rss_mib"], round(rss / 1024))
            log(f"[throughput] C engine once per file: {c['wall_s']:.1f} s")
        code, out, err, wall, rss = harness.run_measured(ours + ["-i", tmp] + (["--jobs", str(args.jobs)] if args.jobs else []),
                                                         timeout=args.timeout)
        if code != 0:
            raise SystemExit(f"[throughput] the folder run failed:\n{err[-2000:]}")
        lines = [json.loads(line) for line in out.splitlines() if line.strip()]
        same = all(flat(line["text"]) == per_file["texts"][line["path"]] for line in lines) and len(lines) == len(paths)
        run_all = {"wall_s": wall / 1000, "peak_rss_mib": round(rss / 1024), "same_text_as_per_file": same}
        log(f"[throughput] ours over the folder: {run_all['wall_s']:.1f} s (same texts: {same})")
        del per_file["texts"]
        return {"clips": len(paths), "audio_seconds": round(audio_seconds, 1), "ours_per_file": per_file,
                "c_per_file": c, "ours_folder": run_all}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def markdown(doc):
    lines = [f"Throughput, {doc['machine'].get('cpu', '?')} ({doc['machine'].get('cpus')} CPUs), {doc['threads']} threads, "
             f"{doc['max_new_tokens']} tokens per transcription, model {os.path.basename(doc['model'])} "
             f"(weights: {doc['quantize']}), {doc['date']}", ""]
    if doc.get("sweep"):
        base = doc["sweep"][0]
        lines += ["| in flight | decode tok/s | x of 1 | end-to-end tok/s | audio s/s | peak RSS MiB |",
                  "|---|---|---|---|---|---|"]
        for r in doc["sweep"]:
            lines.append(f"| {r['in_flight']} | {r['decode_tokens_per_s']:.2f} | "
                         f"{r['decode_tokens_per_s'] / base['decode_tokens_per_s']:.2f} | {r['e2e_tokens_per_s']:.2f} | "
                         f"{r['audio_seconds_per_s']:.2f} | {r['peak_rss_mib']} |")
        lines.append("")
    if doc.get("stall"):
        s = doc["stall"]
        lines += [f"Decode gaps while a {s['long_clip_seconds']:.0f} s clip is encoded and prefilled beside it: median "
                  f"{s['median_gap_ms']} ms, longest {s['max_gap_during_long_ms']} ms.", ""]
    f = doc.get("folder")
    if f:
        ours = f["ours_folder"]["wall_s"]
        lines += [f"Folder of {f['clips']} clips ({f['audio_seconds']} s of audio):", "",
                  "| run | wall s | folder run / this | peak RSS MiB |", "|---|---|---|---|",
                  f"| ours, one run over the folder | {ours:.1f} | 1.00 | {f['ours_folder']['peak_rss_mib']} |",
                  f"| ours, once per file | {f['ours_per_file']['wall_s']:.1f} | {ours / f['ours_per_file']['wall_s']:.2f} | "
                  f"{f['ours_per_file']['peak_rss_mib']} |"]
        if f.get("c_per_file"):
            lines.append(f"| C engine, once per file | {f['c_per_file']['wall_s']:.1f} | {ours / f['c_per_file']['wall_s']:.2f} | "
                         f"{f['c_per_file']['peak_rss_mib']} |")
        lines += ["", f"Folder texts equal the per-file texts: {f['ours_folder']['same_text_as_per_file']}."]
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(os.path.dirname(ROOT), "models", "0.6b-1234"))
    ap.add_argument("--jar", default=os.path.join(ROOT, "cli", "target", "qwen-asr.jar"))
    ap.add_argument("--java-home", default=os.environ.get("JAVA_HOME"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--in-flight", default="1,2,4,8")
    ap.add_argument("--quantize", choices=["none", "int8"], default="none", help="our decoder weights (the C engine: bf16)")
    ap.add_argument("--jobs", type=int, help="--jobs of the folder run (default: the CLI's)")
    ap.add_argument("--c-engine", help="the C engine binary (peers/build-c-engine.sh --cap-tokens)")
    ap.add_argument("--openblas-coretype", default=os.environ.get("OPENBLAS_CORETYPE"))
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--label", default="latest")
    ap.add_argument("--skip-sweep", action="store_true")
    ap.add_argument("--skip-stall", action="store_true")
    ap.add_argument("--skip-folder", action="store_true")
    args = ap.parse_args()
    args.in_flight = [int(x) for x in args.in_flight.split(",")]
    args.model = harness.rel(args.model)
    args.jar = harness.rel(args.jar)
    if not os.path.isfile(args.jar):
        raise SystemExit(f"[throughput] no {args.jar}: build it (mvn -pl cli -am package -DskipTests)")
    java = harness.engine_java(args.java_home)
    doc = {"version": "qwen-asr-java-throughput-v1", "date": datetime.datetime.now().isoformat(timespec="seconds"),
           "git": harness.git_rev(), "machine": harness.machine_info(), "load_average": os.getloadavg(),
           "model": os.path.relpath(args.model, ROOT), "quantize": args.quantize, "threads": args.threads, "max_new_tokens": args.max_new_tokens}
    if not args.skip_sweep:
        doc["sweep"] = sweep(args, java)
    if not args.skip_stall:
        doc["stall"] = stall(args, java)
    if not args.skip_folder:
        doc["folder"] = folder(args, java)
    doc["load_average_after"] = os.getloadavg()
    os.makedirs(os.path.join(harness.BENCH, "results"), exist_ok=True)
    path = os.path.join(harness.BENCH, "results", f"throughput-{args.label}.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
    log(f"[throughput] wrote {os.path.relpath(path, ROOT)}")
    print(markdown(doc))


if __name__ == "__main__":
    main()
