"""Command line. Each command is a few lines over a library call; errors become messages.

User mistakes (bad options, a broken rule file, a missing folder) end with one
message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from zi_audit import __version__
from zi_audit.deliver import nightly as runner
from zi_audit.match import skeleton as init_module
from zi_audit.state.atomic import atomic_write
from zi_audit.config import Config, check_owners, config_candidates, find_config, read_password
from zi_audit.report.document import day
from zi_audit.errors import ZiAuditError
from zi_audit.match.explain import explain as explain_file
from zi_audit.inspection.facts import ContentInspector
from zi_audit.state.history import HISTORY_FILE, History
from zi_audit.i18n import LANGS, t
from zi_audit.match.layout import folder_names
from zi_audit.deliver.mail import gap_messages, send, write_eml
from zi_audit.match.matcher import Matcher
from zi_audit.evaluate.model import STATUSES
from zi_audit.cli.progress import Progress
from zi_audit.rules.plan import RuleSet, bundled_rules_path, load_rules
from zi_audit.deliver.nightly import FORMATS
from zi_audit.pipeline import ScanOptions
from zi_audit.state.paths import default_state_dir, prepare_state_dir
from zi_audit.textnorm import display
from zi_audit.timezones import plan_zone, today
from zi_audit.deliver.watch import Watcher, WatchOptions, install_signal_handlers

EXIT_OK, EXIT_GAPS, EXIT_USAGE = 0, 1, 2


class UserError(click.ClickException):
    exit_code = EXIT_USAGE

    def show(self, file: Any = None) -> None:
        click.echo(f"zi-audit: {self.format_message()}", err=True)


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ZiAuditError as exc:
            error = UserError(str(exc))
            error.exit_code = exc.exit_code
            raise error from None
        except OSError as exc:
            # Reading the share never gets here (the walk reports and goes on); what does is a
            # path the user gave that cannot be used: --output, --log-file, init's DEST, --state.
            where = exc.filename or "a file"
            raise UserError(f"cannot use {where}: {exc.strerror or exc}") from None

    return wrapper


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        lang = ctx.params.get("lang", "id")
        raise click.BadParameter(t("error.bad_date", lang, value=value)) from None


def _parse_statuses(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> tuple[str, ...]:
    if not value:
        return ()
    out = tuple(s.strip() for s in value.split(",") if s.strip())
    for status in out:
        if status not in STATUSES:
            lang = ctx.params.get("lang", "id")
            raise click.BadParameter(
                t("error.bad_status", lang, value=status, choices=", ".join(STATUSES))
            )
    return out


def lang_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default="id",
        is_eager=True,
        show_default=True,
        help="Language of the report: id (Bahasa Indonesia) or en.",
    )(func)


def rules_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--rules",
        "rules_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Rule file (YAML). Default: the bundled rules/bukti_fisik.yaml.",
    )(func)


def as_of_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--as-of",
        callback=_parse_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="Judge deadlines as of this date (default: today in the plan's time zone, WIB).",
    )(func)


def load(rules_path: Path | None, config: Config | None = None) -> RuleSet:
    """The rule file (default: the bundled one), with the configuration's grace days."""
    return load_rules(
        rules_path or bundled_rules_path(),
        grace_days=config.grace_days if config else None,
        recurring_grace_days=config.recurring_grace_days if config else None,
    )


def zone(config: Config, rules: RuleSet) -> dt.tzinfo:
    """The plan's time zone: the configuration's, else the rule file's (both checked on load)."""
    return plan_zone(config.timezone or rules.timezone)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zi-audit")
def cli() -> None:
    """Audit a Zona Integritas evidence share (bukti fisik) against the Rencana Aksi."""


def config_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Configuration file (zi-audit.yaml). Default: the first found of $ZI_AUDIT_CONFIG, "
        "./zi-audit.yaml, ~/.config/zi-audit/zi-audit.yaml, /etc/zi-audit/zi-audit.yaml.",
    )(func)


def state_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--state",
        type=click.Path(file_okay=False, path_type=Path),
        help="Directory for zi-audit's own files (cache, history, last report). "
        "Default: the configuration's, else the user's data directory.",
    )(func)


def _setup(
    ctx: click.Context,
    config_path: Path | None,
    lang: str,
    root: Path | None,
    rules_path: Path | None,
) -> tuple[Config, str, Path, RuleSet]:
    """What scan and watch both start from: the configuration, its language, root and rules."""
    config = find_config(config_path)
    root = root or config.root
    if root is None:
        raise UserError("no evidence folder: give ROOT or set 'root' in the configuration")
    return config, _lang(ctx, lang, config), root, load(rules_path or config.rules, config)


