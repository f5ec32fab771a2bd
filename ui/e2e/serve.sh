#!/bin/sh
# Builds jxc with the current ui/dist and serves it on a fresh database with
# the demo company, for the browser tests. The database and the binary are
# named by the port, so two runs on different ports (JXC_E2E_PORT) do not
# wipe each other's database or replace each other's binary.
set -e
port="$1"
out="$(dirname "$0")/output"
mkdir -p "$out"
db="$out/e2e-$port.db"
rm -f "$db" "$db-wal" "$db-shm"
backups="$out/backups-$port" # scheduled backups: the first is made at start
rm -rf "$backups"
(cd "$(dirname "$0")/../.." && go build -o "ui/e2e/output/jxc-$port" ./cmd/jxc)
exec "$out/jxc-$port" serve --demo --db "$db" --addr "127.0.0.1:$port" --log-format text --log-level warn --backup-dir "$backups"
