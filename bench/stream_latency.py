#!/usr/bin/env python3
"""Streaming cost over stream length: runs `qwen-asr --stream --debug` on a long WAV and reports
the wall time of the steps around given points of the stream (default 10 s, 60 s, 600 s), the
whole run's peak RSS, and writes every step's time as JSON. Python 3 standard library only.

usage: bench/stream_latency.py MODEL_DIR WAV [--at 10,60,600] [--span 10] [--chunk 2]
                               [--threads 2] [--jar PATH] [--out results/stream-latency.json]

Each figure is the median of the steps whose audio end lies in [point - span, point + span) s.
Make a long input with bench/make_long_audio.py (e.g. 11 minutes).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
STEP = re.compile(r"^Stream step (\d+): (\d+) ms \((\d+(?:\.\d+)?) s of audio in\)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model")
    ap.add_argument("wav")
    ap.add_argument("--at", default="10,60,600")
    ap.add_argument("--span", type=float, default=10)
    ap.add_argument("--chunk", type=float, default=2.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--jar", help="run this CLI jar instead of bin/qwen-asr")
    ap.add_argument("--java-home", default=os.environ.get("JAVA_HOME"), help="JDK >= 25 for --jar")
    ap.add_argument("--out", default=os.path.join(BENCH, "results", "stream-latency.json"))
    a = ap.parse_args()
    if a.jar:
        java = os.path.join(a.java_home, "bin", "java") if a.java_home else "java"
        # The launcher's JVM flags (bin/qwen-asr), so RSS figures match what users get.
        cmd = [java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
               "-XX:+UseG1GC", "-XX:GCTimeRatio=4",
                         "-XX:MaxHeapFreeRatio=20", "-XX:MinHeapFreeRatio=5", "-Xss4m", "-jar", a.jar]
    else:
        cmd = [os.path.join(ROOT, "bin", "qwen-asr")]
    cmd += ["-d", a.model, "-i", a.wav, "--stream", "--stream-chunk-sec", str(a.chunk), "-t", str(a.threads),
            "--debug"]
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").splitlines()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("error: qwen-asr exited with %d: %s" % (code, lines[-1] if lines else ""))
    steps = []
    for line in lines:
        m = STEP.match(line)
        if m:
            steps.append({"step": int(m.group(1)), "ms": int(m.group(2)), "audio_s": float(m.group(3))})
    if not steps:
        sys.exit("error: no 'Stream step' lines in the output (is --stream supported by this build?)")
    points = []
    for p in (float(x) for x in a.at.split(",")):
        near = [s["ms"] for s in steps if p - a.span <= s["audio_s"] < p + a.span]
        points.append({"at_s": p, "steps": len(near), "median_ms": statistics.median(near) if near else None,
                       "max_ms": max(near) if near else None})
    result = {"model": os.path.basename(os.path.normpath(a.model)), "wav": os.path.basename(a.wav),
              "chunk_s": a.chunk, "threads": a.threads, "steps": len(steps),
              "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "points": points, "all_steps": steps}
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
    print("| stream position | steps | median ms/step | max ms/step | chunk |")
    print("|---|---|---|---|---|")
    for p in points:
        med = "-" if p["median_ms"] is None else "%.0f" % p["median_ms"]
        mx = "-" if p["max_ms"] is None else "%d" % p["max_ms"]
        print("| %.0f s | %d | %s | %s | %.1f s |" % (p["at_s"], p["steps"], med, mx, a.chunk))
    print("peak RSS %.0f MB over %d steps; all steps in %s" % (result["peak_rss_mb"], len(steps), a.out))


if __name__ == "__main__":
    main()
