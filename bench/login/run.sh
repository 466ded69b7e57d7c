#!/usr/bin/env bash
# Login benchmark: how many logins per second at the production Argon2id cost, and does a login burst starve
# proxying?
#
#   bench/login/run.sh
#
# Starts, all on loopback:
#   A  nginx upstream   GET /v1/item (206-byte JSON); bench/proxy/upstream.nginx.conf, unchanged
#   V  Vestibule        built-in identity on SQLite in the run directory (bench/login/vestibule.yaml):
#                       /api/** (auth none) and /me/** (auth required, bearer relay) -> A /v1
# registers BENCH_USERS users (POST /auth/register), logs one of them in for a session cookie, then measures with wrk:
#   (L1) POST /auth/login, one connection: the time of one login (one Argon2id verification plus the session work)
#   (L8) POST /auth/login, 8 connections: logins/s with the hashing pool full; 200 vs 503 vs other
#   (P1) /api/item alone            (P2) /api/item while a login burst (16 connections) hammers /auth/login
#   (P3) /me/item (session) alone   (P4) /me/item while the same burst runs
# and prints a table plus the proxy-during-burst / proxy-alone ratios (also written to bench/login/last-run.txt).
#
# Knobs (environment): BENCH_USERS=20 BENCH_DURATION=20 (seconds, L8 and P1-P4) BENCH_SINGLE=10 (seconds, L1)
# BENCH_LOGIN_WARMUP=10 BENCH_WARMUP=30 (seconds of proxy load before P1) BENCH_LOGIN_CONNECTIONS=8
# BENCH_PROXY_CONNECTIONS=32 BENCH_BURST_CONNECTIONS=16 BENCH_NGINX_WORKERS=1 BENCH_PORT_UPSTREAM=18181
# BENCH_PORT_VESTIBULE=18183 BENCH_KEEP=1 (keep the run directory with all logs); VESTIBULE_JAVA_OPTS reaches the JVM.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib.sh
. "$here/../lib.sh"
repo="$(cd "$here/../.." && pwd)"

USERS="${BENCH_USERS:-20}"
DURATION="${BENCH_DURATION:-20}"
SINGLE="${BENCH_SINGLE:-10}"
LOGIN_WARMUP="${BENCH_LOGIN_WARMUP:-10}"
WARMUP="${BENCH_WARMUP:-30}" # bench/proxy found the proxy path steady after ~30 s of load
LOGIN_CONNECTIONS="${BENCH_LOGIN_CONNECTIONS:-8}"
PROXY_CONNECTIONS="${BENCH_PROXY_CONNECTIONS:-32}"
BURST_CONNECTIONS="${BENCH_BURST_CONNECTIONS:-16}"
BURST_LEAD=3 # the burst starts this many seconds before the proxy run and ends this many after it (time for a
             # thread dump while it still runs)
NGINX_WORKERS="${BENCH_NGINX_WORKERS:-1}"
PORT_UPSTREAM="${BENCH_PORT_UPSTREAM:-18181}"
PORT_VESTIBULE="${BENCH_PORT_VESTIBULE:-18183}"
RESULT_FILE="$here/last-run.txt"
LOGIN_SCRIPT="$here/login.lua"

run_dir=""
pids=()
wrk_runners=()
# per run key: wrk numbers, CPU, login outcomes
declare -A rps p50 p99 mean total seconds non2xx sockerr cpu other sirq relay_note
declare -A ok ok_p50 ok_p99 ok_mean unavailable unavailable_mean others hash_ms
declare -A t_loop t_hash t_carrier t_gcjit t_rest w_loop w_hash dump_note
background_before=""
run_end=()
failures=()
register_seconds=""
pool_threads="?"

# ---------------------------------------------------------------- preflight

require_free_ports() {
  for port in "$PORT_UPSTREAM" "$PORT_VESTIBULE"; do
    if port_in_use "$port"; then
      die "port $port on 127.0.0.1 is in use; stop what uses it or set BENCH_PORT_UPSTREAM/VESTIBULE"
    fi
  done
}

# Builds outside the measured (and time-bounded) part: the launcher builds when sources are newer than the jar.
build_vestibule() {
  log "checking the Vestibule build (first use builds, ~1 min)"
  (cd "$repo" && ./vestibule version) >"$run_dir/build.log" 2>&1 || { cat "$run_dir/build.log" >&2; die "build failed"; }
}

# ---------------------------------------------------------------- processes

stop_wrk() {
  local runner
  for runner in "${wrk_runners[@]}"; do
    pkill -P "$runner" 2>/dev/null || true # the wrk it runs
    kill "$runner" 2>/dev/null || true
  done
  wrk_runners=()
}

