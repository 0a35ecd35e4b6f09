#!/usr/bin/env bash
# Builds benchmarks.jar and runs every benchmark in sequence; extra arguments are JVM options,
# e.g. `benchmarks/run-all.sh -Dlong=true`. Reports and charts go to benchmarks/results/.
# Default sizes take about 10 minutes on 2 cores; the machine is shared, so mind the load.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -pl benchmarks -am package -DskipTests
for command in warm-call cold-lease churn density cdp-inproc cdp-evict cdp-gateway; do
  echo "=== $command"
  java "$@" -jar benchmarks/target/benchmarks.jar "$command"
done
