from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

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


# Managing accounts (a system administrator) ------------------------------------------------


class AccountDetailsForm(GovukForm):
    """What a system administrator sets on an account: job, agency, team and roles."""

    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.order_by("name"),
        empty_label="Choose an agency",
        error_messages={
            "required": "Choose the agency they work for",
            "invalid_choice": "Choose one of the agencies listed",
        },
    )
    team = forms.ModelChoiceField(
        label="Team (optional)",
        queryset=Team.objects.select_related("agency").order_by("agency__name", "name"),
        required=False,
        empty_label="Not in a team",
        help_text="The team must belong to the agency chosen above.",
        error_messages={"invalid_choice": "Choose one of the teams listed"},
    )
    roles = forms.TypedMultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        coerce=Role,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="What they do in the service. Someone with no role can only sign in.",
        error_messages={"invalid_choice": "Choose roles from the list"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.label_from_instance = _team_label  # type: ignore[method-assign,assignment]


def _team_label(team: Team) -> str:
    return f"{team.name} ({team.agency.name})"


class AccountCreateForm(AccountDetailsForm):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter their last name"}
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="They sign in with it, and a link to set their password is sent to it.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
    )

    field_order = ["first_name", "last_name", "email", "job_title", "agency", "team", "roles"]


class AccountChangeForm(AccountDetailsForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2_147_483_647)


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Why?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This goes on the audit trail.",
        error_messages={"required": "Enter why, for the audit trail"},
    )


class PasswordChangeForm(GovukForm, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not right. Enter it again",
        "password_mismatch": "The two new passwords are not the same",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Your current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        _new_password_labels(self)


class SetPasswordForm(GovukForm, auth_forms.SetPasswordForm):
    error_messages = {
        **auth_forms.SetPasswordForm.error_messages,
        "password_mismatch": "The two new passwords are not the same",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _new_password_labels(self)


def _new_password_labels(form: forms.Form) -> None:
    form.fields["new_password1"].label = "New password"
    form.fields[
        "new_password1"
    ].help_text = "At least 12 characters. Do not use a password you use anywhere else."
    form.fields["new_password1"].error_messages["required"] = "Enter a new password"
    form.fields["new_password2"].label = "Confirm new password"
    form.fields["new_password2"].help_text = ""
    form.fields["new_password2"].error_messages["required"] = "Enter the new password again"
    for name in ("new_password1", "new_password2"):
        field = form.fields[name]
        assert isinstance(field, forms.CharField)
        field.max_length = 128
        field.validators.append(MaxLengthValidator(128))
        field.widget.attrs["maxlength"] = "128"


class PasswordResetForm(GovukForm):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The work email address you sign in with.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.gov.uk",
        },
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
