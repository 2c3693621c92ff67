from django import forms
from django.contrib.auth.forms import AuthenticationForm

from convene.core.forms import GovukForm
from convene.people.models import Agency, Team

from .enums import Role


class SignInForm(GovukForm, AuthenticationForm):
    # Django names the field "username"; for Convene users it is their work email address.
    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "This account has been closed. Ask your system administrator for help.",
    }


class AuditTrailLookupForm(GovukForm):
    la_child_id = forms.CharField(
        label="Local authority child ID",
        max_length=40,
        help_text="The child's ID in the case management system, for example NM100234.",
        error_messages={"required": "Enter the child's local authority child ID"},
    )


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6 digits your authenticator app shows now, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "inputmode": "numeric"}
        ),
        error_messages={"required": "Enter the code from your authenticator app"},
    )


class SsoGroupMappingForm(GovukForm):
    group = forms.CharField(
        label="Group in the identity provider",
        max_length=200,
        help_text="Exactly as the provider sends it in the groups claim: a name or an ID.",
        error_messages={"required": "Enter the group's name or ID"},
    )
    role = forms.ChoiceField(
        label="Role its members have in this service",
        choices=Role.choices,
        error_messages={"required": "Choose a role"},
    )
    agency = forms.ModelChoiceField(
        label="Agency of a new account",
        queryset=Agency.objects.order_by("name"),
        error_messages={"required": "Choose an agency", "invalid_choice": "Choose an agency"},
    )
    team = forms.ModelChoiceField(
        label="Team (optional)",
        queryset=Team.objects.select_related("agency").order_by("agency__name", "name"),
        required=False,
        error_messages={"invalid_choice": "Choose a team from the list"},
    )
