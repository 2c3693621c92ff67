from django import forms
from django.contrib.auth.forms import AuthenticationForm

from convene.core.forms import GovukForm


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
