"""Codes for letters, records and their copies (one TextChoices per code, STYLE.md)."""

from django.db import models


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed by the chair"


class Reader(models.TextChoices):
    """Who a copy is written for: professionals get the whole text; the family's copy is in
    plain English and leaves out what is confidential (London CP4 §14.5)."""

    PROFESSIONAL = "professional", "Professional"
    FAMILY = "family", "Family"


class Scope(models.TextChoices):
    """How much of the record a copy holds (London CP4 §4.1, §5.10, §14.5)."""

    WHOLE = "whole", "The whole record"
    WITHOUT_CONFIDENTIAL = "family", "The record without its confidential sections"
    PART_ATTENDED = "part", "Only the part of the meeting they attended"
    NONE = "none", "No copy"


class CopyChoice(models.TextChoices):
    """The chair's decision on a copy for someone excluded, the child, or the child's legal
    representative (London CP4 §5.10, §14.7 to §14.8)."""

    WHOLE = "whole", "Send the record (without its confidential sections)"
    PART_ATTENDED = "part", "Send only the part of the meeting they attended"
    NONE = "none", "Do not send them a copy"


class Format(models.TextChoices):
    """The form a family's copy takes, from their needs (Derbyshire D:21 to D:22; Cornwall
    C:151 to C:155)."""

    STANDARD = "standard", "Standard"
    LARGE_PRINT = "large_print", "Large print"
    EASY_READ = "easy_read", "Easy read"


class Delivery(models.TextChoices):
    EMAIL = "email", "Email with the document attached"
    POST = "post", "Printed and posted"


class DocumentKind(models.TextChoices):
    LETTER = "letter", "Decision letter"
    RECORD = "record", "Conference record"


class AmendmentStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the chair"
    ACCEPTED = "accepted", "Accepted"
    REFUSED = "refused", "Refused"
