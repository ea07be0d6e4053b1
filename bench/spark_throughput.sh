#!/usr/bin/env bash
# Throughput of `qwen-asr batch` (BatchJob on an embedded Spark) against a plain loop of
# QwenAsr.transcribe over the same folder of clips, both with the model loaded once.
#
#   bench/spark_throughput.sh --model DIR [--clips 100] [--min-seconds 8] [--max-seconds 12]
#                             [--tokens 40] [--threads 2] [--master local[2]] [--jobs 1,2] [--work DIR]
#
# Clips are cut from ../shared/data/audio. A synthetic model decodes exactly --tokens tokens per clip
# (its random weights never stop by themselves): 40 for a 10 s clip is about the text of real speech.
# Prints a markdown table; see bench/README.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"
source bin/find-java
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
mvn -B -q -ntp -pl spark -am test-compile >&2
cp_file="$root/spark/target/bench-classpath.txt"
mvn -B -q -ntp -pl spark dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
# The engine's flags and Spark's module options, as the launcher gives `qwen-asr batch`.
spark_flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' spark/pom.xml)
# shellcheck disable=SC2086  # the flag list is split on purpose
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m \
    -XX:+UseG1GC -XX:GCTimeRatio=4 $spark_flags -Dqwenasr.shared="$root/../shared" \
    -Dlog4j2.configurationFile=qwen-asr-batch-log4j2.properties \
    -cp "spark/target/test-classes:spark/target/classes:core/target/classes:align/target/classes:$(cat "$cp_file")" \
    io.github.qwenasr.spark.ThroughputBench "$@" 2> >(grep -v '^WARNING: Using incubator modules' >&2)
