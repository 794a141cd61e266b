"""A small closed-loop HTTP load generator: N clients, each with its own keep-alive
connection, each sending its next request when the previous answer arrives."""

import http.client
import statistics
import threading
import time


def run(host, port, path, *, method="GET", body=b"", clients=16, seconds=10.0, headers=None, warmup=1.0):
    headers = headers or {}
    latencies, errors = [], []
    lock = threading.Lock()
    start_gate = threading.Barrier(clients + 1)
    state = {"measure_from": None, "stop_at": None}

    def client():
        conn = http.client.HTTPConnection(host, port, timeout=30)
        start_gate.wait()
        local, local_errors = [], 0
        while True:
            now = time.perf_counter()
            if now >= state["stop_at"]:
                break
            try:
                conn.request(method, path, body=body or None, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                ok = False
            done = time.perf_counter()
            if now >= state["measure_from"]:
                if ok:
                    local.append(done - now)
                else:
                    local_errors += 1
        conn.close()
        with lock:
            latencies.extend(local)
            errors.append(local_errors)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    begin = time.perf_counter()
    state["measure_from"] = begin + warmup
    state["stop_at"] = begin + warmup + seconds
    start_gate.wait()
    for thread in threads:
        thread.join()
    return summary(path, clients, seconds, latencies, sum(errors))


def summary(path, clients, seconds, latencies, errors):
    latencies = sorted(latencies)

    def pct(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000, 2) if latencies else None

    return {
        "path": path,
        "clients": clients,
        "seconds": round(seconds, 2),
        "requests": len(latencies),
        "errors": errors,
        "throughput_rps": round(len(latencies) / seconds, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else None,
        "_latencies": latencies,
    }


def combine(runs):
    """One summary over several runs of the same load (their requests and time added up)."""
    latencies = [value for run in runs for value in run["_latencies"]]
    seconds = sum(run["seconds"] for run in runs)
    result = summary(runs[0]["path"], runs[0]["clients"], seconds, latencies, sum(r["errors"] for r in runs))
    result.pop("_latencies")
    return result
