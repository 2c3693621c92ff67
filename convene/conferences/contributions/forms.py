"""The form for the family's and child's own contributions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from convene.conferences.enums import ContributionKind
from convene.conferences.models import ConferenceChild
from convene.conferences.reports.forms import SubjectChoiceField
from convene.core.forms import GovukForm
from convene.core.uploads import MAX_UPLOAD_BYTES, TOO_BIG


class ContributionForm(GovukForm):
    """London CP4 §4.16 to §4.17, §7.11: the family's and child's contributions in any form."""

    kind = forms.ChoiceField(
        label="What is it?",
        choices=ContributionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the contribution is"},
    )
    from_whom = forms.CharField(
        label="Who is it from?",
        help_text="For example, Mina (the child), or her mother with help from an advocate",
        max_length=200,
        error_messages={"required": "Enter who the contribution is from"},
    )
    child = SubjectChoiceField(
        queryset=ConferenceChild.objects.none(),
        label="Which child is it about? (optional)",
        required=False,
        empty_label="All the children",
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="A PDF, Word document, text file, picture (JPEG or PNG) or sound recording "
        "(MP3, M4A or WAV), smaller than 10MB",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args: Any, subjects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["child"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = subjects

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        # Refused before it is read: the content checks are in rules_reports.upload_check.
        if (upload.size or 0) >= MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_BIG)
        return upload