cleanup() {
  local status=$?
  stop_wrk
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$run_dir" ]; then
    if [ "${BENCH_KEEP:-0}" = 1 ] || [ "$status" -ne 0 ]; then
      log "logs kept in $run_dir"
    else
      rm -rf "$run_dir"
    fi
  fi
  exit "$status"
}

render() { # template -> output with the placeholders filled in
  sed -e "s#@RUN_DIR@#$run_dir#g" -e "s#@PORT_UPSTREAM@#$PORT_UPSTREAM#g" -e "s#@WORKERS@#$NGINX_WORKERS#g" "$1" >"$2"
}

start_vestibule() {
  export BENCH_PORT_UPSTREAM="$PORT_UPSTREAM" BENCH_PORT_VESTIBULE="$PORT_VESTIBULE" BENCH_RUN_DIR="$run_dir"
  export VESTIBULE_SESSION_SECRET="${VESTIBULE_SESSION_SECRET:-$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')}"
  (cd "$repo" && exec ./vestibule serve --config bench/login/vestibule.yaml) >"$run_dir/vestibule.log" 2>&1 &
  pids+=("$!")
  pid_vestibule=$!
}

# The JVM's threads now, one line each: "tid group ticks run-queue-wait-ns". Groups: loop, hash, carrier, gcjit, rest.
# Thread names are cut to 15 characters by the kernel: vert.x-eventloo(p-thread-N), vestibule-passw(ord-N) (the
# hashing pool), ForkJoinPool-1-(worker-N) (carriers of the virtual threads that run the identity's JDBC and token
# work). The wait is the time the thread was runnable but had no CPU (/proc/.../schedstat).
jvm_threads() {
  local line name rest group ticks task tid sched
  for task in /proc/"$pid_vestibule"/task/*; do
    line="$(cat "$task/stat" 2>/dev/null)" || continue
    name="${line#*(}"
    name="${name%)*}"
    rest="${line##*) }"
    # shellcheck disable=SC2086
    set -- $rest
    ticks=$((${12} + ${13}))
    case "$name" in
      vert.x-eventloo*) group=loop ;;
      vestibule-passw*) group=hash ;;
      ForkJoinPool*) group=carrier ;;
      G1* | GC\ * | C1\ * | C2\ * | VM\ *) group=gcjit ;;
      *) group=rest ;;
    esac
    tid="${task##*/}"
    sched=0
    read -r _ sched _ <"$task/schedstat" 2>/dev/null || sched=0
    echo "$tid $group $ticks $sched"
  done
}

# thread_deltas start end: "loop hash carrier gcjit rest loop-wait-ns hash-wait-ns" between two jvm_threads lists,
# thread by thread (carriers come and go: a thread new since the start counts whole, one gone since is lost)
thread_deltas() {
  awk 'NR == FNR {t[$1] = $3; w[$1] = $4; next}
       {d[$2] += $3 - ($1 in t ? t[$1] : 0); wait[$2] += $4 - ($1 in w ? w[$1] : 0)}
       END {printf "%d %d %d %d %d %d %d\n", d["loop"], d["hash"], d["carrier"], d["gcjit"], d["rest"], wait["loop"], wait["hash"]}' \
    <(echo "$1") <(echo "$2")
}

