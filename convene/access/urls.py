from django.urls import path

from . import account_views, sso, views

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
    path("account/password/", account_views.password_change, name="password-change"),
    path("password-reset/", account_views.password_reset, name="password-reset"),
    path("password-reset/sent/", account_views.password_reset_sent, name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirm.as_view(),
        name="password-reset-confirm",
    ),
    path("accounts/", account_views.account_list, name="accounts"),
    path("accounts/new/", account_views.account_create, name="account-create"),
    path("accounts/<id:pk>/", account_views.account_detail, name="account-detail"),
    path("accounts/<id:pk>/change/", account_views.account_change, name="account-change"),
    *(
        path(
            f"accounts/<id:pk>/{action}/",
            account_views.account_action,
            {"action": action},
            name=f"account-{action}",
        )
        for action in account_views.ACTIONS
    ),
    path("audit/", views.audit_trail_lookup, name="audit-lookup"),
    path("audit/children/<id:child_pk>/", views.child_audit_trail, name="child-audit-trail"),
]
