from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from ayni.core.validators import DOCUMENT_TYPES, document_number_error, normalize_document_number


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, username, password, **fields):
        username = normalize_document_number(username)
        fields.setdefault("document_type", "DNI")
        fields["email"] = (fields.get("email") or "").strip()
        user = self.model(username=username, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, username, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(username, password, **fields)

    def create_superuser(self, username, password=None, **fields):
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create_user(username, password, **fields)

    def get_by_natural_key(self, username):
        return self.get(username=normalize_document_number(username))

    def active_with_email(self, email: str):
        """Active accounts whose e-mail matches, ignoring case (servants type it either way)."""
        return (
            self.filter(is_active=True)
            .annotate(email_lower=Lower("email"))
            .filter(email_lower=(email or "").strip().lower())
        )


class User(AbstractBaseUser, PermissionsMixin):
    """A login account. The user name is the identity document's number, as typed."""

    document_type = models.CharField(
        "tipo de documento", max_length=3, choices=DOCUMENT_TYPES, default="DNI"
    )
    username = models.CharField(
        "número de documento", max_length=12, unique=True,
        error_messages={"unique": "Ya existe una cuenta con ese número de documento."},
    )  # fmt: skip
    email = models.EmailField("correo electrónico", max_length=254, blank=True)
    first_name = models.CharField("nombres", max_length=120, blank=True)
    last_name = models.CharField("apellidos", max_length=160, blank=True)
    servant = models.OneToOneField(
        "organizations.Servant", verbose_name="servidor", null=True, blank=True,
        on_delete=models.PROTECT, related_name="account",
    )  # fmt: skip
    is_active = models.BooleanField("activo", default=True)
    is_staff = models.BooleanField("acceso al administrador", default=False)
    date_joined = models.DateTimeField("alta", default=timezone.now)
    previous_login = models.DateTimeField("acceso anterior", null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = "usuario"
        verbose_name_plural = "usuarios"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(is_active=True) & ~Q(email=""),
                name="unique_active_email_ci",
                violation_error_message="Ya existe una cuenta activa con ese correo electrónico.",
            )
        ]

    def __str__(self):
        return self.username

    def clean(self):
        super().clean()
        self.username = normalize_document_number(self.username)
        self.email = (self.email or "").strip()
        error = document_number_error(self.document_type, self.username)
        if error:
            raise ValidationError({"username": error})

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip() or self.username

    def get_short_name(self):
        return self.first_name or self.username


class UserSession(models.Model):
    """One signed-in session of an account, for "Mis accesos" and for ending it from elsewhere.

    Keyed by the session key, so it works whichever backend keeps the sessions (database or
    cache/Redis): ending one deletes that key from the session store and this row.
    """

    user = models.ForeignKey(
        User, verbose_name="usuario", on_delete=models.CASCADE, related_name="open_sessions"
    )
    session_key = models.CharField("clave de sesión", max_length=64, unique=True)
    started_at = models.DateTimeField("inicio", default=timezone.now)
    last_activity = models.DateTimeField("última actividad", default=timezone.now)
    ip = models.GenericIPAddressField("dirección IP", null=True, blank=True)
    user_agent = models.CharField("navegador", max_length=300, blank=True)

    class Meta:
        verbose_name = "sesión abierta"
        verbose_name_plural = "sesiones abiertas"
        indexes = [models.Index(fields=["user", "-last_activity"], name="usersession_user_recent")]

    def __str__(self):
        return f"{self.user} desde {self.started_at:%Y-%m-%d %H:%M}"
