#!/usr/bin/env python3
"""Golden speech probabilities and speech regions from the official `silero-vad` package.

Writes, from the repository root:

* the 16 kHz weights the Java `SileroVad` loads, taken from the package's default model
  (`load_silero_vad()`, its TorchScript file, 16 kHz branch) and stored as safetensors with the
  tensor names and shapes of the package's own `silero_vad_16k.safetensors`
  (core/src/main/resources/io/github/qwenasr/vad/silero_vad_16k.safetensors);
* per clip of ../shared/data/audio and two synthetic inputs (digital silence, white noise): the
  package's per-frame speech probabilities (f32 little-endian, one per 512-sample frame) and the
  regions of `get_speech_timestamps` under several option sets
  (core/src/test/resources/golden/vad/).

The package also ships `silero_vad_16k.safetensors`, but its tensors are not the ones its
reference models (TorchScript and ONNX) use: run through the same network they give other
probabilities (the manifest records by how much), so the Java engine ships the reference's
weights instead.

Usage (venv outside the repository with silero-vad, torch, onnxruntime, numpy):
    ../venv/bin/python tools/golden/make_vad_golden.py [--shared ../shared]
"""
import argparse
import hashlib
import json
import os
import platform
import struct
import sys
import wave
from importlib import metadata, resources

import numpy as np
import torch

import silero_vad

FRAME = 512
RATE = 16000

# Tensor names of the package's silero_vad_16k.safetensors -> names in the reference model.
WEIGHT_NAMES = [
    ("stft_conv.weight", "stft.forward_basis_buffer"),
    ("conv1.weight", "encoder.0.reparam_conv.weight"),
    ("conv1.bias", "encoder.0.reparam_conv.bias"),
    ("conv2.weight", "encoder.1.reparam_conv.weight"),
    ("conv2.bias", "encoder.1.reparam_conv.bias"),
    ("conv3.weight", "encoder.2.reparam_conv.weight"),
    ("conv3.bias", "encoder.2.reparam_conv.bias"),
    ("conv4.weight", "encoder.3.reparam_conv.weight"),
    ("conv4.bias", "encoder.3.reparam_conv.bias"),
    ("lstm_cell.weight_ih", "decoder.rnn.weight_ih"),
    ("lstm_cell.weight_hh", "decoder.rnn.weight_hh"),
    ("lstm_cell.bias_ih", "decoder.rnn.bias_ih"),
    ("lstm_cell.bias_hh", "decoder.rnn.bias_hh"),
    ("final_conv.weight", "decoder.decoder.2.weight"),
    ("final_conv.bias", "decoder.decoder.2.bias"),
]

# get_speech_timestamps option sets; the Java test runs the same ones (names are the keys).
OPTION_SETS = {
    "defaults": {},
    # Long regions cut at the longest inner silence, and pads wider than half the gaps.
    "max4s_pad200": {"max_speech_duration_s": 4.0, "min_silence_duration_ms": 300, "speech_pad_ms": 200},
    # The older cut rule (last silence), short minimum speech, a higher threshold.
    "legacy_cut": {"threshold": 0.6, "max_speech_duration_s": 3.0, "min_speech_duration_ms": 100,
                   "use_max_poss_sil_at_max_speech": False},
}

NOISE_SEED = 1234
NOISE_AMPLITUDE = 0.25


def lcg_noise(n, seed, amplitude):
    """Uniform white noise from a 32-bit LCG that Java reproduces bit for bit."""
    out = np.empty(n, dtype=np.float32)
    s = seed
    for i in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = np.float32((s >> 8) / 16777216.0 * 2.0 - 1.0) * np.float32(amplitude)
    return out


def read_wav_16k_pcm16(path):
    with wave.open(path, "rb") as w:
        if w.getframerate() != RATE or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise SystemExit(f"{path}: expected 16 kHz mono 16-bit PCM")
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    # The engine's WAV decoder gives s / 32768 for 16-bit PCM: the same float32 values.
    return pcm.astype(np.float32) / np.float32(32768.0)


