"""A signed-in person's view of the assistants they approved, with one-click revocation."""

from __future__ import annotations

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from oauth_bridge.models import Approval
from oauth_bridge.scopes import SCOPES_BY_NAME
from oauth_bridge.selectors import approvals_list
from oauth_bridge.services import approval_revoke
from oauth_bridge.views.common import PersonRequest, protected_page


@require_GET
@protected_page
@login_required
def connected_apps(request: PersonRequest) -> HttpResponse:
    approvals = [
        (
            approval,
            [SCOPES_BY_NAME[name] for name in sorted(approval.scopes) if name in SCOPES_BY_NAME],
        )
        for approval in approvals_list(user=request.user)
    ]
    return render(request, "oauth_bridge/connected_apps.html", {"approvals": approvals})


@require_POST
@protected_page
@login_required
def connected_app_revoke(request: PersonRequest, approval_id: int) -> HttpResponse:
    # Scoped to the signed-in person: another person's approval id is a 404.
    approval = get_object_or_404(Approval, pk=approval_id, user=request.user)
    approval_revoke(user=request.user, application=approval.application)
    return redirect("oauth_bridge:connected-apps")


@require_GET
@protected_page
def sign_in(request: HttpRequest) -> HttpResponse:
    """People sign in by connecting an assistant; this page says so."""
    return render(request, "oauth_bridge/sign_in.html", status=200)


@require_POST
@protected_page
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("oauth_bridge:sign-in")
