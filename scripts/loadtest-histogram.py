"""Server-side latency quantiles of one load-test run, from two scrapes of /metrics (before and after).

Usage: loadtest-histogram.py BEFORE AFTER: prints srv_p50_ms, srv_p99_ms (answers 200) and srv_503_p99_ms
(refusals), each the upper bound of the histogram bucket that holds the quantile.
"""
import re
import sys

BUCKET = re.compile(r'^ghostnet_request_latency_seconds_bucket\{endpoint="classify",status="(\d+)",le="([^"]+)"\} (\S+)$')


def buckets(path):
    by_status = {}
    with open(path) as f:
        for line in f:
            m = BUCKET.match(line.strip())
            if m:
                le = float("inf") if m.group(2) == "+Inf" else float(m.group(2))
                by_status.setdefault(m.group(1), {})[le] = float(m.group(3))
    return by_status


def quantile(before, after, q):
    bounds = sorted(after)
    total = after[bounds[-1]] - before.get(bounds[-1], 0.0)
    if total <= 0:
        return float("nan")
    for le in bounds:
        if after[le] - before.get(le, 0.0) >= q * total:
            return le * 1000
    return float("inf")


before, after = buckets(sys.argv[1]), buckets(sys.argv[2])
ok_before, ok_after = before.get("200", {}), after.get("200", {})
no_before, no_after = before.get("503", {}), after.get("503", {})
print("srv_p50_ms=%.1f srv_p99_ms=%.1f srv_503_p99_ms=%.1f" % (
    quantile(ok_before, ok_after, 0.50) if ok_after else float("nan"),
    quantile(ok_before, ok_after, 0.99) if ok_after else float("nan"),
    quantile(no_before, no_after, 0.99) if no_after else float("nan")))
