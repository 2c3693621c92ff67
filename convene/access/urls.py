from django.urls import path

from . import views

app_name = "access"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign-out-everywhere"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("sign-in/code/", views.mfa_verify, name="mfa-verify"),
    path("account/authenticator/", views.mfa_setup, name="mfa-setup"),
    path("account/", views.account, name="account"),
    path("audit/", views.audit_trail_lookup, name="audit-lookup"),
    path("audit/children/<id:child_pk>/", views.child_audit_trail, name="child-audit-trail"),
]
