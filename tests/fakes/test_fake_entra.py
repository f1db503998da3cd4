"""The fake Entra ID answers discovery, keys, /authorize and logout like the real one."""

from __future__ import annotations

import base64

import httpx2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.fakes.aadsts import AUTHORIZE_FAILURES
from tests.fakes.flows import CALLBACK, authorize, redirect_params, sign_in
from tests.fakes.people import CONTOSO, FABRIKAM


def discovery(fake, tenant: str) -> httpx2.Response:
    return httpx2.get(f"{fake.url}/{tenant}/v2.0/.well-known/openid-configuration")


def test_it_publishes_the_issuer_template_for_multi_tenant_authorities(fake_microsoft) -> None:
    for tenant in ("organizations", "common", "consumers"):
        response = discovery(fake_microsoft, tenant)
        document = response.json()
        assert response.status_code == 200
        assert document["issuer"] == f"{fake_microsoft.url}/{{tenantid}}/v2.0"
        base = f"{fake_microsoft.url}/{tenant}"
        assert document["authorization_endpoint"] == f"{base}/oauth2/v2.0/authorize"
        assert document["token_endpoint"] == f"{base}/oauth2/v2.0/token"
        assert document["jwks_uri"] == f"{base}/discovery/v2.0/keys"
        assert "client_secret_basic" in document["token_endpoint_auth_methods_supported"]
        assert response.headers["cache-control"] == "max-age=86400, private"


@pytest.mark.parametrize("segment", [CONTOSO.id, CONTOSO.domain, CONTOSO.id.upper()])
def test_it_names_the_tenant_in_a_single_tenant_document(fake_microsoft, segment) -> None:
    document = discovery(fake_microsoft, segment).json()
    assert document["issuer"] == f"{fake_microsoft.url}/{CONTOSO.id}/v2.0"
    assert document["token_endpoint"] == f"{fake_microsoft.url}/{CONTOSO.id}/oauth2/v2.0/token"


def test_it_refuses_an_unknown_tenant(fake_microsoft) -> None:
    response = discovery(fake_microsoft, "nowhere.example.com")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_tenant"
    assert response.json()["error_codes"] == [90002]


def test_it_publishes_rsa_keys_with_their_certificates(fake_microsoft) -> None:
    response = httpx2.get(f"{fake_microsoft.url}/organizations/discovery/v2.0/keys")
    [key] = response.json()["keys"]
    assert (key["kty"], key["use"], key["e"]) == ("RSA", "sig", "AQAB")
    assert key["kid"] == key["x5t"]
    assert key["issuer"] == f"{fake_microsoft.url}/{{tenantid}}/v2.0"
    certificate = x509.load_der_x509_certificate(base64.b64decode(key["x5c"][0]))
    public = certificate.public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    n = int.from_bytes(base64.urlsafe_b64decode(key["n"] + "=" * (-len(key["n"]) % 4)), "big")
    assert public.public_numbers().n == n


def test_it_redirects_back_with_a_code_state_and_session_state(fake_microsoft) -> None:
    fake_microsoft.register_redirect_uri(CALLBACK)
    fake_microsoft.sign_in_as("alice")
    params = redirect_params(authorize(fake_microsoft, state="xyz"))
    assert set(params) == {"code", "state", "session_state"}
    assert params["state"] == "xyz"
    [record] = fake_microsoft.authorize_requests
    assert (record.person, record.error) == ("alice", None)
    assert record.params["code_challenge_method"] == "S256"


def test_it_signs_in_the_person_a_login_hint_names(fake_microsoft) -> None:
    fake_microsoft.register_redirect_uri(CALLBACK)
    redirect_params(authorize(fake_microsoft, login_hint="BOB@contoso.onmicrosoft.com"))
    assert fake_microsoft.authorize_requests[0].person == "bob"


def test_it_shows_a_sign_in_page_when_nobody_is_signed_in(fake_microsoft) -> None:
    fake_microsoft.register_redirect_uri(CALLBACK)
    response = authorize(fake_microsoft)
    assert response.status_code == 200
    assert "sign_in_as" in response.text
    assert "location" not in response.headers


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"redirect_uri": "http://127.0.0.1:8000/elsewhere"}, "AADSTS50011"),
        ({"redirect_uri": ""}, "AADSTS900144"),
        ({"client_id": "00000000-0000-0000-0000-000000000000"}, "AADSTS700016"),
        ({"client_id": ""}, "AADSTS900144"),
    ],
)
def test_it_never_redirects_for_a_bad_client_or_redirect_uri(
    fake_microsoft, overrides, code
) -> None:
    fake_microsoft.register_redirect_uri(CALLBACK)
    fake_microsoft.sign_in_as("alice")
    response = authorize(fake_microsoft, **overrides)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert code in response.text


@pytest.mark.parametrize("name", sorted(AUTHORIZE_FAILURES))
def test_it_redirects_with_each_injected_failure(fake_microsoft, name) -> None:
    fake_microsoft.register_redirect_uri(CALLBACK)
    fake_microsoft.sign_in_as("alice")
    fake_microsoft.fail_next_authorize(name)
    failure = AUTHORIZE_FAILURES[name]
    params = redirect_params(authorize(fake_microsoft, state="s-9"))
    assert params["error"] == failure.error
    description = params["error_description"]
    assert description.startswith(f"AADSTS{failure.code}: ")
    assert "\r\nTrace ID: " in description
    assert "\r\nCorrelation ID: " in description
    assert params["error_uri"] == f"{fake_microsoft.url}/error?code={failure.code}"
    assert params["state"] == "s-9"
    assert "code" not in params
    assert "code" in redirect_params(authorize(fake_microsoft))  # only the next one fails