def frame_probabilities(model, audio):
    """Per-frame probabilities exactly as get_speech_timestamps computes them."""
    model.reset_states()
    probs = []
    for start in range(0, len(audio), FRAME):
        chunk = audio[start:start + FRAME]
        if len(chunk) < FRAME:
            chunk = np.pad(chunk, (0, FRAME - len(chunk)))
        probs.append(model(torch.from_numpy(np.ascontiguousarray(chunk)), RATE).item())
    return np.array(probs, dtype=np.float32)


def regions(model, audio):
    out = {}
    for name, opts in OPTION_SETS.items():
        found = silero_vad.get_speech_timestamps(torch.from_numpy(audio), model, sampling_rate=RATE, **opts)
        out[name] = [[int(r["start"]), int(r["end"])] for r in found]
    return out


def sha256_bytes(b):
    return hashlib.sha256(b).hexdigest()


def write_safetensors(path, tensors, metadata_fields):
    header = {"__metadata__": metadata_fields}
    offset = 0
    blobs = []
    for name, array in tensors:
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # data starts 8-byte aligned, as the format recommends
    content = struct.pack("<Q", len(text)) + text + b"".join(blobs)
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        f.write(content)
    os.replace(tmp, path)
    return content


def read_safetensors(path):
    with open(path, "rb") as f:
        b = f.read()
    n = struct.unpack("<Q", b[:8])[0]
    header = json.loads(b[8:8 + n])
    base = 8 + n
    return {k: np.frombuffer(b[base + v["data_offsets"][0]:base + v["data_offsets"][1]], dtype="<f4").reshape(v["shape"])
            for k, v in header.items() if k != "__metadata__"}, b