count_hash_threads() {
  local n=0 task
  for task in /proc/"$pid_vestibule"/task/*; do
    [ "$(cat "$task/comm" 2>/dev/null)" = vestibule-passw ] && n=$((n + 1))
  done
  echo "$n"
}

# Of those, softirq: on loopback mostly the TCP work of this benchmark's own traffic, charged to no process.
softirq_ticks() { awk '$1 == "cpu" {print $8}' /proc/stat; }

# The machine is shared: say so when something else is using the CPUs before we start.
check_quiet() {
  local before after busy
  before="$(busy_ticks)"
  sleep 2
  after="$(busy_ticks)"
  busy="$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz / 2}')" # ticks over the 2 s slept
  background_before="$busy"
  if awk -v b="$busy" 'BEGIN {exit !(b > 0.15)}'; then
    log "WARNING: the machine is not idle ($busy cores busy before the benchmark); numbers will be noisy"
  fi
}

# ---------------------------------------------------------------- users, login and checks

user_json() { printf '{"name":"Bench user %d","email":"user%d@bench.test","password":"bench-password-%d"}' "$1" "$1" "$1"; }
login_json() { printf '{"email":"user%d@bench.test","password":"bench-password-%d"}' "$1" "$1"; }

register_users() {
  local i code started
  log "registering $USERS users (POST /auth/register, one Argon2id hash each, one after the other)"
  started="$(date +%s.%N)"
  for ((i = 0; i < USERS; i++)); do
    code="$(curl -s -m 10 -o "$run_dir/register.body" -w '%{http_code}' -X POST \
        "http://127.0.0.1:$PORT_VESTIBULE/auth/register" -H 'Content-Type: application/json' -d "$(user_json "$i")")"
    [ "$code" = 201 ] || die "registering user $i answered $code: $(cat "$run_dir/register.body")"
  done
  register_seconds="$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')"
}

cookie_header=""

login() {
  local headers="$run_dir/login.headers" code
  code="$(curl -s -m 10 -D "$headers" -o "$run_dir/login.body" -w '%{http_code}' -X POST \
      "http://127.0.0.1:$PORT_VESTIBULE/auth/login" -H 'Content-Type: application/json' -d "$(login_json 0)")"
  [ "$code" = 200 ] || die "login answered $code: $(cat "$run_dir/login.body")"
  cookie_header="$(tr -d '\r' <"$headers" | sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' | paste -sd ';' | sed 's/;/; /g')"
  [ -n "$cookie_header" ] || die "login set no cookie"
  log "logged in as user0; cookies: $(echo "$cookie_header" | sed 's/=[^;]*/=…/g') (${#cookie_header} bytes)"
}

expect_status() { # expected url [curl args...]
  local expected="$1" url="$2" code
  shift 2
  code="$(curl -s -m 10 -o /dev/null -w '%{http_code}' "$@" "$url")"
  [ "$code" = "$expected" ] || die "$url answered $code, expected $expected"
}

smoke_test() {
  expect_status 200 "http://127.0.0.1:$PORT_UPSTREAM/v1/item"
  expect_status 200 "http://127.0.0.1:$PORT_VESTIBULE/api/item"
  expect_status 200 "http://127.0.0.1:$PORT_VESTIBULE/me/item" -H "Cookie: $cookie_header"
  expect_status 401 "http://127.0.0.1:$PORT_VESTIBULE/me/item"
  expect_status 401 "http://127.0.0.1:$PORT_VESTIBULE/auth/login" -X POST -H 'Content-Type: application/json' \
    -d '{"email":"user0@bench.test","password":"not-the-password"}'
  local direct via
  direct="$(curl -s -m 5 "http://127.0.0.1:$PORT_UPSTREAM/v1/item")"
  via="$(curl -s -m 5 -H "Cookie: $cookie_header" "http://127.0.0.1:$PORT_VESTIBULE/me/item")"
  [ "$direct" = "$via" ] || die "Vestibule answered a different body: $via"
}

# After the bursts: a login and the session route answer at once again (the pool drained, nothing stuck).
recovery_check() {
  local code ms
  sleep 1
  read -r code ms < <(curl -s -m 10 -o /dev/null -w '%{http_code} %{time_total}\n' -X POST \
      "http://127.0.0.1:$PORT_VESTIBULE/auth/login" -H 'Content-Type: application/json' -d "$(login_json 1)")
  recovery="login after the bursts: $code in $(awk -v s="$ms" 'BEGIN {printf "%.0f", s * 1000}') ms"
  [ "$code" = 200 ] || failures+=("$recovery")
  code="$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H "Cookie: $cookie_header" "http://127.0.0.1:$PORT_VESTIBULE/me/item")"
  recovery="$recovery; /me/item with the session: $code"
  [ "$code" = 200 ] || failures+=("after the bursts /me/item answered $code")
}

# ---------------------------------------------------------------- load

# start_wrk label threads connections seconds url [extra wrk args...]: in the background (so that a signal is
# handled at once); `time` gives wrk's own CPU time, to tell the load generator's share from everyone else's.
start_wrk() {
  local label="$1" threads="$2" connections="$3" secs="$4" url="$5"
  shift 5
  (
    TIMEFORMAT='%U %S'
    time wrk -t"$threads" -c"$connections" -d"${secs}s" --timeout 10s --latency "$url" "$@" >"$run_dir/wrk-$label.txt" 2>&1
  ) 2>"$run_dir/wrk-$label.time" &
  wrk_runners+=("$!")
  last_runner=$!
}

wait_wrk() { # label runner
  wait "$2" || { cat "$run_dir/wrk-$1.txt" >&2; die "wrk failed for $1"; }
  local kept=() r
  for r in "${wrk_runners[@]}"; do [ "$r" = "$2" ] || kept+=("$r"); done
  wrk_runners=("${kept[@]}")
}

