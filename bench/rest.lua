-- wrk script: many people chatting through the REST channel. Bounded by MAX_REQUESTS per thread.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/common.lua")
local messages = load_messages("rest.txt")

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local user = (counter % users)
  local msg = messages[(math.floor(counter / users) % #messages) + 1]
  local body = string.format('{"sender":"load-%d-%d","message":%q}', thread_id, user, msg)
  return wrk.format(nil, wrk.path, nil, body)
end
