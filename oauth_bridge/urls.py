"""The authorization server's endpoints, all at the origin's root.

DOT's metadata view builds endpoint URLs by reversing names in the ``oauth2_provider``
namespace, so the OAuth endpoints keep DOT's names there, ours included.
"""

from __future__ import annotations

from django.urls import include, path
from oauth2_provider import views as dot

from oauth_bridge.views import connected_apps, microsoft, registration
from oauth_bridge.views.authorize import AuthorizeView
from oauth_bridge.views.introspection import OwnTokensIntrospectView
from oauth_bridge.views.metadata import McpResourceMetadataView

oauth_patterns = [
    path(
        ".well-known/oauth-authorization-server",
        dot.OAuthServerMetadataView.as_view(),
        name="oauth-server-metadata",
    ),
    path("authorize/", AuthorizeView.as_view(), name="authorize"),
    path("token/", dot.TokenView.as_view(), name="token"),
    path("revoke_token/", dot.RevokeTokenView.as_view(), name="revoke-token"),
    path("introspect/", OwnTokensIntrospectView.as_view(), name="introspect"),
    path("register/", registration.register, name="dcr-register"),
    path(
        "register/<str:client_id>/",
        registration.register_manage,
        name="dcr-register-management",
    ),
]

bridge_patterns = [
    path("oauth/microsoft/callback", microsoft.microsoft_callback, name="microsoft-callback"),
    path("account/", connected_apps.connected_apps, name="connected-apps"),
    path(
        "account/apps/<int:approval_id>/revoke",
        connected_apps.connected_app_revoke,
        name="connected-app-revoke",
    ),
    path("account/sign-in", connected_apps.sign_in, name="sign-in"),
    path("account/sign-out", connected_apps.sign_out, name="sign-out"),
]

# RFC 9728 §3.1: the path-inserted form for the resource `$PUBLIC_URL/mcp`, and the root
# form that MCP clients try next.
resource_metadata = McpResourceMetadataView.as_view()

urlpatterns = [
    path("", include((oauth_patterns, "oauth2_provider"))),
    path("", include((bridge_patterns, "oauth_bridge"))),
    path(".well-known/oauth-protected-resource/mcp", resource_metadata, name="resource-metadata"),
    path(".well-known/oauth-protected-resource", resource_metadata, name="resource-metadata-root"),
]
