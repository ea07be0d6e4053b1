#!/usr/bin/env python3
"""Benchmark harness: our engine, the C engine (antirez/qwen-asr) and the official `qwen-asr` package
on the same clips in one run, with the decode length capped equally, plus the machine's read
bandwidth and the decode floor it implies. Python 3 standard library only.

  bench/run.py [--label NAME] [--clips a.wav,b.wav] [--modes offline,segmented,streaming]
               [--max-new-tokens 64] [--repeats N] [--threads N]
               [--c-engine PATH] [--official-python PATH] [--jar PATH] ...   (--help for all)

Writes bench/results/<label>.json and prints a markdown table. Paths are relative to the
repository root unless absolute. See bench/README.md.
"""
import argparse
import datetime
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
DEFAULT_CLIPS = "jfk.wav,notld_60s_i_dont_want_anyones_life_on_my_hands.wav"
VERSION = "qwen-asr-java-bench-v1"


def rel(path):
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(ROOT, path))


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# running a child and measuring it
# ---------------------------------------------------------------------------------------------

def run_child(cmd, env=None, timeout=None):
    """Runs a helper command; returns (exit code, stdout, stderr, wall ms)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    wall_ms = 1000 * (time.perf_counter() - start)
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), wall_ms


def run_measured(cmd, env=None, timeout=None):
    """Runs a measured engine; returns (exit code, stdout, stderr, wall ms, peak RSS kB of that child
    alone, from os.wait4; bin/qwen-asr's JVM is its child, and the rusage of a reaped process
    covers its reaped descendants, so the JVM's peak counts)."""
    import tempfile
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=fo, stderr=fe, env=env, cwd=ROOT)
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        wall_ms = 1000 * (time.perf_counter() - start)
        proc.returncode = os.waitstatus_to_exitcode(status)
        fo.seek(0)
        fe.seek(0)
        out = fo.read().decode("utf-8", "replace")
        err = fe.read().decode("utf-8", "replace")
    # ru_maxrss is in kB on Linux and in bytes on macOS.
    rss_kb = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return proc.returncode, out, err, wall_ms, rss_kb


# ---------------------------------------------------------------------------------------------
# parsing engine output (docs/modes.md 1.4/1.5 lines; ours also prints [profile] lines)
# ---------------------------------------------------------------------------------------------

NUM = r"([0-9]+(?:\.[0-9]+)?)"
RE_INFERENCE = re.compile(r"Inference: " + NUM + r" ms, (\d+) text tokens")
RE_ENC_DEC = re.compile(r"Inference: .*encoding: " + NUM + r"ms, decoding: " + NUM + "ms")
RE_PIECES = re.compile(r"^Pieces: (\d+) decoder runs", re.M)
# Ours in streaming mode: per-step lines with --debug and a step summary with --profile.
RE_STREAM_STEP = re.compile(r"^Stream step (\d+): " + NUM + " ms", re.M)
RE_STREAM_PROFILE = re.compile(r"\[profile\] stream steps: " + NUM + r"ms \((\d+) steps of " + NUM + r" s, "
                               + NUM + r"ms avg, " + NUM + "ms max")
RE_AUDIO = re.compile(r"Audio: " + NUM + r" s processed in " + NUM + r" s \(" + NUM + r"x realtime\)")
RE_MEL = re.compile(r"^\s*Mel: (\d+) frames \(" + NUM + r" ms\)", re.M)
# C streaming: "Encoder: N tokens from 0.0-T s (cached windows=W, partial=P s, X ms)".
RE_ENC = re.compile(r"^\s*Encoder: (\d+) tokens.*[( ]" + NUM + r" ms\)\s*$", re.M)
RE_PREFILL = re.compile(r"^\s*Prefill: (\d+) tokens.*\(" + NUM + r" ms\)", re.M)
RE_DECODE = re.compile(r"^\s*Decode: (\d+) tokens \(" + NUM + r" ms, " + NUM + r" ms/token", re.M)
RE_PROFILE = {
    "load_ms": re.compile(r"\[profile\] model load: " + NUM + "ms"),
    "mel_ms": re.compile(r"\[profile\] mel: " + NUM + "ms"),
    "encoder_ms": re.compile(r"\[profile\] encoder: " + NUM + "ms"),
    "prefill_ms": re.compile(r"\[profile\] prefill: " + NUM + "ms"),
    "decode_ms": re.compile(r"\[profile\] decode: " + NUM + r"ms \((\d+) tokens"),
    "total_ms": re.compile(r"\[profile\] total: " + NUM + "ms"),
}


