"""The HTML report in a real headless Chromium (Debian's, driven through chromedriver): it
renders, its filters work, it loads nothing, and no secret is anywhere in the page."""
from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from reposcrub.cli import cli
from tests.conftest import ALNUM, UPPER_B32, fake, git, make_repo, write_files

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver (.ci/run installs them)")
HOSTILE_NAME = "<img src=x onerror=alert(1)>.py"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """A repository with a key, an internal host, a hostile file name and a key only in history,
    its HTML report, and a browser showing it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    tmp = tmp_path_factory.mktemp("html")
    rng = random.Random(9)
    keys = {"tree": fake("AKIA", UPPER_B32, 16, rng), "old": fake("AKIA", UPPER_B32, 16, rng),
            "near": "".join(rng.choice(ALNUM) for _ in range(24))}
    repo = make_repo(tmp / "repo", {"old.py": f"KEY = '{keys['old']}'\n"}, message="old key")
    git(repo, "rm", "-q", "old.py")
    git(repo, "commit", "-q", "-m", "remove")
    write_files(repo, {
        "app/settings.py": f"import os\n\npassword = \"{keys['near']}\"  # reposcrub: allow\nAWS = '{keys['tree']}'\n"
                           "DB_HOST = \"db01.prod.corp\"\n",
        HOSTILE_NAME: "host = \"build01.corp\"\n",
    })
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "app")
    out = tmp / "report.html"
    result = CliRunner().invoke(cli, ["scan", str(repo), "--format", "html", "-o", str(out),
                                      "--write", f"json={tmp / 'report.json'}"])
    assert result.exit_code == 1, result.output
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={tmp / 'profile'}", "--window-size=1400,1000"):
        options.add_argument(flag)
    os.environ.setdefault("SE_AVOID_STATS", "true")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        driver.get(out.as_uri())
        yield driver, out, keys, json.loads((tmp / "report.json").read_text())
    finally:
        driver.quit()


def _visible(driver) -> list[str]:
    return [row.get_attribute("data-category") for row in driver.find_elements("css selector", "tr.item")
            if row.is_displayed()]


def test_it_renders_every_item_with_charts(page):
    driver, _, _, doc = page
    assert "reposcrub report" in driver.title
    assert len(driver.find_elements("css selector", "tr.item")) == len(doc["groups"])
    assert len(driver.find_elements("css selector", ".chart svg")) == 2
    assert "secret" in _visible(driver) and "host" in _visible(driver)


def test_filters_hide_and_show_items(page):
    driver, *_ = page
    secret = driver.find_element("css selector", "input.cat[value='secret']")
    secret.click()
    assert "secret" not in _visible(driver) and "host" in _visible(driver)
    secret.click()
    search = driver.find_element("id", "q")
    search.send_keys("db01")
    assert _visible(driver) == ["host"]
    assert driver.find_element("id", "count").text == "1"
    search.clear()
    search.send_keys(" ")  # an input event with an empty-ish query
    search.clear()
    driver.find_element("css selector", "#minsev option[value='4']").click()  # critical and above
    assert _visible(driver) == []
    driver.find_element("css selector", "#minsev option[value='0']").click()
    driver.find_element("css selector", "#place option[value='history']").click()
    assert _visible(driver) == ["secret"]  # the key only the history holds
    driver.find_element("css selector", "#place option[value='']").click()


def test_an_item_opens_to_its_places_and_masked_lines(page):
    driver, _, keys, _ = page
    row = next(r for r in driver.find_elements("css selector", "tr.item") if "AKIA" in r.text and r.is_displayed()
               and "settings" in r.text)
    row.click()
    detail = driver.find_element("id", "d-" + row.get_attribute("data-n"))
    assert detail.is_displayed()
    excerpt = detail.find_element("css selector", "pre.excerpt").text
    assert "AKIA" in excerpt and "import os" not in excerpt and keys["tree"] not in excerpt
    assert "****" in excerpt and keys["near"] not in excerpt  # the allowed password beside it is masked too
    assert "What to do: Rotate" in detail.text


def test_no_secret_in_the_page_and_nothing_loaded(page):
    driver, out, keys, _ = page
    for text in (driver.page_source, out.read_text()):
        for key in keys.values():
            assert key not in text and key[4:-4] not in text
    assert driver.execute_script("return performance.getEntriesByType('resource').length") == 0


def test_a_hostile_file_name_is_shown_as_text(page):
    driver, out, _, _ = page
    assert not driver.find_elements("css selector", "#items img")
    assert HOSTILE_NAME in driver.find_element("id", "items").get_attribute("textContent")
    assert "<img src=x" not in out.read_text()
