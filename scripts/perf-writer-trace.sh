#!/bin/bash
# Where SQLite's single writer spends its time: a runtime trace of the
# server during one `bench compare` round (orders), and the writer
# goroutine's time added up by state — running, in a syscall (fsync, pwrite),
# waiting for work or for something else, runnable without a processor —
# with the stacks it waited in most.
#
#   scripts/perf-writer-trace.sh ./jxc          # 16 clients
#   CLIENTS=4 scripts/perf-writer-trace.sh ./jxc
#
# Needs python3. The trace covers 4 s of the first round's API side (TRACE_AT=7 s
# after the start; pprof on 127.0.0.1:6061).
set -eu
BIN=$1
PORT=${PORT:-18714}; DIR=${DIR:-/tmp/jxc-perf}; C=${CLIENTS:-16}
. "$(dirname "$0")/perf-lib.sh"
perf_serve "$BIN" sqlite jxc_trace trace --pprof 127.0.0.1:6061
"$BIN" bench compare --db "$DB" --url http://127.0.0.1:$PORT --user boss --password $PW --mode order \
  --clients "$C" --duration 8s --rounds 1 --warmup 2s > "$DIR/trace.log" 2>&1 &
tool=$!
sleep "${TRACE_AT:-7}" # into the first round's API side (after 2 s warm-ups of both sides)
curl -s -o "$DIR/writer.trace" "http://127.0.0.1:6061/debug/pprof/trace?seconds=4"
wait $tool
grep -E "^order +$C +1 " "$DIR/trace.log" || true
go tool trace -d=parsed "$DIR/writer.trace" > "$DIR/writer.dump"
python3 - "$DIR/writer.dump" <<'PY'
import collections, re, sys
ev = re.compile(r'^M=\S+ P=\S+ G=\S+ StateTransition Time=(\d+) GoID=(\d+) (\w+)->(\w+)')
events, cur = [], None
for line in open(sys.argv[1]):
    if line.startswith('M='):
        if cur: events.append(cur)
        m = ev.match(line)
        cur = [int(m.group(1)), int(m.group(2)), m.group(3), m.group(4), []] if m else None
    elif cur is not None and line.startswith('\t') and not line.startswith('\t\t'):
        cur[4].append(line.strip().split(' @ ')[0])
if cur: events.append(cur)
# the writer: the goroutine that blocks most often inside store.(*DB).writer
g = collections.Counter(e[1] for e in events if e[2] == 'Running' and any('store.(*DB).writer' in f for f in e[4])).most_common(1)[0][0]
evs = sorted((e for e in events if e[1] == g), key=lambda e: e[0])
span = (max(e[0] for e in events) - min(e[0] for e in events)) / 1e9
state, where = collections.Counter(), collections.Counter()
for a, b in zip(evs, evs[1:]):
    state[a[3]] += b[0] - a[0]
    if a[2] == 'Running' and a[3] != 'Running':
        where[a[3] + '  ' + ' < '.join(f.split('/')[-1] for f in a[4][:3])] += b[0] - a[0]
print(f"writer goroutine over {span:.2f} s: " + ", ".join(f"{k} {v / 1e9:.3f} s" for k, v in state.most_common()))
for k, v in where.most_common(6):
    print(f"  {v / 1e9:.3f} s  {k}")
PY