def test_it_reports_a_declined_consent_as_entra_words_it(fake_microsoft) -> None:
    fake_microsoft.register_redirect_uri(CALLBACK)
    fake_microsoft.sign_in_as("alice")
    fake_microsoft.fail_next_authorize("user_declined")
    params = redirect_params(authorize(fake_microsoft))
    assert params["error"] == "access_denied"
    assert params["error_description"].startswith(
        "AADSTS65004: User declined to consent to access the app."
    )


@pytest.mark.parametrize(
    ("overrides", "error", "code"),
    [
        ({"response_type": "token"}, "unsupported_response_type", 700051),
        ({"response_type": ""}, "invalid_request", 900144),
        ({"scope": ""}, "invalid_request", 900144),
        ({"scope": "openid Mail.Fly"}, "invalid_scope", 70011),
        ({"scope": "openid api://other/read"}, "invalid_scope", 70011),
        ({"code_challenge_method": "plain"}, "invalid_request", 50149),
        ({"code_challenge_method": "S512"}, "invalid_request", 50149),
        ({"code_challenge": "too-short"}, "invalid_request", 501491),
        ({"code_challenge": "", "code_challenge_method": ""}, "invalid_request", 900144),
        ({"state": ""}, "invalid_request", 900144),
        ({"nonce": ""}, "invalid_request", 900144),
    ],
)
def test_it_redirects_with_an_error_for_a_bad_request(
    fake_microsoft, overrides, error, code
) -> None:
    fake_microsoft.register_redirect_uri(CALLBACK)
    fake_microsoft.sign_in_as("alice")
    params = redirect_params(authorize(fake_microsoft, **overrides))
    assert params["error"] == error
    assert params["error_description"].startswith(f"AADSTS{code}: ")


def test_it_accepts_what_real_entra_accepts_when_not_strict(fake_microsoft) -> None:
    fake_microsoft.knobs.strict = False
    fake_microsoft.register_redirect_uri(CALLBACK)
    fake_microsoft.sign_in_as("alice")
    response = authorize(
        fake_microsoft, state="", nonce="", code_challenge_method="plain", scope="User.Read"
    )
    assert "code" in redirect_params(response)


def test_it_needs_a_session_for_a_silent_sign_in(fake_microsoft) -> None:
    fake_microsoft.register_redirect_uri(CALLBACK)
    params = redirect_params(authorize(fake_microsoft, prompt="none"))
    assert (params["error"], params["error_description"][:13]) == (
        "login_required",
        "AADSTS50058: ",
    )


def test_it_needs_consent_before_a_silent_sign_in_asks_for_more(fake_microsoft) -> None:
    sign_in(fake_microsoft, "alice", scope="openid profile User.Read")
    more = "openid profile User.Read Mail.Read"
    params = redirect_params(authorize(fake_microsoft, prompt="none", scope=more))
    assert (params["error"], params["error_description"][:13]) == (
        "consent_required",
        "AADSTS65001: ",
    )
    sign_in(fake_microsoft, "alice", scope=more)
    assert "code" in redirect_params(authorize(fake_microsoft, prompt="none", scope=more))


def test_it_records_consent_per_person(fake_microsoft) -> None:
    sign_in(fake_microsoft, "alice", scope="openid https://graph.microsoft.com/mail.read")
    assert fake_microsoft.granted("alice") == {"Mail.Read"}
    assert fake_microsoft.granted("bob") == frozenset()


def test_it_keeps_people_out_of_other_tenants(fake_microsoft) -> None:
    fake_microsoft.register_redirect_uri(CALLBACK)
    fake_microsoft.sign_in_as("outsider")
    params = redirect_params(authorize(fake_microsoft, tenant=CONTOSO.id))
    assert params["error"] == "access_denied"
    assert params["error_description"].startswith("AADSTS50020: ")
    assert "code" in redirect_params(authorize(fake_microsoft, tenant=FABRIKAM.domain))
    assert "code" in redirect_params(authorize(fake_microsoft, tenant="organizations"))


def test_it_answers_in_a_fragment_or_a_form_post_when_asked(fake_microsoft) -> None:
    fake_microsoft.register_redirect_uri(CALLBACK)
    fake_microsoft.sign_in_as("alice")
    fragment = authorize(fake_microsoft, response_mode="fragment")
    assert fragment.headers["location"].startswith(f"{CALLBACK}#code=")
    form_post = authorize(fake_microsoft, response_mode="form_post", state="<s>")
    assert form_post.status_code == 200
    assert f'action="{CALLBACK}"' in form_post.text
    assert 'name="state" value="&lt;s&gt;"' in form_post.text


def test_it_signs_out_and_returns_only_to_a_registered_uri(fake_microsoft) -> None:
    fake_microsoft.register_redirect_uri(CALLBACK)
    fake_microsoft.sign_in_as("alice")
    logout = f"{fake_microsoft.url}/organizations/oauth2/v2.0/logout"
    response = httpx2.get(logout, params={"post_logout_redirect_uri": CALLBACK})
    assert response.headers["location"] == CALLBACK
    assert authorize(fake_microsoft).status_code == 200  # the sign-in page: nobody is in
    elsewhere = httpx2.get(logout, params={"post_logout_redirect_uri": "https://evil.example"})
    assert elsewhere.status_code == 200
    assert "location" not in elsewhere.headers
