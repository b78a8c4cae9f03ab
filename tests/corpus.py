"""A labelled corpus built at test time: planted positives per category and look-alike
negatives, each in the kind of file it would really sit in. Used by tests/corpus_test.py
and bench/fixture_corpus.py to measure recall and false-positive rate per category."""
from __future__ import annotations

import base64
import random
import string
from dataclasses import dataclass

from tests.conftest import ALNUM, UPPER_B32

HEX = "0123456789abcdef"
B64URL = string.ascii_letters + string.digits + "-_"


@dataclass(frozen=True)
class Case:
    category: str
    positive: bool
    path: str
    text: str
    needle: str  # the value a finding must cover (positives) or must not (negatives)


def r(alphabet: str, n: int, rng: random.Random) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def _secrets(rng: random.Random) -> list[tuple[str, str, str]]:
    """(path, text template with {v}, value) for provider credentials in realistic places."""
    jwt = "eyJ" + r(B64URL, 30, rng) + ".eyJ" + r(B64URL, 60, rng) + "." + r(B64URL, 43, rng)
    pem_body = "\n".join(r(ALNUM + "+/", 64, rng) for _ in range(6))
    values = [
        ("config/aws.yaml", "aws_access_key_id: {v}\n", "AKIA" + r(UPPER_B32, 16, rng)),
        ("deploy.sh", 'export AWS_SECRET_ACCESS_KEY="{v}"\n', r(ALNUM + "/+", 40, rng)),
        (".github/workflows/ci.yml", "env:\n  GH_TOKEN: {v}\n", "ghp_" + r(ALNUM, 36, rng)),
        ("scripts/release.py", 'TOKEN = "{v}"\n', "github_pat_" + r(ALNUM, 22, rng) + "_" + r(ALNUM, 59, rng)),
        ("ci/.gitlab-ci.yml", "variables:\n  PRIVATE_TOKEN: {v}\n", "glpat-" + r(ALNUM + "-_", 20, rng)),
        ("app/settings.py", 'SLACK_BOT_TOKEN = "{v}"\n', "xoxb-" + r(string.digits, 12, rng) + "-" + r(string.digits, 13, rng) + "-" + r(ALNUM, 24, rng)),
        ("billing/keys.js", "const stripe = require('stripe')('{v}');\n", "sk_live_" + r(ALNUM, 24, rng)),
        (".env.production", "OPENAI_API_KEY={v}\n", "sk-proj-" + r(ALNUM + "-_", 64, rng) + "T3BlbkFJ" + r(ALNUM + "-_", 64, rng)),
        ("ai/client.ts", 'const key = "{v}";\n', "sk-ant-api03-" + r(ALNUM + "-_", 93, rng) + "AA"),
        ("notify.go", 'const hook = "{v}"\n', "https://hooks.slack.com/services/T" + r(string.ascii_uppercase + string.digits, 8, rng) + "/B" + r(string.ascii_uppercase + string.digits, 10, rng) + "/" + r(ALNUM, 24, rng)),
        ("maps.html", "<script>var k = '{v}';</script>\n", "AIza" + r(ALNUM + "-_", 35, rng)),
        ("mail/sender.rb", "SENDGRID = '{v}'\n", "SG." + r(ALNUM + "-_", 22, rng) + "." + r(ALNUM + "-_", 43, rng)),
        ("pkg/.npmrc", "//registry.npmjs.org/:_authToken={v}\n", "npm_" + r(ALNUM, 36, rng)),
        ("publish.cfg", "password = {v}\n", "pypi-AgEIcHlwaS5vcmc" + r(B64URL, 70, rng)),
        ("db/config.yml", "url: postgres://app:{v}@db.prod-eu.quillmark.net:5432/app\n", r(ALNUM, 20, rng)),
        ("src/Db.java", 'String conn = "Server=db;Database=app;User Id=sa;Password={v};";\n', r(ALNUM, 18, rng) + "!9"),
        ("auth/token.txt", "Authorization: Bearer {v}\n", jwt),
        ("keys/deploy.pem", "-----BEGIN RSA PRIVATE KEY-----\n{v}\n-----END RSA PRIVATE KEY-----\n", pem_body),
        ("infra/hf.py", 'HF_TOKEN = "{v}"\n', "hf_" + r(string.ascii_letters, 34, rng)),
        ("docker/login.sh", "echo {v} | docker login -u me --password-stdin\n", "dckr_pat_" + r(ALNUM + "-_", 27, rng)),
        ("twilio.py", 'account_sid = "AC' + r(HEX, 32, rng) + '"\nauth_token = "{v}"\n', r(HEX, 32, rng)),
        ("config.json", '{{"api_key": "{v}"}}\n', r(ALNUM, 40, rng)),
        ("settings.ini", "[db]\npassword = {v}\n", r(ALNUM + "!#%", 16, rng)),
        ("vault.hcl", 'token = "{v}"\n', "hvs." + r(ALNUM, 24, rng)),
        ("shopify.rb", "ShopifyAPI::Context.setup(api_key: 'x', access_token: '{v}')\n", "shpat_" + r(HEX, 32, rng)),
    ]
    return values


