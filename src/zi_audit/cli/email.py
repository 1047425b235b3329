"""`zi-audit email`: send the last scan's gap report, the way the nightly run does."""

from __future__ import annotations

from pathlib import Path

import click

from zi_audit.app.nightly import last_document
from zi_audit.cli import options as o
from zi_audit.cli.errors import UserError, command
from zi_audit.cli.session import session_of
from zi_audit.deliver.mail import deliver, gap_messages
from zi_audit.deliver.mail import resend as resend_unsent
from zi_audit.deliver.runlog import RunLog
from zi_audit.i18n import t


@click.command()
@o.config_option
@o.state_option
@o.lang_option
@click.option(
    "--dry-run",
    is_flag=True,
    help="Write the messages as .eml files in the state directory instead.",
)
@click.option(
    "--resend",
    is_flag=True,
    help="Send the messages an earlier run could not, kept in the state directory's unsent/.",
)
@click.pass_context
@command
def email(
    ctx: click.Context,
    config_path: Path | None,
    state: Path | None,
    lang: str,
    dry_run: bool,
    resend: bool,
) -> int:
    """Email the last scan's gap report to the Tim ZI and each component's owner."""
    session = session_of(ctx, config_path, lang)
    config, lang = session.config, session.lang
    if config.email is None:
        raise UserError(t("mail.no_section", lang))
    state_dir = session.state_dir(state)
    if resend:
        result = resend_unsent(config, state_dir, RunLog(config.log_file))
        if result.code:
            raise UserError(result.message, result.code)
        click.echo(result.message or t("mail.nothing_unsent", lang), err=True)
        return 0
    doc = last_document(state_dir)
    messages = gap_messages(doc, config.email, config.owners, lang, config.pics)
    result = deliver(messages, config, state_dir, RunLog(config.log_file), dry_run=dry_run)
    if result.code:
        raise UserError(result.message, result.code)
    click.echo(result.message, err=not dry_run)
    return 0
