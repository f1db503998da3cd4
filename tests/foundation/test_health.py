"""/healthz says the process is alive; /readyz checks what the process depends on."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.test import Client, override_settings

from tests.processes import free_port


def test_it_answers_healthz() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_it_is_ready_when_every_check_passes() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["configuration"] == "ok"


@pytest.mark.django_db
def test_it_names_redis_when_redis_is_down() -> None:
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "fail"
    assert response.json()["checks"]["redis"] == "fail: ConnectionError"
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_it_names_redis_as_ok_when_it_answers(redis_url) -> None:
    with override_settings(REDIS_URL=redis_url):
        response = Client().get("/readyz")
    assert response.json()["checks"]["redis"] == "ok"


@pytest.mark.django_db
def test_it_names_missing_microsoft_configuration(settings) -> None:
    microsoft = replace(settings.DEPLOYMENT.microsoft, client_secret="")
    settings.DEPLOYMENT = replace(settings.DEPLOYMENT, microsoft=microsoft)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["configuration"].startswith("fail: MICROSOFT_CLIENT_ID")


@pytest.mark.django_db(transaction=True)
def test_it_names_unapplied_migrations() -> None:
    from django.core.management import call_command

    call_command("migrate", "sessions", "zero", verbosity=0)
    try:
        response = Client().get("/readyz")
    finally:
        call_command("migrate", verbosity=0)
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("fail: migrations not applied")


def test_it_refuses_other_methods() -> None:
    assert Client().post("/healthz").status_code == 405
