-- wrk script for a measure without caches: every request asks for a slightly different bbox
-- (its west edge moved by n × 1e-9 degrees, n counting the requests of all threads), so that no
-- answer is ever asked twice, by our server as by the peer; reports like report.lua.
dofile(os.getenv("ZONEDESK_BENCH_LUA") or "bench/lib/report.lua")

local threads = 0
setup = function(thread)
  track(thread)  -- report.lua's: collects the thread's non-2xx answers at the end
  thread:set("id", threads)
  threads = threads + 1
  thread:set("count", 0)
end

local prefix, west, rest, n, step
init = function(args)
  prefix, west, rest = string.match(wrk.path, "^(.-bbox=)([-%d%.]+)(.*)$")
  west = tonumber(west)
  n = tonumber(id) or 0
  step = 16  -- more than the threads wrk runs: their sequences never meet
end

request = function()
  n = n + step
  return wrk.format(nil, prefix .. string.format("%.9f", west - n * 1e-9) .. rest)
end
