"""Passwords are stored with Argon2id (accounts.hashers); older PBKDF2 hashes are upgraded at the
next sign-in."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.test import override_settings

from apoyo.accounts.hashers import Argon2idPasswordHasher
from apoyo.testing.factories import make_user

pytestmark = pytest.mark.django_db

# The project's hashers, as settings.py lists them (the test run itself uses a fast one).
PROJECT_HASHERS = [
    "apoyo.accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD = "una-clave-bastante-larga"  # noqa: S105
ARGON2ID_PREFIX = "argon2$argon2id$v=19$m=19456,t=2,p=1$"
# The sign-in's password check (axes only counts failures before it).
MODEL_BACKEND = ["django.contrib.auth.backends.ModelBackend"]


@override_settings(PASSWORD_HASHERS=PROJECT_HASHERS)
def test_a_new_password_is_stored_with_argon2id_at_owasps_parameters():
    user = make_user(password=PASSWORD)
    assert user.password.startswith(ARGON2ID_PREFIX)
    assert user.check_password(PASSWORD)


@override_settings(PASSWORD_HASHERS=PROJECT_HASHERS, AUTHENTICATION_BACKENDS=MODEL_BACKEND)
def test_a_pbkdf2_hash_still_signs_in_and_is_rewritten_as_argon2id():
    user = make_user()
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    assert authenticate(username=user.username, password=PASSWORD) == user
    user.refresh_from_db()
    assert user.password.startswith(ARGON2ID_PREFIX)
    assert authenticate(username=user.username, password=PASSWORD) == user


@override_settings(PASSWORD_HASHERS=PROJECT_HASHERS, AUTHENTICATION_BACKENDS=MODEL_BACKEND)
def test_a_wrong_password_leaves_the_old_hash_alone():
    user = make_user()
    old = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.password = old
    user.save(update_fields=["password"])
    assert authenticate(username=user.username, password="otra-clave-cualquiera") is None
    user.refresh_from_db()
    assert user.password == old


def test_argon2id_is_the_variant():
    assert Argon2idPasswordHasher().params().type.name == "ID"
