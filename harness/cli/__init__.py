"""The `uat` command. User errors end in one line and exit code 2, never a traceback.

Each command imports its machinery inside its function: `uat --help`, `uat impact` or `uat signoff` should not pay
for loading the clients, the twin and pytest (tests/test_architecture.py exempts this package for that reason).
"""

from __future__ import annotations

import sys

import typer

from harness.cli import impact as impact_commands
from harness.cli import lint as lint_commands
from harness.cli import mappings as mapping_commands
from harness.cli import monitor as monitor_commands
from harness.cli import reconcile as reconcile_commands
from harness.cli import run as run_commands
from harness.cli import seed as seed_commands
from harness.cli import signoff as signoff_commands
from harness.cli import twin as twin_commands
from harness.errors import UserError

app = typer.Typer(help="UAT harness for the HubSpot <-> Salesforce native integration.", no_args_is_help=False,
                  add_completion=False, pretty_exceptions_enable=False)
app.command("run")(run_commands.run)
app.command("cleanup")(seed_commands.cleanup)
app.command("seed")(seed_commands.seed)
app.command("lint")(lint_commands.lint)
app.command("impact")(impact_commands.impact)
app.command("steps")(run_commands.steps)
app.command("monitor")(monitor_commands.monitor)
app.command("reconcile")(reconcile_commands.reconcile)
app.add_typer(mapping_commands.app, name="mappings")
app.add_typer(twin_commands.app, name="twin")
app.add_typer(signoff_commands.app, name="signoff")


def main() -> None:
    # Every line this process prints goes through the redaction layer, tracebacks of unexpected errors included
    # (an exception may quote a header, URL or body). `uat twin serve` announces its own fresh tokens on stdout by
    # design, so there only stderr is masked.
    from harness.run.redaction import install_console_redaction

    install_console_redaction(stdout=sys.argv[1:2] != ["twin"])
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int):  # without standalone mode, click returns a command's Exit code instead of raising
            sys.exit(code)
    except UserError as error:
        print("uat: " + " ".join(str(error).splitlines()), file=sys.stderr)  # one line, whatever it quotes
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print("uat: interrupted", file=sys.stderr)
        sys.exit(130)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except Exception as error:  # usage errors (click's, or the copy of click that newer typer vendors)
        if type(error).__name__ == "Abort":
            sys.exit(130)
        if callable(getattr(error, "show", None)) and isinstance(getattr(error, "exit_code", None), int):
            error.show()
            sys.exit(error.exit_code)
        raise
