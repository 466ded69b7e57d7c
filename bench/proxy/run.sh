#!/usr/bin/env bash
# Proxy benchmark: how much does Vestibule cost compared with nginx doing the same proxying?
#
#   bench/proxy/run.sh
#
# Starts, all on loopback:
#   A  nginx upstream   GET /v1/item (206-byte JSON) and POST /oauth/token (static token response)
#   B  nginx proxy      /api/ -> A /v1/, upstream keep-alive, sets Authorization: Bearer bench-token
#   V  Vestibule        /api/** (auth required, bearer relay) and /open/** (auth none) -> A /v1
# logs in to Vestibule (password grant against A), warms the JVM up, then measures with wrk:
#   (a) A direct  (b) B  (c) V with the session cookie  (d) V on the auth-none route
# and prints a table plus the Vestibule/nginx throughput ratios (also written to bench/proxy/last-run.txt).
#
# Knobs (environment): BENCH_THREADS=2 BENCH_CONNECTIONS=64 BENCH_DURATION=20 (seconds) BENCH_WARMUP=30
# (seconds) BENCH_NGINX_WORKERS=1 BENCH_PORT_UPSTREAM=18081 BENCH_PORT_PROXY=18082 BENCH_PORT_VESTIBULE=18083
# BENCH_KEEP=1 (keep the run directory with all logs).
# BENCH_SESSION_STORE=redis runs Vestibule as one instance of a cluster: sessions, refresh coordination, logouts
# and rate limits in Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379?prefix=vestibule-bench); results go
# to bench/proxy/last-run-redis.txt.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib.sh
. "$here/../lib.sh"
repo="$(cd "$here/../.." && pwd)"

THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
DURATION="${BENCH_DURATION:-20}"
WARMUP="${BENCH_WARMUP:-30}" # 15 s was not enough: /api/item reached steady state after ~30 s of load
NGINX_WORKERS="${BENCH_NGINX_WORKERS:-1}"
PORT_UPSTREAM="${BENCH_PORT_UPSTREAM:-18081}"
PORT_PROXY="${BENCH_PORT_PROXY:-18082}"
PORT_VESTIBULE="${BENCH_PORT_VESTIBULE:-18083}"
SESSION_STORE="${BENCH_SESSION_STORE:-cookie}"
REDIS_URL="${BENCH_REDIS_URL:-redis://127.0.0.1:6379?prefix=vestibule-bench}"
case "$SESSION_STORE" in
  cookie) RESULT_FILE="$here/last-run.txt" ;;
  redis) RESULT_FILE="$here/last-run-redis.txt" ;;
  *) echo "BENCH_SESSION_STORE must be cookie or redis, not '$SESSION_STORE'" >&2; exit 2 ;;
esac

run_dir=""
pids=()
wrk_runner=""
declare -A rps p50 p99 total non2xx sockerr cpu us_per_req other relay_note
background_before=""
run_end=()
failures=()

# ---------------------------------------------------------------- preflight

require_free_ports() {
  for port in "$PORT_UPSTREAM" "$PORT_PROXY" "$PORT_VESTIBULE"; do
    if port_in_use "$port"; then
      die "port $port on 127.0.0.1 is in use; stop what uses it or set BENCH_PORT_UPSTREAM/PROXY/VESTIBULE"
    fi
  done
}

# Builds outside the measured (and time-bounded) part: the launcher builds when sources are newer than the jar.
build_vestibule() {
  log "checking the Vestibule build (first use builds, ~30 s)"
  (cd "$repo" && ./vestibule version) >"$run_dir/build.log" 2>&1 || { cat "$run_dir/build.log" >&2; die "build failed"; }
}

# ---------------------------------------------------------------- processes

cleanup() {
  local status=$?
  if [ -n "$wrk_runner" ]; then
    pkill -P "$wrk_runner" 2>/dev/null || true # the wrk it runs
    kill "$wrk_runner" 2>/dev/null || true
  fi
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
  sed -e "s#@RUN_DIR@#$run_dir#g" -e "s#@PORT_UPSTREAM@#$PORT_UPSTREAM#g" -e "s#@PORT_PROXY@#$PORT_PROXY#g" \
      -e "s#@WORKERS@#$NGINX_WORKERS#g" "$1" >"$2"
}

