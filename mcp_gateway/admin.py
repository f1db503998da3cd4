"""The audit trail (filters, CSV export), the dashboard, and each person's recent tool calls
on oauth_bridge's People page (oauth_bridge does not depend on the gateway, so the gateway
adds them). Nothing here can show a token or a mail body: audit rows never hold arguments or
results (mcp_gateway.models.ToolCall)."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from asgiref.sync import sync_to_async
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponseBadRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from mcp_gateway import charts, dashboard
from mcp_gateway.models import ToolCall
from mcp_gateway.selectors import tool_calls_list
from oauth_bridge.admin import PersonAdmin

if TYPE_CHECKING:
    ToolCallAdminBase = admin.ModelAdmin[ToolCall]
else:  # ModelAdmin is generic for the type checker only
    ToolCallAdminBase = admin.ModelAdmin

RECENT_CALLS = 20
CSV_BATCH = 500
CSV_COLUMNS = (
    ("created_at", "time (UTC)"),
    ("person__username", "person"),
    ("person__email", "e-mail"),
    ("client__client_id", "client id"),
    ("client_name", "client"),
    ("tool", "tool"),
    ("outcome", "outcome"),
    ("duration_ms", "duration (ms)"),
    ("upstream_request_id", "Microsoft request id"),
)
# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection");
# client names come from self-registration, so a leading quote makes them text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TextFilter(admin.SimpleListFilter):
    """A list filter typed in rather than picked: usable with thousands of people."""

    template = "mcp_gateway/admin/text_filter.html"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("", "")]  # a filter with no lookups is not shown; the template ignores them

    def __init__(
        self, request: HttpRequest, params: dict[str, Any], model: Any, model_admin: Any
    ) -> None:
        super().__init__(request, params, model, model_admin)
        # The other filters and the search, kept as hidden fields of this filter's form.
        self.kept = [
            (name, value)
            for name, values in request.GET.lists()
            if name not in (self.parameter_name, PAGE_VAR)
            for value in values
        ]


class PersonFilter(TextFilter):
    title = "person (username or e-mail)"
    parameter_name = "person"

    def queryset(self, request: HttpRequest, queryset: QuerySet[ToolCall]) -> QuerySet[ToolCall]:
        if not (value := self.value()):
            return queryset
        return queryset.filter(Q(person__username=value) | Q(person__email__iexact=value))


class ClientFilter(TextFilter):
    title = "client (client id or name)"
    parameter_name = "client"

    def queryset(self, request: HttpRequest, queryset: QuerySet[ToolCall]) -> QuerySet[ToolCall]:
        if not (value := self.value()):
            return queryset
        return queryset.filter(Q(client__client_id=value) | Q(client_name__iexact=value))


@admin.register(ToolCall)
class ToolCallAdmin(ToolCallAdminBase):
    """The audit trail is read-only: nobody edits or deletes what happened."""

    list_display = ("created_at", "person", "client_name", "tool", "outcome", "duration_ms")
    list_filter = (PersonFilter, ClientFilter, "outcome", "tool", "created_at")
    search_fields = ("person__username", "person__email", "client_name", "tool")
    list_select_related = ("person",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)

    def get_urls(self) -> list[URLPattern]:
        export = self.admin_site.admin_view(self.export_csv)
        return [path("export.csv", export, name="mcp_gateway_toolcall_export"), *super().get_urls()]

    def export_csv(self, request: HttpRequest) -> HttpResponseBase:
        """The rows the changelist shows (its filters, search and dates), newest first, as
        CSV streamed in batches: an audit export can be far larger than memory."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            rows = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest("These filters are not valid.")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return StreamingHttpResponse(
            _csv_lines(rows),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="tool-calls-{stamp}.csv"'},
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _Line:
    """csv.writer's file: hands back each line instead of storing it."""

    def write(self, line: str) -> str:
        return line


