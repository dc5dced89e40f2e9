-- wrk script: sends the request bench/run.py describes in the environment, counts responses
-- whose status is not the expected one (wrk itself only counts status >= 400) and prints one
-- machine-readable line that bench/run.py parses:
--   BENCH_RESULT {"requests": ..., "rps": ..., "p50_us": ..., "p95_us": ..., "p99_us": ..., ...}
-- Latencies are in microseconds, as wrk measures them.
--
-- Environment: BENCH_EXPECT_STATUS (200 by default: any 2xx; another value: exactly that status,
-- e.g. 303 for a form that redirects), BENCH_METHOD and BENCH_BODY (a form POST; the headers,
-- cookie and content type included, come from wrk's -H options).

local threads = {}
local expected = tonumber(os.getenv("BENCH_EXPECT_STATUS") or "200")

if os.getenv("BENCH_METHOD") then
   wrk.method = os.getenv("BENCH_METHOD")
   wrk.body = os.getenv("BENCH_BODY") or ""
end

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   unexpected = 0
   redirects = 0
end

function response(status, headers, body)
   local ok
   if expected == 200 then
      ok = status >= 200 and status <= 299
   else
      ok = status == expected
   end
   if not ok then
      unexpected = unexpected + 1
      if status >= 300 and status < 400 then
         redirects = redirects + 1
      end
   end
end

function done(summary, latency, requests)
   local bad, moved = 0, 0
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("unexpected") or 0)
      moved = moved + (thread:get("redirects") or 0)
   end
   local seconds = summary.duration / 1e6
   local errors = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "duration_s": %.3f, "rps": %.2f, "bytes": %d, ' ..
      '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, ' ..
      '"unexpected": %d, "redirects": %d, "status_errors": %d, "connect_errors": %d, ' ..
      '"read_errors": %d, "write_errors": %d, "timeouts": %d}\n',
      summary.requests, seconds, summary.requests / seconds, summary.bytes,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max,
      bad, moved, errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