run_wrk() { # label threads connections seconds url [extra wrk args...]
  start_wrk "$@"
  wait_wrk "$1" "$last_runner"
}

wrk_seconds() { awk '{print $1 + $2}' "$run_dir/wrk-$1.time"; }

# parse_wrk key: wrk's own numbers of run key
parse_wrk() {
  local key="$1" out="$run_dir/wrk-$1.txt"
  rps[$key]="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
  p50[$key]="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
  p99[$key]="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
  mean[$key]="$(to_ms "$(awk '$1 == "Latency" {print $2; exit}' "$out")")"
  total[$key]="$(awk '/requests in/ {print $1}' "$out")"
  seconds[$key]="$(awk '/requests in/ {s = $4; sub(/s,$/, "", s); print s}' "$out")"
  non2xx[$key]="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  non2xx[$key]="${non2xx[$key]:-0}"
  sockerr[$key]="$(awk '/Socket errors:/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i; print s}' "$out")"
  sockerr[$key]="${sockerr[$key]:-0}"
}

# parse_logins key: the login outcomes login.lua printed
parse_logins() {
  local key="$1" out="$run_dir/wrk-$1.txt"
  ok[$key]="$(awk '$1 == "status" && $2 == 200 {print $3}' "$out")"
  ok[$key]="${ok[$key]:-0}"
  ok_p50[$key]="$(sed -n 's/^status 200 .*p50=\([0-9.]*\).*/\1/p' "$out")"
  ok_p99[$key]="$(sed -n 's/^status 200 .*p99=\([0-9.]*\).*/\1/p' "$out")"
  ok_mean[$key]="$(sed -n 's/^status 200 .*mean=\([0-9.]*\).*/\1/p' "$out")"
  unavailable[$key]="$(awk '$1 == "status" && $2 == 503 {print $3}' "$out")"
  unavailable[$key]="${unavailable[$key]:-0}"
  unavailable_mean[$key]="$(sed -n 's/^status 503 .*mean=\([0-9.]*\).*/\1/p' "$out")"
  others[$key]="$(awk '$1 == "status" && $2 != 200 && $2 != 503 {s += $3; d = d " " $2 "=" $3} $1 == "socket-errors" {s += $2; if ($2) d = d " socket-errors=" $2} END {printf "%d%s", s, (d ? " (" substr(d, 2) ")" : "")}' "$out")"
  if [ "${others[$key]%% *}" != 0 ]; then
    failures+=("($key) login answers other than 200 and 503: ${others[$key]}")
  fi
}

# snapshot / snapshot_end / account: CPU of the whole machine, of our processes and of the JVM's thread groups
# from the start to the end of a measured run
snapshot() {
  snap_busy="$(busy_ticks)"
  snap_sirq="$(softirq_ticks)"
  snap_upstream="$(cpu_ticks "$pid_upstream")"
  snap_vestibule="$(cpu_ticks "$pid_vestibule")"
  snap_threads="$(jvm_threads)"
}

snapshot_end() {
  end_busy="$(busy_ticks)"
  end_sirq="$(softirq_ticks)"
  end_upstream="$(cpu_ticks "$pid_upstream")"
  end_vestibule="$(cpu_ticks "$pid_vestibule")"
  end_threads="$(jvm_threads)"
}

