#!/usr/bin/env bash
# Makes the synthetic (random-weight, real-layout) models the benchmarks run on, with the tools
# module's SyntheticCheckpoint (tools/make-checkpoint.sh builds the tools jar when needed).
#
#   bench/make-models.sh [--preset 0.6b|1.7b] [--seed 1234] [--out DIR]
#
# Default: --preset 0.6b --seed 1234 --out ../models/0.6b-1234 (relative to the repository root;
# keep models outside the repository). An existing model directory is left alone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
preset=0.6b seed=1234 out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --preset) preset="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 1 ;;
  esac
done
[ -n "$out" ] || out="$root/../models/$preset-$seed"
if [ -f "$out/config.json" ] && ls "$out"/*.safetensors >/dev/null 2>&1; then
  echo "$out already exists" >&2
  exit 0
fi
mkdir -p "$(dirname "$out")"
exec "$root/tools/make-checkpoint.sh" --preset "$preset" --seed "$seed" --out "$out"
