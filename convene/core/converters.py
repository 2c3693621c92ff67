"""URL converters. `<id:pk>` accepts only numbers a database id column can hold, so a
mistyped or malicious address gives "Page not found" instead of a database error."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")
