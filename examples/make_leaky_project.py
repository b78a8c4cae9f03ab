"""Build a small project that leaks the way real ones do, to try reposcrub on.

The credentials are fake and generated on each run (documented prefix plus random
characters), so this repository itself never holds one.

    python examples/make_leaky_project.py examples/leaky-project
"""
from __future__ import annotations

import random
import string
import sys
from pathlib import Path

B32 = string.ascii_uppercase + "234567"
ALNUM = string.ascii_letters + string.digits


def rand(alphabet: str, n: int, rng: random.Random) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def files(rng: random.Random) -> dict[str, str]:
    access_key = "AKIA" + rand(B32, 16, rng)
    secret_key = rand(ALNUM + "/+", 40, rng)
    db_password = rand(ALNUM, 18, rng)
    github_token = "ghp_" + rand(ALNUM, 36, rng)
    return {
        "README.md": "# Billing service\n\nInternal tool of Globex Corporation. Confidential - internal use only.\n",
        "config/settings.yaml": (
            "aws:\n"
            f"  aws_access_key_id: {access_key}\n"
            f"  aws_secret_access_key: {secret_key}\n"
            "database:\n"
            f"  url: postgres://billing:{db_password}@db01.globex.internal:5432/billing\n"
            "cache_host: 10.12.4.7\n"
        ),
        ".env": f"GITHUB_TOKEN={github_token}\nDEBUG=true\n",
        "billing/__init__.py": (
            "# Copyright (c) 2021 Globex Corporation. All rights reserved.\n"
            "# Maintainer: Priya Raman <priya.raman@globex-corp.com>\n"
            '"""Billing jobs."""\n'
        ),
        "billing/jobs.py": (
            "import os\n\n"
            'REPORT_DIR = "/Users/jdoe/work/billing/reports"\n'
            'API_URL = "https://api.build01.corp/billing"\n\n\n'
            "def run():\n"
            '    return os.environ.get("BILLING_MODE", "dry-run")\n'
        ),
    }


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for rel, text in files(random.Random()).items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    print(f"wrote a leaky example project to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "examples/leaky-project"))
