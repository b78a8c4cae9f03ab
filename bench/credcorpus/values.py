"""Values for the corpus markers, generated at run time in each format's documented shape:
nothing here or in the corpus files is a credential literal."""
from __future__ import annotations

import base64
import hashlib
import random
import string
from collections.abc import Callable

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
CRYPT = "./" + string.digits + string.ascii_uppercase + string.ascii_lowercase
# The characters WordPress's secret-key service draws from.
WP_SALT = ALNUM + "!@#$%^&*()-_ []{}<>~`+=,.;:/?|"


def _r(alphabet: str, n: int, rng: random.Random) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _password(rng: random.Random) -> str:
    return _r(string.ascii_letters, 2, rng) + _r(ALNUM + "!#%*-_", 10, rng) + _r(string.digits, 2, rng)


def _wg(rng: random.Random) -> str:
    raw = bytearray(rng.getrandbits(8) for _ in range(32))
    raw[0] &= 248  # a Curve25519 private key is clamped, as wg genkey does
    raw[31] = (raw[31] & 127) | 64
    return base64.b64encode(bytes(raw)).decode()


def _jwt(rng: random.Random) -> str:
    return "eyJhbGciOiJIUzI1NiJ9.eyJ" + _r(B64URL, 60, rng) + "." + _r(B64URL, 43, rng)


GENERATORS: dict[str, Callable[[random.Random], str]] = {
    "password": _password,
    "b64password": lambda rng: base64.b64encode(_password(rng).encode()).decode(),
    "b64userpass": lambda rng: base64.b64encode(f"deploy:{_password(rng)}".encode()).decode(),
    "uuid": lambda rng: "-".join(_r(HEX, n, rng) for n in (8, 4, 4, 4, 12)),
    "guid": lambda rng: "-".join(_r(HEX, n, rng) for n in (8, 4, 4, 4, 12)),
    "ghp": lambda rng: "ghp_" + _r(ALNUM, 36, rng),
    "npm": lambda rng: "npm_" + _r(ALNUM, 36, rng),
    "pypi": lambda rng: "pypi-AgEIcHlwaS5vcmc" + _r(B64URL, 70, rng),
    "stripe": lambda rng: "sk_live_" + _r(ALNUM, 24, rng),
    "stripepk": lambda rng: "pk_live_" + _r(ALNUM, 24, rng),
    "mailgun": lambda rng: "key-" + _r(HEX, 32, rng),
    "sendgrid": lambda rng: "SG." + _r(B64URL, 22, rng) + "." + _r(B64URL, 43, rng),
    "openai": lambda rng: "sk-proj-" + _r(B64URL, 64, rng) + "T3BlbkFJ" + _r(B64URL, 64, rng),
    "akia": lambda rng: "AKIA" + _r(string.ascii_uppercase + "234567", 16, rng),
    "awssecret": lambda rng: _r(B64, 40, rng),
    "awsaccount": lambda rng: _r(string.digits, 12, rng),
    "hvs": lambda rng: "hvs." + _r(ALNUM, 24, rng),
    "whsec": lambda rng: "whsec_" + _r(ALNUM, 32, rng),
    "azsecret": lambda rng: _r(ALNUM, 3, rng) + "8Q~" + _r(ALNUM + "~._-", 31, rng),
    "slackhook": lambda rng: "https://hooks.slack.com/services/T" + _r(string.ascii_uppercase + string.digits, 8, rng)
                             + "/B" + _r(string.ascii_uppercase + string.digits, 10, rng) + "/" + _r(ALNUM, 24, rng),
    "wpsalt": lambda rng: _r(WP_SALT.replace("'", ""), 64, rng),
    "djangokey": lambda rng: _r(string.ascii_lowercase + string.digits + "!@#$%^&*(-_=+)", 50, rng),
    "sha512crypt": lambda rng: "$6$" + _r(CRYPT, 16, rng) + "$" + _r(CRYPT, 86, rng),
    "apr1": lambda rng: "$apr1$" + _r(CRYPT, 8, rng) + "$" + _r(CRYPT, 22, rng),
    "bcrypt": lambda rng: "$2y$10$" + _r(CRYPT, 53, rng),
    "wgkey": _wg,
    "sshpub": lambda rng: "AAAAC3NzaC1lZDI1NTE5AAAAI" + _r(B64, 43, rng),
    "gcpproject": lambda rng: _r(string.ascii_lowercase, 6, rng) + "-prod-" + _r(string.digits, 6, rng),
    "bucket": lambda rng: _r(string.ascii_lowercase, 6, rng) + "-media-" + _r(string.digits, 4, rng),
    "jwt": _jwt,
    "sha256": lambda rng: hashlib.sha256(_r(ALNUM, 20, rng).encode()).hexdigest(),
}


def generate(kind: str, rng: random.Random) -> str:
    """A value of kind: a name above, or hexN / HEXN / alnumN / b64_N / b64urlN for N characters."""
    if kind in GENERATORS:
        return GENERATORS[kind](rng)
    for prefix, alphabet in (("hex", HEX), ("HEX", HEX.upper()), ("alnum", ALNUM), ("b64url", B64URL), ("b64_", B64)):
        if kind.startswith(prefix) and kind[len(prefix):].isdigit():
            n = int(kind[len(prefix):])
            value = _r(alphabet, n, rng)
            return value[:-1] + "=" if prefix == "b64_" and n % 4 == 0 else value
    raise SystemExit(f"credcorpus: unknown value kind {kind!r}")
