"""The `uat` command. User errors end in one line and exit code 2, never a traceback."""

from __future__ import annotations

import sys

import typer

from ..errors import UserError
from . import run as run_commands
from . import signoff as signoff_commands
from . import twin as twin_commands

app = typer.Typer(help="UAT harness for the HubSpot <-> Salesforce native integration.", no_args_is_help=False,
                  add_completion=False, pretty_exceptions_enable=False)
app.command("run")(run_commands.run)
app.command("cleanup")(run_commands.cleanup)
app.add_typer(twin_commands.app, name="twin")
app.add_typer(signoff_commands.app, name="signoff")


def main() -> None:
    try:
        app(standalone_mode=False)
    except UserError as error:
        print(f"uat: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print("uat: interrupted", file=sys.stderr)
        sys.exit(130)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except Exception as error:  # click's usage errors
        import click

        if isinstance(error, click.exceptions.ClickException):
            error.show()
            sys.exit(error.exit_code)
        if isinstance(error, click.exceptions.Abort):
            sys.exit(130)
        raise
