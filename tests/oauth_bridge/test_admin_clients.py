"""The Clients page: every client with its registration source, redirect URIs, last use and
number of people (one query however many clients), never its secret; "delete unused" removes
only self-registered clients nobody can use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from oauth_bridge.models import Approval, ClientProfile
from tests.oauth_bridge.conftest import make_client

pytestmark = pytest.mark.django_db
CLIENTS = "/admin/oauth2_provider/application/"


def token(client: Application, person, *, expires_in: timedelta) -> None:
    AccessToken.objects.create(
        user=person,
        application=client,
        token=f"token-{client.pk}-{person.pk}-{expires_in}",
        expires=timezone.now() + expires_in,
        scope="mail.read",
    )


@pytest.fixture
def three_clients(alice, bob, outsider) -> dict[str, Application]:
    claude = make_client(
        name="Claude",
        redirect_uris="http://127.0.0.1:33418/callback https://claude.example/oauth/cb",
    )
    cimd = make_client(name="Metadata Assistant", source="cimd")
    manual = make_client(name="Pre-registered", source="manual")
    Approval.objects.create(user=alice, application=claude, scope="mail.read")
    Approval.objects.create(user=bob, application=claude, scope="mail.read")
    token(claude, bob, expires_in=timedelta(hours=1))  # bob once, however he holds it
    token(claude, outsider, expires_in=-timedelta(hours=1))  # expired: not a user any more
    token(cimd, alice, expires_in=timedelta(hours=1))
    ClientProfile.objects.create(application=claude, last_used_at=timezone.now())
    return {"claude": claude, "cimd": cimd, "manual": manual}


def test_it_lists_source_redirect_uris_last_use_and_people(admin_browser, three_clients) -> None:
    response = admin_browser.get(CLIENTS)
    people = {client.name: client.people_count for client in response.context["cl"].result_list}
    assert people == {"Claude": 2, "Metadata Assistant": 1, "Pre-registered": 0}
    html = response.content.decode()
    for shown in (
        "Dynamic Client Registration",
        "Client ID Metadata Document",
        "Manual",
        "http://127.0.0.1:33418/callback",
        "https://claude.example/oauth/cb",
    ):
        assert shown in html
    last_used = {client.name: client.last_used_at for client in response.context["cl"].result_list}
    assert last_used["Claude"] is not None
    assert last_used["Pre-registered"] is None


def test_it_counts_people_in_one_query_however_many_clients(admin_browser, three_clients) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_browser.get(CLIENTS).status_code == 200
        return len(captured)

    few = queries()
    for i in range(5):
        make_client(name=f"More {i}")
    assert queries() == few


def test_it_never_renders_a_client_secret(admin_browser) -> None:
    plain = make_client(name="Plain secret", client_type="confidential")
    Application.objects.filter(pk=plain.pk).update(
        client_secret="plain-secret-value-0123456789", hash_client_secret=False
    )
    hashed = make_client(name="Hashed secret", client_type="confidential")
    stored_hash = Application.objects.values_list("client_secret", flat=True).get(pk=hashed.pk)
    pages = [CLIENTS, f"{CLIENTS}{plain.pk}/change/", f"{CLIENTS}{hashed.pk}/change/"]
    for url in pages:
        response = admin_browser.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        for secret in ("plain-secret-value-0123456789", "s3cret-client-secret", stored_hash):
            assert secret not in html, url
        assert 'name="client_secret"' not in html
    assert admin_browser.get(f"{CLIENTS}add/").status_code == 403


def test_it_keeps_the_secret_when_a_client_is_edited(admin_browser) -> None:
    client = make_client(name="Edited", client_type="confidential")
    stored = Application.objects.values_list("client_secret", flat=True).get(pk=client.pk)
    page = admin_browser.get(f"{CLIENTS}{client.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(
        {
            "name": "Renamed",
            "profile-TOTAL_FORMS": "1",
            "profile-INITIAL_FORMS": "0",
            "approvals-TOTAL_FORMS": "0",
            "approvals-INITIAL_FORMS": "0",
        }
    )
    response = admin_browser.post(f"{CLIENTS}{client.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.refresh_from_db()
    assert client.name == "Renamed"
    assert client.client_secret == stored


def test_it_deletes_only_unused_self_registered_clients(admin_browser, alice) -> None:
    unused = make_client(name="Unused DCR")
    manual = make_client(name="Pre-registered", source="manual")
    used = make_client(name="In use")
    token(used, alice, expires_in=timedelta(hours=1))
    response = admin_browser.post(
        CLIENTS,
        {
            "action": "delete_unused_clients",
            "_selected_action": [unused.pk, manual.pk, used.pk],
        },
        follow=True,
    )
    assert set(Application.objects.values_list("name", flat=True)) == {"Pre-registered", "In use"}
    assert "Deleted 1 unused client(s); kept 2" in response.content.decode()
