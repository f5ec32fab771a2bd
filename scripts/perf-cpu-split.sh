#!/bin/bash
# Where the API's time goes against raw's, per document, on PostgreSQL: the
# CPU milliseconds of PostgreSQL (every process of the postgres user), of
# the jxc server and of the load tool, for each side of one `bench compare`
# round at one client (API first, then raw, 10 s each). At one client the
# CPU of the three adds up to about the latency, so the split says which
# process the ratio is lost in.
#
#   JXC_PG=postgres://postgres@127.0.0.1:5432 scripts/perf-cpu-split.sh ./jxc order
#   JXC_PG=… scripts/perf-cpu-split.sh ./jxc receipt
#   ENGINE=sqlite CLIENTS=16 scripts/perf-cpu-split.sh ./jxc order   # SQLite (postgres then reads 0), 16 clients
#
# /proc is sampled every 0.1 s; the API side is the span in which the server
# used CPU, the raw side the 10 s after it (0.3 s trimmed at each end).
set -eu
BIN=$1; mode=${2:-order}
PORT=${PORT:-18712}; DIR=${DIR:-/tmp/jxc-perf}
. "$(dirname "$0")/perf-lib.sh"
perf_serve "$BIN" "${ENGINE:-pg}" jxc_split split
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; } # utime+stime, in clock ticks
pgticks() { s=0; for p in $(pgrep -u postgres || true); do s=$((s + $(ticks "$p"))); done; echo $s; }
args=(--db "$DB" --url http://127.0.0.1:$PORT --user boss --password $PW --mode "$mode" --clients "${CLIENTS:-1}" --rounds 1 --warmup 0)
"$BIN" bench compare "${args[@]}" --duration 1s > "$DIR/split-warm.log" 2>&1 # restocks, warms both sides
"$BIN" bench compare "${args[@]}" --duration 10s > "$DIR/split.log" 2>&1 &
tool=$!
while kill -0 $tool 2>/dev/null; do echo "$(date +%s.%N) $(pgticks) $(ticks $pid) $(ticks $tool)"; sleep 0.1; done > "$DIR/split.samples"
wait $tool
grep -E "^$mode +${CLIENTS:-1} +1 " "$DIR/split.log"
python3 - "$DIR/split.samples" "$DIR/split.log" "$mode" "$(getconf CLK_TCK)" "${CLIENTS:-1}" <<'EOF'
import sys
S = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 4]
rates = {p[3]: float(p[4]) for p in (l.split() for l in open(sys.argv[2])) if len(p) > 5 and p[0] == sys.argv[3] and p[1] == sys.argv[5] and p[2] == '1'}
hz = float(sys.argv[4])
busy = [i for i in range(1, len(S)) if S[i][2] > S[i - 1][2] + 1]  # the server working: the API side
a, b = S[busy[0] - 1], S[busy[-1]]
t0 = b[0] + 0.3
r = [s for s in S if t0 <= s[0] <= t0 + 9.4]
def show(side, x, y):
    docs = rates[side] * (y[0] - x[0])
    ms = lambda i: (y[i] - x[i]) * 1000 / hz / docs
    print(f"{side}: {rates[side]:.1f} docs/s, CPU ms per document: postgres {ms(1):.2f}, jxc {ms(2):.2f}, tool {ms(3):.2f}; latency {1000 / rates[side]:.2f} ms")
show('api', a, b)
show('raw', r[0], r[-1])
EOF
