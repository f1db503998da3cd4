from django.apps import AppConfig


class GraphToolsConfig(AppConfig):
    name = "graph_tools"
    verbose_name = "Microsoft 365"