start_vestibule() {
  export BENCH_PORT_UPSTREAM="$PORT_UPSTREAM" BENCH_PORT_VESTIBULE="$PORT_VESTIBULE"
  export VESTIBULE_SESSION_SECRET="${VESTIBULE_SESSION_SECRET:-$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')}"
  local config="$here/vestibule.yaml"
  if [ "$SESSION_STORE" = redis ]; then
    config="$run_dir/vestibule.yaml"
    sed "s#^session:#redis: $REDIS_URL\nsession:\n  store: redis#" "$here/vestibule.yaml" >"$config"
  fi
  (cd "$repo" && exec ./vestibule serve --config "$config") >"$run_dir/vestibule.log" 2>&1 &
  pids+=("$!")
  pid_vestibule=$!
}

# The machine is shared: say so when something else is using the CPUs before we start.
check_quiet() {
  local before after busy
  before="$(busy_ticks)"
  sleep 2
  after="$(busy_ticks)"
  busy="$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.2f", t / hz / 2}')"
  background_before="$busy"
  if awk -v b="$busy" 'BEGIN {exit !(b > 0.15)}'; then
    log "WARNING: the machine is not idle ($busy cores busy before the benchmark); numbers will be noisy"
  fi
}

# ---------------------------------------------------------------- login and checks

cookie_header=""

login() {
  local headers="$run_dir/login.headers" code
  code="$(curl -s -m 5 -D "$headers" -o "$run_dir/login.body" -w '%{http_code}' -X POST \
      "http://127.0.0.1:$PORT_VESTIBULE/auth/login" -H 'Content-Type: application/json' \
      -d '{"username":"bench","password":"bench"}')"
  [ "$code" = 200 ] || die "login answered $code: $(cat "$run_dir/login.body")"
  cookie_header="$(tr -d '\r' <"$headers" | sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' | paste -sd ';' | sed 's/;/; /g')"
  [ -n "$cookie_header" ] || die "login set no cookie"
  log "logged in; cookies: $(echo "$cookie_header" | sed 's/=[^;]*/=…/g') (${#cookie_header} bytes)"
}

expect_status() { # expected url [curl args...]
  local expected="$1" url="$2" code
  shift 2
  code="$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$@" "$url")"
  [ "$code" = "$expected" ] || die "GET $url answered $code, expected $expected"
}

smoke_test() {
  expect_status 200 "http://127.0.0.1:$PORT_UPSTREAM/v1/item"
  expect_status 200 "http://127.0.0.1:$PORT_PROXY/api/item"
  expect_status 200 "http://127.0.0.1:$PORT_VESTIBULE/api/item" -H "Cookie: $cookie_header"
  expect_status 401 "http://127.0.0.1:$PORT_VESTIBULE/api/item"
  expect_status 200 "http://127.0.0.1:$PORT_VESTIBULE/open/item"
  local direct via
  direct="$(curl -s -m 5 "http://127.0.0.1:$PORT_UPSTREAM/v1/item")"
  via="$(curl -s -m 5 -H "Cookie: $cookie_header" "http://127.0.0.1:$PORT_VESTIBULE/api/item")"
  [ "$direct" = "$via" ] || die "Vestibule answered a different body: $via"
}

# ---------------------------------------------------------------- load

# run_wrk label seconds url [extra wrk args...]
run_wrk() {
  local label="$1" seconds="$2" url="$3"
  shift 3
  # In the background so that a signal is handled at once; `time` gives wrk's own CPU time, to tell the
  # load generator's share from everyone else's.
  (
    TIMEFORMAT='%U %S'
    time wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout 5s --latency "$@" "$url" >"$run_dir/wrk-$label.txt" 2>&1
  ) 2>"$run_dir/wrk-$label.time" &
  wrk_runner=$!
  wait "$wrk_runner" || { cat "$run_dir/wrk-$label.txt" >&2; die "wrk failed for $label"; }
  wrk_runner=
}

