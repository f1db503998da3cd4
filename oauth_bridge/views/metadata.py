"""RFC 9728 protected-resource metadata for the MCP endpoint."""

from __future__ import annotations

from oauth2_provider.views import OAuthProtectedResourceMetadataView

from oauth_bridge.scopes import DEFAULT_SCOPES


class McpResourceMetadataView(OAuthProtectedResourceMetadataView):  # type: ignore[misc]
    """DOT's view, advertising the basic scopes only: clients that take ``scopes_supported``
    as the scopes to request then ask for reading, and step up to writing when a tool needs
    it (MCP authorization, "Scope Selection Strategy")."""

    def get_scopes_supported(self) -> list[str]:
        return list(DEFAULT_SCOPES)