def parse_stats(err):
    """Stage sums from the --debug stage lines (one per piece/chunk) and the stats lines."""
    r = {}
    m = RE_INFERENCE.search(err)
    if m:
        r.update(total_ms=float(m[1]), text_tokens=int(m[2]))
    m = RE_ENC_DEC.search(err)
    if m:
        r.update(encoding_ms=float(m[1]), decoding_ms=float(m[2]))
    m = RE_AUDIO.search(err)
    if m:
        r.update(audio_s=float(m[1]), realtime_factor=float(m[3]))
    mel, enc, pre, dec = RE_MEL.findall(err), RE_ENC.findall(err), RE_PREFILL.findall(err), RE_DECODE.findall(err)
    if mel:
        r["mel_ms"] = sum(float(x[1]) for x in mel)
    if enc:
        r["encoder_ms"] = sum(float(x[1]) for x in enc)
    if pre:
        r["prefill_ms"] = sum(float(x[1]) for x in pre)
        r["prompt_tokens"] = sum(int(x[0]) for x in pre)
        r["pieces"] = len(pre)
    if dec:
        r["decode_ms"] = sum(float(x[1]) for x in dec)
        r["decode_lines_tokens"] = sum(int(x[0]) for x in dec)
    if enc and pre:
        # Mel is inside the encoder's time in C's streaming lines, which have no Mel line.
        r["first_token_ms"] = (float(mel[0][1]) if mel else 0.0) + float(enc[0][1]) + float(pre[0][1])
    return r


def parse_ours(err):
    r = parse_stats(err)
    for key, rx in RE_PROFILE.items():
        m = rx.search(err)
        if m:
            r[key] = float(m[1])
            if key == "decode_ms":
                r["decode_tokens"] = int(m[2])
    m = RE_STREAM_PROFILE.search(err)
    if m:
        r.update(stream_steps=int(m[2]), step_avg_ms=float(m[4]), step_max_ms=float(m[5]))
    steps = RE_STREAM_STEP.findall(err)
    if steps and "first_token_ms" not in r:
        # Streaming: the latency of the first step (its text is the first that can appear).
        r["first_token_ms"] = float(steps[0][1])
    pieces = RE_PIECES.search(err)
    if pieces:
        # Several pieces: our stage lines are sums over pieces, so the first piece's latency is unknown.
        r["pieces"] = int(pieces[1])
        r.pop("first_token_ms", None)
    if "decode_tokens" not in r and "decode_lines_tokens" in r:
        r["decode_tokens"] = r["decode_lines_tokens"]
    # Our Decode line counts decode steps: the prefill pass chooses each piece's first token.
    r.pop("decode_lines_tokens", None)
    return r


def parse_c(err):
    r = parse_stats(err)
    # C's Decode line counts every token it handled, and its loop runs one decoder forward per
    # counted token (the last one's result is unused when the cap stops it; with EOS the final
    # counted token is EOS and has no forward).
    r["decode_tokens"] = r.pop("decode_lines_tokens", 0)
    return r


# ---------------------------------------------------------------------------------------------
# engines
# ---------------------------------------------------------------------------------------------

