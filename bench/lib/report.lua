-- wrk reporting script: at the end of a run, print one JSON line with the throughput,
-- latency percentiles (milliseconds), every kind of socket error and every answer that was not
-- 2xx by status (wrk's own count takes only statuses above 399), for bench/suite.py to read.
-- Requests and headers come from the command line (wrk -H ...); nothing else is changed.

local threads = {}

-- every thread's state is its own: the main one collects their counts at the end
track = function(thread)
  table.insert(threads, thread)
end

setup = track

statuses = {}  -- in each thread: status -> how many answers that were not 2xx
response = function(status, headers, body)
  if status < 200 or status > 299 then
    statuses[status] = (statuses[status] or 0) + 1
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local total, parts = {}, {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      total[status] = (total[status] or 0) + n
    end
  end
  local non2xx = 0
  for status, n in pairs(total) do
    non2xx = non2xx + n
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  io.write(string.format(
    '\nWRK_JSON {"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_ms": %.3f, "p90_ms": %.3f, ' ..
    '"p99_ms": %.3f, "max_ms": %.3f, "errors": {"connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}, "non_2xx": %d, "statuses": {%s}}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout, non2xx, table.concat(parts, ", ")))
end
