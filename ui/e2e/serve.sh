#!/bin/sh
# Builds jxc with the current ui/dist and serves it on a fresh database with
# the demo company, for the browser tests.
set -e
port="$1"
out="$(dirname "$0")/output"
mkdir -p "$out"
rm -f "$out"/e2e.db "$out"/e2e.db-wal "$out"/e2e.db-shm
(cd "$(dirname "$0")/../.." && go build -o ui/e2e/output/jxc ./cmd/jxc)
exec "$out/jxc" serve --demo --db "$out/e2e.db" --addr "127.0.0.1:$port" --log-format text --log-level warn
