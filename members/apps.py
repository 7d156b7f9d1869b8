from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from django.contrib import admin

        from members import login_throttle  # noqa: F401  (counts failed sign-ins)
        from members.forms import ThrottledAdminAuthenticationForm

        admin.site.login_form = ThrottledAdminAuthenticationForm

        from django.db.models.signals import post_delete, post_save

        from members.models import APIKey, WidgetKey
        from members.services import api_key_cache_refresh, widget_key_cache_refresh

        # Widget keys are read from the cache on every widget request: any saved or deleted row,
        # wherever from (the member's pages, the Django admin), refreshes its cached copy.
        def refresh_cached_widget_key(sender, instance, **kwargs) -> None:
            widget_key_cache_refresh(value=instance.key)

        post_save.connect(refresh_cached_widget_key, sender=WidgetKey, weak=False, dispatch_uid="members.widget_key_cache")
        post_delete.connect(refresh_cached_widget_key, sender=WidgetKey, weak=False,
                            dispatch_uid="members.widget_key_cache_delete")

        # API keys too: portal.front answers a key's cited-by page from its cached record.
        def refresh_cached_api_key(sender, instance, **kwargs) -> None:
            api_key_cache_refresh(key=instance)

        post_save.connect(refresh_cached_api_key, sender=APIKey, weak=False, dispatch_uid="members.api_key_cache")
        post_delete.connect(refresh_cached_api_key, sender=APIKey, weak=False, dispatch_uid="members.api_key_cache_delete")