def _negative_secrets(rng: random.Random) -> list[tuple[str, str, str]]:
    return [
        ("config/aws.yaml", "aws_access_key_id: {v}\n", "AKIAIOSFODNN7EXAMPLE"),
        ("README.md", "Set `GH_TOKEN` to {v}.\n", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
        ("app/settings.py", "SECRET_KEY = {v}\n", 'os.environ["SECRET_KEY"]'),
        (".github/workflows/ci.yml", "env:\n  TOKEN: {v}\n", "${{ secrets.TOKEN }}"),
        ("docs/setup.md", "api_key = \"{v}\"\n", "<your-api-key>"),
        ("package-lock.json", '"integrity": "{v}"\n', "sha512-" + base64.b64encode(rng.randbytes(64)).decode()),
        ("ids.py", 'REQUEST_ID = "{v}"\n', "%08x-%04x-4%03x-a%03x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12), rng.getrandbits(12), rng.getrandbits(48))),
        ("forms.py", 'password_label = "{v}"\n', "Password"),
        ("i18n/en.json", '{{"password": "{v}"}}\n', "Enter your password"),
        ("test_auth.py", 'password = "{v}"\n', "password123"),
        ("checksums.txt", "sha256: {v}\n", r(HEX, 64, rng)),
        ("billing/keys.js", "const pk = '{v}';\n", "pk_live_" + r(ALNUM, 24, rng)),
        ("model.py", "token = {v}\n", "tokenizer.encode(text)"),
        (".env.example", "STRIPE_KEY={v}\n", "sk_live_your_key_here"),
        ("docker-compose.yml", "environment:\n  POSTGRES_PASSWORD: {v}\n", "${POSTGRES_PASSWORD}"),
        ("commit.txt", "commit {v}\n", r(HEX, 40, rng)),
        ("img.css", ".logo {{ background: url(data:image/png;base64,{v}) }}\n", base64.b64encode(rng.randbytes(30)).decode()),
        ("src/crypto.py", 'ALPHABET = "{v}"\n', string.ascii_letters + string.digits),
        ("k8s.yaml", "secretKeyRef:\n  name: {v}\n", "db-password"),
        ("urls.py", 'DATABASE_URL = "{v}"\n', "postgres://user:password@localhost/db"),
    ]


def build(seed: int = 7) -> list[Case]:
    """Positives and negatives for every category."""
    rng = random.Random(seed)
    cases = [Case("secret", True, p, t.format(v=v), v) for p, t, v in _secrets(rng)]
    cases += [Case("secret", False, p, t.format(v=v), v) for p, t, v in _negative_secrets(rng)]
    cases += [Case("host", True, p, t, v) for p, t, v in [
        ("deploy/values.yaml", "db:\n  host: db01.corp\n", "db01.corp"),
        ("app/config.py", 'API = "https://billing.internal/api/v2"\n', "billing.internal"),
        ("ansible/hosts", "[web]\n10.12.4.7\n", "10.12.4.7"),
        ("nginx.conf", "proxy_pass http://192.168.10.25:8080;\n", "192.168.10.25"),
        ("k8s/svc.yaml", "url: http://payments.prod.svc.cluster.local:8080\n", "payments.prod.svc.cluster.local"),
        ("scripts/mount.bat", "net use Z: \\\\fileserver01\\shared\n", "fileserver01"),
        ("docs/ops.md", "ssh admin@jump.lan\n", "jump.lan"),
        ("router.yaml", "gateway: 172.20.0.1\n", "172.20.0.1"),
        ("net.tf", 'cidr = "fd12:3456:789a:1::1"\n', "fd12:3456:789a:1::1"),
        ("intranet.md", "See http://wiki.intranet/HowTo\n", "wiki.intranet"),
    ]]
    cases += [Case("host", False, p, t, v) for p, t, v in [
        ("app.py", "import threading\nctx = threading.local()\n", "threading.local"),
        ("server.py", 'HOST = "127.0.0.1"\n', "127.0.0.1"),
        ("docs/net.md", "Use 192.0.2.10 in examples.\n", "192.0.2.10"),
        ("setup.py", 'version = "10.2.3"\n', "10.2.3"),
        ("pip/_internal/cli.py", "from pip._internal.cli import main\n", "_internal"),
        ("snmp.py", 'OID = "1.3.6.1.4.1.10.1.1.1"\n', "10.1.1.1"),
        ("settings.local.py", "DEBUG = True\n", "settings.local"),
        ("bind.py", 'addr = "0.0.0.0"\n', "0.0.0.0"),
        ("site.md", "Visit https://www.example.com/docs\n", "example.com"),
        ("Main.java", "import com.foo.internal.Helper;\n", "internal"),
    ]]
    cases += [Case("pii", True, p, t, v) for p, t, v in [
        ("AUTHORS", "Mira Okafor <mira.okafor@quillmark-mail.net>\n", "mira.okafor@quillmark-mail.net"),
        ("src/util.py", "# questions: raj.patel@fabrikam-inc.org\n", "raj.patel@fabrikam-inc.org"),
        ("run.sh", "cd /Users/jdoe/projects/billing\n", "jdoe"),
        ("build.bat", "copy C:\\Users\\mmueller\\Desktop\\a.txt .\n", "mmueller"),
        ("contact.md", "Phone: +44 20 7946 0958\n", "+44 20 7946 0958"),
        ("support.txt", "Tel: (555) 123-4567\n", "(555) 123-4567"),
        ("paths.py", 'CACHE = "/home/akiko/.cache/app"\n', "akiko"),
    ]]
    cases += [Case("pii", False, p, t, v) for p, t, v in [
        ("setup.py", 'author_email = "dev@example.com"\n', "dev@example.com"),
        ("app.py", "@property\ndef name(self):\n    return 1\n", "@property"),
        ("package.json", '{"dependencies": {"@types/node": "^20.1.0"}}\n', "@types/node"),
        ("icons.css", ".i { background: url(icon@2x.png) }\n", "icon@2x.png"),
        ("git.txt", "git@github.com:org/repo.git\n", "git@github.com"),
        ("Dockerfile", "WORKDIR /home/node/app\n", "node"),
        ("data.csv", "2024-01-15,1234567890,99.95\n", "1234567890"),
        ("ver.txt", "version 1.2.3456.7890\n", "3456.7890"),
    ]]
    cases += [Case("marker", True, p, t, v) for p, t, v in [
        ("README.md", "CONFIDENTIAL - INTERNAL USE ONLY\n", "INTERNAL USE ONLY"),
        ("src/core.py", "# Proprietary and confidential. Do not distribute.\n", "Proprietary and confidential"),
        ("docs/spec.md", "This document is subject to a non-disclosure agreement.\n", "non-disclosure agreement"),
        ("LICENSE", "Copyright (c) 2023 Initech, Inc. All rights reserved.\n", "All rights reserved"),
    ]]
    cases += [Case("marker", False, p, t, v) for p, t, v in [
        ("oauth.py", "client = ConfidentialClientApplication(app_id)\n", "Confidential"),
        ("model.py", "is_confidential = models.BooleanField(default=False)\n", "confidential"),
        ("cli.py", 'parser.add_argument("--internal-only", action="store_true")\n', "internal-only"),
        ("api.py", "def get(self, confidential=True):\n    pass\n", "confidential"),
    ]]
    cases += [Case("file", True, p, t, "") for p, t in [
        (".env", "DEBUG=1\n"), ("deploy/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\n" + r(ALNUM, 70, rng) + "\n-----END OPENSSH PRIVATE KEY-----\n"),
        ("infra/terraform.tfstate", '{"version": 4}\n'), ("home/.git-credentials", "https://u:" + r(ALNUM, 20, rng) + "@github.com\n"),
        ("backup/prod.sql", "-- MySQL dump 10.13\nINSERT INTO users VALUES (1,'a');\n"), ("docs/contract.docx", "PK\x03\x04"),
    ]]
    cases += [Case("file", False, p, t, "") for p, t in [
        (".env.example", "DEBUG=1\n"), ("deploy/id_rsa.pub", "ssh-rsa AAAAB3 user@host\n"),
        ("docs/env.md", "Set variables in .env\n"), ("src/schema.sql", "CREATE TABLE users (id int);\n"),
    ]]
    return cases
