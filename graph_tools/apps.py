from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class GraphToolsConfig(AppConfig):
    name = "graph_tools"
    verbose_name = "Microsoft 365"

    def ready(self) -> None:
        from graph_tools.models import MicrosoftConnection

        # Saves and deletes from anywhere (the admin, a sign-in's create, a revocation):
        # no process may go on handing out a token the row no longer holds.
        post_save.connect(connection_written, sender=MicrosoftConnection)
        post_delete.connect(connection_written, sender=MicrosoftConnection)


def connection_written(sender: Any, **kwargs: Any) -> None:
    from graph_tools.services import token_store_changed

    token_store_changed()
