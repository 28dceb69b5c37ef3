from django.urls import path

from ayni.accounts import captcha, lockout_views, mfa_views, views

app_name = "accounts"
urlpatterns = [
    path("ingresar/", views.LoginView.as_view(), name="login"),
    path("salir/", views.LogoutView.as_view(), name="logout"),
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
    path("gestion/<int:pk>/dos-pasos/", mfa_views.account_reset, name="mfa-reset"),
    # The second sign-in step (ayni.accounts.mfa)
    path("dos-pasos/", mfa_views.overview, name="mfa"),
    path("dos-pasos/verificar/", mfa_views.verify, name="mfa-verify"),
    path("dos-pasos/configurar/", mfa_views.setup, name="mfa-setup"),
    path("dos-pasos/configurar/qr.svg", mfa_views.setup_qr, name="mfa-setup-qr"),
    path("dos-pasos/codigos/", mfa_views.codes, name="mfa-codes"),
    path("dos-pasos/desactivar/", mfa_views.turn_off, name="mfa-turn-off"),
    path("dos-pasos/passkey/registro/inicio/", mfa_views.PasskeyRegisterBegin.as_view(),
         name="passkey-register-begin"),
    path("dos-pasos/passkey/registro/fin/", mfa_views.PasskeyRegisterComplete.as_view(),
         name="passkey-register-complete"),
    path("dos-pasos/passkey/ingreso/inicio/", mfa_views.PasskeyAuthBegin.as_view(),
         name="passkey-auth-begin"),
    path("dos-pasos/passkey/ingreso/fin/", mfa_views.PasskeyAuthComplete.as_view(),
         name="passkey-auth-complete"),
]  # fmt: skip
