from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = "案例遴选与征文"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from calls import receivers

        receivers.connect(self)