def package_file(name):
    return str(resources.files("silero_vad.data").joinpath(name))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default="../shared", help="shared folder with data/audio (default ../shared)")
    ap.add_argument("--out", default="core/src/test/resources/golden/vad")
    ap.add_argument("--weights-out", default="core/src/main/resources/io/github/qwenasr/vad/silero_vad_16k.safetensors")
    args = ap.parse_args()

    version = metadata.version("silero-vad")
    torch.set_num_threads(1)
    jit = silero_vad.load_silero_vad()  # the package's default reference: TorchScript
    onnx = silero_vad.load_silero_vad(onnx=True)
    state = jit._model.state_dict()

    # 1. Weights of the reference model, in the package's safetensors layout.
    tensors = [(ours, state[ref].detach().numpy().astype(np.float32)) for ours, ref in WEIGHT_NAMES]
    jit_bytes = open(package_file("silero_vad.jit"), "rb").read()
    os.makedirs(os.path.dirname(args.weights_out), exist_ok=True)
    content = write_safetensors(args.weights_out, tensors, {
        "source": f"silero-vad {version}, silero_vad.jit (load_silero_vad()), 16 kHz model",
        "source_sha256": sha256_bytes(jit_bytes),
        "license": "MIT, Copyright (c) 2020-present Silero Team",
    })
    written, _ = read_safetensors(args.weights_out)
    for ours, ref in WEIGHT_NAMES:
        if not np.array_equal(written[ours], state[ref].numpy()):
            raise SystemExit(f"written tensor {ours} differs from {ref}")

    # The package's own safetensors: same names and shapes, other values (checked below).
    pkg_st, pkg_bytes = read_safetensors(package_file("silero_vad_16k.safetensors"))
    if sorted(pkg_st) != sorted(n for n, _ in WEIGHT_NAMES):
        raise SystemExit("package safetensors has other tensor names: " + ", ".join(sorted(pkg_st)))
    for ours, ref in WEIGHT_NAMES:
        if list(pkg_st[ours].shape) != list(state[ref].shape):
            raise SystemExit(f"package safetensors {ours} has shape {pkg_st[ours].shape}")
    pkg_model = silero_vad.load_silero_vad()
    with torch.no_grad():
        pkg_state = pkg_model._model.state_dict()
        for ours, ref in WEIGHT_NAMES:
            pkg_state[ref].copy_(torch.from_numpy(pkg_st[ours].copy()))

    # 2. Inputs: the shared clips, then synthetic silence and noise.
    audio_dir = os.path.join(args.shared, "data", "audio")
    clips = []
    for fname in sorted(os.listdir(audio_dir)):
        if fname.endswith(".wav"):
            path = os.path.join(audio_dir, fname)
            clips.append({"name": fname[:-4], "input": {"location": "shared", "path": "data/audio/" + fname,
                                                      "sha256": sha256_bytes(open(path, "rb").read())},
                          "audio": read_wav_16k_pcm16(path)})
    clips.append({"name": "silence_2s", "input": {"location": "generated", "kind": "zeros", "samples": 2 * RATE},
                  "audio": np.zeros(2 * RATE, dtype=np.float32)})
    clips.append({"name": "white_noise_5s", "input": {"location": "generated", "kind": "lcg_uniform_noise",
                                                      "samples": 5 * RATE, "seed": NOISE_SEED,
                                                      "amplitude": NOISE_AMPLITUDE,
                                                      "generator": "s = (s*1664525 + 1013904223) mod 2^32; "
                                                                   "x = f32((s>>8)/2^24*2-1) * amplitude"},
                   "audio": lcg_noise(5 * RATE, NOISE_SEED, NOISE_AMPLITUDE)})

    os.makedirs(args.out, exist_ok=True)
    entries = []
    worst_onnx = worst_pkg = 0.0
    for clip in clips:
        audio = clip["audio"]
        probs = frame_probabilities(jit, audio)
        onnx_probs = frame_probabilities(onnx, audio)
        pkg_probs = frame_probabilities(pkg_model, audio)
        onnx_diff = float(np.abs(onnx_probs - probs).max()) if len(probs) else 0.0
        pkg_diff = float(np.abs(pkg_probs - probs).max()) if len(probs) else 0.0
        if onnx_diff > 1e-5:
            raise SystemExit(f"{clip['name']}: ONNX and TorchScript references differ by {onnx_diff}")
        worst_onnx, worst_pkg = max(worst_onnx, onnx_diff), max(worst_pkg, pkg_diff)
        file = clip["name"] + ".probs.f32"
        probs.astype("<f4").tofile(os.path.join(args.out, file))
        entries.append({
            "name": clip["name"], "input": clip["input"], "samples": int(len(audio)), "frames": int(len(probs)),
            "probabilities": file, "max_probability": float(probs.max()) if len(probs) else 0.0,
            "onnx_max_abs_diff": onnx_diff, "package_safetensors_max_abs_diff": pkg_diff,
            "regions": regions(jit, audio),
        })
        print(f"{clip['name']}: {len(probs)} frames, {len(entries[-1]['regions']['defaults'])} regions, "
              f"onnx diff {onnx_diff:.2e}, package safetensors diff {pkg_diff:.3f}", file=sys.stderr)

    manifest = {
        "format_version": 1,
        "package": {"name": "silero-vad", "version": version},
        "versions": {"silero-vad": version, "torch": torch.__version__, "onnxruntime": metadata.version("onnxruntime"),
                     "numpy": np.__version__, "python": platform.python_version()},
        "reference": {
            "model": "silero_vad.load_silero_vad() (TorchScript silero_vad.jit), 16 kHz",
            "probabilities": "model.reset_states(); model(chunk, 16000) per 512-sample chunk, last chunk zero-padded "
                             "(as get_speech_timestamps)",
            "regions": "silero_vad.get_speech_timestamps(audio, model, sampling_rate=16000, **options), in samples",
            "onnx_check": "silero_vad.load_silero_vad(onnx=True) gives the same probabilities within "
                          f"{worst_onnx:.2e} on these inputs",
        },
        "frame_samples": FRAME,
        "sample_rate": RATE,
        "weights": {
            "resource": "io/github/qwenasr/vad/silero_vad_16k.safetensors",
            "sha256": sha256_bytes(content),
            "source": "silero_vad.jit of the package",
            "source_sha256": sha256_bytes(jit_bytes),
            "package_safetensors_sha256": sha256_bytes(pkg_bytes),
            "package_safetensors_note": "the package's silero_vad_16k.safetensors has the same names and shapes but "
                                        "other values; run through the reference network it differs from the "
                                        f"reference by up to {worst_pkg:.3f} in probability on these inputs",
        },
        "option_sets": OPTION_SETS,
        "clips": entries,
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
