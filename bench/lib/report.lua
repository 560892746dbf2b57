-- wrk reporting script: at the end of a run, print one JSON line with the throughput,
-- latency percentiles (milliseconds) and every kind of error, for bench/suite.py to read.
-- Requests and headers come from the command line (wrk -H ...); nothing else is changed.

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '\nWRK_JSON {"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_ms": %.3f, "p90_ms": %.3f, ' ..
    '"p99_ms": %.3f, "max_ms": %.3f, "errors": {"connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.connect, e.read, e.write, e.status, e.timeout))
end
