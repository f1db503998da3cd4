from django.apps import AppConfig


class OAuthBridgeConfig(AppConfig):
    name = "oauth_bridge"
    verbose_name = "OAuth authorization server"
