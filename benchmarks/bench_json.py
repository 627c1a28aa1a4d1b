"""The share of JSON encoding in an uncached agency-tasks request (issue 14, item 2: orjson only
"where the profile says it matters").

    .venv/bin/python benchmarks/bench_json.py

Loads the seed documents into a temporary embedded graph, times 200 requests of
``GET /api/agencies/省大数据局/tasks?limit=50`` through the real app (FastAPI ``TestClient``, in
process), each with a query parameter the route ignores so that none is answered from the answers the
API keeps (api/middleware.py), then times ``JSONResponse.render`` of that answer's body (the stdlib
``json.dumps(ensure_ascii=False)`` FastAPI ends with) alone.  A profiler does not see the request: the
test client runs the app in a thread of its own.
"""

# ruff: noqa: E402
import itertools
import tempfile
import time
import timeit
import warnings
from pathlib import Path

warnings.simplefilter("ignore")
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from dutygraph.api.app import create_app
from dutygraph.graph.store.embedded import EmbeddedServer
from dutygraph.services import Services
from dutygraph.settings import Settings

home = Path(tempfile.mkdtemp(prefix="dutygraph-json-share-"))
svc = Services(Settings(home=home, db="embedded"))
assert svc.load_samples().ok
api = TestClient(create_app(svc.settings, svc), base_url="http://localhost")
url = "/api/agencies/省大数据局/tasks"
n = itertools.count()
for _ in range(20):
    api.get(url, params={"limit": 50, "unkept": next(n)}).raise_for_status()
t0 = time.perf_counter()
for _ in range(200):
    api.get(url, params={"limit": 50, "unkept": next(n)}).raise_for_status()
per = (time.perf_counter() - t0) / 200
body = api.get(url, params={"limit": 50, "unkept": -1}).json()
render = JSONResponse(body).render
k = 2000
enc = timeit.timeit(lambda: render(body), number=k) / k
print(f"per request (uncached, in-process TestClient): {per * 1000:.2f} ms; body {len(render(body))} bytes")
print(
    f"JSONResponse.render (json.dumps ensure_ascii=False): {enc * 1000:.3f} ms = {enc / per * 100:.1f} % of a request"
)
svc.close()
EmbeddedServer(home).stop()