def timeout_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--timeout",
        type=click.FloatRange(0.1, 3600),
        default=20.0,
        show_default=True,
        help="Seconds one file may take to open before it is reported and skipped.",
    )(func)


def _lang(ctx: click.Context, lang: str | None, config: Config) -> str:
    """--lang on the command line wins; else the configuration's; else Indonesian."""
    source = ctx.get_parameter_source("lang")
    return lang if source == click.core.ParameterSource.COMMANDLINE and lang else config.lang


@cli.command()
@click.argument("root", type=click.Path(path_type=Path), required=False)
@config_option
@rules_option
@as_of_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file (atomically) instead of stdout.",
)
@lang_option
@click.option(
    "--fail-on",
    callback=_parse_statuses,
    metavar="STATUS,…",
    help="Exit 1 when any indicator has one of these statuses (for cron), e.g. missing,invalid.",
)
@click.option(
    "--ignore-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Extra ignore file (gitignore syntax), besides ROOT/.zi-auditignore.",
)
@click.option(
    "--all", "show_all", is_flag=True, help="List every pending item, not only those due soon."
)
@state_option
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    help="Worker processes that open files (default: one per core).",
)
@timeout_option
@click.option(
    "--history/--no-history",
    "record_history",
    default=None,
    help="Record this scan in the history (default: yes, unless --as-of is given).",
)
@click.option(
    "--email",
    "send_email",
    is_flag=True,
    help="Email the gap report (configuration: email, owners).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="With --email: write the messages as .eml files in the state directory instead.",
)
@click.option("--quiet", is_flag=True, help="Print nothing unless something is wrong (for cron).")
@click.option(
    "--log-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append one line per run to this file.",
)
@click.option(
    "--accept-shrink",
    is_flag=True,
    help="Accept a share that shrank or moved to another device (a real clean-up).",
)
@click.pass_context
@handle_errors
def scan(
    ctx: click.Context,
    root: Path | None,
    config_path: Path | None,
    rules_path: Path | None,
    as_of: dt.date | None,
    fmt: str,
    output: Path | None,
    lang: str,
    fail_on: tuple[str, ...],
    ignore_file: Path | None,
    show_all: bool,
    state: Path | None,
    jobs: int | None,
    timeout: float,
    record_history: bool | None,
    send_email: bool,
    dry_run: bool,
    quiet: bool,
    log_file: Path | None,
    accept_shrink: bool,
) -> None:
    """Scan ROOT and report, per indicator, what is present, missing, late, outdated or invalid."""
    config, lang, root, rules = _setup(ctx, config_path, lang, root, rules_path)
    check_owners(config, {c.id for c in rules.components})
    progress = Progress(lang) if not quiet else None
    options = runner.RunOptions(
        root=root,
        scan=ScanOptions(
            as_of=as_of or today(zone(config, rules)),
            tz=zone(config, rules),
            ignore_file=ignore_file,
            lang=lang,
            state=state or config.state,
            jobs=jobs,
            timeout=timeout,
        ),
        config=config,
        fmt=fmt,
        output=output,
        show_all=show_all,
        fail_on=fail_on,
        record_history=(as_of is None) if record_history is None else record_history,
        email=send_email,
        dry_run=dry_run,
        quiet=quiet,
        accept_shrink=accept_shrink,
        log_file=log_file or config.log_file,
        progress=progress.update if progress else None,
    )
    try:
        code = runner.run(rules, options)
    finally:
        if progress:
            progress.done()
    sys.exit(code)


@cli.command()
@config_option
@state_option
@click.option("--format", "fmt", type=click.Choice(FORMATS[1:]), default="html", show_default=True)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (atomically) instead of stdout.",
)
@lang_option
@click.pass_context
@handle_errors
def report(
    ctx: click.Context,
    config_path: Path | None,
    state: Path | None,
    fmt: str,
    output: Path | None,
    lang: str,
) -> None:
    """Render the last scan's report (html, md, csv or json) without scanning again."""
    config = find_config(config_path)
    doc = runner.last_document(state or config.state or default_state_dir())
    text = runner.render(doc, fmt, _lang(ctx, lang, config))
    if output:
        atomic_write(output, text)
    else:
        click.echo(text, nl=False)


@cli.command()
@config_option
@state_option
@lang_option
@click.option(
    "--dry-run",
    is_flag=True,
    help="Write the messages as .eml files in the state directory instead.",
)
@click.pass_context
@handle_errors
def email(
    ctx: click.Context, config_path: Path | None, state: Path | None, lang: str, dry_run: bool
) -> None:
    """Email the last scan's gap report to the Tim ZI and each component's owner."""
    config = find_config(config_path)
    if config.email is None:
        raise UserError("the configuration has no 'email' section; see README, Nightly scan")
    state_dir = state or config.state or default_state_dir()
    doc = runner.last_document(state_dir)
    lang = _lang(ctx, lang, config)
    messages = gap_messages(doc, config.email, config.owners, lang)
    if dry_run:
        for path in write_eml(
            messages, state_dir / "outbox" / dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        ):
            click.echo(str(path))
        return
    send(messages, config.email, read_password(config.email.smtp, config.path))
    click.echo(f"{len(messages)} email(s) sent", err=True)