async def _csv_lines(rows: QuerySet[ToolCall]) -> AsyncIterator[str]:
    # Asynchronous, so that the ASGI server streams it (Django buffers a synchronous
    # iterator there); each batch is read in a worker thread, newest first by primary key.
    writer = csv.writer(_Line())
    yield writer.writerow([title for _, title in CSV_COLUMNS])
    before: int | None = None
    while batch := await sync_to_async(_csv_batch)(rows, before=before):
        for _pk, *values in batch:
            yield writer.writerow([_cell(value) for value in values])
        before = batch[-1][0]


def _csv_batch(rows: QuerySet[ToolCall], *, before: int | None) -> list[tuple[Any, ...]]:
    if before is not None:
        rows = rows.filter(pk__lt=before)
    columns = [column for column, _ in CSV_COLUMNS]
    return list(rows.order_by("-pk").values_list("pk", *columns)[:CSV_BATCH])


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def audit_url(**filters: str) -> str:
    """The audit log filtered by person and/or client (PersonFilter, ClientFilter)."""
    return f"{reverse('admin:mcp_gateway_toolcall_changelist')}?{urlencode(filters)}"


class PersonWithToolCallsAdmin(PersonAdmin):
    readonly_fields = (*PersonAdmin.readonly_fields, "recent_tool_calls")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, ("Recent tool calls", {"fields": ("recent_tool_calls",)})]

    @admin.display(description=f"last {RECENT_CALLS} tool calls")
    def recent_tool_calls(self, person: User) -> SafeString:
        calls = tool_calls_list(person_id=person.pk)[:RECENT_CALLS]
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ms</td></tr>",
            (
                (
                    date_format(timezone.localtime(c.created_at), "DATETIME_FORMAT"),
                    c.client_name,
                    c.tool,
                    c.get_outcome_display(),
                    c.duration_ms,
                )
                for c in calls
            ),
        )
        return format_html(
            '<table class="recent-tool-calls"><thead><tr><th>time</th><th>client</th>'
            "<th>tool</th><th>outcome</th><th>duration</th></tr></thead><tbody>{}</tbody>"
            '</table><p><a href="{}">All tool calls of this person</a></p>',
            rows or mark_safe('<tr><td colspan="5">No tool calls yet.</td></tr>'),
            audit_url(person=person.username),
        )


admin.site.unregister(User)
admin.site.register(User, PersonWithToolCallsAdmin)


def dashboard_view(request: HttpRequest) -> TemplateResponse:
    """Figures and charts over the last 24 hours and 30 days (admin site: /admin/dashboard/)."""
    if not request.user.has_perm("mcp_gateway.view_toolcall"):
        raise PermissionDenied
    now = timezone.now()
    hourly, daily = dashboard.tool_calls_hourly(now=now), dashboard.tool_calls_daily(now=now)
    context = {
        **admin.site.each_context(request),
        "title": "Dashboard",
        "activity": dashboard.activity_get(now=now),
        "tokens": dashboard.token_health_get(now=now),
        "outcomes": dashboard.outcomes_count(now=now),
        "periods": [
            _period("Last 24 hours", hourly, label="%H:00", every=3),
            _period("Last 30 days", daily, label="%d %b", every=5),
        ],
    }
    return TemplateResponse(request, "mcp_gateway/admin/dashboard.html", context)


def _period(name: str, series: dashboard.Series, *, label: str, every: int) -> dict[str, Any]:
    calls, rates = [], []
    for bucket in series.buckets:
        when = bucket.start.strftime(label)
        rate = round(bucket.error_rate * 100, 1)
        calls.append(
            charts.Bar(
                when,
                bucket.calls,
                bucket.errors,
                f"{when}: {bucket.calls} calls, {bucket.errors} errors",
            )
        )
        rates.append(charts.Bar(when, rate, rate, f"{when}: {rate}% errors ({bucket.calls} calls)"))
    return {
        "name": name,
        "series": series,
        "calls_chart": charts.bar_chart(
            bars=calls, caption=f"Tool calls, {name.lower()}", every=every
        ),
        "rate_chart": charts.bar_chart(
            bars=rates, caption=f"Error rate, {name.lower()}", unit="%", every=every
        ),
    }
