"""The emergency access form: which identifier, the identifier, and why. It checks what was
typed; the rules are in `rules.py` and the service."""

from __future__ import annotations

from django import forms

from convene.core.forms import GovukForm

from . import rules
from .models import IdentifierKind


class EmergencyAccessForm(GovukForm):
    identifier_kind = forms.ChoiceField(
        label="Which identifier do you have for the child?",
        choices=IdentifierKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select which identifier you have for the child"},
    )
    identifier = forms.CharField(
        label="The child's identifier",
        max_length=40,
        help_text="Exactly as it is written, for example NM1024 or 943 476 5919",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter the child's identifier"},
    )
    reason = forms.CharField(
        label="Why do you need to open this child's record now?",
        max_length=rules.LONGEST_REASON,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "For example, the child has come to the emergency department out of hours and "
            "their social worker cannot be reached. Your manager and the child's team manager "
            "will read this."
        ),
        error_messages={"required": "Enter why you need to open this child's record now"},
    )