@cli.command()
@config_option
@state_option
@click.option(
    "--limit",
    type=click.IntRange(1, 3650),
    default=30,
    show_default=True,
    help="How many scans to show.",
)
@lang_option
@click.pass_context
@handle_errors
def history(
    ctx: click.Context, config_path: Path | None, state: Path | None, limit: int, lang: str
) -> None:
    """Show the trend: complete indicators per component at each recorded scan."""
    config = find_config(config_path)
    state_dir = state or config.state or default_state_dir()
    store = History(state_dir) if (state_dir / HISTORY_FILE).exists() else None
    if store is None:
        raise UserError(f"no history in {state_dir} yet; nightly scans record it")
    try:
        trend = store.trend(limit)
    finally:
        store.close()
    if not trend:
        raise UserError(f"no history in {state_dir} yet; nightly scans record it")
    click.echo(render_history(trend, _lang(ctx, lang, config)), nl=False)


@cli.group("config")
def config_group() -> None:
    """Check the configuration file."""


@config_group.command("check")
@config_option
@click.pass_context
@handle_errors
def config_check(ctx: click.Context, config_path: Path | None) -> None:
    """Validate the configuration (and the rules it names), then summarise it."""
    config = find_config(config_path)
    if config.path is None:
        raise UserError(
            "no configuration file found; looked in: "
            + ", ".join(str(p) for p in config_candidates())
        )
    rules = load(config.rules, config)
    check_owners(config, {c.id for c in rules.components})
    lines = [
        f"{config.path}: OK",
        f"  root:  {config.root or '-'}",
        f"  rules: {rules.path} ({len(rules.indicators)} indicators)",
    ]
    lines.append(f"  state: {config.state or default_state_dir()}")
    if config.email:
        smtp = config.email.smtp
        password = (
            "from $" + smtp.password_env
            if smtp.password_env
            else (f"from {smtp.password_file}" if smtp.password_file else "none")
        )
        if smtp.username:
            read_password(smtp, config.path)  # fails here, not at 1 a.m., if it cannot be read
        lines.append(
            f"  mail:  {smtp.security} {smtp.host}:{smtp.port}, login {smtp.username or '-'}, password {password}"
        )
        lines.append(f"  to:    {', '.join(config.email.recipients)}")
    for owner in config.owners:
        lines.append(f"  owner of component {owner.component}: {owner.name} <{owner.email}>")
    click.echo("\n".join(lines))


@cli.command()
@click.argument("root", type=click.Path(path_type=Path), required=False)
@config_option
@rules_option
@as_of_option
@lang_option
@state_option
@click.option(
    "--polling",
    type=click.FloatRange(0.1, 86400),
    help="Rescan every SECONDS instead of using notifications (automatic on SMB, NFS and FUSE shares).",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep this HTML report current (rewritten atomically; the page refreshes itself).",
)
@timeout_option
@click.pass_context
@handle_errors
def watch(
    ctx: click.Context,
    root: Path | None,
    config_path: Path | None,
    rules_path: Path | None,
    as_of: dt.date | None,
    lang: str,
    state: Path | None,
    polling: float | None,
    html_path: Path | None,
    timeout: float,
) -> None:
    """Scan ROOT, then follow the share and print each change to the gaps as files land."""
    config, lang, root, rules = _setup(ctx, config_path, lang, root, rules_path)
    tz = zone(config, rules)
    scan_options = ScanOptions(
        as_of=as_of or today(tz), lang=lang, state=state or config.state, timeout=timeout, tz=tz
    )
    scan_options.state = prepare_state_dir(scan_options.state, root)
    options = WatchOptions(
        scan_options, polling, html_path, config.shrink_threshold, follow_today=as_of is None
    )
    watcher = Watcher(root, rules, options, out=lambda line: print(line, flush=True))
    install_signal_handlers(watcher)
    watcher.run()


@cli.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@rules_option
@lang_option
@click.option("--dry-run", is_flag=True, help="List what would be created; write nothing.")
@handle_errors
def init(dest: Path, rules_path: Path | None, lang: str, dry_run: bool) -> None:
    """Create the folder skeleton from the rules, with a note in each indicator folder (adds only what is missing)."""
    rules = load(rules_path)
    actions, _ = init_module.plan(rules, dest, lang)
    for action in actions:
        click.echo(f"{t('init.' + action.kind, lang)}: {display(action.path)}")
    if not actions:
        click.echo(t("init.nothing", lang))
    elif dry_run:
        click.echo(t("init.dry", lang))
    else:
        init_module.apply(rules, dest, actions, lang)
        folders = sum(1 for a in actions if a.kind == "mkdir")
        click.echo(t("init.done", lang, folders=folders, notes=len(actions) - folders, dest=dest))