class Ours:
    """Our engine in one of its load modes: "ours" (exact), "ours-int8" (--quantize int8), "ours-bf16"
    (--compute bf16) and "ours-int8-bf16" (both)."""

    def __init__(self, args, compute="exact", quantize="none"):
        self.args = args
        self.compute = compute
        self.quantize = quantize
        suffix = "-".join(x for x in (quantize if quantize != "none" else None,
                                       compute if compute != "exact" else None) if x)
        self.name = f"ours-{suffix}" if suffix else "ours"
        if args.jar:
            self.base = [engine_java(args.java_home), "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                         "-XX:+UseG1GC", "-XX:GCTimeRatio=4",
                         "-XX:MaxHeapFreeRatio=20", "-XX:MinHeapFreeRatio=5", "-Xss4m"] + args.jvm_opt + ["-jar", rel(args.jar)]
        else:
            self.base = [os.path.join(ROOT, "bin", "qwen-asr")]
        code, out, err, _ = run_child(self.base + ["-h"])
        self.help = out + err
        self.describe = f"java -jar {os.path.basename(args.jar)}" if args.jar else "bin/qwen-asr"
        if quantize != "none":
            self.describe += f" --quantize {quantize}"
        if compute != "exact":
            self.describe += f" --compute {compute}"

    def supports(self, mode):
        if self.compute != "exact" and "--compute" not in self.help:
            return False
        if self.quantize != "none" and "--quantize" not in self.help:
            return False
        return mode != "streaming" or "--stream" in self.help

    def command(self, model, wav, mode):
        a = self.args
        cmd = self.base + ["-d", model, "-i", wav, "-t", str(a.threads), "--profile", "--debug"]
        if self.quantize != "none":
            cmd += ["--quantize", self.quantize]
        if self.compute != "exact":
            cmd += ["--compute", self.compute]
        if mode == "segmented":
            cmd += ["-S", str(a.segment_sec)]
        if mode == "streaming":
            cmd += ["--stream"]
            if "--stream-max-new-tokens" in self.help:
                cmd += ["--stream-max-new-tokens", str(a.stream_max_new_tokens)]
        else:
            cmd += ["--max-new-tokens", str(a.max_new_tokens)]
        return cmd

    def run(self, model, wav, mode):
        env = dict(os.environ)
        if self.args.jvm_opt and not self.args.jar:
            env["QWEN_ASR_JAVA_OPTS"] = " ".join(self.args.jvm_opt)
        code, out, err, wall, rss = run_measured(self.command(model, wav, mode), env, self.args.timeout)
        r = parse_ours(err)
        return code, out, err, wall, rss, r


class CEngine:
    name = "c"

    def __init__(self, args):
        self.args = args
        self.binary = rel(args.c_engine)
        self.describe = os.path.basename(self.binary)

    def supports(self, mode):
        return True

    def run(self, model, wav, mode):
        a = self.args
        cmd = [self.binary, "-d", model, "-i", wav, "-t", str(a.threads), "--debug"]
        if mode == "segmented":
            cmd += ["-S", str(a.segment_sec)]
        if mode == "streaming":
            cmd += ["--stream", "--stream-max-new-tokens", str(a.stream_max_new_tokens)]
        env = dict(os.environ)
        # Read by a C engine built with build-c-engine.sh --cap-tokens; ignored otherwise. One less
        # than ours: its loop runs one decoder forward per counted token including the prefill's, so
        # N-1 gives the same prefill + N-1 decode forwards as ours and the official package.
        env["QWEN_MAX_NEW_TOKENS"] = str(max(1, a.max_new_tokens - 1))
        if a.openblas_coretype:
            env["OPENBLAS_CORETYPE"] = a.openblas_coretype
        code, out, err, wall, rss = run_measured(cmd, env, a.timeout)
        r = parse_c(err)
        if mode != "streaming" and r.get("pieces") and r.get("decode_tokens", 0) > r["pieces"] * (a.max_new_tokens - 1):
            r["uncapped"] = True
        return code, out, err, wall, rss, r


class Official:
    name = "official"

    def __init__(self, args):
        self.args = args
        self.python = rel(args.official_python)
        self.describe = f"qwen-asr (official, {args.official_dtype})"

    def supports(self, mode):
        return mode == "offline"

    def run(self, model, wav, mode):
        a = self.args
        cmd = [self.python, os.path.join(BENCH, "official_run.py"), "--model", model, "--audio", wav,
               "--dtype", a.official_dtype, "--max-new-tokens", str(a.max_new_tokens), "--threads", str(a.threads)]
        code, out, err, wall, rss = run_measured(cmd, None, a.timeout)
        r = {}
        try:
            j = json.loads(out.strip().splitlines()[-1])
            run = j["runs"][0]
            r = {k: run[k] for k in ("mel_ms", "encoder_ms", "prefill_ms", "first_token_ms", "decode_ms", "total_ms")}
            r["decode_tokens"] = run["decode_tokens"]
            r["load_ms"] = j["load_ms"]
            r["audio_s"] = j["audio_seconds"]
            r["realtime_factor"] = j["audio_seconds"] * 1000 / run["total_ms"]
            out = run["text"]
        except (ValueError, IndexError, KeyError) as e:
            err += f"\n[bench] cannot parse official_run.py output: {e}"
            code = code or 1
        return code, out, err, wall, rss, r


