"""The admin site: Django's, plus the dashboard (/admin/dashboard/) linked from its index.

Installed as the default site (Django's "Overriding the default admin site"), so
``admin.site`` and every ``@admin.register`` keep working unchanged.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.urls import URLPattern, URLResolver, path


class AdminSite(admin.AdminSite):
    index_template = "mcp_gateway/admin/index.html"
    site_header = "Microsoft 365 MCP server"
    site_title = "Microsoft 365 MCP server administration"
    index_title = "Administration"

    def get_urls(self) -> list[URLResolver | URLPattern]:
        from mcp_gateway.admin import dashboard_view

        dashboard = path("dashboard/", self.admin_view(dashboard_view), name="dashboard")
        return [dashboard, *super().get_urls()]


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin_site.AdminSite"
