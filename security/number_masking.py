"""Personal numbers masked in free text: every log line, whatever code wrote it, and the chat's history."""
import logging
import re

from security.sealing import mask

# Full-width digits and separators read as their ASCII selves, and digits read out as voice input writes
# them ("幺三九…", as the chat guide takes them), one character for one (positions stay). Only runs of 11
# and more are numbers here, so no date or word in characters is touched.
SPOKEN_DIGITS = ("零〇○一二三四五六七八九幺两洞", "000123456789120")  # radio style too: 洞 0, 幺 1, 两 2
AS_DIGITS = str.maketrans("０１２３４５６７８９Ｘｘ＋－　" + SPOKEN_DIGITS[0], "0123456789Xx+- " + SPOKEN_DIGITS[1])
# As the chat guide reads numbers: one space or hyphen may stand between any two digits
# ("440106 19990315 2117", "4401 0619 9903 1521 17", "13912 345678", "138-0013-8000").
GAP = "[ -]?"
ID_NUMBER = rf"\d(?:{GAP}\d){{16}}{GAP}[\dXx]"
MOBILE = rf"1{GAP}[3-9](?:{GAP}\d){{9}}"


def _digits(least: int, most: int) -> str:
    return rf"\d(?:{GAP}\d){{{least - 1},{most - 1}}}"


def _number(account: str) -> re.Pattern:
    # A mobile number may follow the country code, which stays readable: "+86 139****5678".
    return re.compile(rf"(?<![0-9A-Za-z])(?:\+?86{GAP})?({ID_NUMBER}|{MOBILE}|{account})(?![0-9A-Za-z])", re.ASCII)


# An ID number, a mobile number, or a 12–19 digit bank account, not inside a longer number.
PERSONAL_NUMBER = _number(_digits(12, 19))
# The same for what staff write to a veteran: a bank card has 16–19 digits, while a 12–15 digit number
# there is a parcel's tracking number ("EMS 1100123456789") the veteran must be able to read.
STAFF_TEXT_NUMBER = _number(_digits(16, 19))


# An escaped character in logged JSON ("\u53f7") or a logged URL ("%E5%8F%B7") ends in hex digits, which would
# pass for the first digits of the number after it: read as a gap of the same length (positions stay).
ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|%[0-9A-Fa-f]{2}")


def mask_personal_numbers(text: str, pattern: re.Pattern = PERSONAL_NUMBER) -> str:
    plain = ESCAPE.sub(lambda escape: "_" * len(escape[0]), text.translate(AS_DIGITS))
    pieces, kept_from = [], 0
    for found in pattern.finditer(plain):
        pieces += [text[kept_from:found.start(1)], mask(re.sub(r"[ -]", "", found[1]))]
        kept_from = found.end(1)
    return "".join(pieces) + text[kept_from:]


def mask_in_staff_text(text: str) -> str:
    """A reason, note or result as the veteran reads it: personal numbers masked, tracking numbers not."""
    return mask_personal_numbers(text, STAFF_TEXT_NUMBER)


class PersonalNumberFilter(logging.Filter):
    """Masks the message and the traceback, which carries an error's values (SQL parameters …)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Formatters print exc_text when it is set and format exc_info themselves only when it is not.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_numbers(record.stack_info)
        return True


# gunicorn's own loggers do not propagate to the root's handlers: its access log (`--access-logfile`) holds
# request lines, "?q=身份证5101…" included. Their filter sits on the logger, which keeps it when gunicorn
# reopens its log files and replaces the handlers.
SERVER_LOGGERS = ("gunicorn.access", "gunicorn.error")


def install(logger: logging.Logger | None = None) -> None:
    """Attach the filter to every handler of `logger` (the root logger by default), and to the server's loggers."""
    logger = logger or logging.getLogger()
    for handler in logger.handlers:
        if not any(isinstance(f, PersonalNumberFilter) for f in handler.filters):
            handler.addFilter(PersonalNumberFilter())
    for server_logger in map(logging.getLogger, SERVER_LOGGERS):
        if not any(isinstance(f, PersonalNumberFilter) for f in server_logger.filters):
            server_logger.addFilter(PersonalNumberFilter())