# ---------------------------------------------------------------------------------------------
# bandwidth and decode floor
# ---------------------------------------------------------------------------------------------

def weights_file(model):
    files = sorted(f for f in os.listdir(model) if f.endswith(".safetensors"))
    return [os.path.join(model, f) for f in files]


def decode_weight_bytes(model):
    """Bytes a decode step must read: every decoder layer, the final norm and the LM head
    (the embedding table if the head is tied); the one embedding row is negligible."""
    layers = head = embed = 0
    for path in weights_file(model):
        with open(path, "rb") as f:
            n = struct.unpack("<Q", f.read(8))[0]
            header = json.loads(f.read(n))
        for name, t in header.items():
            if name == "__metadata__":
                continue
            size = t["data_offsets"][1] - t["data_offsets"][0]
            if ".model.layers." in name or name.endswith("model.norm.weight"):
                layers += size
            elif name.endswith("lm_head.weight"):
                head += size
            elif name.endswith("embed_tokens.weight"):
                embed += size
    return layers + (head or embed)


def engine_java(java_home):
    """The java of the JDK the engine runs on: java_home (--java-home, default $JAVA_HOME), else the
    one bin/find-java finds for bin/qwen-asr. Never a bare `java` from PATH, which is often an
    older JDK that cannot compile the Vector API probe."""
    if not java_home:
        proc = subprocess.run(["bash", os.path.join(ROOT, "bin", "find-java")], capture_output=True, text=True)
        if proc.returncode != 0 or not proc.stdout.strip():
            raise SystemExit(f"[bench] no JDK for the engine: {proc.stderr.strip()}")
        java_home = proc.stdout.strip().splitlines()[-1]
    return os.path.join(java_home, "bin", "java")


def measure_bandwidth(args, model):
    big = max(weights_file(model), key=os.path.getsize)
    cmd = [engine_java(args.java_home), "--add-modules", "jdk.incubator.vector", os.path.join(BENCH, "Bandwidth.java"), big,
           str(args.threads), str(args.bandwidth_passes)]
    code, out, err, _ = run_child(cmd, timeout=args.timeout)
    result = {"java": None, "c": None}
    if code == 0:
        result["java"] = json.loads(out.strip().splitlines()[-1])
    else:
        log(f"[bench] bandwidth probe failed: {err.strip()[-500:]}")
    if args.c_bandwidth:
        code, out, err, _ = run_child([rel(args.c_bandwidth), big, str(args.threads), str(args.bandwidth_passes)])
        if code == 0:
            result["c"] = json.loads(out.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------

def git_rev():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True).stdout.strip() or None
    except OSError:
        return None


def summarize(runs):
    """Best-of repeats: the repeat with the lowest wall time, plus the spread of wall times."""
    ok = [r for r in runs if r["exit_code"] == 0]
    if not ok:
        return dict(runs[-1], status="failed")
    best = dict(min(ok, key=lambda r: r["wall_ms"]))
    best["wall_ms_all"] = [round(r["wall_ms"]) for r in runs]
    best["status"] = "ok"
    return best


def derive(r):
    t = r.get("decode_tokens") or 0
    if t and r.get("decode_ms") is not None:
        r["ms_per_token"] = r["decode_ms"] / t
    if r.get("audio_s") and r.get("total_ms") and "realtime_factor" not in r:
        r["realtime_factor"] = r["audio_s"] * 1000 / r["total_ms"]
    return r


