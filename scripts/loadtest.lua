-- wrk script of scripts/loadtest: POSTs the image named by GHOSTNET_IMAGE to /v1/classify and counts the
-- answers by status, so that refusals (503) are told apart from errors.
local file = assert(io.open(os.getenv("GHOSTNET_IMAGE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/octet-stream"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, refused, other = 0, 0, 0
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
  elseif status == 503 then
    refused = refused + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local o, r, x = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok")
    r = r + t:get("refused")
    x = x + t:get("other")
  end
  local e = summary.errors
  io.write(string.format(
    "wrk_requests=%d wrk_ok=%d wrk_503=%d wrk_other=%d wrk_socket_errors=%d wrk_seconds=%.2f wrk_rps=%.1f wrk_p50_ms=%.2f wrk_p99_ms=%.2f\n",
    summary.requests, o, r, x, e.connect + e.read + e.write + e.timeout, summary.duration / 1e6,
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
