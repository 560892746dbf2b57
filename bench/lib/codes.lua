-- wrk script for the public lookup of a dossier: every request asks for another dossier's code,
-- read from the file ZONEDESK_BENCH_CODES (one code a line, chosen at random by bench/suite.py),
-- each thread its own sequence through them, so that no answer is asked twice in a row and no
-- cache holds them; reports like report.lua.
dofile(os.getenv("ZONEDESK_BENCH_LUA") or "bench/lib/report.lua")

local threads = 0
setup = function(thread)
  track(thread)  -- report.lua's: collects the thread's non-2xx answers at the end
  thread:set("id", threads)
  threads = threads + 1
end

local codes, prefix, n
init = function(args)
  codes = {}
  for line in io.lines(os.getenv("ZONEDESK_BENCH_CODES")) do
    if line ~= "" then codes[#codes + 1] = line end
  end
  prefix = string.match(wrk.path, "^(.-code=)")
  n = (tonumber(id) or 0) * 7919
end

request = function()
  n = n + 1
  return wrk.format(nil, prefix .. codes[(n % #codes) + 1])
end
