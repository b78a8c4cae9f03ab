"""Django settings for shop project."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# SECURITY WARNING: keep the secret key used in production secret!
SECRET_KEY = "django-insecure-⟪P:djangokey⟫"

DEBUG = False
ALLOWED_HOSTS = ["shop.example"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": "⟪P:password⟫",
        "HOST": "pg01.internal",
        "PORT": "5432",
    },
    "analytics": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "analytics",
        "PASSWORD": os.environ.get("⟪N:ANALYTICS_DB_PASSWORD⟫"),
    },
}

EMAIL_HOST = "smtp.mailgun.org"
EMAIL_HOST_USER = "postmaster@mg.shop.example"
EMAIL_HOST_PASSWORD = "⟪P:password⟫"

AWS_ACCESS_KEY_ID = "⟪P:akia⟫"
AWS_SECRET_ACCESS_KEY = "⟪P:awssecret⟫"
AWS_STORAGE_BUCKET_NAME = "⟪P:bucket⟫"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "⟪N:django.contrib.auth.password_validation.MinimumLengthValidator⟫"},
]
PASSWORD_HASHERS = ["⟪N:django.contrib.auth.hashers.Argon2PasswordHasher⟫"]
