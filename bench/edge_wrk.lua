-- wrk script for bench/edge.py: the paths of a file, in order, each thread
-- taking every n-th, at a fixed rate per thread. wrk is closed-loop (each
-- connection waits for its answer); here each answer's next request is
-- given the next free slot of the thread's schedule, so with enough
-- connections (each mostly idle) requests leave at the scheduled rate
-- whatever the answers' speed, and bench/edge.py reports the rate reached.
--   wrk -s bench/edge_wrk.lua ... -- <paths file> <rate per second>
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } kb_timeval;
int gettimeofday(kb_timeval *tv, void *tz);
]]
local tv = ffi.new("kb_timeval")
local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end

local threads = {}
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local paths, index, step, interval, slot

function init(args)
  step = #threads > 0 and #threads or 2
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  local rate = tonumber(args[2])
  local n = tonumber(args[3] or "2")
  interval = 1000 * n / rate -- ms between requests of this thread
  index = id + 1
  step = n
  slot = nil
end

function request()
  local path = paths[index]
  index = index + step
  if index > #paths then index = (index - 1) % step + 1 end
  return wrk.format("GET", path)
end

function delay()
  local now = now_ms()
  if slot == nil then slot = now end
  slot = slot + interval
  local wait = slot - now
  if wait < 0 then return 0 end
  return wait
end

function done(summary, latency, requests)
  local out = string.format(
    '{"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "p999_us": %d, "max_us": %d}',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max)
  io.write("KB-RESULT " .. out .. "\n")
end
