"""Personal numbers masked in free text: every log line, whatever code wrote it, and the chat's history."""
import logging
import re

from security.sealing import mask

# An 18-character ID number, a mobile number, or a 12–19 digit bank account, not inside a longer number;
# typed in groups too ("6222 0202 0011 2233 445", "138-0013-8000").
PERSONAL_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|1[3-9]\d{9}|\d{12,19}|\d{3,6}(?:[ -]\d{3,6}){2,4}[Xx]?)"
                             r"(?![0-9A-Za-z])")
# The same for what staff write to a veteran: a bank card has 16–19 digits, while a 12–15 digit number
# there is a parcel's tracking number ("EMS 1100123456789") the veteran must be able to read.
STAFF_TEXT_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|1[3-9]\d{9}|\d{16,19}|\d{4}(?:[ -]\d{4}){3,4}[Xx]?|"
                               r"\d{6}[ -]\d{8}[ -]\d{3}[\dXx])(?![0-9A-Za-z])")


def mask_personal_numbers(text: str, pattern: re.Pattern = PERSONAL_NUMBER) -> str:
    return pattern.sub(lambda m: mask(re.sub(r"[ -]", "", m.group(1))), text)


def mask_in_staff_text(text: str) -> str:
    """A reason, note or result as the veteran reads it: personal numbers masked, tracking numbers not."""
    return mask_personal_numbers(text, STAFF_TEXT_NUMBER)


class PersonalNumberFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install(logger: logging.Logger | None = None) -> None:
    """Attach the filter to every handler of `logger` (the root logger by default)."""
    logger = logger or logging.getLogger()
    for handler in logger.handlers:
        if not any(isinstance(f, PersonalNumberFilter) for f in handler.filters):
            handler.addFilter(PersonalNumberFilter())
