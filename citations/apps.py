from django.apps import AppConfig


class CitationsConfig(AppConfig):
    name = "citations"
    verbose_name = "Citations"

    def ready(self) -> None:
        from citations import receivers  # noqa: F401  (connects to deposits' signals)
