from django.contrib.auth import views as auth_views
from django.urls import path

from ayni.accounts import captcha, lockout_views, views

app_name = "accounts"
urlpatterns = [
    path("ingresar/", views.LoginView.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("generar-contrasena/", views.PasswordMailView.as_view(), name="password-generate"),
    path("olvide-contrasena/", views.PasswordMailView.as_view(reset=True), name="password-forgot"),
    path("correo-enviado/", views.PasswordMailSentView.as_view(), name="password-mail-sent"),
    path("contrasena/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password-set"),
    path("accesos/", views.sign_ins, name="sign-ins"),
    path("cambiar-contrasena/", views.password_change, name="password-change"),
    path("accesos/sesiones/<int:pk>/cerrar/", views.session_close, name="session-close"),
    path("captcha/nuevo/", captcha.refresh, name="captcha-refresh"),
    path("captcha/audio/<slug:key>.wav", captcha.audio, name="captcha-audio"),
    path("gestion/", views.manage, name="manage"),
    path("gestion/nueva/", views.account_create, name="create"),
    path("gestion/carga/", views.bulk_upload, name="bulk"),
    path("gestion/bloqueos/", views.lockouts, name="lockouts"),
    path("gestion/conexiones/", lockout_views.address_lockouts, name="address-lockouts"),
    path("gestion/conexiones/levantar/", lockout_views.address_unlock, name="address-unlock"),
    path("gestion/<int:pk>/correo/", views.account_email, name="email"),
    path("gestion/<int:pk>/reenviar/", views.account_resend, name="resend"),
    path("gestion/<int:pk>/desbloquear/", views.account_unlock, name="unlock"),
]
