#!/usr/bin/env bash
# Build the benchmarks, run them all against raw sqlite-jdbc and the peers, and write
# BENCHMARKS.md (with benchmarks/results/ratios.svg).
#
#   benchmarks/run.sh            full run: 1M entries (100k at 4 KiB), every peer, ~35 minutes
#   benchmarks/run.sh --quick    20k entries, raw and PersistentDict only, under 3 minutes
#   benchmarks/run.sh --only 'get|set'    only the jobs whose name matches (see Suite.jobs)
#   benchmarks/run.sh --only pg           only the PostgreSQL jobs, on a local PostgreSQL 17 the suite
#                                         starts (persistentdict-test-postgres; no Docker), twice over
#   benchmarks/run.sh --report-only       rewrite BENCHMARKS.md from benchmarks/results/results.tsv
#   benchmarks/run.sh --quick --out /tmp/q --markdown /tmp/q.md   write elsewhere (keeps the full report)
#
# Redis (full mode only) is installed with apt-get if missing, started on 127.0.0.1 on a
# free port with a private directory, and stopped when the script exits.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
QUICK=0
for arg in "$@"; do
	[[ "$arg" == "--quick" ]] && QUICK=1
done

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
	OFFLINE=()
	[[ -d "$HOME/.m2/repository/org/openjdk/jmh/jmh-core" ]] && OFFLINE=(-o)
	./mvnw -B -q "${OFFLINE[@]}" -pl benchmarks -am package -DskipTests -Dspring-javaformat.skip=true -Pbenchmarks-jar
fi
JAR="$ROOT/benchmarks/target/benchmarks.jar"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pdbench.XXXXXX")
REDIS_PID=""
cleanup() {
	if [[ -n "$REDIS_PID" ]]; then
		kill "$REDIS_PID" 2>/dev/null || true
		wait "$REDIS_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT

PROPS=(-Dbench.dir="$WORK/data")
if [[ $QUICK == 0 && " $* " != *" --report-only "* ]]; then
	if ! command -v redis-server >/dev/null; then
		echo "Installing redis-server" >&2
		apt-get install -y redis-server >/dev/null || { apt-get update >/dev/null && apt-get install -y redis-server >/dev/null; }
	fi
	PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
	mkdir -p "$WORK/redis"
	redis-server --bind 127.0.0.1 --port "$PORT" --dir "$WORK/redis" --save "" --appendonly yes \
		--protected-mode yes --daemonize no --logfile "$WORK/redis/redis.log" &
	REDIS_PID=$!
	for _ in $(seq 50); do
		redis-cli -h 127.0.0.1 -p "$PORT" ping >/dev/null 2>&1 && break
		sleep 0.1
	done
	PROPS+=(-Dbench.redis.port="$PORT" -Dbench.redis.version="$(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/')")
fi

java -Xmx2g "${PROPS[@]}" -jar "$JAR" --out "$ROOT/benchmarks/results" --markdown "$ROOT/BENCHMARKS.md" "$@"
