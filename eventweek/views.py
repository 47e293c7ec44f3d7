"""Pages of the core app outside any week: the health check, the error pages and the login lockout.

The home page and the workbench show feature apps' parts: they live in the composing module, `views_home`.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _check_broker() -> str:
    if settings.REDIS_URL:
        import redis

        # Short timeouts: a probe that hangs is worse for the load balancer than one that fails.
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    from django_q.conf import Conf
    from django_q.models import OrmQ

    # The ORM broker is a table: reading it proves both the database and the queue's table are there.
    OrmQ.objects.using(Conf.ORM).exists()
    return "ok"


@never_cache
@require_GET
def healthz(request):
    """For a load balancer: 200 when the database and the task broker answer, 503 with the failing part otherwise."""
    checks = {}
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            checks[name] = check()
        except Exception as exc:  # any failure of a dependency is "down", whatever its type
            logger.warning("healthz: %s is down: %s", name, exc)
            checks[name] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def server_error(request):
    """The 500 handler: a database that cannot be reached is a Chinese 503 (retry soon), anything else the 500.

    Both pages render without a request, so no context processor touches the database."""
    error = sys.exc_info()[1]
    # OperationalError: down, unreachable, locked or timed out; InterfaceError: a connection that is gone.
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): 429 with the cool-down in minutes, in Chinese."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    message = _("登录失败次数过多，该账号或您所在网络的登录已暂时锁定，请 %(minutes)d 分钟后再试。") % {
        "minutes": minutes
    }
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
