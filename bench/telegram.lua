-- wrk script: many people writing to the Telegram webhook (unique update_id per request).
local messages = {
  "halo", "menu", "sy mau krj ke taiwan gmn caranya", "bantuan apa saja untuk korban tppo?",
  "Dicari admin online di Kamboja gaji 15jt, visa turis, bayar 5 juta untuk proses",
  "sentra terdekat dari kupang", "makasih", "hello",
}
local users = tonumber(os.getenv("USERS") or "400")
local max_requests = tonumber(os.getenv("MAX_REQUESTS") or "100000")
local secret = os.getenv("TG_SECRET") or ""
local counter, thread_id, sent = 0, 0, 0
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Telegram-Bot-Api-Secret-Token"] = secret
end

function request()
  counter = counter + 1
  local user = 1000000 + thread_id * 100000 + (counter % users)
  local msg = messages[(math.floor(counter / users) % #messages) + 1]
  local update_id = thread_id * 100000000 + counter
  local body = string.format(
    '{"update_id":%d,"message":{"message_id":%d,"date":1700000000,"text":%q,' ..
    '"chat":{"id":%d,"type":"private"},"from":{"id":%d,"is_bot":false,"first_name":"L"}}}',
    update_id, counter, msg, user, user)
  return wrk.format(nil, wrk.path, nil, body)
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
