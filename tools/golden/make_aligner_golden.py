#!/usr/bin/env python3
"""Golden fixtures for the Java forced aligner, produced by the official `qwen-asr` package.

Runs `Qwen3ForcedAligner.align` (transformers backend, torch CPU, float32, one sample per call) on a
synthetic aligner directory (tools/make-checkpoint.sh --preset tiny-aligner) for several
(audio, text, language) cases and records what the official code computed (docs/model.md 7):

* the unit list and the aligner input ids (captured with a pre-hook on the thinker);
* the raw class ids at the <timestamp> positions (argmax of the captured head output, checked to be
  what `align` itself used) and the top-1/top-2 gap at each of them;
* the repaired timestamps `align` returned (seconds);
* a few full rows of head logits (float32 files).

Nothing of the model or of the alignment is re-implemented here: tensors come from hooks on the official
modules and the timestamps are `align`'s own return value.
"""
import argparse
import hashlib
import importlib.metadata as md
import json
import os
import platform
import sys
import time

import numpy as np
import torch

TIMESTAMP_ID = 151705

# name -> (audio file relative to the shared folder, text or "@file" relative to shared, language, reversed audio)
CASES = {
    "jfk_english": ("data/audio/jfk.wav", "@data/audio/jfk.txt", "English", False),
    "jfk_english_reversed": ("data/audio/jfk.wav", "@data/audio/jfk.txt", "English", True),
    "test_speech_chinese": ("data/audio/test_speech.wav", "甚至出现交易几乎停滞的情况。", "Chinese", False),
    "test_speech_mixed": ("data/audio/test_speech.wav", "hello世界 test, it's 2026!", "English", False),
    "test_speech_no_units": ("data/audio/test_speech.wav", "... !!! ?", "English", False),
    "test_speech_japanese": ("data/audio/test_speech.wav", "今日は良い天気ですね。東京へ行きます。", "Japanese", False),
    "test_speech_korean": ("data/audio/test_speech.wav", "안녕하세요 오늘은 날씨가 좋습니다. 대한민국 서울", "Korean", False),
}

LOGIT_ROWS = 2  # full logits rows kept per case: the first and the last <timestamp> position


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def versions():
    names = ["qwen-asr", "transformers", "torch", "tokenizers", "numpy", "librosa", "nagisa", "soynlp"]
    v = {n: md.version(n) for n in names}
    v["python"] = platform.python_version()
    return v


def float_list(values):
    return [float(v) for v in np.asarray(values, dtype=np.float32)]


