"""A text field stored encrypted with Fernet, each value bound to the row that owns it.

Keys come from ``settings.DEPLOYMENT.token_encryption_keys`` (TOKEN_ENCRYPTION_KEYS): the first
encrypts, every key decrypts, so keys rotate without downtime (``rotate_token_keys``). The keys
are independent of SECRET_KEY, so rotating the session key never re-keys stored tokens.

Fernet has no associated data, so the plaintext is a small JSON envelope naming the column and
the row's owner, checked on every read: someone with write access to the database cannot move
a ciphertext to another person's row (or into another column) without the read failing.

Values are decrypted when a row is loaded and fail loudly: a value no configured key decrypts
raises ``UnreadableSecret``, it is never handed on as if it were the token.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.dispatch import receiver

if TYPE_CHECKING:
    from django.db.models.expressions import Combinable

# Left open, as django-stubs declares its fields, so its plugin adds None where null=True.
_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)


class UnreadableSecret(Exception):
    """A stored secret cannot be used: no configured key decrypts it, or it is another row's."""


@dataclass(frozen=True)
class Sealed:
    """A plaintext on its way to the database, with the owner it is bound to.

    ``save()`` seals values itself; build one only to write with ``QuerySet.update()``.
    """

    owner: str
    value: str

    def __repr__(self) -> str:
        return f"Sealed(owner={self.owner!r}, value=<{len(self.value)} characters>)"


class _Opened:
    """A decrypted value as loaded, before the owning row has been checked."""

    __slots__ = ("owner", "value")

    def __init__(self, owner: str, value: str) -> None:
        self.owner = owner
        self.value = value

    def __repr__(self) -> str:
        return "<secret>"


class _OwnerCheckedAttribute(DeferredAttribute):
    """Hands out the plaintext only when the row's owner is the one sealed into it."""

    field: EncryptedTextField[Any, Any]

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        value = super().__get__(instance, cls)
        if instance is None or not isinstance(value, _Opened):
            return value
        if value.owner != self.field.owner_of(instance):
            raise UnreadableSecret(
                f"{self.field.model.__name__}.{self.field.name} of row {instance.pk} "
                "was sealed for another owner; it may have been copied from another row"
            )
        return value.value

    def __set__(self, instance: Any, value: Any) -> None:
        # Being a data descriptor is what makes every read go through __get__ (a plain
        # DeferredAttribute is bypassed once the value sits in the instance __dict__).
        instance.__dict__[self.field.attname] = value


@functools.cache
def _keyring() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.DEPLOYMENT.token_encryption_keys])


@functools.cache
def _primary_key() -> Fernet:
    return Fernet(settings.DEPLOYMENT.token_encryption_keys[0])


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: Any) -> None:
    if setting == "DEPLOYMENT":
        _keyring.cache_clear()
        _primary_key.cache_clear()


def ciphertext_rotate(ciphertext: str) -> str | None:
    """The ciphertext re-encrypted with the first key, or None when it already is.

    Raises ``InvalidToken`` when no configured key decrypts it. The plaintext (envelope
    included) is unchanged, so rotation never needs to know the owner.
    """
    try:
        _primary_key().extract_timestamp(ciphertext.encode())  # verifies the HMAC only
    except InvalidToken:
        return _keyring().rotate(ciphertext.encode()).decode()
    return None


class EncryptedTextField(models.TextField[_ST, _GT]):
    """Encrypted text; ``None`` and ``""`` stay distinct; only ``isnull`` lookups work.

    ``bound_to`` names the model attribute that identifies the owner (e.g. ``user_id``).
    Write through ``save()``, or ``QuerySet.update()`` with ``Sealed`` values; ``bulk_update``
    and plain strings in ``update()`` are refused because they carry no owner. Read through
    model instances, where the owner is checked: ``values()`` yields opaque objects.
    """

    descriptor_class = _OwnerCheckedAttribute
    _pyi_private_set_type: str | Combinable
    _pyi_private_get_type: str

    def __init__(self, *args: Any, bound_to: str, **kwargs: Any) -> None:
        self.bound_to = bound_to
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        return name, path, args, {**kwargs, "bound_to": self.bound_to}

    def owner_of(self, instance: models.Model) -> str:
        owner = getattr(instance, self.bound_to)
        if owner is None:
            raise ValueError(f"{self.name} cannot be sealed before {self.bound_to} is set")
        return str(owner)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = super().pre_save(model_instance, add)
        if isinstance(value, str):
            return Sealed(owner=self.owner_of(model_instance), value=value)
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Sealed):
            raise TypeError(
                f"{self.name} is written by save() or as Sealed(owner, value) in update(), "
                f"never as a bare {type(value).__name__}: it would carry no owner"
            )
        envelope = json.dumps({"o": value.owner, "f": self.name, "v": value.value})
        return _keyring().encrypt(envelope.encode()).decode()

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        try:
            envelope = json.loads(_keyring().decrypt(value.encode()))
        except InvalidToken:
            raise UnreadableSecret(
                f"{self.model.__name__}.{self.name}: no TOKEN_ENCRYPTION_KEYS key decrypts "
                "a stored value (was a key removed before rotate_token_keys ran?)"
            ) from None
        if not (
            isinstance(envelope, dict)
            and envelope.get("f") == self.name
            and isinstance(envelope.get("o"), str)
            and isinstance(envelope.get("v"), str)
        ):
            raise UnreadableSecret(f"{self.model.__name__}.{self.name}: not a value of this column")
        return _Opened(owner=envelope["o"], value=envelope["v"])

    def value_to_string(self, obj: models.Model) -> str:
        # Serialisers (dumpdata, fixtures) would write the plaintext out; tokens stay put.
        raise TypeError(
            f"{self.name} holds a secret and is never serialised; leave "
            f"{self.model._meta.label} out (dumpdata --exclude {self.model._meta.label})"
        )

    def get_lookup(self, lookup_name: str) -> Any:
        # Fernet ciphertexts are randomised, so comparing them with anything is meaningless.
        return super().get_lookup(lookup_name) if lookup_name == "isnull" else None

    def get_transform(self, lookup_name: str) -> Any:
        return None
