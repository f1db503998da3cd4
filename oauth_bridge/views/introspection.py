"""Token introspection (RFC 7662), answered only about the asking client's own tokens.

DOT's view tells any authenticated client everything about any token (person, scopes,
client, audience). RFC 7662 §2.1 lets the server decide which tokens a caller may inspect,
and §4 asks it to stop clients learning about each other's tokens: a token of another client
is reported exactly as an unknown one, ``{"active": false}``.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, JsonResponse
from oauth2_provider.models import AccessToken, Application
from oauth2_provider.views import IntrospectTokenView
from oauthlib.common import Request


class OwnTokensIntrospectView(IntrospectTokenView):  # type: ignore[misc]
    # RFC 7662 §2.1: POST only; a GET would put the token in URLs and access logs.
    http_method_names = ["post", "options"]  # noqa: RUF012 - Django's own attribute
    client: Application | None = None

    def authenticate_client(self, request: HttpRequest) -> bool:
        core = self.get_oauthlib_core()
        oauthlib_request = Request(*core._extract_params(request))
        if not core.server.request_validator.authenticate_client(oauthlib_request):
            return False
        self.client = oauthlib_request.client
        return True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        token = request.POST.get("token")
        if token is not None and not self._owns(token):
            return JsonResponse({"active": False})
        response: HttpResponse = super().post(request, *args, **kwargs)
        return response

    def _owns(self, token: str) -> bool:
        checksum = hashlib.sha256(token.encode()).hexdigest()
        return self.client is not None and (
            AccessToken.objects.filter(token_checksum=checksum, application=self.client).exists()
        )