# measure key label cpu-pid url [extra wrk args...]: one measured run; fills the result arrays
measure() {
  local key="$1" label="$2" cpu_pid="$3" url="$4"
  shift 4
  local out="$run_dir/wrk-$key.txt" hz before after ours_before ours_after busy_before busy_after wrk_seconds
  hz="$(getconf CLK_TCK)"
  log "measuring ($key) $label: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s $url"
  before="$(cpu_ticks "$cpu_pid")"
  ours_before="$(all_our_ticks)"
  busy_before="$(busy_ticks)"
  run_wrk "$key" "$DURATION" "$url" "$@"
  run_end+=("($key) $(date -u +%H:%M:%S)")
  busy_after="$(busy_ticks)"
  ours_after="$(all_our_ticks)"
  after="$(cpu_ticks "$cpu_pid")"
  wrk_seconds="$(awk '{print $1 + $2}' "$run_dir/wrk-$key.time")"

  rps[$key]="$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")"
  p50[$key]="$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
  p99[$key]="$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
  total[$key]="$(awk '/requests in/ {print $1}' "$out")"
  non2xx[$key]="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
  non2xx[$key]="${non2xx[$key]:-0}"
  sockerr[$key]="$(awk '/Socket errors:/ {for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) s += $i; print s}' "$out")"
  sockerr[$key]="${sockerr[$key]:-0}"
  cpu[$key]="$(awk -v t=$((after - before)) -v hz="$hz" -v d="$DURATION" 'BEGIN {printf "%.2f", t / hz / d}')"
  us_per_req[$key]="$(awk -v t=$((after - before)) -v hz="$hz" -v n="${total[$key]}" 'BEGIN {printf "%.1f", (n > 0 ? t / hz / n * 1e6 : 0)}')"
  other[$key]="$(awk -v busy=$((busy_after - busy_before)) -v ours=$((ours_after - ours_before)) -v w="$wrk_seconds" \
      -v hz="$hz" -v d="$DURATION" 'BEGIN {o = ((busy - ours) / hz - w) / d; printf "%.2f", (o < 0 ? 0 : o)}')"
  if [ "${non2xx[$key]}" != 0 ] || [ "${sockerr[$key]}" != 0 ]; then
    failures+=("($key) $label: ${non2xx[$key]} non-2xx answers, ${sockerr[$key]} socket errors")
  fi
}

all_our_ticks() { echo $(($(cpu_ticks "$pid_upstream") + $(cpu_ticks "$pid_proxy") + $(cpu_ticks "$pid_vestibule"))); }

# check_relay key from-line expected-auth: every upstream request of that phase carried exactly that Authorization
check_relay() {
  local key="$1" from="$2" expected="$3" seen matching
  flush_wait
  seen="$(tail -n +"$((from + 1))" "$run_dir/upstream.access.log" | grep -c '^GET /v1/item ' || true)"
  matching="$(tail -n +"$((from + 1))" "$run_dir/upstream.access.log" | grep -cxF "GET /v1/item 200 auth=$expected" || true)"
  relay_note[$key]="upstream saw $seen requests, $matching with 200 and auth=$expected"
  if [ "$seen" -eq 0 ] || [ "$seen" != "$matching" ] || [ "$seen" -lt "${total[$key]}" ]; then
    failures+=("($key) relay check: ${relay_note[$key]} (wrk counted ${total[$key]})")
  fi
}

warm_up() {
  local authed=$((WARMUP * 5 / 6)) open=$((WARMUP - WARMUP * 5 / 6))
  log "warming the JVM up: ${authed}s on /api/item (cookie), ${open}s on /open/item"
  run_wrk warmup-authenticated "$authed" "http://127.0.0.1:$PORT_VESTIBULE/api/item" -H "Cookie: $cookie_header"
  run_end+=("(warm-up /api) $(date -u +%H:%M:%S)")
  run_wrk warmup-open "$open" "http://127.0.0.1:$PORT_VESTIBULE/open/item"
  run_end+=("(warm-up /open) $(date -u +%H:%M:%S)")
}

# ---------------------------------------------------------------- report

# Vestibule's ERROR/WARN lines, grouped by message (without the timestamp).
log_notes() {
  local count
  count="$(grep -c -E '^[0-9TZ:.-]+ (ERROR|WARN) ' "$run_dir/vestibule.log" || true)"
  [ "$count" -gt 0 ] || return 0
  echo
  echo "Vestibule log: $count ERROR/WARN line(s):"
  grep -E '^[0-9TZ:.-]+ (ERROR|WARN) ' "$run_dir/vestibule.log" | cut -d' ' -f2- | sort | uniq -c | sort -rn | head -5 | sed 's/^/  /'
  echo "  first at $(grep -m1 -E '^[0-9TZ:.-]+ (ERROR|WARN) ' "$run_dir/vestibule.log" | cut -d' ' -f1); load runs ended at ${run_end[*]}"
}

