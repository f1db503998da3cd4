"""Entra's errors in words a person can act on, and the OAuth error the client gets.

AADSTS codes: Microsoft identity platform, "Microsoft Entra authentication and
authorization error codes".
"""

from __future__ import annotations

from dataclasses import dataclass

from oauth_bridge.entra import EntraError


@dataclass(frozen=True)
class Explanation:
    title: str
    advice: str
    oauth_error: str  # RFC 6749 §4.1.2.1 error code for the client


ADMIN = (
    "Ask your Microsoft 365 administrator to grant consent to this server's app "
    "registration in Microsoft Entra, then try again."
)
BY_AADSTS = {
    "AADSTS65004": Explanation(
        "You declined the Microsoft permissions",
        "Start again from your assistant and accept the permissions when Microsoft asks.",
        "access_denied",
    ),
    "AADSTS65001": Explanation("Microsoft needs your consent first", ADMIN, "access_denied"),
    "AADSTS90094": Explanation(
        "Your administrator must approve these permissions", ADMIN, "access_denied"
    ),
    "AADSTS90095": Explanation(
        "Your administrator must approve these permissions", ADMIN, "access_denied"
    ),
    "AADSTS50105": Explanation(
        "You are not assigned to this application",
        "Ask your administrator to assign you to the app in Microsoft Entra.",
        "access_denied",
    ),
    "AADSTS700016": Explanation(
        "This server's Microsoft app registration was not found",
        "The server's MICROSOFT_CLIENT_ID or tenant is wrong; tell your administrator.",
        "server_error",
    ),
    "AADSTS7000215": Explanation(
        "This server's Microsoft client secret is wrong or expired",
        "Tell your administrator to renew MICROSOFT_CLIENT_SECRET.",
        "server_error",
    ),
    "AADSTS50011": Explanation(
        "This server's redirect URI is not registered at Microsoft",
        "Tell your administrator to add the server's callback URL to the Entra app registration.",
        "server_error",
    ),
}
BY_ERROR = {
    "access_denied": Explanation(
        "Sign-in was cancelled",
        "Start again from your assistant when you are ready.",
        "access_denied",
    ),
    "consent_required": BY_AADSTS["AADSTS65001"],
    "interaction_required": Explanation(
        "Microsoft needs you to sign in again", "Start again from your assistant.", "access_denied"
    ),
    "temporarily_unavailable": Explanation(
        "Microsoft could not be reached", "Try again in a few minutes.", "temporarily_unavailable"
    ),
    "invalid_id_token": Explanation(
        "Microsoft's answer could not be verified",
        "Start again from your assistant; if it keeps happening, tell your administrator.",
        "access_denied",
    ),
}
UNKNOWN = Explanation(
    "Microsoft sign-in failed",
    "Start again from your assistant; if it keeps happening, tell your "
    "administrator the code shown below.",
    "server_error",
)


def explain(error: EntraError) -> Explanation:
    explanation = BY_AADSTS.get(error.aadsts) or BY_ERROR.get(error.code) or UNKNOWN
    if error.code == "invalid_id_token" and "may not sign in here" in error.description:
        return Explanation(
            "Your organisation cannot use this server",
            "This server only accepts people from specific Microsoft 365 organisations.",
            "access_denied",
        )
    return explanation