# account key seconds wrk-label[:share]...: a wrk that ran longer than the window counts with the share of its CPU
# time that fell into it (assumed even over its run)
account() {
  local key="$1" secs="$2" hz busy softirq upstream vestibule wrk_total=0 label share d
  shift 2
  hz="$(getconf CLK_TCK)"
  busy=$((end_busy - snap_busy))
  softirq=$((end_sirq - snap_sirq))
  upstream=$((end_upstream - snap_upstream))
  vestibule=$((end_vestibule - snap_vestibule))
  for label in "$@"; do
    share=1
    case "$label" in *:*) share="${label#*:}" label="${label%%:*}" ;; esac
    wrk_total="$(awk -v a="$wrk_total" -v b="$(wrk_seconds "$label")" -v s="$share" 'BEGIN {print a + b * s}')"
  done
  cpu[$key]="$(awk -v t="$vestibule" -v hz="$hz" -v d="$secs" 'BEGIN {printf "%.2f", t / hz / d}')"
  sirq[$key]="$(awk -v t="$softirq" -v hz="$hz" -v d="$secs" 'BEGIN {printf "%.2f", t / hz / d}')"
  other[$key]="$(awk -v busy=$((busy - softirq)) -v ours=$((upstream + vestibule)) -v w="$wrk_total" -v hz="$hz" \
      -v d="$secs" 'BEGIN {o = ((busy - ours) / hz - w) / d; printf "%.2f", (o < 0 ? 0 : o)}')"
  read -r -a d <<<"$(thread_deltas "$snap_threads" "$end_threads")"
  t_loop[$key]="$(awk -v t="${d[0]}" -v hz="$hz" -v s="$secs" 'BEGIN {printf "%.2f", t / hz / s}')"
  t_hash[$key]="$(awk -v t="${d[1]}" -v hz="$hz" -v s="$secs" 'BEGIN {printf "%.2f", t / hz / s}')"
  t_carrier[$key]="$(awk -v t="${d[2]}" -v hz="$hz" -v s="$secs" 'BEGIN {printf "%.2f", t / hz / s}')"
  t_gcjit[$key]="$(awk -v t="${d[3]}" -v hz="$hz" -v s="$secs" 'BEGIN {printf "%.2f", t / hz / s}')"
  t_rest[$key]="$(awk -v t="${d[4]}" -v hz="$hz" -v s="$secs" 'BEGIN {printf "%.2f", t / hz / s}')"
  w_loop[$key]="$(awk -v t="${d[5]}" -v s="$secs" 'BEGIN {printf "%.2f", t / 1e9 / s}')"
  w_hash[$key]="$(awk -v t="${d[6]}" -v s="$secs" 'BEGIN {printf "%.2f", t / 1e9 / s}')"
  hash_cpu_ticks="${d[1]}"
}

# measure_logins key label threads connections seconds
measure_logins() {
  local key="$1" label="$2" threads="$3" connections="$4" secs="$5"
  log "measuring ($key) $label: wrk -t$threads -c$connections -d${secs}s -s login.lua POST /auth/login"
  snapshot
  run_wrk "$key" "$threads" "$connections" "$secs" "http://127.0.0.1:$PORT_VESTIBULE" -s "$LOGIN_SCRIPT" -- "$USERS"
  snapshot_end
  run_end+=("($key) $(date -u +%H:%M:%S)")
  account "$key" "$secs" "$key"
  parse_wrk "$key"
  parse_logins "$key"
  # every 200 and 401 costs one verification on the pool; 503s never reach it
  hash_ms[$key]="$(awk -v t="$hash_cpu_ticks" -v hz="$(getconf CLK_TCK)" -v n="${ok[$key]}" \
      'BEGIN {printf "%.0f", (n > 0 ? t / hz / n * 1000 : 0)}')"
}

# measure_proxy key label burst(0|1) url [extra wrk args...]
measure_proxy() {
  local key="$1" label="$2" burst="$3" url="$4" burst_runner=""
  shift 4
  if [ "$burst" = 1 ]; then
    log "measuring ($key) $label: wrk -t1 -c$PROXY_CONNECTIONS -d${DURATION}s $url, during a login burst (wrk -t1 -c$BURST_CONNECTIONS)"
    start_wrk "$key-burst" 1 "$BURST_CONNECTIONS" $((DURATION + 2 * BURST_LEAD)) "http://127.0.0.1:$PORT_VESTIBULE" \
      -s "$LOGIN_SCRIPT" -- "$USERS"
    burst_runner=$last_runner
    sleep "$BURST_LEAD"
  else
    log "measuring ($key) $label: wrk -t1 -c$PROXY_CONNECTIONS -d${DURATION}s $url"
  fi
  snapshot
  run_wrk "$key" 1 "$PROXY_CONNECTIONS" "$DURATION" "$url" "$@"
  snapshot_end
  run_end+=("($key) $(date -u +%H:%M:%S)")
  if [ -n "$burst_runner" ]; then
    thread_dump "$key" "$burst_runner"
    # the burst's own CPU time is known only when it ends, BURST_LEAD after the window
    wait_wrk "$key-burst" "$burst_runner"
    account "$key" "$DURATION" "$key" "$key-burst:$(awk -v d="$DURATION" -v l="$BURST_LEAD" 'BEGIN {print d / (d + 2 * l)}')"
    parse_wrk "$key-burst"
    parse_logins "$key-burst"
  else
    account "$key" "$DURATION" "$key"
  fi
  parse_wrk "$key"
  if [ "${non2xx[$key]}" != 0 ] || [ "${sockerr[$key]}" != 0 ]; then
    failures+=("($key) $label: ${non2xx[$key]} non-2xx answers, ${sockerr[$key]} socket errors")
  fi
}

