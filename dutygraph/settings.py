"""Settings in one place: environment variables (DUTYGRAPH_*) and command-line flags.

Build them with :func:`load_settings`: a bad value is a :class:`SettingsError` whose message is
one line naming the variable (or the option) and the reason, never a validation traceback.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "DUTYGRAPH_"


class SettingsError(ValueError):
    """A setting (environment variable or option) with a value dutygraph cannot use."""


def path_list(value: Any) -> list[Path]:
    """Paths given as one path, a comma-separated list or a JSON list.

    >>> path_list("/etc/wuxi.yaml")
    [PosixPath('/etc/wuxi.yaml')]
    >>> path_list("a.yaml, more/")
    [PosixPath('a.yaml'), PosixPath('more')]
    >>> path_list('["with, comma.yaml"]')
    [PosixPath('with, comma.yaml')]
    >>> path_list("")
    []
    """
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{text!r} is not a JSON list of paths ({exc.msg})") from None
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"{text!r} is not a JSON list of paths")
        else:
            value = text.split(",")
    if isinstance(value, str | Path):
        value = [value]
    return [Path(str(v).strip()).expanduser() for v in value if str(v).strip()]


def default_home() -> Path:
    """Per-user data directory: $XDG_DATA_HOME/dutygraph, else ~/.local/share/dutygraph."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "dutygraph"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DUTYGRAPH_", extra="ignore")

    home: Path = Field(default_factory=default_home, description="data directory of the embedded database")
    db: str = Field(
        default="embedded",
        description="'embedded', 'falkordb://host:port' or 'neo4j://host:7687' (also bolt://, neo4j+s://)",
    )
    db_user: str = "neo4j"
    db_password: str = ""
    db_retry_seconds: float = Field(
        default=15.0, description="how long Neo4j transactions are retried on transient failures"
    )
    db_name: str = Field(default="dutygraph", description="graph name (FalkorDB) or database name (Neo4j)")
    db_query_memory_mb: int = Field(
        default=256,
        ge=16,
        description="memory one query may use in the embedded database (a 10,000-task document's write needs ~200 MB)",
    )
    registry: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="extra agency registry files or folders, added to the shipped one: a path, "
        "a comma-separated list or a JSON list",
    )
    max_file_mb: float = Field(default=50.0, description="largest document accepted by the readers")
    extract_workers: int = Field(
        default=0,
        ge=0,
        description="processes extracting a folder's files at once: 0 for one per CPU core (at most 8), "
        "1 for this process only; a folder under 2 MB is always extracted in this process",
    )
    ocr_confidence_threshold: float = Field(
        default=0.9,
        ge=0.0,
        le=1.0,
        description="unit names read by OCR with a lower confidence (0–1) are listed in the quality report to check",
    )

    # HTTP API
    api_keys: str = Field(
        default="",
        description="comma-separated KEY=scope+scope entries; scopes: read, cypher, write (e.g. s3cret=read+cypher)",
    )
    read_requires_key: bool = Field(
        default=False, description="require a key with the read scope even when listening on loopback"
    )
    cypher_timeout_ms: int = Field(default=1000, description="time limit of an ad-hoc /api/cypher query")
    cypher_max_rows: int = Field(default=1000, description="rows returned by /api/cypher at most (truncated beyond)")
    cypher_max_nesting: int = Field(
        default=10, ge=1, description="levels of nested expression an /api/cypher query may have"
    )
    cypher_max_chars: int = Field(default=10_000, ge=1, description="characters an /api/cypher query may have")
    upload_max_mb: float = Field(default=20.0, description="largest document accepted by POST /api/documents")
    answer_cache: int = Field(
        default=512, ge=0, description="recent API answers kept while the graph is unchanged (0: none kept)"
    )
    max_tasks_per_document: int = Field(
        default=10_000,
        ge=1,
        description="tasks one document may hold (a longer one is refused: its write would pass the "
        "database's memory cap for one query, and its listings and removal would crawl)",
    )
    body_max_kb: int = Field(
        default=1024,
        ge=1,
        description="largest request body other than a document upload (an /api/cypher query and its parameters)",
    )
    cypher_concurrency: int = Field(
        default=1,
        ge=1,
        description="ad-hoc /api/cypher queries run at once; more are answered 503 with Retry-After, "
        "so that heavy audit queries leave the database's other threads to the read endpoints",
    )
    allowed_hosts: str = Field(
        default="localhost,127.0.0.1,::1",
        description="comma-separated Host names the server answers while reads need no key (DNS rebinding)",
    )
    cors_origins: str = Field(default="", description="comma-separated origins allowed by CORS; empty: CORS off")

    @field_validator("registry", mode="before")
    @classmethod
    def _registry_paths(cls, value: Any) -> list[Path]:
        return path_list(value)

    @field_validator("registry")
    @classmethod
    def _registry_paths_exist(cls, value: list[Path]) -> list[Path]:
        for path in value:
            if not path.exists():
                raise ValueError(f"{path}: no such file or folder")
        return value

    @field_validator("api_keys")
    @classmethod
    def _api_keys_parse(cls, value: str) -> str:
        # Checked with the other settings, so that every command says it in one line (not a
        # traceback when the server first reads the keys); the message never shows a key.
        parse_api_keys(value)
        return value

    def extraction_workers(self) -> int:
        """How many processes extract a folder: ``extract_workers``, 0 meaning one per core (at most 8)."""
        return self.extract_workers or min(os.cpu_count() or 1, 8)

    def parsed_api_keys(self) -> dict[str, frozenset[str]]:
        """``DUTYGRAPH_API_KEYS`` as key → scopes.

        >>> Settings(api_keys="s3cret=read+cypher, w=write").parsed_api_keys()["s3cret"] == {"read", "cypher"}
        True
        """
        return parse_api_keys(self.api_keys)


def parse_api_keys(text: str) -> dict[str, frozenset[str]]:
    """Comma-separated ``KEY=scope+scope`` entries as key → scopes; a bad entry is named by its
    place, never by its text (it may be a key).

    >>> parse_api_keys("s3cret=read, oops")
    Traceback (most recent call last):
    ...
    ValueError: entries must look like KEY=read+cypher+write: entry 2 does not
    """
    keys: dict[str, frozenset[str]] = {}
    for number, entry in enumerate(filter(None, (e.strip() for e in text.split(","))), start=1):
        key, sep, scopes = entry.partition("=")
        wanted = frozenset(s.strip() for s in scopes.split("+") if s.strip())
        if not sep or not key or not wanted or not wanted <= {"read", "cypher", "write"}:
            raise ValueError(f"entries must look like KEY=read+cypher+write: entry {number} does not")
        keys[key] = wanted
    return keys


def load_settings(**overrides: Any) -> Settings:
    """The settings from the environment, with ``overrides`` (command-line options) on top.

    >>> load_settings(registry="/no/such/wuxi.yaml")
    Traceback (most recent call last):
    ...
    dutygraph.settings.SettingsError: --registry: /no/such/wuxi.yaml: no such file or folder
    """
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        name = f"--{field.replace('_', '-')}" if field in overrides else f"{ENV_PREFIX}{field.upper()}"
        reason = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{name}: {reason}") from None


@lru_cache
def get_settings() -> Settings:
    return load_settings()
