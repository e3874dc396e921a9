#!/usr/bin/env bash
# Builds (once) and runs the in-memory MongoDB-wire server of Main.java on 127.0.0.1:${1:-27018}.
# Needs Java 17+ and Maven (dependencies from Maven Central). For `BENCH_MONGO_URL`, see README.md.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d target/dependency ] || [ ! -f target/classes/Main.class ]; then
  mvn -q -B package dependency:copy-dependencies
fi
exec java -cp "target/classes:target/dependency/*" Main "${1:-27018}"
