"""The configuration file: strict like the rule file, safe about mail and passwords."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import click
import pytest

from tests.helpers import REPO, pdf_bytes, run_cli
from tests.helpers.smtp_server import Sink, free_port, start
from zi_audit.config import load_config, parse_config, read_password
from zi_audit.core.errors import ConfigError

GOOD = """\
root: share
state: state
lang: en
email:
  sender: "zi-audit <zi@example.go.id>"
  recipients: [tim.zi@example.go.id, ketua@example.go.id]
  smtp:
    host: mail.example.go.id
    username: zi
    password_env: ZI_TEST_PASSWORD
owners:
  "1": {name: Budi, email: budi@example.go.id}
"""


def test_good_configuration(tmp_path: Path) -> None:
    config = parse_config(GOOD, tmp_path / "zi-audit.yaml")
    assert config.root == tmp_path / "share" and config.state == tmp_path / "state"
    assert config.lang == "en"
    assert config.email is not None
    assert (config.email.smtp.security, config.email.smtp.port) == ("starttls", 587)
    assert config.email.recipients == ("tim.zi@example.go.id", "ketua@example.go.id")
    assert [(o.component, o.email) for o in config.owners] == [("1", "budi@example.go.id")]


@pytest.mark.parametrize(
    ("change", "line", "key", "words"),
    [
        (("  smtp:", "  smpt:"), 7, "smpt", "did you mean 'smtp'"),
        (("tim.zi@example.go.id,", "tim.zi,"), 6, "recipients", "not an email address"),
        (
            ("    username: zi", "    security: plain"),
            9,
            "security",
            "only allowed to a server on this machine",
        ),
        (("    username: zi", "    security: ssl"), 9, "security", "must be one of"),
        (("lang: en", "lang: jv"), 3, "lang", "must be one of"),
        (("lang: en", "shrink_threshold: 3"), 3, "shrink_threshold", "fraction"),
        (
            ("    password_env: ZI_TEST_PASSWORD", "    password_env: X\n    password_file: p"),
            11,
            "password_file",
            "not both",
        ),
        (('  "1": {name: Budi', '  "1": {nama: Budi'), 12, "nama", "unknown key"),
    ],
)
def test_configuration_errors(
    tmp_path: Path, change: tuple[str, str], line: int, key: str, words: str
) -> None:
    text = GOOD.replace(*change)
    assert text != GOOD
    with pytest.raises(ConfigError) as info:
        parse_config(text, tmp_path / "zi-audit.yaml")
    assert (info.value.line, info.value.key) == (line, key)
    assert words in str(info.value)


def test_password_file_must_be_private(tmp_path: Path) -> None:
    secret = tmp_path / "smtp-password"
    secret.write_text("s3cret\n")
    os.chmod(secret, 0o644)
    config = parse_config(
        GOOD.replace("password_env: ZI_TEST_PASSWORD", f"password_file: {secret}"),
        tmp_path / "c.yaml",
    )
    assert config.email is not None
    with pytest.raises(ConfigError, match="chmod 600") as info:
        read_password(config.email.smtp, config.path)
    assert "s3cret" not in str(info.value)
    os.chmod(secret, 0o600)
    assert read_password(config.email.smtp, config.path) == "s3cret"


def test_password_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_config(GOOD, tmp_path / "c.yaml")
    assert config.email is not None
    with pytest.raises(ConfigError, match="ZI_TEST_PASSWORD is not set"):
        read_password(config.email.smtp, config.path)
    monkeypatch.setenv("ZI_TEST_PASSWORD", "rahasia")
    assert read_password(config.email.smtp, config.path) == "rahasia"


def test_config_check_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "zi-audit.yaml"
    path.write_text(GOOD)
    (tmp_path / "share").mkdir()
    monkeypatch.setenv("ZI_TEST_PASSWORD", "rahasia-sekali")
    code, out, err = run_cli("config", "check", "--config", str(path), "--lang", "en")
    assert code == 0, err
    assert (
        "ok" in out and "starttls mail.example.go.id:587" in out and "owner of component 1" in out
    )
    assert "not checked: the SMTP server and login (run with --connect" in out
    assert "rahasia-sekali" not in out + err
    monkeypatch.delenv("ZI_TEST_PASSWORD")
    code, out, err = run_cli("config", "check", "--config", str(path))
    assert code == 2 and "1 problem(s)" in err and "ZI_TEST_PASSWORD is not set" in out


def test_owner_of_an_unknown_component(tmp_path: Path) -> None:
    path = tmp_path / "zi-audit.yaml"
    path.write_text(GOOD.replace('"1": {name', '"9": {name'))
    code, _, err = run_cli("config", "check", "--config", str(path))
    assert code == 2 and "component '9' is not in the rules" in err


def test_config_found_in_the_usual_places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home_config = Path(os.environ["XDG_CONFIG_HOME"]) / "zi-audit" / "zi-audit.yaml"
    home_config.parent.mkdir(parents=True)
    home_config.write_text("lang: en\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli("config", "check")
    assert code == 0 and str(home_config) in out
    (tmp_path / "zi-audit.yaml").write_text("lang: id\n")
    code, out, _ = run_cli("config", "check")
    assert str(tmp_path / "zi-audit.yaml") in out
    assert load_config(tmp_path / "zi-audit.yaml").lang == "id"


def test_grace_days_and_timezone_from_the_configuration(tmp_path: Path) -> None:
    agen = tmp_path / "share" / "1.4.2 Agen Perubahan"
    agen.mkdir(parents=True)
    late = agen / "SK Tim Agen Perubahan 2025-10-20.pdf"  # window: September
    late.write_bytes(pdf_bytes())
    night = agen / "SK Agen Perubahan malam.pdf"  # dated by its time only: 30 Sept 23:30 WIB
    night.write_bytes(pdf_bytes(None))
    stamp = dt.datetime(2025, 9, 30, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))).timestamp()
    os.utime(night, (stamp, stamp))

    def statuses(config_text: str) -> dict[str, str]:
        path = tmp_path / "zi-audit.yaml"
        path.write_text(config_text)
        code, out, err = run_cli(
            "scan",
            str(tmp_path / "share"),
            "--config",
            str(path),
            "--as-of",
            "2025-11-15",
            "--format",
            "json",
            "--state",
            str(tmp_path / "state"),
        )
        assert code == 0, err
        ind = next(i for i in json.loads(out)["indicators"] if i["id"] == "1.4.2")
        files = ind["evidence"][0]["files"]
        return {f["path"].rpartition("/")[2]: (f["date"], f["status"]) for f in files}

    default = statuses("lang: id\n")
    assert default["SK Tim Agen Perubahan 2025-10-20.pdf"] == ("2025-10-20", "late")
    assert default["SK Agen Perubahan malam.pdf"] == ("2025-09-30", "present")
    assert statuses("grace_days: 30\n")["SK Tim Agen Perubahan 2025-10-20.pdf"][1] == "present"
    papua = statuses("timezone: Asia/Jayapura\n")  # WIT, two hours ahead: it is 1 October there
    assert papua["SK Agen Perubahan malam.pdf"] == ("2025-10-01", "late")
    with pytest.raises(ConfigError, match="not a time zone") as info:
        parse_config("timezone: Asia/Bandung\n", tmp_path / "c.yaml")
    assert (info.value.line, info.value.key) == (1, "timezone")


def test_config_check_tries_what_the_nightly_run_needs(tmp_path: Path) -> None:
    """It said OK while the night then failed on an unwritable log, a missing root, an SMTP
    host that did not answer."""
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    path = tmp_path / "zi-audit.yaml"
    path.write_text(
        f"root: {tmp_path / 'not-mounted'}\nstate: {tmp_path / 'state'}\n"
        f"log_file: {a_file / 'zi-audit.log'}\nemail:\n  sender: zi@kpu.go.id\n"
        f"  recipients: [tim@kpu.go.id]\n"
        f"  smtp: {{host: 127.0.0.1, port: {free_port()}, security: plain}}\n"
    )
    code, out, err = run_cli("config", "check", "--config", str(path), "--connect", "--lang", "en")
    assert code == 2 and "3 problem(s)" in err
    assert "PROBLEM  root" in out and "PROBLEM  log_file" in out and "PROBLEM  SMTP" in out
    assert "ok       state" in out


def test_config_check_connect_logs_in_and_sends_nothing(tmp_path: Path) -> None:
    sink = Sink()
    controller = start(sink, tls=None)
    try:
        (tmp_path / "share").mkdir()
        path = tmp_path / "zi-audit.yaml"
        path.write_text(
            f"root: {tmp_path / 'share'}\nstate: {tmp_path / 'state'}\nemail:\n"
            f"  sender: zi@kpu.go.id\n  recipients: [tim@kpu.go.id]\n"
            f"  smtp: {{host: 127.0.0.1, port: {controller.port}, security: plain}}\n"
        )
        code, out, err = run_cli("config", "check", "--config", str(path), "--connect")
    finally:
        controller.stop()
    assert code == 0, err
    # Indonesian by default; no login is configured, so none is said to be accepted
    assert "menjawab (tidak ada login yang diatur)" in out and sink.received == []
    assert "menerima login" not in out


@pytest.mark.parametrize(
    ("section", "line", "key", "words"),
    [
        ("lke:\n  ipak: 4.5\n", 2, "ipak", "from 0 to 4"),
        ("lke:\n  ipkp: tinggi\n", 2, "ipkp", "from 0 to 4"),
        ("lke:\n  capaian_kinerja: F\n", 2, "capaian_kinerja", "A, B, C, D, E"),
        ("lke:\n  ipak: 3.6\n  survei: 3\n", 3, "survei", ""),
    ],
)
def test_bad_lke_figures_name_file_line_and_key(
    tmp_path: Path, section: str, line: int, key: str, words: str
) -> None:
    path = tmp_path / "zi-audit.yaml"
    path.write_text(section)
    code, _, err = run_cli("config", "check", "--config", str(path))
    assert code == 2 and f"{path}:{line}: '{key}'" in err and words in err


def test_lke_figures_reach_the_report(tmp_path: Path, example_tree: Path) -> None:
    path = tmp_path / "zi-audit.yaml"
    path.write_text(
        f"state: {tmp_path / 'state'}\nlke:\n  ipak: 3.6\n  ipkp: 3.2\n  capaian_kinerja: C\n"
    )
    code, out, err = run_cli(
        "scan",
        str(example_tree),
        "--config",
        str(path),
        "--as-of",
        "2025-11-15",
        "--format",
        "json",
    )
    assert code == 0, err
    lke = json.loads(out)["lke"]
    assert lke["hasil"]["value"] == pytest.approx(32.25)
    assert lke["total"] == pytest.approx(lke["pengungkit"]["value"] + 32.25, abs=1e-3)


def test_every_path_expands_home_the_same_way(tmp_path: Path) -> None:
    """`~` means $HOME in every path of the configuration; a relative path is relative to
    the file's folder."""
    text = """root: ~/share
rules: ~/plan.yaml
state: ~/state
log_file: ~/zi.log
lke: {answers: ~/lke.yaml}
email:
  sender: a@b.go.id
  recipients: [c@d.go.id]
  smtp: {host: 127.0.0.1, security: plain, password_file: ~/pw, ca_file: ca.pem}
"""
    config = parse_config(text, tmp_path / "etc" / "zi-audit.yaml")
    home = Path.home()
    assert config.email is not None
    paths = [config.root, config.rules, config.state, config.log_file, config.answers]
    assert [*paths, config.email.smtp.password_file] == [
        home / n for n in ("share", "plan.yaml", "state", "zi.log", "lke.yaml", "pw")
    ]
    assert config.email.smtp.ca_file == tmp_path / "etc" / "ca.pem"
    assert (config.email.retries, config.email.smtp.port) == (4, 25)  # the defaults, once


