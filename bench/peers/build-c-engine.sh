#!/usr/bin/env bash
# Builds the C engine (antirez/qwen-asr, `make blas` with OpenBLAS) OUTSIDE this repository, for the
# benchmark harness (bench/run.py --c-engine). Its code is never copied into this repository.
#
#   bench/peers/build-c-engine.sh --out DIR [--src DIR | --git URL] [--rev REV] [--cap-tokens]
#
#   --out DIR      build folder (a copy of the sources is made there); the binary is DIR/qwen_asr
#   --src DIR      an existing checkout of the C engine (used when there is no network)
#   --git URL      clone from URL (default https://github.com/antirez/qwen-asr)
#   --rev REV      check out REV after cloning/copying (default: as is)
#   --cap-tokens   make the offline decode limit (a fixed 2048 in upstream) read the environment
#                  variable QWEN_MAX_NEW_TOKENS, in the build copy only, so a random-weight model
#                  (which never emits end-of-text) decodes exactly as many tokens as our engine
#                  with --max-new-tokens. Without it the C engine decodes up to 2048 tokens.
#
# Needs gcc, make and the OpenBLAS headers (Debian/Ubuntu: apt-get install libopenblas-dev).
# Debian's OpenBLAS picks its kernels at run time; on some CPUs it misdetects the core and falls back
# to slow generic kernels: run.py sets OPENBLAS_CORETYPE (option --openblas-coretype, e.g. SkylakeX
# on AVX-512 Intel, Haswell or Zen on AVX2-only CPUs). Check with: OPENBLAS_VERBOSE=2 DIR/qwen_asr -h
set -euo pipefail

out="" src="" url="https://github.com/antirez/qwen-asr" rev="" cap=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --src) src="$2"; shift 2 ;;
    --git) url="$2"; shift 2 ;;
    --rev) rev="$2"; shift 2 ;;
    --cap-tokens) cap=1; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 1 ;;
  esac
done
[ -n "$out" ] || { echo "--out DIR is required" >&2; exit 1; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
case "$out/" in "$repo_root"/*) echo "refusing to build inside this repository: $out" >&2; exit 1 ;; esac

if [ -n "$src" ]; then
  rm -rf "$out/src"
  git clone -q "$src" "$out/src" 2>/dev/null || cp -r "$src" "$out/src"
elif [ ! -d "$out/src/.git" ]; then
  git clone -q "$url" "$out/src"
fi
cd "$out/src"
if [ -n "$rev" ]; then git checkout -q "$rev"; fi
git checkout -q -- qwen_asr.c 2>/dev/null || true

if [ "$cap" = 1 ]; then
  # Upstream has no flag for the offline decode limit: the build copy reads it from the environment.
  grep -q 'int max_tokens = 2048;' qwen_asr.c || { echo "cannot find the decode limit to patch in qwen_asr.c" >&2; exit 1; }
  sed -i 's|int max_tokens = 2048;|int max_tokens = getenv("QWEN_MAX_NEW_TOKENS") ? atoi(getenv("QWEN_MAX_NEW_TOKENS")) : 2048;|' qwen_asr.c
  grep -q '#include <stdlib.h>' qwen_asr.c || sed -i '1i #include <stdlib.h>' qwen_asr.c
fi

make -s blas >/dev/null
echo "$out/src/qwen_asr"
( cd "$out/src" && echo "rev $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$([ "$cap" = 1 ] && echo ', decode cap from QWEN_MAX_NEW_TOKENS')" ) > "$out/BUILD-INFO"
ln -sf "$out/src/qwen_asr" "$out/qwen_asr"