# thread_dump key burst-runner: one Thread.print of Vestibule right after the proxy run, while the burst still runs
# (outside the measured window); the report shows what the event loop and the hashing thread were doing.
thread_dump() {
  local key="$1" jcmd out="$run_dir/threads-$1.txt"
  jcmd="$(dirname "$(readlink -f "/proc/$pid_vestibule/exe")")/jcmd"
  [ -x "$jcmd" ] || { dump_note[$key]="no jcmd beside $(readlink -f "/proc/$pid_vestibule/exe")"; return 0; }
  timeout 10 "$jcmd" "$pid_vestibule" Thread.print >"$out" 2>&1 || true
  if kill -0 "$2" 2>/dev/null; then dump_note[$key]="taken while the burst ran"; else dump_note[$key]="taken after the burst had ended"; fi
}

# dump_summary key: state and top frame of the event-loop and hashing threads in that dump
dump_summary() {
  local out="$run_dir/threads-$1.txt"
  [ -s "$out" ] || { echo "  ($1) no thread dump: ${dump_note[$1]:-not taken}"; return 0; }
  echo "  ($1) ${dump_note[$1]}:"
  awk '/^"(vert\.x-eventloop-thread|vestibule-password)-/ {name = $1; gsub(/"/, "", name); want = 2; next}
       want == 2 {state = $2; want = 1; next}
       want == 1 {sub(/^[ \t]*at /, ""); printf "    %-26s %-13s %s\n", name, state, $0; want = 0}' "$out"
}

# check_relay key from-line expected-auth-prefix: every upstream request of that phase carried such an Authorization
check_relay() {
  local key="$1" from="$2" expected="$3" seen matching
  flush_wait
  seen="$(tail -n +"$((from + 1))" "$run_dir/upstream.access.log" | grep -c '^GET /v1/item ' || true)"
  matching="$(tail -n +"$((from + 1))" "$run_dir/upstream.access.log" | grep -c "^GET /v1/item 200 auth=$expected" || true)"
  relay_note[$key]="upstream saw $seen requests, $matching with 200 and auth=$expected…"
  if [ "$seen" -eq 0 ] || [ "$seen" != "$matching" ] || [ "$seen" -lt "${total[$key]}" ]; then
    failures+=("($key) relay check: ${relay_note[$key]} (wrk counted ${total[$key]})")
  fi
}

warm_up_logins() {
  # two connections: the pool (one hash at a time on 2 cores, plus a queue) never fills, so no 503s yet
  log "warming the login path up: ${LOGIN_WARMUP}s of wrk -t2 -c2 on /auth/login"
  run_wrk warmup-login 2 2 "$LOGIN_WARMUP" "http://127.0.0.1:$PORT_VESTIBULE" -s "$LOGIN_SCRIPT" -- "$USERS"
  run_end+=("(warm-up logins) $(date -u +%H:%M:%S)")
}

warm_up_proxy() {
  local authed=$((WARMUP * 2 / 3)) open=$((WARMUP - WARMUP * 2 / 3))
  log "warming the proxy path up: ${authed}s on /me/item (cookie), ${open}s on /api/item"
  run_wrk warmup-me 1 "$PROXY_CONNECTIONS" "$authed" "http://127.0.0.1:$PORT_VESTIBULE/me/item" -H "Cookie: $cookie_header"
  run_end+=("(warm-up /me) $(date -u +%H:%M:%S)")
  run_wrk warmup-api 1 "$PROXY_CONNECTIONS" "$open" "http://127.0.0.1:$PORT_VESTIBULE/api/item"
  run_end+=("(warm-up /api) $(date -u +%H:%M:%S)")
}

# ---------------------------------------------------------------- report

# Vestibule's ERROR/WARN lines, grouped by message (without the timestamp); the log mailer's start-up warning is
# expected (mail.smtp: log) and left out.
log_notes() {
  local lines count
  lines="$(grep -E '^[0-9TZ:.-]+ (ERROR|WARN) ' "$run_dir/vestibule.log" | grep -v "mail.smtp is 'log'" || true)"
  [ -n "$lines" ] || { echo; echo "Vestibule log: no ERROR/WARN line (besides the expected mail.smtp: log warning)."; return 0; }
  count="$(echo "$lines" | wc -l)"
  echo
  echo "Vestibule log: $count ERROR/WARN line(s):"
  echo "$lines" | cut -d' ' -f2- | sort | uniq -c | sort -rn | head -5 | sed 's/^/  /'
  echo "  first at $(echo "$lines" | head -n1 | cut -d' ' -f1); load runs ended at ${run_end[*]}"
  if echo "$lines" | grep -q 'has been blocked for'; then
    failures+=("Vert.x reported a blocked thread (see the log lines above)")
  fi
}

