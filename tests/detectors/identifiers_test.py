"""The organisation everywhere it hides, and nowhere it doesn't."""
from __future__ import annotations

import pytest

from reposcrub.detectors.identifiers import IdentifierDetector, name_words
from reposcrub.model import Blob, Provenance
from reposcrub.profile import Person, Profile
from reposcrub.rules import load_rules

RULES = load_rules()
PROFILE = Profile(
    names=("Acme", "Acme Corp"),
    domains=("acme.com", "acme.internal"),
    codenames=("Roadrunner",),
    namespaces=("com.acme", "@acme", "github.com/acme-corp"),
    ticket_prefixes=("ACME", "OPS"),
    people=(Person("Wile Coyote", ("wile@coyote-mail.net",)),),
)
DETECTOR = IdentifierDetector(PROFILE, RULES)


def found(text: str, detector: IdentifierDetector = DETECTOR) -> list[tuple[str, str]]:
    blob = Blob(data=text.encode(), provenance=Provenance(path="x.py"))
    return [(f.rule_id, text[f.start:f.end]) for f in detector.detect(blob)]


@pytest.mark.parametrize("name, words", [
    ("AcmeCorp", ["acme", "corp"]), ("acme_corp", ["acme", "corp"]), ("Acme Corp", ["acme", "corp"]),
    ("ACME", ["acme"]), ("ACMECorp", ["acme", "corp"]), ("acme-corp2", ["acme", "corp", "2"]),
])
def test_name_words(name, words):
    assert name_words(name) == words


@pytest.mark.parametrize("text, match", [
    ("Acme", "Acme"), ("ACME", "ACME"), ("acme", "acme"), ("Acme Corp", "Acme Corp"),
    ("acme_corp", "acme_corp"), ("acme-corp", "acme-corp"), ("AcmeCorp", "AcmeCorp"),
    ("acmeCorp", "acmeCorp"), ("ACME_CORP", "ACME_CORP"), ("class AcmeClient:", "Acme"),
    ("import acme_utils", "acme"), ("ACME_API_URL = 1", "ACME"), ("def getAcmeToken():", "Acme"),
    ("Acme's build", "Acme"), ("all Acmes", "Acme"), ("acme2 = 1", "acme"),
])
def test_org_name_variants_are_found(text, match):
    assert ("ident/org-name", match) in found(text)


@pytest.mark.parametrize("text", [
    "acmetric", "pacme", "Acmeister", "self.acmetrics", "macmean", "academic", "example.com",
])
def test_look_alikes_stay_silent(text):
    assert found(text) == []


@pytest.mark.parametrize("text, rule, match", [
    ("import com.acme.billing.Invoice;", "ident/namespace", "com.acme"),
    ("import { Client } from '@acme/sdk'", "ident/namespace", "@acme"),
    ("module github.com/acme-corp/tools", "ident/namespace", "github.com/acme-corp"),
    ("url: https://build01.acme.internal/job", "host/org-domain", "build01.acme.internal"),
    ("see acme.com", "host/org-domain", "acme.com"),
    ("mail jane.roe@eng.acme.com now", "pii/org-email", "jane.roe@eng.acme.com"),
    ("Fixes ACME-1234 and OPS-7", "ident/ticket-key", "ACME-1234"),
    ("branch feature/ACME-42-login", "ident/ticket-key", "ACME-42"),
    ("# Roadrunner launch", "ident/codename", "Roadrunner"),
    ("ROADRUNNER_FLAG = 1", "ident/codename", "ROADRUNNER"),
    ("# Author: Wile Coyote", "pii/person-name", "Wile Coyote"),
    ("contact wile@coyote-mail.net", "pii/person-email", "wile@coyote-mail.net"),
])
def test_every_kind_of_identifier(text, rule, match):
    assert (rule, match) in found(text)


def test_longer_match_wins_over_the_name_inside_it():
    assert found("import com.acme.billing") == [("ident/namespace", "com.acme")]
    assert found("x@acme.com") == [("pii/org-email", "x@acme.com")]


@pytest.mark.parametrize("text, expected", [
    ("ACME-12", ["ident/ticket-key"]), ("acme-1234", []), ("XACME-12", []),
])
def test_ticket_keys_are_upper_case_only(text, expected):
    assert [r for r, _ in found(text) if r == "ident/ticket-key"] == expected


def test_ambiguous_names_count_only_in_strong_contexts():
    detector = IdentifierDetector(Profile(names=("Square",), ambiguous=("Square",), domains=("squareup.com",)), RULES)
    assert found("area = square(x)", detector) == []
    assert found("class SquareClient:", detector) == []
    assert found("# Built at Square for payments", detector) == [("ident/org-name", "Square")]
    assert found("see https://api.squareup.com", detector) == [("host/org-domain", "api.squareup.com")]


def test_empty_profile_finds_nothing():
    assert found("Acme acme.com ACME-1", IdentifierDetector(Profile(), RULES)) == []


PEOPLE = IdentifierDetector(Profile(
    codenames=("Data Streams Core",),
    domains=("acme.com",),
    people=(Person("Jane Doe", ("jane.doe@acme.com",), ("jdoe",)), Person("GitHub", ("noreply@github.com",))),
), RULES)


@pytest.mark.parametrize("text, match", [
    ("Merge branch 'janedoe-remove-ci'", "janedoe"), ("Co-authored-by: janedoe2001", "janedoe"),
    ("ping @jdoe", "jdoe"), ("jane_doe wrote", "jane_doe"), ("JaneDoe", "JaneDoe"), ("by jane.doe", "jane.doe"),
    ("see Data Streams Core", "Data Streams Core"), ("DATA_STREAMS_CORE = 1", "DATA_STREAMS_CORE"),
    ("dataStreamsCore()", "dataStreamsCore"),
])
def test_people_by_full_name_or_handle_and_names_as_phrases(text, match):
    assert match in [m for _, m in found(text, PEOPLE)]


@pytest.mark.parametrize("text", [
    "secrets.GITHUB_TOKEN", "echo x >> $GITHUB_ENV", "jane is here", "class TableMetadata: data = 1",
    "the data streams", '"https://%s:%s@shop.acme.com"', '"%(user)s@acme.com"',
])
def test_no_bot_no_single_word_of_a_name_no_template(text):
    assert not [m for r, m in found(text, PEOPLE) if r.startswith("pii/") and "@" in m or r == "pii/person-name"]
    assert "data" not in [m.lower() for _, m in found(text, PEOPLE)]


@pytest.mark.parametrize("text, found", [
    ("Mixpanel’s SDK".encode(), True),  # a typographic apostrophe ends the word
    ("«Mixpanel»".encode(), True),
    ("Mixpanel—the company".encode(), True),
    ("Mixpanelä".encode(), False),  # a letter, though not ASCII, goes on with the word
    ("üMixpanel".encode(), False),  # no camel hump after a letter that is not lower-case ASCII
    (b"\x80\x01Mixpanel\x8a\x02", True),  # bytes of a binary are not letters
])
def test_word_boundaries_know_unicode(text, found):
    from reposcrub.detectors.identifiers import name_boundaries_ok

    start = text.index(b"Mixpanel")
    assert name_boundaries_ok(text, start, start + len(b"Mixpanel"), strict=False) is found
