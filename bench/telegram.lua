-- wrk script: many people writing to the Telegram webhook (unique update_id per request).
dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")
local messages = load_messages("telegram.txt")
local secret = os.getenv("TG_SECRET") or ""

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
