from django.urls import path

from . import sso, views

app_name = "access"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/single-sign-on/", sso.SsoStartView.as_view(), name="sso-start"),
    path("sign-in/single-sign-on/callback/", sso.SsoCallbackView.as_view(), name="sso-callback"),
    path("sign-in/single-sign-on/refused/", sso.sso_refused, name="sso-refused"),
    path("authority/single-sign-on/", views.sso_groups, name="sso-groups"),
    path(
        "authority/single-sign-on/groups/<id:pk>/remove/",
        views.sso_group_remove,
        name="sso-group-remove",
    ),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("sign-out-everywhere/", views.sign_out_everywhere, name="sign-out-everywhere"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("sign-in/code/", views.mfa_verify, name="mfa-verify"),
    path("account/authenticator/", views.mfa_setup, name="mfa-setup"),
    path("account/", views.account, name="account"),
    path("audit/", views.audit_trail_lookup, name="audit-lookup"),
    path("audit/children/<id:child_pk>/", views.child_audit_trail, name="child-audit-trail"),
]
