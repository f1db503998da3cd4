"""django-oauth-toolkit's request validator, tightened for an MCP authorization server."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from oauth2_provider.models import AccessToken, Application, RefreshToken
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import Request
from oauthlib.oauth2.rfc6749 import errors

from oauth_bridge.models import ClientProfile, RedeemedCode
from oauth_bridge.redirects import redirect_uri_problem

logger = logging.getLogger(__name__)


def checksum(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class InvalidTargetError(errors.OAuth2Error):  # type: ignore[misc]
    # RFC 8707 §2: the requested resource is invalid, unknown or malformed.
    error = "invalid_target"
    status_code = 400

    @property
    def headers(self) -> dict[str, str]:
        # Raised while the token is being saved, outside oauthlib's own error handling, so
        # the JSON content type and RFC 6749 §5.1 no-store must be set here.
        return {
            "Content-Type": "application/json",
            "Cache-Control": "no-store",
            "Pragma": "no-cache",
        }


class McpOAuth2Validator(OAuth2Validator):  # type: ignore[misc]
    """Adds what DOT leaves optional and an MCP server must enforce:

    - RFC 8707: every code and token is bound to exactly our MCP resource; DOT treats a token
      without ``resource`` as unrestricted, we refuse it.
    - Disabled clients can neither authorize, exchange, refresh nor use tokens.
    - Only the grants RFC 8414 metadata advertises: a client_credentials token would name no
      person who approved it.
    - http redirect URIs only on loopback (RFC 8252 §7.3).
    - A replayed authorization code revokes the tokens issued from it (RFC 6749 §4.1.2).
    """

    def _load_application(self, client_id: str, request: Request) -> Application | None:
        application = super()._load_application(client_id, request)
        if application is not None and client_is_disabled(application):
            request.client = None
            return None
        return application

    def validate_grant_type(
        self,
        client_id: str,
        grant_type: str,
        client: Application,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        if grant_type not in oauth2_settings.OAUTH2_GRANT_TYPES_SUPPORTED:
            return False
        return bool(
            super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)
        )

    def validate_redirect_uri(
        self, client_id: str, redirect_uri: str, request: Request, *args: Any, **kwargs: Any
    ) -> bool:
        if redirect_uri_problem(redirect_uri):
            return False
        return bool(
            super().validate_redirect_uri(client_id, redirect_uri, request, *args, **kwargs)
        )

    def get_default_redirect_uri(
        self, client_id: str, request: Request, *args: Any, **kwargs: Any
    ) -> str | None:
        # Used when the request names no redirect_uri (RFC 6749 §3.1.2.3); oauthlib then
        # skips validate_redirect_uri, so the policy is applied here. None is a fatal error
        # shown to the person, never a redirect.
        uri: str | None = super().get_default_redirect_uri(client_id, request, *args, **kwargs)
        return None if uri is None or redirect_uri_problem(uri) else uri

    def _check_and_set_request_resource(self, request: Request) -> None:
        sent = getattr(request, "resource", None)
        if request.grant_type == "authorization_code" and not sent:
            # MCP authorization, "Resource Parameter Implementation": clients MUST send it.
            raise InvalidTargetError(
                description="The resource parameter is required.", request=request
            )
        try:
            super()._check_and_set_request_resource(request)
        except errors.CustomOAuth2Error as refused:  # DOT's "cannot escalate" refusals
            raise InvalidTargetError(description=refused.description, request=request) from None
        if request.resource != [settings.DEPLOYMENT.mcp_resource_url]:
            raise InvalidTargetError(
                description=f"The resource must be {settings.DEPLOYMENT.mcp_resource_url}.",
                request=request,
            )

    def validate_bearer_token(self, token: str, scopes: list[str], request: Request) -> bool:
        if not super().validate_bearer_token(token, scopes, request):
            return False
        access_token = request.access_token
        if access_token.resource != [settings.DEPLOYMENT.mcp_resource_url]:
            request.oauth2_error = {
                "error": "invalid_token",
                "error_description": "The token is not for this resource.",
            }
            return False
        if client_is_disabled(access_token.application):
            request.oauth2_error = {
                "error": "invalid_token",
                "error_description": "The client has been disabled.",
            }
            return False
        return True

    def save_bearer_token(
        self, token: dict[str, Any], request: Request, *args: Any, **kwargs: Any
    ) -> None:
        super().save_bearer_token(token, request, *args, **kwargs)
        if request.grant_type == "authorization_code":
            refresh = RefreshToken.objects.filter(
                token_checksum=checksum(token.get("refresh_token", ""))
            ).first()
            RedeemedCode.objects.create(
                code_checksum=checksum(request.code),
                access_token_checksum=checksum(token["access_token"]),
                token_family=refresh.token_family if refresh else None,
            )

    def validate_code(
        self,
        client_id: str,
        code: str,
        client: Application,
        request: Request,
        *args: Any,
        **kwargs: Any,
    ) -> bool:
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            return True
        redeemed = RedeemedCode.objects.filter(code_checksum=checksum(code)).first()
        if redeemed is not None:
            logger.warning(
                "authorization code replayed for client %s; revoking its tokens", client.pk
            )
            tokens_revoke_for_code(redeemed)
        return False


def client_is_disabled(application: Application) -> bool:
    return ClientProfile.objects.filter(application=application, disabled_at__isnull=False).exists()


def tokens_revoke_for_code(redeemed: RedeemedCode) -> None:
    """Revoke the first access token and every refresh token rotated from the code's."""
    RefreshToken.revoke_family(redeemed.token_family)
    for access_token in AccessToken.objects.filter(token_checksum=redeemed.access_token_checksum):
        access_token.revoke()
