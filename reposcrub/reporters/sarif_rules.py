"""SARIF pieces shared by every run: rule descriptors, levels, and sarif_om objects as JSON."""
from __future__ import annotations

from typing import Any

import attr
import sarif_om as om

from reposcrub.model import Rule, Severity

SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "3.0", Severity.INFO: "1.0",
}
LEVEL = {
    Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note", Severity.INFO: "note",
}
_CATEGORY_TEXT = {
    "secret": "a credential", "host": "an internal host or address", "ident": "an organisation identifier",
    "pii": "personal data", "marker": "a confidentiality marker", "file": "a risky file", "meta": "git metadata",
}
_MAX_TAGS = 10  # code scanning shows 10 tags per rule


def to_json(obj: Any) -> Any:
    """sarif_om objects -> plain JSON, dropping unset fields and using schema names."""
    if attr.has(type(obj)):
        out = {}
        for field in attr.fields(type(obj)):
            value = getattr(obj, field.name)
            if value is None or (field.default is not attr.NOTHING and value == field.default and field.name != "results"):
                continue
            out[field.metadata["schema_property_name"]] = to_json(value)
        return out
    if isinstance(obj, dict):
        return {k: to_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_json(v) for v in obj]
    return obj


def descriptor(rule: Rule) -> om.ReportingDescriptor:
    what = _CATEGORY_TEXT.get(rule.category, rule.category)
    help_text = (
        f"{rule.description} What to do: {rule.remediation} A false positive? In a file, add "
        f"`reposcrub: allow {rule.id}` in a comment on its line; anywhere, accept it with `reposcrub baseline create`."
    )
    return om.ReportingDescriptor(
        id=rule.id,
        name="".join(part.capitalize() for part in rule.id.replace("/", "-").replace(".", "-").split("-")),
        short_description=om.MultiformatMessageString(text=rule.name),
        full_description=om.MultiformatMessageString(text=f"{rule.name}: {what}. {rule.description}"),
        help=om.MultiformatMessageString(text=help_text, markdown=f"**{rule.name}**\n\n{help_text}"),
        default_configuration=om.ReportingConfiguration(level=LEVEL[rule.severity]),
        properties={
            "tags": list(dict.fromkeys(["security", rule.category, *rule.tags]))[:_MAX_TAGS],
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "precision": {"high": "high", "medium": "medium", "low": "low"}.get(rule.confidence, "medium"),
            "problem.severity": "error" if rule.severity >= Severity.HIGH else "warning",
        },
    )


def unknown_descriptor(rule_id: str) -> om.ReportingDescriptor:
    """A rule the result names but the scan's rule list does not (a report built by hand)."""
    return om.ReportingDescriptor(id=rule_id, short_description=om.MultiformatMessageString(text=rule_id))
