-- Shared by the wrk scripts (rest.lua, telegram.lua): the messages people send (bench/messages/,
-- also read by bench/paced.py), per-thread ids, the MAX_REQUESTS cap and the RESULT line
-- bench/load.py reads.
local dir = os.getenv("BENCH_DIR") or "bench"

function load_messages(name)
  local list = {}
  for line in io.lines(dir .. "/messages/" .. name) do
    if line ~= "" then table.insert(list, line) end
  end
  return list
end

users = tonumber(os.getenv("USERS") or "400")
max_requests = tonumber(os.getenv("MAX_REQUESTS") or "100000")
counter, thread_id, sent = 0, 0, 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function response(status, headers, body)
  sent = sent + 1
  if sent >= max_requests then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"errors": %d, "non2xx": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.connect + e.read + e.write + e.timeout, e.status))
end
