"""Entra ID errors as the real service words and shapes them.

Wire shapes: /work/shared/reference/microsoft-wire-shapes.md §1.3 (authorize error redirect) and
§1.6 (token error body). Messages are the documented or captured AADSTS wordings.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any


class EntraError(Exception):
    """An error Entra reports: the OAuth ``error``, the AADSTS number and its message."""

    def __init__(
        self,
        error: str,
        code: int,
        message: str,
        *,
        status: int = 400,
        suberror: str | None = None,
    ) -> None:
        super().__init__(f"{error}: AADSTS{code}: {message}")
        self.error = error
        self.code = code
        self.message = message
        self.status = status
        self.suberror = suberror  # token endpoint: consent_required, bad_token, basic_action


class Trace:
    """The ids and time every Entra error carries; each failed request gets fresh ones."""

    def __init__(self) -> None:
        self.trace_id = str(uuid.uuid4())
        self.correlation_id = str(uuid.uuid4())
        self.timestamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")

    def describe(self, error: EntraError) -> str:
        # Real descriptions end with the trace lines, separated by CRLF (§1.6).
        return (
            f"AADSTS{error.code}: {error.message}\r\nTrace ID: {self.trace_id}\r\n"
            f"Correlation ID: {self.correlation_id}\r\nTimestamp: {self.timestamp}"
        )


def token_error_body(error: EntraError, *, login_url: str) -> dict[str, Any]:
    trace = Trace()
    body: dict[str, Any] = {
        "error": error.error,
        "error_description": trace.describe(error),
        "error_codes": [error.code],
        "timestamp": trace.timestamp,
        "trace_id": trace.trace_id,
        "correlation_id": trace.correlation_id,
        "error_uri": f"{login_url}/error?code={error.code}",
    }
    if error.suberror:
        body["suberror"] = error.suberror
    return body


def redirect_error_params(error: EntraError, *, login_url: str) -> dict[str, str]:
    """The query of an error redirect (real capture: error, error_description, error_uri)."""
    return {
        "error": error.error,
        "error_description": Trace().describe(error),
        "error_uri": f"{login_url}/error?code={error.code}",
    }


# --- The catalogue: one constructor per case the fake reports ------------------------------


def missing_parameter(name: str) -> EntraError:
    return EntraError(
        "invalid_request",
        900144,
        f"The request body must contain the following parameter: '{name}'.",
    )


def malformed_request() -> EntraError:
    # Repeated parameters (RFC 6749 §3.1: parameters MUST NOT be included more than once),
    # a body that is not a form, or a value too long for any real token or code.
    return EntraError(
        "invalid_request", 9002313, "Invalid request. Request is malformed or invalid."
    )


def unknown_tenant(tenant: str) -> EntraError:
    return EntraError(
        "invalid_tenant",
        90002,
        f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are "
        "signing into the correct cloud.",
    )


def unknown_client(client_id: str) -> EntraError:
    return EntraError(
        "unauthorized_client",
        700016,
        f"Application with identifier '{client_id}' was not found in the directory. This can "
        "happen if the application has not been installed by the administrator of the tenant.",
    )


def redirect_mismatch(redirect_uri: str, client_id: str) -> EntraError:
    return EntraError(
        "invalid_request",
        50011,
        f"The redirect URI '{redirect_uri}' specified in the request does not match the "
        f"redirect URIs configured for the application '{client_id}'.",
    )


def person_not_in_tenant(username: str, tid: str, tenant: str, app: str) -> EntraError:
    return EntraError(
        "access_denied",
        50020,
        f"User account '{username}' from identity provider 'https://sts.windows.net/{tid}/' "
        f"does not exist in tenant '{tenant}' and cannot access the application '{app}' in that "
        "tenant. The account needs to be added as an external user in the tenant first.",
    )


def invalid_scope(scope: str) -> EntraError:
    return EntraError(
        "invalid_scope",
        70011,
        f"The provided value for the input parameter 'scope' isn't valid. The scope {scope} "
        "isn't valid.",
    )


def consent_missing(client_id: str, app: str) -> EntraError:
    return EntraError(
        "invalid_grant",
        65001,
        f"The user or administrator has not consented to use the application with ID "
        f"'{client_id}' named '{app}'. Send an interactive authorization request for this user "
        "and resource.",
        suberror="consent_required",
    )


def invalid_client_secret() -> EntraError:
    return EntraError("invalid_client", 7000215, "Invalid client secret provided.", status=401)


def missing_client_secret() -> EntraError:
    return EntraError(
        "invalid_client",
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or "
        "'client_secret'.",
        status=401,
    )


def client_secret_expired(client_id: str) -> EntraError:
    return EntraError(
        "invalid_client",
        7000222,
        f"The provided client secret keys for app '{client_id}' are expired. Visit the Azure "
        "portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider "
        "using certificate credentials for added security: https://aka.ms/certCreds.",
        status=401,
    )


def tenant_required_for_app_token() -> EntraError:
    # Captured for /common and /consumers; the fake answers /organizations the same way, as an
    # app-only token needs one tenant to act in (wording there unverified).
    return EntraError(
        "invalid_request",
        9001023,
        "The grant type is not supported over the /common or /consumers endpoints. Please use "
        "the /organizations or tenant-specific endpoint.",
    )


def default_scope_required(scope: str) -> EntraError:
    return EntraError(
        "invalid_scope",
        1002012,
        f"The provided value for scope {scope} is not valid. Client credential flows must have "
        "a scope value with /.default suffixed to the resource identifier (application ID URI).",
    )


def invalid_code() -> EntraError:
    return EntraError(
        "invalid_grant", 70000, "The provided value for the 'code' parameter is not valid."
    )


def code_redeemed() -> EntraError:
    return EntraError(
        "invalid_grant",
        54005,
        "OAuth2 Authorization code was already redeemed, please retry with a new valid code or "
        "use an existing refresh token.",
    )


def code_expired() -> EntraError:
    return EntraError(
        "invalid_grant",
        70008,
        "The provided authorization code or refresh token has expired due to inactivity. Send a "
        "new interactive authorization request for this user and resource.",
    )


def reply_address_mismatch(given: str, expected: str) -> EntraError:
    return EntraError(
        "invalid_client",
        500112,
        f"The reply address '{given}' does not match the reply address '{expected}' provided "
        "when requesting Authorization code.",
        status=401,
    )


def verifier_missing() -> EntraError:
    return EntraError(
        "invalid_grant",
        50148,
        "The code_verifier does not match the code_challenge supplied in the authorization "
        "request for PKCE.",
    )


def verifier_mismatch() -> EntraError:
    return EntraError(
        "invalid_grant",
        501481,
        "The Code_Verifier does not match the code_challenge supplied in the authorization "
        "request.",
    )


def invalid_challenge_method() -> EntraError:
    return EntraError("invalid_request", 50149, "Invalid Code_Challenge_method parameter.")


def invalid_challenge_size() -> EntraError:
    return EntraError("invalid_request", 501491, "Invalid size of Code_Challenge parameter.")


def invalid_refresh_token() -> EntraError:
    return EntraError("invalid_grant", 70000, "Provided grant is invalid or malformed.")


def refresh_token_revoked() -> EntraError:
    return EntraError(
        "invalid_grant",
        50173,
        "The provided grant has expired due to it being revoked, a fresh auth token is needed. "
        "The user might have changed or reset their password.",
        suberror="bad_token",
    )


def refresh_token_expired(issued: str) -> EntraError:
    return EntraError(
        "invalid_grant",
        700082,
        f"The refresh token has expired due to inactivity. The token was issued on {issued} and "
        "was inactive for 90.00:00:00.",
    )


def unsupported_grant_type(grant_type: str) -> EntraError:
    return EntraError(
        "unsupported_grant_type",
        70003,
        f"The app requested an unsupported grant type '{grant_type}'.",
    )


def unsupported_response_type(response_type: str) -> EntraError:
    return EntraError(
        "unsupported_response_type",
        700051,
        f"response_type '{response_type}' is not enabled for the application.",
    )


def login_required() -> EntraError:
    return EntraError(
        "login_required",
        50058,
        "A silent sign-in request was sent but no user is signed in.",
    )


def silent_consent_required(client_id: str, app: str) -> EntraError:
    error = consent_missing(client_id, app)
    return EntraError("consent_required", error.code, error.message)


# Named failures a test can inject at /authorize (fake.fail_next_authorize("user_declined")).
AUTHORIZE_FAILURES: dict[str, EntraError] = {
    "user_declined": EntraError(
        "access_denied", 65004, "User declined to consent to access the app."
    ),
    "consent_required": EntraError(
        "consent_required",
        65001,
        "The user or administrator has not consented to use the application. Send an "
        "interactive authorization request for this user and resource.",
    ),
    "admin_approval": EntraError("access_denied", 90094, "The grant requires admin permission."),
    "interaction_required": EntraError(
        "interaction_required",
        50076,
        "Due to a configuration change made by your administrator, or because you moved to a "
        "new location, you must use multi-factor authentication to access "
        "'00000003-0000-0000-c000-000000000000'.",
    ),
    "conditional_access": EntraError(
        "access_denied", 53003, "Access has been blocked by Conditional Access policies."
    ),
    "login_required": login_required(),
    "server_error": EntraError(
        "server_error", 90033, "A transient error has occurred. Please try again."
    ),
    "temporarily_unavailable": EntraError(
        "temporarily_unavailable", 90033, "A transient error has occurred. Please try again."
    ),
}
