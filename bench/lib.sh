# Helpers shared by the bench/*/run.sh scripts; sourced, not run. They use the caller's globals
# (run_dir, pids, rps) the way each script sets them up.

log() { echo "[bench $(date +%H:%M:%S)] $*" >&2; }

die() { echo "bench: $*" >&2; exit 1; }

require_tools() {
  local missing=()
  for tool in nginx wrk curl; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    die "missing tool(s): ${missing[*]}. Install with: apt-get update && apt-get install -y nginx wrk curl"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_nginx() { # name template
  local name="$1" conf="$run_dir/$1.nginx.conf"
  render "$2" "$conf"
  mkdir -p "$run_dir/$name-tmp"
  nginx -t -q -p "$run_dir" -c "$conf" 2>"$run_dir/$name.check.log" \
    || { cat "$run_dir/$name.check.log" >&2; die "nginx config for $name is invalid"; }
  nginx -p "$run_dir" -c "$conf" 2>>"$run_dir/$name.error.log" &
  pids+=("$!")
  eval "pid_$name=$!"
}

wait_for() { # url expected-status seconds
  local deadline=$((SECONDS + $3)) code
  while [ "$SECONDS" -lt "$deadline" ]; do
    code="$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$1" || true)"
    [ "$code" = "$2" ] && return 0
    sleep 0.2
  done
  die "$1 did not answer $2 within $3 s (last: ${code:-none}); see the logs in $run_dir"
}

# CPU time (clock ticks) used so far by a process and its children (nginx master + workers; the JVM's threads).
cpu_ticks() {
  local sum=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    [ -r "/proc/$pid/stat" ] || continue
    sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$sum"
}

# Clock ticks all CPUs spent busy so far (user, nice, system, irq, softirq, steal).
busy_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

flush_wait() { sleep 1.5; } # the upstream's access log is buffered and flushed every second

access_log_lines() {
  flush_wait
  wc -l <"$run_dir/upstream.access.log"
}

to_ms() { # wrk latency (12.3us, 4.5ms, 1.2s) -> milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
    printf "%.2f", n }'
}

machine() {
  local model
  model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
  echo "$(nproc) CPU(s), ${model:-unknown CPU}, $(uname -sr), $(awk '/MemTotal/ {printf "%.1f GiB RAM", $2 / 1048576}' /proc/meminfo)"
}

ratio() { awk -v a="${rps[$1]}" -v b="${rps[$2]}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