def main():
    ap = argparse.ArgumentParser(description="Benchmark our engine against the C engine and the official package.")
    ap.add_argument("--label", help="results name (default: git revision + UTC time)")
    ap.add_argument("--model", default=os.environ.get("QWEN_BENCH_MODEL", "../models/0.6b-1234"),
                    help="model directory; a missing synthetic one is made by bench/make-models.sh "
                         "(env QWEN_BENCH_MODEL; default ../models/0.6b-1234)")
    ap.add_argument("--audio-dir", default="../shared/data/audio")
    ap.add_argument("--clips", default=DEFAULT_CLIPS, help="comma list of WAV names in --audio-dir")
    ap.add_argument("--modes", default="offline,segmented", help="comma list of offline, segmented, streaming")
    ap.add_argument("--engines", default="ours,c,official",
                    help="comma list of ours, ours-int8 (--quantize int8), ours-bf16 (--compute bf16), "
                         "ours-int8-bf16 (both), c, official "
                         "(c/official are skipped when not configured)")
    ap.add_argument("--max-new-tokens", type=int, default=64,
                    help="decode cap per piece, the same for every engine (a random-weight model never stops)")
    ap.add_argument("--stream-max-new-tokens", type=int, default=32)
    ap.add_argument("--segment-sec", type=float, default=30)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeats", type=int, default=1, help="runs per case; the fastest (wall) is kept")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per process")
    ap.add_argument("--jar", help="run this qwen-asr.jar with java instead of bin/qwen-asr (no rebuild check)")
    ap.add_argument("--java-home", default=os.environ.get("JAVA_HOME"),
                    help="JDK >= 25 for --jar and the probe (default: the one bin/find-java finds)")
    ap.add_argument("--jvm-opt", action="append", default=[], help="extra JVM option for our engine (repeatable)")
    ap.add_argument("--c-engine", default=os.environ.get("QWEN_C_ENGINE"),
                    help="C engine binary (env QWEN_C_ENGINE); build it with bench/peers/build-c-engine.sh")
    ap.add_argument("--openblas-coretype", default=os.environ.get("OPENBLAS_CORETYPE"),
                    help="OPENBLAS_CORETYPE for the C engine (e.g. Haswell, Zen, SkylakeX)")
    ap.add_argument("--official-python", default=os.environ.get("QWEN_OFFICIAL_PYTHON"),
                    help="python with the official qwen-asr package (env QWEN_OFFICIAL_PYTHON)")
    ap.add_argument("--official-dtype", default="bfloat16", choices=["bfloat16", "float32"])
    ap.add_argument("--no-bandwidth", action="store_true", help="skip the read-bandwidth probe")
    ap.add_argument("--bandwidth-passes", type=int, default=8)
    ap.add_argument("--bandwidth-gbps", type=float,
                    help="use this read bandwidth for the floor (e.g. measured on an idle machine) "
                         "instead of the best probe pass of this run")
    ap.add_argument("--c-bandwidth", default=os.environ.get("QWEN_C_BW"),
                    help="also run this build of bench/peers/bw.c (env QWEN_C_BW)")
    ap.add_argument("--output-dir", default="bench/results")
    args = ap.parse_args()

    model = rel(args.model)
    if not os.path.isdir(model):
        log(f"[bench] {model} missing: generating it with bench/make-models.sh")
        subprocess.run([os.path.join(BENCH, "make-models.sh"), "--out", model], check=True)
    label = args.label or f"{git_rev() or 'norev'}-{datetime.datetime.now(datetime.timezone.utc):%Y%m%dT%H%M%SZ}"
    clips = [c.strip() for c in args.clips.split(",") if c.strip()]
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]

    engines = []
    for name in [e.strip() for e in args.engines.split(",")]:
        if name == "ours":
            engines.append(Ours(args))
        elif name == "ours-bf16":
            engines.append(Ours(args, "bf16"))
        elif name == "ours-int8":
            engines.append(Ours(args, "exact", "int8"))
        elif name == "ours-int8-bf16":
            engines.append(Ours(args, "bf16", "int8"))
        elif name == "c":
            if args.c_engine:
                engines.append(CEngine(args))
            else:
                log("[bench] no C engine (--c-engine or QWEN_C_ENGINE): skipped")
        elif name == "official":
            if args.official_python:
                engines.append(Official(args))
            else:
                log("[bench] no official package (--official-python or QWEN_OFFICIAL_PYTHON): skipped")
        else:
            sys.exit(f"unknown engine {name}")

    doc = {
        "version": VERSION, "label": label, "git_rev": git_rev(),
        "timestamp": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(), "threads": args.threads, "max_new_tokens": args.max_new_tokens,
        "stream_max_new_tokens": args.stream_max_new_tokens,
        "segment_sec": args.segment_sec, "model": os.path.basename(model),
        "engines": {e.name: e.describe for e in engines}, "results": [],
    }
    doc["decode_weight_bytes"] = decode_weight_bytes(model)
    if args.no_bandwidth and args.bandwidth_gbps:
        doc["bandwidth_gbps"] = args.bandwidth_gbps
        doc["floor_ms_per_token"] = doc["decode_weight_bytes"] / (args.bandwidth_gbps * 1e9) * 1000
    if not args.no_bandwidth:
        log("[bench] bandwidth probe...")
        doc["bandwidth"] = measure_bandwidth(args, model)
        # The machine's bandwidth: the best pass of any probe (the C probe, when given, checks that
        # the Java one is not the limit; a loaded machine only ever lowers a pass).
        probes = [p for p in doc["bandwidth"].values() if p]
        if probes or args.bandwidth_gbps:
            best = args.bandwidth_gbps or max(p["best_gbps"] for p in probes)
            doc["bandwidth_gbps"] = best
            doc["floor_ms_per_token"] = doc["decode_weight_bytes"] / (best * 1e9) * 1000
            log(f"[bench] {best:.2f} GB/s best -> decode floor {doc['floor_ms_per_token']:.1f} ms/token")

    for clip in clips:
        wav = os.path.join(rel(args.audio_dir), clip)
        for mode in modes:
            for eng in engines:
                case = {"clip": clip, "mode": mode, "engine": eng.name}
                if not eng.supports(mode):
                    doc["results"].append(dict(case, status="unsupported"))
                    log(f"[bench] {clip} {mode} {eng.name}: unsupported")
                    continue
                runs = []
                for i in range(args.repeats):
                    code, out, err, wall, rss, r = eng.run(model, wav, mode)
                    r = derive(r)
                    r.update(exit_code=code, wall_ms=wall, peak_rss_kb=rss, transcript=out.strip()[:300])
                    if code != 0:
                        r["error"] = err.strip()[-800:]
                    if r.get("total_ms") is not None:
                        # Process wall time minus inference: start-up, model load, audio read, exit.
                        r["overhead_ms"] = wall - r["total_ms"]
                    runs.append(r)
                    log(f"[bench] {clip} {mode} {eng.name} #{i + 1}: exit {code}, wall {wall:.0f} ms, "
                        f"total {r.get('total_ms', float('nan')):.0f} ms, "
                        f"{r.get('ms_per_token', float('nan')):.1f} ms/token, rss {rss / 1024:.0f} MiB")
                doc["results"].append(dict(case, **summarize(runs)))

    out_dir = rel(args.output_dir)
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"{label}.json")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
    log(f"[bench] wrote {os.path.relpath(path, ROOT)}")
    print(markdown(doc))


