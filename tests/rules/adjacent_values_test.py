"""Values in lists are each reported: a rule must not consume the separator the next value
needs as its own boundary (RE2 matches do not overlap, and there is no lookaround)."""
from __future__ import annotations

import pytest

from reposcrub.model import Blob, Provenance
from reposcrub.rules import load_rules
from reposcrub.scan import Engine

ENGINE = Engine(load_rules())

# Each rule's values and the single characters that may separate them: the characters its
# patterns accept on both sides of a value.
LISTS = {
    "host/private-ipv4": (["10.1.2.3", "172.20.4.9", "192.168.77.12", "10.0.0.2"], " ,;\t\n|\"'():"),
    "host/link-local-ipv4": (["169.254.12.34", "169.254.200.7", "169.254.3.4"], " ,;\t\n|\"'"),
    "host/cgnat-ipv4": (["100.101.102.103", "100.64.12.7", "100.70.1.2"], " ,;\t\n|\"'"),
    "host/ipv6-unique-local": (["fd12:3456:789a:1::15", "fd3c:9a1e:42b0::1", "fdab:cdef:1234:5678:9abc:def0:1234:5678"],
                               " ,;\t\n|\"'/"),
    "host/ipv6-link-local": (["fe80::a00:27ff:fe4e:66a1", "fe80::1c2d:3eff:fe4f:5a6b"], " ,;\t\n|\"'"),
    "host/k8s-service": (["orders-cache.payments.svc.cluster.local", "ledger.finance.svc.cluster.local"], " ,;\t\n|\"'"),
    "host/unc-path": (["\\\\fs01\\releases", "\\\\filer02\\finance$", "\\\\nas01\\backup"], " ,;\t\n\"'"),
    "pii/email": (["jdoe@contoso-mail.net", "r.tanaka@fabrikam-labs.co.jp", "jsmith@northwind-traders.com"],
                  " ,;\t\n|\"'"),
    "pii/phone-international": (["+44 20 7946 0958", "+33 6 12 48 37 90", "+49 30 81726354"], ",;\t\n|\"'("),
    "pii/home-directory-unix": (["/home/akowalski", "/Users/jdoe", "/home/rtanaka"], " ,;\t\n\"':"),
    "pii/home-directory-windows": (["C:\\Users\\jdoe", "D:\\Users\\akowalski", "c:/Users/rtanaka"], ",;\"'"),
}
CASES = [pytest.param(rule, values, sep, id=f"{rule}-{sep!r}")
         for rule, (values, seps) in LISTS.items() for sep in seps]


def found(rule_id: str, text: str) -> list[str]:
    blob = Blob(text.encode(), Provenance(path="notes.txt"))
    return [f.value.decode() for f in ENGINE.scan_blob(blob, resolve_overlaps=False) if f.rule_id == rule_id]


def _expected(rule_id: str, value: str) -> str:
    """The part of a value the rule reports: home-directory rules report the user name,
    the Kubernetes rule name.namespace.svc."""
    if rule_id.startswith("pii/home-"):
        return value.replace("\\", "/").rsplit("/", 1)[-1]
    return value.removesuffix(".cluster.local")


@pytest.mark.parametrize("rule_id,values,sep", CASES)
def test_every_value_in_a_list_is_found(rule_id, values, sep):
    assert found(rule_id, "x = " + sep.join(values)) == [_expected(rule_id, v) for v in values]


@pytest.mark.parametrize("text,count", [
    ("10.1.2.3 10.1.2.4", 2),
    ("10.0.0.1,10.0.0.2", 2),
    ("allow = [10.1.2.3, 10.1.2.4,10.1.2.5]", 3),
    ("10.1.2.3\n10.1.2.4\n10.1.2.5\n", 3),
    ("10.1.2.3:8080,10.1.2.4:8080", 2),
    ("10.1.2.3/32,10.1.2.4/32", 2),
    ("ssh a@10.1.2.3 b@10.1.2.4", 2),
    ("end of sentence 10.1.2.3. Then 10.1.2.4.", 2),
    (" ".join(f"10.20.30.{i}" for i in range(1, 51)), 50),
    # dotted numbers that are not addresses stay silent, one after another too
    ("1.10.1.2.3 1.10.1.2.4", 0),
    ("10.1.2.3.4 10.1.2.5.6,10.1.2.7.8", 0),
    ("oid 1.3.6.1.4.1.10.1.2.3 1.3.6.1.4.1.10.1.2.4", 0),
    ("version 1.10.0.1 1.10.0.2", 0),
    ("10.20.30.40.nip.io,10.20.30.41.nip.io", 0),
    ("v10.1.2.3 v10.1.2.4", 0),
    ("pkg-10.1.2.3 pkg-10.1.2.4", 0),
])
def test_private_ipv4_count_in_lists(text, count):
    assert len(found("host/private-ipv4", text)) == count


@pytest.mark.parametrize("rule_id,text", [
    ("host/ipv6-unique-local", "a:fd12::1 b:fd12::2"),
    ("host/ipv6-unique-local", "fd12::1:2:3:4:5:6:7:8:9"),
    ("host/ipv6-link-local", "x.fe80::a00:27ff:fe4e:66a1"),
    ("host/k8s-service", "https://docs/orders-cache.payments.svc.cluster.local"),
    ("pii/email", "https://jdoe@contoso-mail.net,https://asmith@contoso-mail.net"),
    ("pii/email", "postgres://app:jdoe@contoso-mail.net"),
    ("pii/phone-international", "x+44 20 7946 0958 y+44 20 7946 0959"),
    ("pii/home-directory-unix", "https://contoso-mail.net/home/akowalski/home/rtanaka"),
    ("host/unc-path", "C:\\\\fs01\\releases"),
])
def test_values_after_a_forbidden_character_stay_silent(rule_id, text):
    assert found(rule_id, text) == []
