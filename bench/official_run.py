#!/usr/bin/env python3
"""Times the official `qwen-asr` package (transformers backend, torch CPU) on one clip, as a peer of
bench/run.py. Needs a Python environment with `qwen-asr` installed (not needed by CI or by the
other engines); run.py calls it with --official-python PATH.

  official_run.py --model DIR --audio WAV [--dtype bfloat16|float32] [--max-new-tokens N]
                  [--threads N] [--repeats N]

Prints one JSON object on stdout:
  load_ms, and per repeat {mel_ms (audio preprocessing up to the encoder), encoder_ms, prefill_ms
  (encoder end to the first logits), first_token_ms (call start to the first logits), decode_ms,
  decode_tokens (decode steps after the first token), ms_per_token, total_ms (the whole
  transcribe() call), generated, text}, peak_rss_kb of this process.
The stages are timed with forward hooks on the audio tower and the LM head, so no model code changes.
"""
import argparse
import json
import os
import resource
import sys
import time
import wave


def read_wav_float(path):
    import numpy as np
    with wave.open(path, "rb") as w:
        if w.getsampwidth() != 2:
            sys.exit(f"{path}: only 16-bit PCM WAV is supported here")
        rate, channels = w.getframerate(), w.getnchannels()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        pcm = pcm.reshape(-1, channels).mean(axis=1)
    return pcm, rate


class StageClock:
    """Forward hooks that stamp the encoder start/end and every LM-head call of one transcribe()."""

    def __init__(self, asr):
        thinker = asr.model.thinker
        self.reset()
        thinker.audio_tower.register_forward_pre_hook(lambda m, a: self._stamp("enc_start"))
        thinker.audio_tower.register_forward_hook(lambda m, a, o: self._stamp("enc_end"))
        thinker.lm_head.register_forward_hook(lambda m, a, o: self.head.append(time.perf_counter()))

    def reset(self):
        self.marks = {}
        self.head = []

    def _stamp(self, name):
        # Long audio runs the tower once per chunk: keep the first start and the last end.
        now = time.perf_counter()
        if name == "enc_start":
            self.marks.setdefault(name, now)
        else:
            self.marks[name] = now


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--audio", required=True)
    ap.add_argument("--dtype", default="bfloat16", choices=["bfloat16", "float32"])
    ap.add_argument("--max-new-tokens", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()

    import torch
    torch.set_num_threads(args.threads)
    from qwen_asr import Qwen3ASRModel

    t0 = time.perf_counter()
    asr = Qwen3ASRModel.from_pretrained(args.model, dtype=getattr(torch, args.dtype), device_map="cpu",
                                        max_inference_batch_size=1, max_new_tokens=args.max_new_tokens)
    load_ms = 1000 * (time.perf_counter() - t0)
    clock = StageClock(asr)
    pcm, rate = read_wav_float(args.audio)

    runs = []
    for _ in range(args.repeats):
        clock.reset()
        start = time.perf_counter()
        with torch.inference_mode():
            result = asr.transcribe(audio=(pcm, rate))
        end = time.perf_counter()
        res = result[0] if isinstance(result, list) else result
        m, head = clock.marks, clock.head
        ms = lambda a, b: 1000 * (b - a)
        steps = max(0, len(head) - 1)
        decode_ms = ms(head[0], head[-1]) if head else 0.0
        runs.append({
            "mel_ms": ms(start, m["enc_start"]) if "enc_start" in m else None,
            "encoder_ms": ms(m["enc_start"], m["enc_end"]) if "enc_end" in m else None,
            "prefill_ms": ms(m["enc_end"], head[0]) if head and "enc_end" in m else None,
            "first_token_ms": ms(start, head[0]) if head else None,
            "decode_ms": decode_ms,
            "decode_tokens": steps,
            "ms_per_token": decode_ms / steps if steps else None,
            "total_ms": ms(start, end),
            "generated": len(head),
            "text": getattr(res, "text", str(res)),
        })

    print(json.dumps({
        "engine": "official",
        "dtype": args.dtype,
        "threads": args.threads,
        "max_new_tokens": args.max_new_tokens,
        "audio_seconds": len(pcm) / rate,
        "load_ms": load_ms,
        "runs": runs,
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
