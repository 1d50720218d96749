"""A logging filter that masks personal numbers in every log line, whatever code wrote it."""
import logging
import re

from security.sealing import mask

# An 18-character ID number, a mobile number, or a 12–19 digit bank account, not inside a longer number.
PERSONAL_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|1[3-9]\d{9}|\d{12,19})(?![0-9A-Za-z])")


class PersonalNumberFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = PERSONAL_NUMBER.sub(lambda m: mask(m.group(1)), message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Attach the filter to every handler of `logger` (the root logger by default)."""
    logger = logger or logging.getLogger()
    for handler in logger.handlers:
        if not any(isinstance(f, PersonalNumberFilter) for f in handler.filters):
            handler.addFilter(PersonalNumberFilter())
