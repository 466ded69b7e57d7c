-- wrk script for POST /auth/login: rotates over the benchmark users and counts the answers by status.
--   wrk -s login.lua ... http://host:port -- USERS [OUT_FILE]
-- User i (0-based) is user<i>@bench.test with password bench-password-<i> (what run.sh registers).
-- Each wrk thread starts at a different user. With one connection per thread (-tN -cN) a thread's requests and
-- answers strictly alternate, so the time from request() to response() is that request's latency: it is kept per
-- status, because the instant 503s of a full hashing pool would otherwise hide how long the logins that ran took.
-- (With several connections per thread the latencies mean nothing; the counts still hold.)
-- done() prints "status <code> <count> <p50 ms> <p99 ms> <mean ms>" per status (percentiles for 200 only; the
-- others print their mean and max), and "socket-errors <n>"; also written to OUT_FILE when given.
-- wrk 4.1 crashes when a table crosses from a thread to done() (thread:get), so only strings and numbers do.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *ts);
]]
local now_ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, now_ts) -- CLOCK_MONOTONIC
  return tonumber(now_ts.tv_sec) * 1000 + tonumber(now_ts.tv_nsec) / 1e6
end

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local requests, count, index, started, out_file
local seen = {}

function init(args)
  local users = tonumber(args[1] or "20")
  out_file = args[2]
  requests = {}
  for i = 0, users - 1 do
    local body = string.format('{"email":"user%d@bench.test","password":"bench-password-%d"}', i, i)
    requests[i + 1] = wrk.format("POST", "/auth/login", { ["Content-Type"] = "application/json" }, body)
  end
  count = #requests
  index = (id * 7) % count -- spread the threads over the users
  -- read by done() through thread:get, hence globals
  statuses = ""  -- "200 503 ..."
  ok_latencies = "" -- latencies of the 200s, space separated
end

function request()
  index = index % count + 1
  started = now_ms()
  return requests[index]
end

function response(status, headers, body)
  local ms = started and (now_ms() - started) or 0
  started = nil
  if not seen[status] then
    seen[status] = true
    statuses = statuses .. status .. " "
    _G["count_" .. status], _G["sum_" .. status], _G["max_" .. status] = 0, 0, 0
  end
  local n = "count_" .. status
  _G[n] = _G[n] + 1
  _G["sum_" .. status] = _G["sum_" .. status] + ms
  if ms > _G["max_" .. status] then _G["max_" .. status] = ms end
  if status == 200 then ok_latencies = ok_latencies .. string.format("%.2f ", ms) end
end

local function percentile(sorted, p)
  if #sorted == 0 then return 0 end
  return sorted[math.max(1, math.ceil(p / 100 * #sorted))]
end

function done(summary, latency, reqs)
  local totals, sums, maxima, ok = {}, {}, {}, {}
  for _, thread in ipairs(threads) do
    for status in string.gmatch(thread:get("statuses") or "", "%d+") do
      status = tonumber(status)
      totals[status] = (totals[status] or 0) + thread:get("count_" .. status)
      sums[status] = (sums[status] or 0) + thread:get("sum_" .. status)
      maxima[status] = math.max(maxima[status] or 0, thread:get("max_" .. status))
    end
    for v in string.gmatch(thread:get("ok_latencies") or "", "%S+") do ok[#ok + 1] = tonumber(v) end
  end
  table.sort(ok)
  local codes = {}
  for status in pairs(totals) do codes[#codes + 1] = status end
  table.sort(codes)
  local lines = {}
  for _, status in ipairs(codes) do
    local mean = sums[status] / totals[status]
    if status == 200 then
      lines[#lines + 1] = string.format("status 200 %d p50=%.2f p99=%.2f mean=%.2f max=%.2f", totals[status],
        percentile(ok, 50), percentile(ok, 99), mean, maxima[status])
    else
      lines[#lines + 1] = string.format("status %d %d mean=%.2f max=%.2f", status, totals[status], mean, maxima[status])
    end
  end
  local e = summary.errors
  lines[#lines + 1] = string.format("socket-errors %d", e.connect + e.read + e.write + e.timeout)
  local text = table.concat(lines, "\n") .. "\n"
  io.write(text)
  if out_file then
    local f = assert(io.open(out_file, "w"))
    f:write(text)
    f:close()
  end
end
