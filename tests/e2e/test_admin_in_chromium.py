"""The admin in a real browser: a superuser signs in through the login form of the served
server, opens every admin page with realistic data (two people, three clients, 200 audit
rows) and finds no token, secret or mail body in any of them; the dashboard's screenshot is
kept for CI (var/artifacts/admin-dashboard.png)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.e2e.browser import headless_chromium
from tests.processes import REPO, database_url, running_server, server_env

ARTIFACTS = REPO / "var" / "artifacts"
PASSWORD = "chromium-admin-password-1"
SECRETS = [
    "ms-access-SECRET-alice",
    "ms-refresh-SECRET-alice",
    "ms-access-SECRET-bob",
    "ms-refresh-SECRET-bob",
    "mcp-access-SECRET-alice",
    "mcp-refresh-SECRET-alice",
    "client-secret-SECRET-plain",
    "Dear Bob, the merger code word is BLUEBIRD",
    PASSWORD,
]
SEED = """
import json, os
from datetime import timedelta
from django.contrib.auth.models import User
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, RefreshToken, set_token_value
from graph_tools.services import connection_store
from mcp_gateway.models import ToolCall
from oauth_bridge.models import Approval, ClientProfile

now = timezone.now()
User.objects.create_superuser("root", "root@example.com", os.environ["SEED_ADMIN_PASSWORD"])
people = {}
for name in ("alice", "bob"):
    person = User.objects.create(username=f"tenant-1.{name}-oid", first_name=name.title(),
                                 email=f"{name}@contoso.example")
    connection_store(user=person, tenant_id="tenant-1", object_id=f"{name}-oid",
                     username=f"{name}@contoso.example", display_name=name.title(),
                     token_response={"access_token": f"ms-access-SECRET-{name}",
                                     "refresh_token": f"ms-refresh-SECRET-{name}",
                                     "expires_in": 3600},
                     granted_permissions=["User.Read", "Mail.Read", "Mail.Send"])
    people[name] = person
from graph_tools.models import MicrosoftConnection
MicrosoftConnection.objects.filter(user=people["bob"]).update(
    needs_sign_in=True, needs_sign_in_reason="refresh token expired (AADSTS700082)")

def client(name, source, **extra):
    return Application.objects.create(name=name, registration_source=source,
        client_type=extra.pop("client_type", "public"),
        authorization_grant_type="authorization-code", **extra)

claude = client("Claude", "dcr", redirect_uris="http://127.0.0.1:33418/callback")
vscode = client("VS Code", "cimd", client_id="https://vscode.example/oauth/client.json",
                redirect_uris="http://127.0.0.1:33419/callback https://vscode.dev/redirect")
internal = client("Internal portal", "manual", client_type="confidential",
                  redirect_uris="https://portal.example/cb",
                  client_secret="client-secret-SECRET-plain", hash_client_secret=False)
for person, app in ((people["alice"], claude), (people["bob"], claude), (people["alice"], vscode)):
    Approval.objects.create(user=person, application=app, scope="mail.read calendar.read")
access = AccessToken(user=people["alice"], application=claude, scope="mail.read",
                     expires=now + timedelta(hours=1),
                     resource=["http://127.0.0.1/mcp"])
set_token_value(access, "mcp-access-SECRET-alice")
access.save()
RefreshToken.objects.create(user=people["alice"], application=claude,
                            token="mcp-refresh-SECRET-alice", access_token=access)
ClientProfile.objects.create(application=claude, last_used_at=now)
outcomes = ["ok"] * 7 + ["tool_error", "denied", "rate_limited"]
tools = ["mail_list", "mail_send", "calendar_list", "whoami"]
for i in range(200):
    person = people["alice"] if i % 3 else people["bob"]
    app = (claude, vscode)[i % 2]
    call = ToolCall.objects.create(person=person, client=app, client_name=app.name,
                                   tool=tools[i % 4], outcome=outcomes[i % 10],
                                   duration_ms=40 + i, upstream_request_id=f"req-{i}")
    ToolCall.objects.filter(pk=call.pk).update(created_at=now - timedelta(hours=i * 3.4))
print(json.dumps({"people": [p.pk for p in people.values()],
                  "clients": [claude.pk, vscode.pk, internal.pk],
                  "connections": list(MicrosoftConnection.objects.values_list("pk", flat=True)),
                  "calls": list(ToolCall.objects.values_list("pk", flat=True)[:3])}))
"""


def seeded(env: dict[str, str]) -> dict[str, list[int]]:
    done = subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "shell", "-c", SEED],
        env=server_env({**env, "SEED_ADMIN_PASSWORD": PASSWORD}),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    ids: dict[str, list[int]] = json.loads(done.stdout.strip().splitlines()[-1])
    return ids


def pages(ids: dict[str, list[int]]) -> list[tuple[str, str]]:
    """(path, a text the page must show: proof it is the page, not the login form)."""
    listed = [
        ("/admin/", "Dashboard"),
        ("/admin/dashboard/", "Microsoft sign-in health"),
        ("/admin/auth/user/", "alice@contoso.example"),
        ("/admin/oauth2_provider/application/", "https://vscode.dev/redirect"),
        ("/admin/mcp_gateway/toolcall/", "200 tool calls"),
        ("/admin/mcp_gateway/toolcall/?outcome__exact=denied", "20 tool calls"),
        ("/admin/graph_tools/microsoftconnection/", "bob@contoso.example"),
        ("/admin/oauth_bridge/approval/", "calendar.read"),
        ("/admin/oauth2_provider/accesstoken/", "Claude"),
        ("/admin/oauth2_provider/refreshtoken/", "Claude"),
    ]
    listed += [(f"/admin/auth/user/{pk}/change/", "tool calls") for pk in ids["people"]]
    listed += [
        (f"/admin/oauth2_provider/application/{pk}/change/", "Redirect") for pk in ids["clients"]
    ]
    listed += [
        (f"/admin/graph_tools/microsoftconnection/{pk}/change/", "Mail.Send")
        for pk in ids["connections"]
    ]
    listed += [(f"/admin/mcp_gateway/toolcall/{pk}/change/", "req-") for pk in ids["calls"]]
    return listed


def test_it_shows_every_admin_page_without_secrets_in_chromium(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    env = {"DATABASE_URL": database_url(database)}
    with running_server(env=env, database=database) as url, headless_chromium() as browser:
        ids = seeded(env)
        browser.open(f"{url}/admin/login/?next=/admin/")
        browser.fill("#id_username", "root")
        browser.fill("#id_password", PASSWORD)
        browser.click('input[type="submit"]')
        browser.wait_for_url(f"{url}/admin/")
        for path, expected in pages(ids):
            browser.open(f"{url}{path}")
            html = browser.page_source()
            assert expected in html, (path, browser.text()[:500])
            for secret in SECRETS:
                assert secret not in html, (path, secret)
        browser.open(f"{url}/admin/dashboard/")
        assert "Last 30 days: 200 tool calls" in browser.text()
        browser.screenshot(ARTIFACTS / "admin-dashboard.png")
    assert (ARTIFACTS / "admin-dashboard.png").read_bytes().startswith(b"\x89PNG")