def machine_info():
    info = {"cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            info["mem_gib"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def fmt(v, digits=0):
    if v is None:
        return "—"
    return f"{v:,.{digits}f}".replace(",", " ")


def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "—"


def markdown(doc):
    """One table per clip x mode: a row per engine, then the ratios the targets are stated in."""
    lines = []
    floor = doc.get("floor_ms_per_token")
    bw = (doc.get("bandwidth") or {}).get("java")
    if floor:
        cbw = (doc.get("bandwidth") or {}).get("c")
        if bw:
            lines.append(f"Read bandwidth (mapped {bw['bytes'] / 1e9:.2f} GB file, {bw['threads']} threads): "
                         f"{bw['best_gbps']:.2f} GB/s best, {bw['median_gbps']:.2f} GB/s median (Java)"
                         + (f"; {cbw['best_gbps']:.2f} GB/s best, {cbw['median_gbps']:.2f} GB/s median (C)" if cbw else "")
                         + ".")
        lines.append(f"Decode reads {doc['decode_weight_bytes'] / 1e9:.3f} GB of weights per token: at "
                     f"{doc['bandwidth_gbps']:.2f} GB/s the floor is "
                     f"{floor:.1f} ms/token.")
        lines.append("")
    cases = []
    for r in doc["results"]:
        key = (r["clip"], r["mode"])
        if key not in cases:
            cases.append(key)
    for clip, mode in cases:
        rows = {r["engine"]: r for r in doc["results"] if (r["clip"], r["mode"]) == (clip, mode)}
        cap = (f"at most {doc.get('stream_max_new_tokens')} tokens per step" if mode == "streaming"
               else f"decode cap {doc['max_new_tokens']} tokens per piece")
        lines.append(f"**{clip}, {mode}** ({cap}, {doc['threads']} threads)")
        lines.append("")
        lines.append("| engine | load ms | mel ms | encoder ms | prefill ms | first token ms | decode tokens | ms/token "
                     "| total ms | wall ms | realtime | peak RSS MiB |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for name, r in rows.items():
            if r.get("status") != "ok":
                lines.append(f"| {name} | {r.get('status')} |" + " |" * 11)
                continue
            load = r.get("load_ms")
            load_s = fmt(load) if load is not None else (f"~{fmt(r.get('overhead_ms'))}" if r.get("overhead_ms") else "—")
            lines.append(f"| {name}{' (uncapped)' if r.get('uncapped') else ''} | {load_s} | {fmt(r.get('mel_ms'))} | "
                         f"{fmt(r.get('encoder_ms'))} | {fmt(r.get('prefill_ms'))} | {fmt(r.get('first_token_ms'))} | "
                         f"{r.get('decode_tokens', '—')} | {fmt(r.get('ms_per_token'), 1)} | {fmt(r.get('total_ms'))} | "
                         f"{fmt(r.get('wall_ms'))} | {fmt(r.get('realtime_factor'), 2)}x | "
                         f"{fmt(r.get('peak_rss_kb', 0) / 1024)} |")
        for name in [n for n in rows if n.startswith("ours")]:
            ours = rows[name]
            if ours.get("status") != "ok":
                continue
            parts = []
            exact = rows.get("ours")
            if name != "ours" and exact and exact.get("status") == "ok":
                parts.append(f"vs ours (exact): encoder {ratio(ours.get('encoder_ms'), exact.get('encoder_ms'))}, "
                             f"prefill {ratio(ours.get('prefill_ms'), exact.get('prefill_ms'))}, "
                             f"first token {ratio(ours.get('first_token_ms'), exact.get('first_token_ms'))}, "
                             f"ms/token {ratio(ours.get('ms_per_token'), exact.get('ms_per_token'))}, "
                             f"total {ratio(ours.get('total_ms'), exact.get('total_ms'))}, "
                             f"peak RSS {ratio(ours.get('peak_rss_kb'), exact.get('peak_rss_kb'))}")
            if floor and ours.get("ms_per_token"):
                parts.append(f"decode vs floor {ratio(ours['ms_per_token'], floor)}")
            for peer in ("c", "official"):
                p = rows.get(peer)
                if p and p.get("status") == "ok":
                    parts.append(f"vs {peer}: total {ratio(ours.get('total_ms'), p.get('total_ms'))}, "
                                 f"ms/token {ratio(ours.get('ms_per_token'), p.get('ms_per_token'))}, "
                                 f"first token {ratio(ours.get('first_token_ms'), p.get('first_token_ms'))}, "
                                 f"wall {ratio(ours.get('wall_ms'), p.get('wall_ms'))}, "
                                 f"RSS {ratio(ours.get('peak_rss_kb'), p.get('peak_rss_kb'))}")
                    if peer == "official" and name != "ours":
                        # The bf16 target: encoder + prefill within 1.3x of the official package's (bf16).
                        mine = (ours.get("encoder_ms") or 0) + (ours.get("prefill_ms") or 0)
                        theirs = (p.get("encoder_ms") or 0) + (p.get("prefill_ms") or 0)
                        parts.append(f"encoder + prefill vs official {ratio(mine or None, theirs or None)}")
            if parts:
                lines.append("")
                lines.append(f"{'Ours' if name == 'ours' else name}: " + "; ".join(parts) + ".")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