def _walk_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            out += _walk_commands(command, f"{prefix}{name} ")
        else:
            out.append((f"{prefix}{name}", command))
    return out


def test_every_command_takes_config_and_no_config() -> None:
    """#21.9: a test, the demo or a what-if on a server can name or leave its configuration."""
    from zi_audit.cli.main import cli

    for name, command in _walk_commands(cli):
        opts = {o for p in command.params for o in getattr(p, "opts", [])}
        assert {"--config", "--no-config"} <= opts, name


def test_the_system_configuration_stays_where_it_belongs(
    tmp_path: Path, example_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#21.9: the server's configuration (moved by $ZI_AUDIT_SYSTEM_CONFIG, so no test writes
    to /etc) names a log and owners. `--no-config` reads neither; another plan typed with
    --rules is not held to the owners written for the configured one."""
    log = tmp_path / "var-log" / "zi-audit.log"
    log.parent.mkdir()
    system = tmp_path / "etc" / "zi-audit.yaml"
    system.parent.mkdir()
    owners = "owners:\n  '4': {name: Ketua Pokja, email: pokja4@example.go.id}\n"
    system.write_text(f"log_file: {log}\n{owners}", encoding="utf-8")
    monkeypatch.setenv("ZI_AUDIT_SYSTEM_CONFIG", str(system))
    other = tmp_path / "lain.yaml"
    other.write_text(
        "version: 1\nplan: {title: Lain, year: 2025}\ncomponents:\n"
        "  - id: '1'\n    name: Lain\n    areas:\n      - id: '1.1'\n        name: Lain\n"
        "        indicators:\n          - id: '1.1.1'\n            text: Lain\n            window: Desember\n"
        "            evidence:\n              - name: SK\n                patterns: ['sk*']\n",
        encoding="utf-8",
    )
    scan = ("scan", str(example_tree), "--as-of", "2025-11-15", "--state", str(tmp_path / "s"))
    assert run_cli(*scan)[0] == 0
    assert log.read_text(encoding="utf-8").count("\n") == 1  # the configuration is read
    assert run_cli(*scan, "--no-config")[0] == 0
    assert log.read_text(encoding="utf-8").count("\n") == 1  # ... and with --no-config not
    code, _, err = run_cli(*scan, "--rules", str(other))
    assert code == 0, err
    code, _, err = run_cli(*scan, "--no-config", "--config", str(system))
    assert code == 2 and "--no-config" in err


def test_make_demo_reads_no_configuration() -> None:
    demo = (REPO / "Makefile").read_text(encoding="utf-8").split("\ndemo:")[1].split("\n\n")[0]
    assert "--no-config" in demo
