"""create_client pre-registers one client per name and shows a secret only when it creates one."""

from __future__ import annotations

import re
import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from oauth2_provider.models import Application

from oauth_bridge.models import ClientProfile
from tests.processes import REPO, database_url, server_env

WEB = "https://assistant.example.com/oauth/callback"
LOOPBACK = "http://127.0.0.1:33418/callback"


def create(*args: str) -> str:
    out = StringIO()
    call_command("create_client", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def field(output: str, name: str) -> str:
    match = re.search(rf"^{name}: (\S+)$", output, re.M)
    assert match, output
    return match.group(1)


def test_it_creates_a_confidential_client_and_shows_its_secret_once(db) -> None:
    output = create("--name", "Acme Assistant", "--redirect-uri", WEB, "--confidential")
    client_id, secret = field(output, "client_id"), field(output, "client_secret")
    application = Application.objects.get()
    assert application.client_id == client_id
    assert application.client_type == Application.CLIENT_CONFIDENTIAL
    assert application.registration_source == Application.RegistrationSource.MANUAL
    assert application.redirect_uris == WEB
    assert application.client_secret != secret
    assert check_password(secret, application.client_secret)
    assert ClientProfile.objects.get(application=application).application_type == "web"
    again = create("--name", "Acme Assistant", "--redirect-uri", WEB, "--confidential")
    assert f"exists already: client_id {client_id}" in again
    assert secret not in again
    assert Application.objects.count() == 1


def test_it_creates_a_public_client_without_a_secret(db) -> None:
    output = create("--name", "Desk App", "--redirect-uri", LOOPBACK, "--public")
    assert "client_secret" not in output
    assert "none (public client, PKCE S256)" in output
    application = Application.objects.get()
    assert application.client_type == Application.CLIENT_PUBLIC
    assert ClientProfile.objects.get(application=application).application_type == "native"


def test_it_takes_several_redirect_uris_in_any_order(db) -> None:
    create("--name", "Both", "--redirect-uri", WEB, "--redirect-uri", LOOPBACK)
    output = create("--name", "Both", "--redirect-uri", LOOPBACK, "--redirect-uri", WEB)
    assert "exists already" in output
    assert Application.objects.get().redirect_uris.split() == [WEB, LOOPBACK]
    assert ClientProfile.objects.get().application_type == "web"


def test_it_refuses_other_settings_for_an_existing_name(db) -> None:
    create("--name", "Acme Assistant", "--redirect-uri", WEB)
    with pytest.raises(CommandError, match="a client named 'Acme Assistant' exists with other"):
        create("--name", "Acme Assistant", "--redirect-uri", WEB, "--confidential")
    with pytest.raises(CommandError, match="exists with other settings"):
        create("--name", "Acme Assistant", "--redirect-uri", LOOPBACK)
    assert Application.objects.count() == 1


def test_it_leaves_self_registered_clients_of_the_same_name_alone(db) -> None:
    Application.objects.create(
        name="Claude",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://claude.ai/api/mcp/auth_callback",
        registration_source=Application.RegistrationSource.DCR,
    )
    assert "Created" in create("--name", "Claude", "--redirect-uri", WEB)
    assert Application.objects.filter(name="Claude").count() == 2


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("http://assistant.example.com/cb", "must use https, or http on a loopback address"),
        ("https://assistant.example.com/cb#x", "must not have a fragment"),
        ("https://user:pw@assistant.example.com/cb", "must not carry credentials"),
    ],
)
def test_it_refuses_a_redirect_uri_registration_refuses(db, uri: str, problem: str) -> None:
    with pytest.raises(CommandError, match=problem):
        create("--name", "Acme", "--redirect-uri", uri)
    assert not Application.objects.exists()


def test_it_only_says_what_it_would_do_in_a_dry_run(db) -> None:
    output = create("--name", "Acme", "--redirect-uri", WEB, "--confidential", "--dry-run")
    assert output == (
        f"dry run: would create the confidential client 'Acme' (redirect URIs {WEB})\n"
    )
    assert not Application.objects.exists()
    create("--name", "Acme", "--redirect-uri", WEB, "--confidential")
    again = create("--name", "Acme", "--redirect-uri", WEB, "--confidential", "--dry-run")
    assert again.startswith("dry run: The client 'Acme' exists already")


def test_it_refuses_public_and_confidential_at_once(db) -> None:
    with pytest.raises(CommandError, match="not allowed with argument"):
        create("--name", "Acme", "--redirect-uri", WEB, "--public", "--confidential")


def test_it_creates_one_client_when_two_runs_race(tmp_path) -> None:
    env = server_env(
        {
            "DATABASE_URL": database_url(tmp_path / "db"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, timeout=120)
    command = [*manage, "create_client", "--name", "Racer", "--redirect-uri", WEB, "--confidential"]
    runs = [
        subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], outputs
    assert sum("client_secret: " in output for output in outputs) == 1, outputs
    client_ids = {
        re.search(r"client_id:? (\w+)", output).group(1)  # type: ignore[union-attr]
        for output in outputs
    }
    assert len(client_ids) == 1, outputs
    count = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from oauth2_provider.models import Application as A; "
            "print(A.objects.filter(name='Racer').count())",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert count.stdout.splitlines()[-1] == "1"
