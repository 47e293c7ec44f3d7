"""Keep credentials out of the logs: urllib3 logs every request line at DEBUG, query string included, and WeCom's
key and DingTalk's access_token and sign travel there."""

import logging
import re

from notifications.models import mask_secret

QUERY_VALUE = re.compile(r"([?&][^=&\s\"']+=)([^&\s\"']+)")


def mask_query_values(text: str) -> str:
    """Every query value in the text masked like a secret ("?key=abc…6789")."""
    return QUERY_VALUE.sub(lambda m: m.group(1) + mask_secret(m.group(2)), text)


class MaskQueryStrings(logging.Filter):
    """A logging filter that masks the query values of every message it passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        record.msg, record.args = mask_query_values(message), ()
        return True


def install() -> None:
    """Attach the filter to the loggers that print request URLs (once per process)."""
    for name in ("urllib3.connectionpool", "requests"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, MaskQueryStrings) for f in logger.filters):
            logger.addFilter(MaskQueryStrings())
