"""A single-tenant deployment compares the ID token's ``tid`` with its tenant exactly: a
fragment of the issuer URL (a substring) is not that tenant."""

from __future__ import annotations

from dataclasses import replace

import pytest

from oauth_bridge import entra

TENANT = "aaaaaaaa-0000-4000-8000-000000000001"


@pytest.mark.parametrize("tid", ["aaaaaaaa", "login.microsoftonline.com", "v2.0", "0001", "/"])
def test_it_refuses_a_tid_that_is_only_part_of_the_issuer(settings, monkeypatch, tid) -> None:
    microsoft = replace(settings.DEPLOYMENT.microsoft, tenant_id=TENANT, allowed_tenants=())
    settings.DEPLOYMENT = replace(settings.DEPLOYMENT, microsoft=microsoft)
    monkeypatch.setattr(
        entra, "discovery", lambda: {"issuer": f"https://login.microsoftonline.com/{TENANT}/v2.0"}
    )
    assert not entra.tenant_allowed(tid)