@cli.command()
@click.argument(
    "paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The evidence folder the paths are in (default: the configuration's root, else the current folder).",
)
@config_option
@rules_option
@state_option
@lang_option
@click.pass_context
@handle_errors
def explain(
    ctx: click.Context,
    paths: tuple[Path, ...],
    root: Path | None,
    config_path: Path | None,
    rules_path: Path | None,
    state: Path | None,
    lang: str,
) -> None:
    """Say which evidence each file counts for, and why it does not count for others nearby."""
    config = find_config(config_path)
    lang = _lang(ctx, lang, config)
    rules = load(rules_path or config.rules, config)
    base = (root or config.root or Path.cwd()).resolve()
    inspector = ContentInspector(prepare_state_dir(state or config.state, base))
    for n, path in enumerate(paths):
        full = path.resolve()
        if base not in full.parents:
            raise UserError(f"{path} is not inside the evidence folder {base}; give --root")
        if n:
            click.echo("")
        click.echo(
            "\n".join(
                explain_file(
                    rules,
                    base,
                    full.relative_to(base).as_posix(),
                    inspector,
                    lang,
                    zone(config, rules),
                )
            )
        )


@cli.group("rules")
def rules_group() -> None:
    """Check a rule file, or show one indicator of it."""


@rules_group.command("check")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@handle_errors
def rules_check(file: Path | None) -> None:
    """Load a rule file (default: the bundled one), report its first mistake or summarise it."""
    rules = load(file)
    items = list(rules.evidence())
    recurring = [
        e
        for e in items
        if e.every or len((e.window or rules.indicator(e.indicator).window).parts) > 1
    ]  # type: ignore[union-attr]
    only_folder = [e for e in items if not e.patterns]
    click.echo(f"{rules.path}: OK")
    click.echo(
        f"  {len(rules.components)} components, {len(rules.areas)} areas, {len(rules.indicators)} indicators"
    )
    click.echo(
        f"  {len(items)} evidence items, {len(recurring)} recurring, {len(only_folder)} counted only in their own folder"
    )
    unplanned = [i.id for i in rules.indicators if not i.planned]
    if unplanned:
        click.echo(f"  no evidence planned: {', '.join(unplanned)}")
    matcher = Matcher(rules)
    layout = folder_names(rules)
    missed = []
    for ind in rules.indicators:
        for item in ind.evidence:
            name = init_module.suggested_names(item, ind)[0]
            if item.key not in {e.key for e in matcher.match_path(f"{layout[ind.id]}/{name}")}:
                missed.append(f"{item.key} {item.name}")
    if missed:
        click.echo(
            "  warning: these items do not match a file named after themselves in their own folder:"
        )
        for line in missed:
            click.echo(f"    {line}")


@rules_group.command("show")
@click.argument("ident")
@rules_option
@lang_option
@handle_errors
def rules_show(ident: str, rules_path: Path | None, lang: str) -> None:
    """Show one indicator in full: text, action, window and every evidence item."""
    rules = load(rules_path)
    try:
        indicator = rules.indicator(ident)
    except KeyError:
        raise UserError(f"no indicator '{ident}' in {rules.path}; ids look like 1.1.1") from None
    click.echo(init_module.note_text(indicator, lang), nl=False)
    for item in indicator.evidence:
        extra = [f"every {'/'.join(item.every)}"] if item.every else []
        if item.exclude:
            extra.append("exclude " + ", ".join(f'"{p}"' for p in item.exclude))
        if item.year_bound:
            extra.append(f"year-bound ({rules.year})")
        if extra:
            click.echo(f"  {item.key}: " + "; ".join(extra))


def render_history(trend: list[Any], lang: str) -> str:
    if not trend:
        return ""
    comps = sorted(trend[-1].components)
    head = (
        f"{t('head.as_of', lang):<20}"
        + "".join(f"{c:>7}" for c in comps)
        + f"{t('doc.done', lang):>10}"
    )
    lines = [head]
    for snap in trend:
        done = sum(v[0] for v in snap.components.values())
        planned = sum(v[1] for v in snap.components.values())
        cells = "".join(f"{snap.components[c][0]:>4}/{snap.components[c][1]:<2}" for c in comps)
        lines.append(f"{day(snap.as_of, lang):<20}{cells}{done:>6}/{planned}")
    return "\n".join(lines) + "\n"


def main() -> None:
    cli(prog_name="zi-audit")