per_s() { awk -v n="$1" -v s="$2" 'BEGIN {printf "%.1f", (s > 0 ? n / s : 0)}'; }
login_format='%-34s %8s %7s %7s %7s %6s %7s %12s %9s %8s\n'
login_row() {
  printf "$login_format" "$2" "$(per_s "${ok[$1]}" "${seconds[$1]}")" "${ok_p50[$1]:--}" "${ok_p99[$1]:--}" \
    "${ok_mean[$1]:--}" "${ok[$1]}" "${unavailable[$1]}" "${others[$1]%% *}" "${hash_ms[$1]}" "${t_hash[$1]}"
}

proxy_format='%-32s %7s %7s %7s %7s %6s %6s %6s %6s %6s %6s %6s %6s %6s\n'
proxy_row() {
  printf "$proxy_format" "$2" "${rps[$1]}" "${p50[$1]}" "${p99[$1]}" "${non2xx[$1]}" "${sockerr[$1]}" "${cpu[$1]}" \
    "${t_loop[$1]}" "${w_loop[$1]}" "${t_hash[$1]}" "${t_carrier[$1]}" "${t_gcjit[$1]}" "${sirq[$1]}" "${other[$1]}"
}

burst_line() { # key
  local k="$1-burst"
  # (16 connections on one wrk thread: login.lua's latencies mean nothing here, only the counts)
  echo "  during ($1): ${ok[$k]} logins (200), ${unavailable[$k]} 503, other ${others[$k]}" \
    "in ${seconds[$k]} s = $(per_s "${ok[$k]}" "${seconds[$k]}") logins/s, $(per_s "${unavailable[$k]}" "${seconds[$k]}") 503/s"
}

report() {
  local version java
  version="$(sed -n 's/.*Vestibule \([^ ]*\) listening.*/\1/p' "$run_dir/vestibule.log" | head -n1)"
  java="$(readlink -f "/proc/$pid_vestibule/exe" 2>/dev/null || echo java)"
  {
    echo "Vestibule login benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine:   $(machine)"
    echo "versions:  $(nginx -v 2>&1 | sed 's/^nginx version: //'), wrk $(wrk -v 2>&1 | awk 'NR==1 {print $2}'), vestibule ${version:-?} on $("$java" -version 2>&1 | head -n1)"
    echo "identity:  builtin, SQLite in the run directory; Argon2id m=19456 KiB t=2 p=1 (OWASP); hashing pool of" \
      "$pool_threads thread(s) seen in the JVM, queue 4 per thread; 503 beyond"
    echo "users:     $USERS registered one after the other in ${register_seconds} s"
    echo "JVM opts:  ${VESTIBULE_JAVA_OPTS:-none (set VESTIBULE_JAVA_OPTS to pass some)}"
    echo "load:      wrk shares the $(nproc) cores with everything else; ${background_before} cores were busy just before the start"
    echo
    echo "Logins: POST /auth/login rotating over the $USERS users (login.lua; latencies of the 200s only)"
    printf "$login_format" scenario "logins/s" "p50 ms" "p99 ms" "mean ms" "200" "503" "other" "hash CPU ms" "hash cores"
    login_row L1 "(L1) wrk -t1 -c1 -d${SINGLE}s"
    login_row L8 "(L8) wrk -t$LOGIN_CONNECTIONS -c$LOGIN_CONNECTIONS -d${DURATION}s"
    echo "  (L8) 503s: $(per_s "${unavailable[L8]}" "${seconds[L8]}")/s, mean ${unavailable_mean[L8]:-0} ms; wrk over all answers: p50 ${p50[L8]} ms, p99 ${p99[L8]} ms"
    echo "  single login (L1 mean): ${ok_mean[L1]} ms; CPU of the hashing thread per login: ${hash_ms[L1]} ms (L1), ${hash_ms[L8]} ms (L8)"
    if [ "${hash_ms[L1]}" -gt 150 ] || [ "${hash_ms[L8]}" -gt 150 ]; then
      echo "  NOTE: a verification usually costs 60-100 ms of CPU here; this JVM is in the slow mode seen in ~1 start in 7"
      echo "  (C2 did not inline Argon2Function.fBlaMka; see bench/login/RESULTS.md)"
    fi
    echo "  Vestibule CPU cores: (L1) ${cpu[L1]}, (L8) ${cpu[L8]} (event loop ${t_loop[L8]}, virtual-thread carriers ${t_carrier[L8]});" \
      "hashing thread waiting for a CPU: ${w_hash[L1]} / ${w_hash[L8]}; softirq ${sirq[L1]} / ${sirq[L8]}; other CPU ${other[L1]} / ${other[L8]}"
    echo
    echo "Proxy: wrk -t1 -c$PROXY_CONNECTIONS -d${DURATION}s, alone and during a login burst (wrk -t1 -c$BURST_CONNECTIONS on /auth/login)"
    printf "$proxy_format" scenario "req/s" "p50 ms" "p99 ms" non-2xx errors "V CPU" "loop" "l.wait" "hash" "vthr" "gc+jit" "sirq" "other"
    proxy_row P1 "(P1) /api/item auth none, alone"
    proxy_row P2 "(P2) /api/item auth none, burst"
    proxy_row P3 "(P3) /me/item session, alone"
    proxy_row P4 "(P4) /me/item session, burst"
    echo "login burst outcomes:"
    burst_line P2
    burst_line P4
    echo
    echo "Columns (all in cores, i.e. CPU-seconds per second): V CPU = Vestibule; loop = its event-loop thread(s);"
    echo "  l.wait = time the event loop was runnable but waiting for a CPU (run queue; not blocked); hash = the"
    echo "  hashing pool; vthr = carriers of its virtual threads (identity JDBC and token work, the 503 path included);"
    echo "  gc+jit = GC, JIT and VM threads; sirq = softirq (loopback TCP, mostly this benchmark's own traffic);"
    echo "  other = processes outside this benchmark (the machine is shared)."
    echo "relay check (upstream access log):"
    echo "  (P1) ${relay_note[P1]}"
    echo "  (P2) ${relay_note[P2]}"
    echo "  (P3) ${relay_note[P3]}"
    echo "  (P4) ${relay_note[P4]}"
    echo "$recovery"
    echo "thread dumps during the bursts (run directory, threads-P2.txt / threads-P4.txt):"
    dump_summary P2
    dump_summary P4
    echo
    echo "logins/s at the OWASP cost: $(per_s "${ok[L8]}" "${seconds[L8]}") (pool full, L8); one login ${ok_mean[L1]} ms (L1)"
    echo "proxy during burst / proxy alone: $(ratio P2 P1) (auth none), $(ratio P4 P3) (session)"
    log_notes
    if [ "${#failures[@]}" -gt 0 ]; then
      echo
      echo "PROBLEMS:"
      printf '  %s\n' "${failures[@]}"
    fi
  } | tee "$RESULT_FILE"
}

