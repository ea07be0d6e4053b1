#!/usr/bin/env python3
"""Writes a long 16 kHz mono WAV by concatenating the shared speech clips in a fixed order,
repeated until the requested length, then cut to it exactly (MODES long-audio checks).

usage: bench/make_long_audio.py MINUTES OUT.wav [--audio-dir ../shared/data/audio]
"""
import argparse
import os
import sys
import wave

RATE = 16000


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("minutes", type=float)
    ap.add_argument("out")
    ap.add_argument("--audio-dir", default=os.path.join(here, "..", "..", "shared", "data", "audio"))
    a = ap.parse_args()
    if not a.minutes > 0:
        sys.exit("error: minutes must be positive")
    names = sorted(n for n in os.listdir(a.audio_dir) if n.endswith(".wav"))
    if not names:
        sys.exit("error: no .wav clips in " + a.audio_dir)
    clips = []
    for n in names:
        with wave.open(os.path.join(a.audio_dir, n)) as w:
            if (w.getframerate(), w.getnchannels(), w.getsampwidth()) != (RATE, 1, 2):
                continue
            clips.append(w.readframes(w.getnframes()))
    want = int(a.minutes * 60 * RATE) * 2
    tmp = a.out + ".part"
    with wave.open(tmp, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        written = 0
        i = 0
        while written < want:
            chunk = clips[i % len(clips)][: want - written]
            out.writeframes(chunk)
            written += len(chunk)
            i += 1
    os.replace(tmp, a.out)
    print(f"{a.out}: {written // 2 / RATE:.1f} s from {i} clips")


if __name__ == "__main__":
    main()
