-- wrk script: many people chatting through the REST channel. Bounded by MAX_REQUESTS per thread.
local messages = {
  "halo", "/check_offer", '/choose{"value": "paste"}',
  "Dicari admin online di Kamboja gaji 15jt, visa turis, bayar 5 juta untuk proses, berangkat minggu depan",
  "menu", "sy mau krj ke taiwan gmn caranya", "bantuan apa saja untuk korban tppo?", "1", "tidak",
  "sentra terdekat dari kupang", "makasih", "hello", "is PT Maju Jaya licensed?", "/menu",
}
local users = tonumber(os.getenv("USERS") or "400")
local max_requests = tonumber(os.getenv("MAX_REQUESTS") or "100000")
local counter, thread_id, sent = 0, 0, 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local user = (counter % users)
  local msg = messages[(math.floor(counter / users) % #messages) + 1]
  local body = string.format('{"sender":"load-%d-%d","message":%q}', thread_id, user, msg)
  body = body:gsub("\\\n", "\\n")
  return wrk.format(nil, wrk.path, nil, body)
end

function response(status, headers, body)
  sent = sent + 1
  if status >= 400 then errors_http = (errors_http or 0) + 1 end
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
