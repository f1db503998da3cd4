"""The fake runs as its own process, and points a server (settings or environment) at itself."""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import parse_qsl, urlsplit

import httpx2

from config.deployment import load_deployment
from tests.fakes.flows import CALLBACK, new_verifier
from tests.fakes.people import ALICE
from tests.fakes.tokens import s256
from tests.processes import REPO, free_port, server_env


def test_it_runs_as_a_separate_process() -> None:
    port = free_port()
    command = [sys.executable, "-m", "tests.fakes.microsoft", "--port", str(port)]
    command += ["--seed", "default", "--redirect-uri", CALLBACK, "--sign-in", "alice"]
    with subprocess.Popen(command, cwd=REPO, env=server_env(), stdout=subprocess.PIPE) as fake:
        try:
            assert fake.stdout is not None
            ready = json.loads(fake.stdout.readline())
            url, env = ready["url"], ready["env"]
            assert url == f"http://127.0.0.1:{port}"
            assert env["MICROSOFT_LOGIN_URL"] == env["MICROSOFT_GRAPH_URL"] == url
            verifier = new_verifier()
            authorized = httpx2.get(
                f"{url}/organizations/oauth2/v2.0/authorize",
                params={
                    "client_id": env["MICROSOFT_CLIENT_ID"],
                    "response_type": "code",
                    "redirect_uri": CALLBACK,
                    "scope": "openid profile offline_access User.Read",
                    "state": "s",
                    "nonce": "n",
                    "code_challenge": s256(verifier),
                    "code_challenge_method": "S256",
                },
            )
            code = dict(parse_qsl(urlsplit(authorized.headers["location"]).query))["code"]
            tokens = httpx2.post(
                f"{url}/organizations/oauth2/v2.0/token",
                data={
                    "client_id": env["MICROSOFT_CLIENT_ID"],
                    "client_secret": env["MICROSOFT_CLIENT_SECRET"],
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": CALLBACK,
                    "code_verifier": verifier,
                },
            ).json()
            me = httpx2.get(
                f"{url}/v1.0/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
            )
            assert me.json()["id"] == ALICE.oid
            counters = httpx2.get(f"{url}/_fake/counters").json()
            assert counters == {"authorize": 1, "token": {"authorization_code": 1}, "graph": 1}
        finally:
            fake.terminate()
            fake.wait(timeout=10)
    assert fake.returncode == 0


def test_it_answers_its_control_api(fake_microsoft) -> None:
    control = f"{fake_microsoft.url}/_fake"
    assert httpx2.post(f"{control}/redirect-uris", json={"uri": CALLBACK}).status_code == 200
    assert httpx2.post(f"{control}/sign-in", json={"person": "bob"}).status_code == 200
    assert httpx2.post(f"{control}/sign-in", json={"person": "mallory"}).status_code == 400
    issued = httpx2.post(f"{control}/tokens", json={"person": "alice", "scope": "User.Read"})
    me = httpx2.get(
        f"{fake_microsoft.url}/v1.0/me",
        headers={"Authorization": f"Bearer {issued.json()['access_token']}"},
    )
    assert me.json()["id"] == ALICE.oid
    assert fake_microsoft.state.signed_in is not None
    assert fake_microsoft.state.signed_in.key == "bob"
    assert CALLBACK in fake_microsoft.state.redirect_uris


def test_it_points_django_settings_at_the_fake(microsoft_settings, settings) -> None:
    microsoft = settings.DEPLOYMENT.microsoft
    assert microsoft.login_url == microsoft.graph_url == microsoft_settings.url
    assert microsoft.client_id == microsoft_settings.client_id
    assert microsoft.client_secret == microsoft_settings.client_secret
    assert microsoft.tenant_id == "organizations"


def test_its_environment_passes_the_servers_validation(fake_microsoft, tmp_path) -> None:
    deployment = load_deployment({**fake_microsoft.env(), "DEBUG": "true"}, var_dir=tmp_path)
    assert deployment.microsoft.login_url == fake_microsoft.url
    assert deployment.microsoft.graph_url == fake_microsoft.url
    assert deployment.microsoft.client_id == fake_microsoft.client_id