class Capture:
    """Pre-hook on the thinker (input ids) and forward hook on the head (logits of the single pass)."""

    def __init__(self, aligner):
        thinker = aligner.model.thinker
        self.input_ids = None
        self.logits = None
        thinker.register_forward_pre_hook(self._on_thinker, with_kwargs=True)
        thinker.lm_head.register_forward_hook(self._on_head)

    def start(self):
        self.input_ids = None
        self.logits = None

    def _on_thinker(self, module, args, kwargs):
        self.input_ids = kwargs["input_ids"][0].tolist()

    def _on_head(self, module, args, output):
        assert self.logits is None, "expected one forward pass per align() call"
        self.logits = output[0].detach().clone().numpy()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", required=True, help="synthetic aligner directory (preset tiny-aligner)")
    ap.add_argument("--preset", required=True)
    ap.add_argument("--seed", required=True, type=int)
    ap.add_argument("--out", required=True, help="fixture directory, e.g. core/src/test/resources/golden/tiny-aligner")
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--cases", default=",".join(CASES))
    args = ap.parse_args()

    from qwen_asr import Qwen3ForcedAligner
    from qwen_asr.inference.utils import normalize_audios

    os.makedirs(args.out, exist_ok=True)
    for f in os.listdir(args.out):
        if f.endswith(".f32") or f == "manifest.json":
            os.remove(os.path.join(args.out, f))

    weights = sorted(f for f in os.listdir(args.model) if f.endswith(".safetensors"))
    digests = {f: sha256(os.path.join(args.model, f)) for f in weights}
    t0 = time.time()
    aligner = Qwen3ForcedAligner.from_pretrained(args.model, dtype=torch.float32, device_map="cpu")
    load_seconds = time.time() - t0
    thinker = aligner.model.thinker
    assert all(p.dtype == torch.float32 for p in aligner.model.parameters()), "model is not entirely float32"
    classes = int(thinker.lm_head.weight.shape[0])
    assert classes != int(thinker.model.embed_tokens.weight.shape[0]), "head is the vocabulary head, not the aligner's"
    attn_impl = aligner.model.config._attn_implementation
    log(f"loaded in {load_seconds:.1f} s, {classes} classes, attention {attn_impl}")
    cap = Capture(aligner)

    manifest = {
        "format_version": 1,
        "preset": args.preset,
        "seed": args.seed,
        "weights_sha256": digests,
        "versions": versions(),
        "reference": {
            "entry_point": "Qwen3ForcedAligner.from_pretrained(dir, dtype=torch.float32, device_map='cpu')"
                           ".align(audio=(samples, 16000), text=text, language=language)",
            "attn_implementation": attn_impl,
            "torch_threads": torch.get_num_threads(),
            "timestamp_token_id": aligner.timestamp_token_id,
            "timestamp_segment_time": aligner.timestamp_segment_time,
            "classes": classes,
        },
        "cases": [],
    }

    for name in [c for c in args.cases.split(",") if c]:
        audio_rel, text, language, reverse = CASES[name]
        if text.startswith("@"):
            with open(os.path.join(args.shared, text[1:]), encoding="utf-8") as f:
                text = f.read().strip()
        samples = normalize_audios(os.path.join(args.shared, audio_rel))[0]
        if reverse:
            samples = np.ascontiguousarray(samples[::-1])
        cap.start()
        t0 = time.time()
        with torch.no_grad():
            result = aligner.align(audio=(samples, 16000), text=text, language=language)[0]
        secs = time.time() - t0
        units, _ = aligner.aligner_processor.encode_timestamp(text, language)
        ids = cap.input_ids
        logits = cap.logits
        positions = [p for p, i in enumerate(ids) if i == TIMESTAMP_ID]
        raw_classes = [int(np.argmax(logits[p])) for p in positions]
        gaps = []
        for p in positions:
            order = np.argsort(-logits[p], kind="stable")[:2]
            gaps.append(logits[p][order[0]] - logits[p][order[1]])
        # the repair of the official code on these raw classes must give what align() returned
        fixed = aligner.aligner_processor.fix_timestamp(np.asarray(raw_classes, dtype=np.float32) * 80.0)
        starts = [it.start_time for it in result]
        ends = [it.end_time for it in result]
        assert [it.text for it in result] == units
        assert starts == [round(fixed[2 * k] / 1000.0, 3) for k in range(len(units))]
        assert ends == [round(fixed[2 * k + 1] / 1000.0, 3) for k in range(len(units))]

        rows = sorted({positions[0], positions[-1]})[:LOGIT_ROWS]
        file = f"{name}.logits.f32"
        with open(os.path.join(args.out, file), "wb") as f:
            f.write(np.ascontiguousarray(logits[rows], dtype="<f4").tobytes())
        case = {
            "name": name,
            "audio": {"location": "shared", "path": audio_rel, "reversed": reverse},
            "samples": int(samples.shape[0]),
            "text": text,
            "language": language,
            "units": units,
            "input_ids": ids,
            "timestamp_positions": positions,
            "raw_classes": raw_classes,
            "gaps": float_list(gaps),
            "gap_min": float(np.min(np.asarray(gaps, dtype=np.float32))),
            "repaired_ms": [int(v) for v in fixed],
            "items": [{"text": it.text, "start": it.start_time, "end": it.end_time} for it in result],
            "logits": {"file": file, "shape": [len(rows), classes], "positions": rows},
            "seconds": round(secs, 2),
        }
        manifest["cases"].append(case)
        log(f"{name}: {len(units)} units, classes {raw_classes[:12]}..., gap_min {case['gap_min']:.3g}, {secs:.1f} s")

    by_name = {c["name"]: c for c in manifest["cases"]}
    checks = {}
    if "jfk_english" in by_name and "jfk_english_reversed" in by_name:
        a, b = by_name["jfk_english"]["raw_classes"], by_name["jfk_english_reversed"]["raw_classes"]
        checks["jfk_reversed_same_class_positions"] = sum(x == y for x, y in zip(a, b))
        checks["jfk_timestamp_positions"] = len(a)
    checks["distinct_raw_classes"] = {c["name"]: len(set(c["raw_classes"])) for c in manifest["cases"]}
    manifest["checks"] = checks
    manifest["timing_seconds"] = {"load": round(load_seconds, 2)}
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, ensure_ascii=True)
        f.write("\n")
    log(json.dumps(checks))


if __name__ == "__main__":
    main()
