from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

from lantern.core.forms import GovukForm

from .models import AgencyType, Role, Team


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct email address and password. The password is case-sensitive.",
        "inactive": "This account has been closed. Contact your partnership administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.input_type = "email"
        self.fields["username"].error_messages["required"] = "Enter your email address"
        self.fields["password"].error_messages["required"] = "Enter your password"


class ResetForm(PasswordResetForm):
    def get_users(self, email):
        """Every active account with this address, including new ones that have no password yet:
        the reset link is how a new person sets their first password."""
        from .models import User

        return User.objects.filter(email__iexact=email, is_active=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages["required"] = "Enter your email address"
        self.fields["email"].error_messages["invalid"] = "Enter an email address in the correct format, like name@example.org"


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].help_text = ""
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"


class AgencyForm(GovukForm):
    required_messages = {"name": "Enter the agency's name", "agency_type": "Select the type of agency"}
    name = forms.CharField(label="Name", max_length=200)
    agency_type = forms.ChoiceField(label="Type of agency", choices=AgencyType.choices, widget=forms.RadioSelect)
    email = forms.EmailField(label="Shared email address", required=False)


class TeamForm(GovukForm):
    required_messages = {"name": "Enter the team's name"}
    name = forms.CharField(label="Team name", max_length=200)
    handles_missing = forms.BooleanField(
        label="This is a missing team", required=False,
        help_text="It offers return interviews after missing episodes. Its members are told when a return interview is overdue "
        "for a child their agency works with.",
    )


class PersonForm(GovukForm):
    required_messages = {"full_name": "Enter the person's full name", "email": "Enter the person's email address", "role": "Select a role"}
    full_name = forms.CharField(label="Full name", max_length=200)
    email = forms.EmailField(label="Email address", error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"})
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    role = forms.ChoiceField(label="Role", choices=Role.choices, widget=forms.RadioSelect)
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.none(), required=False, empty_label="No team")

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(agency=agency, is_active=True) if agency else Team.objects.none()
