#!/usr/bin/env bash
# Generates a synthetic (random-weight) Qwen3-ASR model directory in the real checkpoint layout.
#   tools/make-checkpoint.sh --preset tiny|0.6b|1.7b|tiny-aligner|aligner --seed N --out DIR [--shards K] [--shared DIR] [--sha256]
# Builds the tools module with Maven when its jar is missing or older than its sources.
# Keep generated models outside the repository (e.g. ../models/tiny-1234).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

# The project's JDK finder: sets JAVA_HOME to a JDK >= 25 (JAVA_HOME, /usr/lib/jvm/*, PATH) or exits.
source "$root/bin/find-java"

jar="$(ls "$here"/target/qwen-asr-tools-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -n 1 || true)"
if [ -z "$jar" ] || [ -n "$(find "$here/src/main" -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
  echo "building the tools module..." >&2
  (cd "$root" && mvn -q -pl tools package -DskipTests)
  jar="$(ls "$here"/target/qwen-asr-tools-*.jar | grep -v -e sources -e javadoc | head -n 1)"
fi

shared_args=()
case " $* " in
  *" --shared "*) ;;
  *) shared_args=(--shared "$root/../shared") ;;
esac

exec java -cp "$jar" io.github.qwenasr.tools.SyntheticCheckpoint "${shared_args[@]}" "$@"
