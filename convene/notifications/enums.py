from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, to be tried again"
    DEAD = "dead", "Not sent: gave up"


class DeliveryStatus(models.TextChoices):
    """What GOV.UK Notify last told us about a sent message (its delivery receipt)."""

    UNKNOWN = "", "Not known yet"
    DELIVERED = "delivered", "Delivered"
    PERMANENT_FAILURE = "permanent-failure", "Could not be delivered"
    TEMPORARY_FAILURE = "temporary-failure", "Not delivered yet"
    TECHNICAL_FAILURE = "technical-failure", "Not delivered: a fault at GOV.UK Notify"
