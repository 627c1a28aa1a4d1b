"""What the routes depend on, as FastAPI dependencies: the services, and the API key checks.

``create_app`` puts one :class:`~dutygraph.services.Services` and one :class:`~.security.Access`
on ``app.state``; a route asks for them here and never builds its own::

    @router.get("/api/documents", dependencies=[ReadKey])
    def documents(svc: ServicesDep) -> ...:
        return svc.documents()

``ReadKey``, ``CypherKey`` and ``WriteKey`` check the ``X-API-Key`` header for their scope (a read
is open on loopback unless configured otherwise); the header shows in the OpenAPI document, which
is how ``api/openapi.py`` knows an operation answers 401 and 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, cast

from fastapi import Depends, Header, Request

from dutygraph.services import Services

from .security import Access


def get_services(request: Request) -> Services:
    return cast(Services, request.app.state.services)


def get_access(request: Request) -> Access:
    return cast(Access, request.app.state.access)


ServicesDep = Annotated[Services, Depends(get_services)]
AccessDep = Annotated[Access, Depends(get_access)]


def _key_check(scope: str) -> Callable[..., None]:
    def check(
        access: AccessDep,
        x_api_key: Annotated[str | None, Header(description="an API key with the scope needed")] = None,
    ) -> None:
        access.check(scope, x_api_key)

    check.__name__ = f"{scope}_key"
    return check


ReadKey = Depends(_key_check("read"))
CypherKey = Depends(_key_check("cypher"))
WriteKey = Depends(_key_check("write"))
