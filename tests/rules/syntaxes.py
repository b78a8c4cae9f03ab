"""One (key, value) pair written in each syntax reposcrub reads: code in many languages,
config and env files, XML, Makefiles. Used by the syntax matrix tests and bench/credcorpus."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    """A key in every case and separator style, from its words: db_password -> DB_PASSWORD, dbPassword..."""

    words: tuple[str, ...]

    @classmethod
    def of(cls, snake: str) -> Key:
        return cls(tuple(snake.split("_")))

    def forms(self) -> dict[str, str]:
        w = self.words
        return {"UPPER": "_".join(x.upper() for x in w), "snake": "_".join(w), "camel": w[0] + "".join(x.title() for x in w[1:]),
                "Pascal": "".join(x.title() for x in w), "dotted": ".".join(w), "kebab": "-".join(x.title() for x in w)}


@dataclass(frozen=True)
class Syntax:
    name: str
    path: str
    template: str  # str.format with the key forms and v
    quoted: bool  # the value sits in quotes (or between tags) rather than bare
    markup: bool = False  # XML: no '<' or '&' in values

    def render(self, key: Key, value: str) -> str:
        return self.template.format(v=value, **key.forms())


SYNTAXES = (
    Syntax("python", "config.py", '{UPPER} = "{v}"\n', True),
    Syntax("python-kwarg", "client.py", 'client = Client(user="app", {snake}="{v}")\n', True),
    Syntax("python-setdefault", "settings.py", "import os\nos.environ.setdefault('{UPPER}', '{v}')\n", True),
    Syntax("javascript", "config.js", "const {camel} = '{v}';\n", True),
    Syntax("typescript", "config.ts", 'export const config = {{ {camel}: "{v}" }};\n', True),
    Syntax("java", "Config.java", 'class Config {{ private static final String {UPPER} = "{v}"; }}\n', True),
    Syntax("java-property", "Main.java", 'class Main {{ void m() {{ System.setProperty("{dotted}", "{v}"); }} }}\n', True),
    Syntax("java-setter", "Client.java", 'class A {{ void m() {{ client.set{Pascal}("{v}"); }} }}\n', True),
    Syntax("go-var", "config.go", 'package config\n\nvar {camel} string = "{v}"\n', True),
    Syntax("go-struct", "main.go", 'package main\n\nvar cfg = Config{{{Pascal}: "{v}"}}\n', True),
    Syntax("ruby", "config.rb", 'CONFIG = {{ {snake}: "{v}" }}\n', True),
    Syntax("ruby-rocket", "settings.rb", "CONFIG = {{ :{snake} => '{v}' }}\n", True),
    Syntax("php-define", "wp-config.php", "<?php\ndefine( '{UPPER}', '{v}' );\n", True),
    Syntax("php-array", "config.inc.php", "<?php\n$cfg['Servers'][$i]['{snake}'] = '{v}';\n", True),
    Syntax("csharp", "Settings.cs", 'public static class Settings {{ public const string {Pascal} = "{v}"; }}\n', True),
    Syntax("c", "config.h", 'static const char *{snake} = "{v}";\n', True),
    Syntax("kotlin", "Config.kt", 'val {camel}: String = "{v}"\n', True),
    Syntax("rust", "config.rs", 'const {UPPER}: &str = "{v}";\n', True),
    Syntax("powershell", "setup.ps1", '$env:{UPPER} = "{v}"\n', True),
    Syntax("json", "config.json", '{{"service": {{"{snake}": "{v}"}}}}\n', True),
    Syntax("json-env-lines", "task.json", '{{"env": "LOG_LEVEL=info\\n{UPPER}={v}\\n"}}\n', False),
    Syntax("yaml-quoted", "values.yml", 'service:\n  {camel}: "{v}"\n', True),
    Syntax("toml", "config.toml", '[service]\n{snake} = "{v}"\n', True),
    Syntax("hcl", "main.tf", 'resource "service" "app" {{\n  {snake} = "{v}"\n}}\n', True),
    Syntax("xml-element", "config.xml", "<config>\n  <{Pascal}>{v}</{Pascal}>\n</config>\n", True, True),
    Syntax("xml-appsettings", "web.config", '<appSettings>\n  <add key="{Pascal}" value="{v}" />\n</appSettings>\n', True, True),
    Syntax("xml-attribute-order", "app.config", '<appSettings>\n  <add value="{v}" key="{Pascal}"/>\n</appSettings>\n', True, True),
    Syntax("plist", "Info.plist", "<dict>\n  <key>{Pascal}</key>\n  <string>{v}</string>\n</dict>\n", True, True),
    Syntax("env", ".env", "{UPPER}={v}\n", False),
    Syntax("shell-export", "deploy.sh", "#!/bin/sh\nexport {UPPER}={v}\n", False),
    Syntax("dockerfile", "Dockerfile", "FROM alpine:3\nENV {UPPER}={v}\n", False),
    Syntax("makefile", "Makefile", "{UPPER} := {v}\n", False),
    Syntax("makefile-conditional", "rules.mk", "{UPPER} ?= {v}\n", False),
    Syntax("ini", "settings.ini", "[service]\n{snake} = {v}\n", False),
    Syntax("properties", "application.properties", "{dotted}={v}\n", False),
    Syntax("properties-colon", "app.properties", "{dotted}: {v}\n", False),
    Syntax("properties-space", "gradle.properties", "{dotted} {v}\n", False),
    Syntax("yaml", "config.yaml", "service:\n  {snake}: {v}\n", False),
    Syntax("compose-environment", "docker-compose.yml", "services:\n  app:\n    environment:\n      - {UPPER}={v}\n", False),
    Syntax("docker-run", "run.sh", "docker run -d -e {UPPER}={v} app:latest\n", False),
)