report() {
  local version java
  version="$(sed -n 's/.*Vestibule \([^ ]*\) listening.*/\1/p' "$run_dir/vestibule.log" | head -n1)"
  java="$(readlink -f "/proc/$pid_vestibule/exe" 2>/dev/null || echo java)"
  {
    echo "Vestibule proxy benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine:   $(machine)"
    echo "versions:  $(nginx -v 2>&1 | sed 's/^nginx version: //'), wrk $(wrk -v 2>&1 | awk 'NR==1 {print $2}'), vestibule ${version:-?} on $("$java" -version 2>&1 | head -n1)"
    echo "load:      wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency (generator shares the $(nproc) cores with everything else)"
    echo "nginx:     worker_processes $NGINX_WORKERS in both the upstream and the reference proxy"
    echo "warm-up:   ${WARMUP}s of load on Vestibule before measuring"
    echo "sessions:  $SESSION_STORE$([ "$SESSION_STORE" = redis ] && echo " (and refresh coordination, logouts, rate limits) at $REDIS_URL")"
    echo
    printf "$row_format" scenario "req/s" "p50 ms" "p99 ms" non-2xx errors "CPU cores" "CPU us/req" "other CPU"
    row a "(a) upstream direct (nginx A)"
    row b "(b) nginx reverse proxy"
    row c "(c) vestibule, session + bearer"
    row d "(d) vestibule, auth none"
    echo
    echo "CPU cores / CPU us/req: CPU used by the server under test (A for (a), B for (b), Vestibule for (c) and (d)),"
    echo "  on average over the run and per request. other CPU: cores used by processes outside this benchmark"
    echo "  (the machine is shared; ${background_before} cores were busy just before the start)."
    echo "relay check (upstream access log):"
    echo "  (b) ${relay_note[b]}"
    echo "  (c) ${relay_note[c]}"
    echo "  (d) ${relay_note[d]}"
    echo
    echo "vestibule/nginx throughput: $(ratio c b) (authenticated), $(ratio d b) (auth none)"
    log_notes
    if [ "${#failures[@]}" -gt 0 ]; then
      echo
      echo "PROBLEMS:"
      printf '  %s\n' "${failures[@]}"
    fi
  } | tee "$RESULT_FILE"
}

row_format='%-33s %8s %8s %8s %8s %7s %10s %11s %10s\n'
row() {
  printf "$row_format" "$2" "${rps[$1]}" "${p50[$1]}" "${p99[$1]}" "${non2xx[$1]}" "${sockerr[$1]}" "${cpu[$1]}" \
    "${us_per_req[$1]}" "${other[$1]}"
}

# ---------------------------------------------------------------- main

main() {
  require_tools
  require_free_ports
  run_dir="$(mktemp -d /tmp/vestibule-bench.XXXXXX)"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  build_vestibule
  check_quiet

  local started=$SECONDS
  start_nginx upstream "$here/upstream.nginx.conf"
  start_nginx proxy "$here/proxy.nginx.conf"
  start_vestibule
  wait_for "http://127.0.0.1:$PORT_UPSTREAM/v1/item" 200 10
  wait_for "http://127.0.0.1:$PORT_PROXY/api/item" 200 10
  wait_for "http://127.0.0.1:$PORT_VESTIBULE/healthz" 200 60
  log "all three servers up after $((SECONDS - started)) s (run directory $run_dir)"
  login
  smoke_test

  local mark
  mark="$(access_log_lines)"
  measure a "upstream direct" "$pid_upstream" "http://127.0.0.1:$PORT_UPSTREAM/v1/item"
  check_relay a "$mark" "-"

  mark="$(access_log_lines)"
  measure b "nginx proxy" "$pid_proxy" "http://127.0.0.1:$PORT_PROXY/api/item"
  check_relay b "$mark" "Bearer bench-token"

  warm_up

  mark="$(access_log_lines)"
  measure c "vestibule authenticated" "$pid_vestibule" "http://127.0.0.1:$PORT_VESTIBULE/api/item" -H "Cookie: $cookie_header"
  check_relay c "$mark" "Bearer bench-token"

  mark="$(access_log_lines)"
  measure d "vestibule auth none" "$pid_vestibule" "http://127.0.0.1:$PORT_VESTIBULE/open/item"
  check_relay d "$mark" "-"

  echo
  report
  log "done in $((SECONDS - started)) s (after the build check); results in ${RESULT_FILE#"$repo"/}"
  [ "${#failures[@]}" -eq 0 ]
}

main "$@"
