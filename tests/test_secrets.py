"""No secret reaches any artefact: whole pushes to both sandboxes with every logger at DEBUG (httpx,
httpcore, uvicorn, the sandbox, bulkops), then every byte they left is searched for the password,
the client secret, the Basic value, every token the sandbox issued and anything shaped like a JWT.

The sandbox's account is public by design, so the test gives it unique secrets of its own: a grep
for "sandbox" would match logger names, not leaks.
"""

from __future__ import annotations

import base64
import logging
import re
import traceback
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import bulkops.platforms.iqm.sandbox as iqm_sandbox
import bulkops.platforms.smartyads.sandbox as smartyads_sandbox
from bulkops.cli import cli
from bulkops.io import write_filled
from bulkops.platforms.iqm.sandbox import IqmTokens
from bulkops.sandbox import SandboxConfig, running
from bulkops.sandbox._tokens import Tokens
from tests._media import png
from tests.conftest import campaign
from tests.test_e2e_iqm import JOB as IQM_JOB

pytestmark = pytest.mark.slow

PASSWORD = "Pw-7c41e9-never-logged"
CLIENT_ID = "client-3d2b"
CLIENT_SECRET = "Cs-b05f17-never-logged"
BASIC = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
JWT = re.compile(rb"eyJ[\w-]+\.[\w-]+\.")
LOGGERS = ("", "bulkops", "httpx", "httpcore", "h11", "uvicorn", "uvicorn.error", "uvicorn.access", "starlette",
           "asyncio", "tqdm")


