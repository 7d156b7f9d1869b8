from django.apps import AppConfig


class DepositsConfig(AppConfig):
    name = "deposits"
    verbose_name = "Deposits"

    def ready(self) -> None:
        from portal import lookups

        lookups.register()  # `__in` as `= ANY(array)` on PostgreSQL, for every app's queries (portal.lookups)
