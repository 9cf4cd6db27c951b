"""docker-compose.yml runs PostgreSQL and two replicas of the image on one database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_two_replicas_on_postgres() -> None:
    compose: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    services = compose["services"]
    assert services["postgres"]["image"].startswith("postgres:")
    bot = services["paperboy"]
    assert bot["build"] == "."
    assert bot["command"] == ["run"]
    assert bot["deploy"]["replicas"] == 2
    assert bot["environment"]["PAPERBOY_DATABASE_URL"].startswith("postgresql://")
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_the_dockerfile_installs_like_the_makefile() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install" in dockerfile
    assert "-c constraints.txt" in dockerfile
    assert "-c constraints.txt" in makefile
    assert "USER paperboy" in dockerfile
