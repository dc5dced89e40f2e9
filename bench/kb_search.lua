-- wrk script of bench/kb_search.py: cycles through the request paths listed one per line in the
-- file BENCH_PATHS (URL-encoded queries), each thread from its own offset, and prints one
-- machine-readable line like bench/report.lua:
--   BENCH_RESULT {"requests": ..., "rps": ..., "p50_us": ..., "p95_us": ..., "p99_us": ..., ...}
-- Responses other than 2xx are counted as "unexpected".

local threads = {}
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
   if line ~= "" then
      table.insert(paths, line)
   end
end

function setup(thread)
   thread:set("offset", #threads * 7)
   table.insert(threads, thread)
end

function init(args)
   unexpected = 0
   position = offset or 0
end

function request()
   position = position + 1
   return wrk.format("GET", paths[(position % #paths) + 1])
end

function response(status, headers, body)
   if status < 200 or status > 299 then
      unexpected = unexpected + 1
   end
end

function done(summary, latency, requests)
   local bad = 0
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("unexpected") or 0)
   end
   local seconds = summary.duration / 1e6
   local errors = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "duration_s": %.3f, "rps": %.2f, "bytes": %d, ' ..
      '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, ' ..
      '"unexpected": %d, "status_errors": %d, "connect_errors": %d, ' ..
      '"read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
      summary.requests, seconds, summary.requests / seconds, summary.bytes,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max,
      bad, errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