@pytest.fixture
def issued(monkeypatch) -> list[str]:
    """Unique credentials for both sandboxes, and every token they hand out."""
    tokens: list[str] = []
    jwt_issue, uuid_issue = Tokens.issue, IqmTokens.issue

    def issue_jwt(self, *args, **kwargs):
        tokens.append(jwt_issue(self, *args, **kwargs))
        return tokens[-1]

    def issue_pair(self, *args, **kwargs):
        pair = uuid_issue(self, *args, **kwargs)
        tokens.extend(pair)
        return pair

    monkeypatch.setattr(Tokens, "issue", issue_jwt)
    monkeypatch.setattr(IqmTokens, "issue", issue_pair)
    monkeypatch.setattr(smartyads_sandbox, "SANDBOX_PASSWORD", PASSWORD)
    monkeypatch.setattr(iqm_sandbox, "SANDBOX_PASSWORD", PASSWORD)
    monkeypatch.setattr(iqm_sandbox, "IQM_CLIENT_ID", CLIENT_ID)
    monkeypatch.setattr(iqm_sandbox, "IQM_CLIENT_SECRET", CLIENT_SECRET)
    return tokens


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Every logger at DEBUG into one file, as a user chasing a problem would set it."""
    path = tmp_path / "debug.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    names = set(LOGGERS) | set(logging.root.manager.loggerDict)
    saved = {name: (logging.getLogger(name).level, logging.getLogger(name).propagate) for name in names}
    for name in names:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        if not logger.propagate or not name:
            logger.addHandler(handler)
    try:
        yield path
    finally:
        for name, (level, _) in saved.items():
            logger = logging.getLogger(name)
            logger.setLevel(level)
            logger.removeHandler(handler)
        handler.close()


def _artefacts(folder: Path, output: str) -> dict[str, bytes]:
    """Every file the runs left (workbooks unzipped part by part), and what they printed."""
    found = {"output": output.encode()}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                found.update({f"{path.name}:{name}": book.read(name) for name in book.namelist()})
        else:
            found[path.name] = path.read_bytes()
    return found


def _assert_clean(artefacts: dict[str, bytes], tokens: list[str]) -> None:
    secrets = [PASSWORD, CLIENT_SECRET, BASIC, *tokens]
    for name, blob in artefacts.items():
        for secret in secrets:
            assert secret.encode() not in blob, f"{secret[:12]}… in {name}"
        assert not JWT.search(blob), f"a JWT in {name}: {JWT.search(blob)}"
        assert b"Bearer " not in blob and b"Basic " not in blob, name


def _printed(result) -> str:
    """What a run printed, and its traceback with every chained exception (the SystemExit of the CLI
    carries the library error it was raised from)."""
    trace = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else ""
    return result.output + (result.stderr if result.stderr_bytes is not None else "") + trace


def _push(platform: str, path: Path, base_url: str, out: Path, env: dict[str, str]):
    result = CliRunner().invoke(cli, ["push", str(path), "-p", platform, "--base-url", base_url, "--json",
                                      "-o", str(out)], env=env)
    return result, _printed(result)


def test_whole_pushes_at_debug_leave_no_secret_anywhere(issued, debug_log, tmp_path, monkeypatch, state_folder):
    monkeypatch.setenv("BULKOPS_PROFILE", str(tmp_path / "no-profile.toml"))
    job = tmp_path / "job"
    (job / "media").mkdir(parents=True)
    for w, h in [(300, 250), (728, 90)]:
        (job / "media" / f"{w}x{h}.png").write_bytes(png(w, h))
    out = tmp_path / "out"
    printed = []

    smartyads_job = write_filled(job / "smartyads.xlsx", "smartyads", {
        "campaigns": [campaign(), campaign(ref="c2", name="Two", type="billboard-not-a-type")],
        "creatives": [{"ref": "k1", "name": "Spring", "format": "banner-image", "bidPrice": 1.5,
                       "categories": "IAB1", "mediaFile": "media/300x250.png",
                       "clickUrl": "https://shop.example.com/spring", "campaigns": "c1"}],
        "geo-zip": [{"campaign": "c1", "zip": "02134", "iso2": "US"}],
    })
    with running(SandboxConfig(token_ttl_s=0.5)) as server:
        env = {"BULKOPS_SMARTYADS_EMAIL": "demo@bulkops.test", "BULKOPS_SMARTYADS_PASSWORD": PASSWORD}
        result, text = _push("smartyads", smartyads_job, server.base_url, out / "smartyads.xlsx", env)
        assert result.exit_code == 2, text  # one invalid row: nothing sent, results written
        printed.append(text)
        result = CliRunner().invoke(cli, ["push", str(smartyads_job), "-p", "smartyads", "--base-url",
                                          server.base_url, "--json", "--skip-invalid", "-o",
                                          str(out / "smartyads.xlsx")], env=env)
        assert result.exit_code == 0, result.output
        printed.append(_printed(result))
        wrong = {**env, "BULKOPS_SMARTYADS_PASSWORD": "Wrong-9a8b-never-logged"}
        result = CliRunner().invoke(cli, ["push", str(smartyads_job), "-p", "smartyads", "--base-url",
                                          server.base_url, "--skip-invalid", "-o", str(out / "refused.xlsx")],
                                    env=wrong)
        assert result.exit_code == 3, result.output
        printed.append(_printed(result))
        assert "AuthError" in printed[-1]  # the traceback holds the refusal itself
        assert "Wrong-9a8b" not in printed[-1] and "Wrong-9a8b" not in debug_log.read_text()
        assert server.sandbox.campaigns()

    iqm_job = write_filled(job / "iqm.xlsx", "iqm", IQM_JOB)
    with running(SandboxConfig(platform="iqm", rate_limit=1000, creative_review_s=0.0)) as server:
        env = {"BULKOPS_IQM_CLIENT_ID": CLIENT_ID, "BULKOPS_IQM_CLIENT_SECRET": CLIENT_SECRET,
               "BULKOPS_IQM_EMAIL": "demo@bulkops.test", "BULKOPS_IQM_PASSWORD": PASSWORD,
               "BULKOPS_IQM_HOST": "sandbox.bulkops.test"}
        result, text = _push("iqm", iqm_job, server.base_url, out / "iqm.xlsx", env)
        assert result.exit_code == 0, text
        printed.append(text)
        assert server.sandbox.iqm_campaigns()

    assert len(issued) >= 3  # SmartyAds logins (a token lasts 0.5 s) and IQM's access and refresh tokens
    log = debug_log.read_bytes()
    assert b"httpcore" in log and b"bulkops" in log  # the handlers really heard the libraries
    journals = _artefacts(state_folder, "")
    assert any(name.startswith("journal-") for name in journals)  # the accounts' journals are searched too
    _assert_clean({"debug.log": log, **_artefacts(out, "\n".join(printed)), **journals}, issued)
    for name, blob in journals.items():  # an account is named by a digest, never by its email
        assert b"demo@bulkops.test" not in blob and b"sandbox.bulkops.test" not in blob, name


@pytest.mark.parametrize("blob", [PASSWORD.encode(), f"x {CLIENT_SECRET} y".encode(), BASIC.encode(),
                                  b'{"token": "eyJhbGciOi.eyJzdWIiOjE4.c2ln"}', b"Authorization: Bearer abc",
                                  b"Authorization: Basic abc", b"issued-token-1"])
def test_the_search_finds_every_kind_of_secret(blob):
    with pytest.raises(AssertionError):
        _assert_clean({"artefact": blob}, ["issued-token-1"])


def test_a_profile_others_can_read_is_refused_by_the_cli_without_showing_it(tmp_path, monkeypatch):
    profile = tmp_path / "profile.toml"
    profile.write_text(f'[smartyads]\nemail = "a@b.c"\npassword = "{PASSWORD}"\n')
    for mode in (0o644, 0o640, 0o604):
        profile.chmod(mode)
        result = CliRunner().invoke(cli, ["push", str(write_filled(tmp_path / "c.xlsx", "smartyads",
                                                                   {"campaigns": [campaign()]})),
                                          "-p", "smartyads", "--base-url", "http://127.0.0.1:9"],
                                    env={"BULKOPS_PROFILE": str(profile), "BULKOPS_SMARTYADS_EMAIL": "",
                                         "BULKOPS_SMARTYADS_PASSWORD": ""})
        assert result.exit_code == 3 and "chmod 600" in result.output, result.output
        assert PASSWORD not in result.output
