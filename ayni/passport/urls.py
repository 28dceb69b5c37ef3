"""AYNI Passport's addresses. The issuer is the site's root, so discovery and the key set
live at the root's /.well-known/ and the endpoints under /oauth/. The namespace is DOT's
own: its views find each other by these names."""

from django.urls import path
from oauth2_provider import views as dot

from ayni.passport import views

app_name = "oauth2_provider"

urlpatterns = [
    path(
        ".well-known/openid-configuration",
        views.Discovery.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path(
        ".well-known/oauth-authorization-server",
        dot.OAuthServerMetadataView.as_view(),
        name="oauth-server-metadata",
    ),
    path(".well-known/jwks.json", dot.JwksInfoView.as_view(), name="jwks-info"),
    path("oauth/authorize/", views.Authorize.as_view(), name="authorize"),
    path("oauth/token/", views.Token.as_view(), name="token"),
    path("oauth/revoke/", dot.RevokeTokenView.as_view(), name="revoke-token"),
    path("oauth/userinfo/", dot.UserInfoView.as_view(), name="user-info"),
    path("oauth/logout/", views.Logout.as_view(), name="rp-initiated-logout"),
]
