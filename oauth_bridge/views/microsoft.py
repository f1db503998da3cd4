"""Where Entra sends the person back: ``$PUBLIC_URL/oauth/microsoft/callback``.

Checks the single-use state, exchanges the code (PKCE + client secret), verifies the ID
token, signs the person in, stores their Microsoft tokens (graph_tools), records the
approval, and finishes the client's authorization request with a code, or with an OAuth
error redirect after explaining what went wrong.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from oauth2_provider.models import Application

from graph_tools.errors import ConnectionConflict, MicrosoftTokenError
from graph_tools.services import connection_store
from oauth_bridge import entra
from oauth_bridge.entra_errors import explain
from oauth_bridge.pending import PendingAuthorization, PendingSignIn, sign_in_take
from oauth_bridge.services import approval_record, person_from_claims
from oauth_bridge.views.authorize import code_redirect, microsoft_callback_url
from oauth_bridge.views.common import error_page, oauth_error_url, protected_page

logger = logging.getLogger(__name__)


@require_GET
@protected_page
def microsoft_callback(request: HttpRequest) -> HttpResponse:
    sign_in = sign_in_take(request, request.GET.get("state", ""))
    if sign_in is None:
        # Forged, replayed, expired or from another browser: there is no client request we
        # could safely answer, so only the person is told.
        return error_page(
            request,
            title="This sign-in could not be completed",
            message="The sign-in link was already used, has expired, or was "
            "started in another browser. Start again from your assistant.",
        )
    pending = PendingAuthorization(**sign_in.pending)
    if "error" in request.GET:
        return entra_error_page(
            request,
            pending,
            entra.EntraError(request.GET["error"], request.GET.get("error_description", "")),
        )
    try:
        token = entra.code_exchange(
            code=request.GET.get("code", ""),
            sign_in=sign_in.request,
            redirect_uri=microsoft_callback_url(),
            permissions=sign_in.permissions,
        )
        claims = entra.id_token_claims(
            id_token=token.get("id_token", ""), nonce=sign_in.request.nonce
        )
    except entra.EntraError as error:
        return entra_error_page(request, pending, error)
    return finish_sign_in(request, pending, sign_in, token, claims)


def finish_sign_in(
    request: HttpRequest,
    pending: PendingAuthorization,
    sign_in: PendingSignIn,
    token: dict[str, Any],
    claims: dict[str, Any],
) -> HttpResponse:
    person = person_from_claims(claims=claims)
    if not person.is_active:
        # Deactivated by an administrator: no sign-in, no stored Microsoft tokens, no code.
        return deactivated_page(request, pending)
    try:
        connection_store(
            user=person,
            tenant_id=claims["tid"],
            object_id=claims["oid"],
            username=str(claims.get("preferred_username", "")),
            display_name=str(claims.get("name", "")),
            token_response=token,
            granted_permissions=granted_permissions(token, sign_in.permissions),
        )
    except (ConnectionConflict, MicrosoftTokenError) as error:
        return entra_error_page(request, pending, entra.EntraError(type(error).__name__))
    # Signed in only once the Microsoft tokens are safely stored.
    login(request, person, backend="django.contrib.auth.backends.ModelBackend")
    application = Application.objects.get(client_id=pending.client_id)
    approval_record(user=person, application=application, scopes=pending.scopes)
    return code_redirect(request, application, pending)


def granted_permissions(token: dict[str, Any], requested: list[str]) -> list[str]:
    """Entra lists what it granted in ``scope``, with the Graph resource prefix."""
    granted = token.get("scope") or requested
    if isinstance(granted, str):
        granted = granted.split()
    return [str(permission).rsplit("/", 1)[-1] for permission in granted]


def deactivated_page(request: HttpRequest, pending: PendingAuthorization) -> HttpResponse:
    return error_page(
        request,
        status=403,
        title="Your access to this server has been turned off",
        message="An administrator has deactivated your account here. Ask them to restore it.",
        return_url=oauth_error_url(
            redirect_uri=pending.credentials["redirect_uri"],
            state=pending.credentials["state"],
            error="access_denied",
            description="The person's account is deactivated.",
        ),
    )


def entra_error_page(
    request: HttpRequest, pending: PendingAuthorization, error: entra.EntraError
) -> HttpResponse:
    logger.warning("Entra sign-in failed: %s %s", error.code, error.aadsts)
    explanation = explain(error)
    application = Application.objects.filter(client_id=pending.client_id).first()
    return error_page(
        request,
        title=explanation.title,
        message=explanation.advice,
        status=400,
        client_name=application.name if application else "",
        reference=error.aadsts,
        return_url=oauth_error_url(
            redirect_uri=pending.credentials["redirect_uri"],
            state=pending.credentials["state"],
            error=explanation.oauth_error,
            description=explanation.title,
        ),
    )
