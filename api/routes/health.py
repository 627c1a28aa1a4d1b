"""Is the process up, does the database answer: for load balancers and `docker compose`."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ..deps import ServicesDep
from ..middleware import RETRY_AFTER_SECONDS

router = APIRouter(tags=["operation"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "database unreachable, or its queries stuck"}})
def readyz(svc: ServicesDep) -> JSONResponse:
    """The database answers a query in time (not only a ping: a database whose threads are all busy
    still answers those)."""
    ready = svc.ready()
    headers = {} if ready else {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return JSONResponse(
        {"status": "ready" if ready else "unavailable"}, status_code=200 if ready else 503, headers=headers
    )