# ---------------------------------------------------------------- main

main() {
  require_tools
  require_free_ports
  [ -r "$LOGIN_SCRIPT" ] || die "missing $LOGIN_SCRIPT"
  run_dir="$(mktemp -d /tmp/vestibule-bench-login.XXXXXX)"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  build_vestibule
  check_quiet

  local started=$SECONDS mark
  start_nginx upstream "$repo/bench/proxy/upstream.nginx.conf"
  start_vestibule
  wait_for "http://127.0.0.1:$PORT_UPSTREAM/v1/item" 200 10
  wait_for "http://127.0.0.1:$PORT_VESTIBULE/healthz" 200 60
  log "both servers up after $((SECONDS - started)) s (run directory $run_dir)"
  register_users
  login
  smoke_test
  pool_threads="$(count_hash_threads)"

  warm_up_logins
  measure_logins L1 "one login at a time" 1 1 "$SINGLE"
  measure_logins L8 "logins, pool full" "$LOGIN_CONNECTIONS" "$LOGIN_CONNECTIONS" "$DURATION"

  warm_up_proxy
  mark="$(access_log_lines)"
  measure_proxy P1 "/api/item alone" 0 "http://127.0.0.1:$PORT_VESTIBULE/api/item"
  check_relay P1 "$mark" "-"
  mark="$(access_log_lines)"
  measure_proxy P2 "/api/item during a login burst" 1 "http://127.0.0.1:$PORT_VESTIBULE/api/item"
  check_relay P2 "$mark" "-"
  mark="$(access_log_lines)"
  measure_proxy P3 "/me/item alone" 0 "http://127.0.0.1:$PORT_VESTIBULE/me/item" -H "Cookie: $cookie_header"
  check_relay P3 "$mark" "Bearer ey"
  mark="$(access_log_lines)"
  measure_proxy P4 "/me/item during a login burst" 1 "http://127.0.0.1:$PORT_VESTIBULE/me/item" -H "Cookie: $cookie_header"
  check_relay P4 "$mark" "Bearer ey"
  recovery_check

  echo
  report
  log "done in $((SECONDS - started)) s (after the build check); results in ${RESULT_FILE#"$repo"/}"
  [ "${#failures[@]}" -eq 0 ]
}

main "$@"
