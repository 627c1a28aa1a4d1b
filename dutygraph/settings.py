"""Settings in one place: environment variables (DUTYGRAPH_*) and command-line flags."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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
    registry: list[Path] = Field(
        default_factory=list, description="extra agency registry files or folders, added to the shipped one"
    )
    max_file_mb: float = Field(default=50.0, description="largest document accepted by the readers")


@lru_cache
def get_settings() -> Settings:
    return Settings()
