"""Is the process up, does the database answer: for load balancers and `docker compose`."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ..deps import ServicesDep

router = APIRouter(tags=["operation"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "database unreachable"}})
def readyz(svc: ServicesDep) -> JSONResponse:
    """The database answers."""
    ready = svc.ping()
    return JSONResponse({"status": "ready" if ready else "unavailable"}, status_code=200 if ready else 503)
