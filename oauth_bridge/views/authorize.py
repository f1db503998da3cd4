"""The authorization endpoint (RFC 6749 §3.1): validate, ask the person, sign in, issue a code.

GET  /authorize/  validate the request (DOT/oauthlib + our RFC 8707 rule), then issue a
                  code at once if this person already approved this client for these
                  scopes, else show the consent page
POST /authorize/  the consent page's answer: deny, issue the code, or go to Entra first
                  (not signed in, or Microsoft permissions missing for these scopes)
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from oauth2_provider.exceptions import FatalClientError, OAuthToolkitError
from oauth2_provider.models import Application
from oauth2_provider.views.mixins import OAuthLibMixin

from oauth_bridge import entra
from oauth_bridge.pending import (
    CREDENTIAL_KEYS,
    PendingAuthorization,
    pending_store,
    pending_take,
    sign_in_store,
)
from oauth_bridge.scopes import BASE_GRAPH_PERMISSIONS, SCOPES_BY_NAME, graph_permissions_for
from oauth_bridge.selectors import approval_covers, graph_permissions_missing
from oauth_bridge.services import approval_record, client_touch
from oauth_bridge.views.common import (
    error_page,
    oauth_error_url,
    protected_page,
    signed_in_person,
    with_iss,
)


@method_decorator(protected_page, name="dispatch")
class AuthorizeView(OAuthLibMixin, View):  # type: ignore[misc]
    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except FatalClientError as error:
            # Unknown client or a redirect URI it never registered: never redirect
            # (RFC 6749 §4.1.2.1), or this endpoint becomes an open redirector.
            return error_page(
                request,
                title="This sign-in link is not valid",
                message=error.oauthlib_error.description or error.oauthlib_error.error,
            )
        except OAuthToolkitError as error:
            _redirect, response = self.error_response(error)
            return malformed_request_answer(request, with_iss(response["url"]))
        pending = PendingAuthorization(
            client_id=credentials["client_id"],
            scopes=sorted(scopes),
            credentials={key: credentials.get(key) for key in CREDENTIAL_KEYS},
        )
        problem = request_problem(request)
        if problem:
            return malformed_request_answer(
                request,
                oauth_error_url(
                    redirect_uri=pending.credentials["redirect_uri"],
                    state=pending.credentials["state"],
                    error=problem[0],
                    description=problem[1],
                ),
            )
        application = Application.objects.get(client_id=pending.client_id)
        person = signed_in_person(request)
        if person and self._approved(person, application, pending):
            return code_redirect(request, application, pending)
        pending_store(request, pending)
        return self._consent_page(request, application, pending)

    def post(self, request: HttpRequest) -> HttpResponse:
        pending = pending_take(request, request.POST.get("request", ""))
        application = pending and Application.objects.filter(client_id=pending.client_id).first()
        if pending is None or application is None:  # expired, used, or the client deleted since
            return error_page(
                request,
                title="This request has expired",
                message="Start again from your assistant.",
            )
        if "allow" not in request.POST:
            return HttpResponseRedirect(
                oauth_error_url(
                    redirect_uri=pending.credentials["redirect_uri"],
                    state=pending.credentials["state"],
                    error="access_denied",
                    description="The person did not allow access.",
                )
            )
        person = signed_in_person(request)
        if person and not graph_permissions_missing(user=person, scopes=pending.scopes):
            approval_record(user=person, application=application, scopes=pending.scopes)
            return code_redirect(request, application, pending)
        return self._sign_in_with_microsoft(request, pending)

    def _approved(
        self, person: User, application: Application, pending: PendingAuthorization
    ) -> bool:
        return approval_covers(
            user=person, application=application, scopes=pending.scopes
        ) and not graph_permissions_missing(user=person, scopes=pending.scopes)

    def _consent_page(
        self, request: HttpRequest, application: Application, pending: PendingAuthorization
    ) -> HttpResponse:
        return render(
            request,
            "oauth_bridge/consent.html",
            {
                "client": client_presentation(application),
                "redirect_host": urlsplit(pending.credentials["redirect_uri"]).netloc,
                "capabilities": [SCOPES_BY_NAME[name] for name in pending.scopes],
                "request_handle": pending.handle,
                "person": signed_in_person(request),
            },
        )

    def _sign_in_with_microsoft(
        self, request: HttpRequest, pending: PendingAuthorization
    ) -> HttpResponse:
        person = signed_in_person(request)
        permissions = graph_permissions_for_sign_in(person, pending.scopes)
        sign_in = entra.SignInRequest.new()
        sign_in_store(request, sign_in=sign_in, pending=pending, permissions=permissions)
        try:
            url = entra.authorization_url(
                sign_in=sign_in,
                redirect_uri=microsoft_callback_url(),
                permissions=permissions,
                login_hint=person.email if person else "",
            )
        except entra.EntraError:
            return error_page(
                request,
                status=503,
                title="Microsoft sign-in is unavailable",
                message="The server could not reach Microsoft. Try again shortly.",
            )
        return HttpResponseRedirect(url)


def request_problem(request: HttpRequest) -> tuple[str, str] | None:
    """What DOT accepts but an MCP authorization server must refuse, before any consent."""
    if request.GET.get("code_challenge_method") != "S256":
        # RFC 9700 §2.1.1: only S256; DOT would refuse `plain` only when issuing the code.
        return "invalid_request", "code_challenge_method must be S256."
    if request.GET.getlist("resource") != [settings.DEPLOYMENT.mcp_resource_url]:
        # RFC 8707 §2: MCP clients MUST send `resource`, and it must name this MCP server.
        return "invalid_target", f"resource must be {settings.DEPLOYMENT.mcp_resource_url}."
    return None


def code_redirect(
    request: HttpRequest, application: Application, pending: PendingAuthorization
) -> HttpResponse:
    """Issue the authorization code and send the browser back to the client."""
    credentials = {**pending.credentials, "resource": [settings.DEPLOYMENT.mcp_resource_url]}
    try:
        uri, _headers, _body, _status = OAuthLibMixin().create_authorization_response(
            request=request, scopes=" ".join(pending.scopes), credentials=credentials, allow=True
        )
    except OAuthToolkitError as error:
        return error_redirect(error)
    client_touch(application=application)
    return HttpResponseRedirect(uri)


def malformed_request_answer(request: HttpRequest, error_url: str) -> HttpResponse:
    """The error response to a malformed authorization request (RFC 6749 §4.1.2.1).

    A self-registered client's redirect URI was vetted by nobody, so the browser is not
    bounced there automatically: that would lend this server's domain to a phishing link
    (RFC 9700 §4.11.2). The person gets a page with the same error response as a link.
    """
    application = Application.objects.filter(client_id=request.GET.get("client_id", "")).first()
    if application is not None and client_presentation(application)["verified"]:
        return HttpResponseRedirect(error_url)
    return error_page(
        request,
        title="Your assistant sent an invalid sign-in request",
        message="Nothing was shared. Return to the assistant and try connecting again; if it "
        "keeps happening, the assistant needs an update.",
        return_url=error_url,
        client_name=application.name if application else "",
    )


def error_redirect(error: OAuthToolkitError) -> HttpResponse:
    _redirect, response = OAuthLibMixin().error_response(error)
    return HttpResponseRedirect(with_iss(response["url"]))


def graph_permissions_for_sign_in(person: User | None, scopes: list[str]) -> list[str]:
    """Incremental consent: ask Entra only for what is missing, plus the sign-in basics."""
    if person is None:
        return graph_permissions_for(scopes)
    missing = graph_permissions_missing(user=person, scopes=scopes)
    return list(dict.fromkeys([*BASE_GRAPH_PERMISSIONS, *missing]))


def microsoft_callback_url() -> str:
    return f"{settings.PUBLIC_URL}{reverse('oauth_bridge:microsoft-callback')}"


def client_presentation(application: Application) -> dict[str, Any]:
    source = application.registration_source
    cimd = source == Application.RegistrationSource.CIMD
    return {
        "name": application.name or "An unnamed application",
        "verified": source
        not in (Application.RegistrationSource.DCR, Application.RegistrationSource.CIMD),
        "metadata_host": urlsplit(application.client_id).netloc if cimd else "",
    }
