from __future__ import annotations

import pytest

from bulkops._config import base_url, credentials
from bulkops._exceptions import ConfigError


def test_credentials_from_the_environment():
    env = {"BULKOPS_SMARTYADS_EMAIL": "a@b.c", "BULKOPS_SMARTYADS_PASSWORD": "s3cret", "BULKOPS_PROFILE": "/nope"}
    creds = credentials("smartyads", env)
    assert creds["email"] == "a@b.c" and creds["password"] == "s3cret"
    assert "s3cret" not in repr(creds) and "s3cret" not in str(creds)


def test_credentials_from_a_private_profile(tmp_path):
    profile = tmp_path / "profile.toml"
    profile.write_text('[smartyads]\nemail = "a@b.c"\npassword = "s3cret"\nbase_url = "http://127.0.0.1:9/"\n')
    profile.chmod(0o600)
    env = {"BULKOPS_PROFILE": str(profile)}
    assert credentials("smartyads", env)["password"] == "s3cret"
    assert base_url("smartyads", None, env) == "http://127.0.0.1:9"
    assert base_url("smartyads", "http://x/", env) == "http://x"


def test_a_profile_others_can_read_is_refused(tmp_path):
    profile = tmp_path / "profile.toml"
    profile.write_text('[smartyads]\nemail = "a@b.c"\npassword = "s3cret"\n')
    profile.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        credentials("smartyads", {"BULKOPS_PROFILE": str(profile)})


def test_missing_credentials_say_what_to_set(tmp_path):
    with pytest.raises(ConfigError, match="BULKOPS_SMARTYADS_PASSWORD"):
        credentials("smartyads", {"BULKOPS_SMARTYADS_EMAIL": "a@b.c", "BULKOPS_PROFILE": str(tmp_path / "none")})
