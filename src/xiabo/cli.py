"""The ``xiabo`` command: a thin, lazily loaded layer over the Python API.

Each sub-command lives in ``xiabo.commands.<module>`` and is imported only when it runs, so
``xiabo --help`` stays fast. Every command's bad input surfaces as a ``UserError`` and exits 2.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from .errors import UserError
from .i18n import normalise_lang, t

# name -> (module under xiabo.commands, attribute); the one-line help is cli.commands.<name>
COMMANDS: dict[str, tuple[str, str]] = {
    "plan": ("xiabo.commands.plan", "cli"),
    "done": ("xiabo.commands.done", "cli"),
    "init": ("xiabo.commands.init", "cli"),
    "rules": ("xiabo.commands.rules", "cli"),
    "export": ("xiabo.commands.export", "cli"),
    "evidence": ("xiabo.commands.evidence", "cli"),
    "backup": ("xiabo.commands.backup", "cli"),
    "privacy": ("xiabo.commands.privacy", "cli"),
    "orders": ("xiabo.commands.orders", "cli"),
    "tax": ("xiabo.commands.tax", "cli"),
    "serve": ("xiabo.commands.serve", "cli"),
    "db": ("xiabo.commands.db", "cli"),
    "users": ("xiabo.commands.users", "cli"),
    "letters": ("xiabo.commands.letters", "cli"),
    "opinion": ("xiabo.commands.opinion", "cli"),
    "worker": ("xiabo.commands.worker", "cli"),
    "dispute": ("xiabo.commands.dispute", "cli"),
}


def cli_lang() -> str:
    """Language for messages printed before a command has parsed its own --lang."""
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return normalise_lang(argv[i + 1])
        if arg.startswith("--lang="):
            return normalise_lang(arg.split("=", 1)[1])
    return normalise_lang(os.environ.get("XIABO_LANG"))


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        entry = COMMANDS.get(name)
        if entry is None:
            return None
        module = importlib.import_module(entry[0])
        return getattr(module, entry[1])

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = cli_lang()
        rows = [(name, t(f"cli.commands.{name}", lang)) for name in COMMANDS]
        with formatter.section(t("cli.commands_heading", lang)):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, help=None, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="xiabo", help=t("cli.version_help", cli_lang()))
@click.option("--lang", default=None, metavar="zh|en", help=t("cmd.opt.lang", cli_lang()))
def main(lang) -> None:
    """xiabo (下播)：主播安全、完整地离开直播平台的路线图与工具。"""


def run() -> None:
    """Console entry point: turn UserError into a clean message and exit code."""
    from .clicktext import install

    install(cli_lang())  # click's own words (Usage:, Options, its errors) in the user's language
    try:
        main.main(prog_name="xiabo", standalone_mode=False)
    except UserError as err:
        click.echo(err.render(cli_lang()), err=True)
        sys.exit(err.exit_code)
    except click.exceptions.Abort:
        click.echo("", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(2 if err.exit_code == 2 else err.exit_code)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as err:  # last resort: a bug, reported without a traceback
        if os.environ.get("XIABO_DEBUG"):
            raise
        from .store.failures import classify  # read-only store, full disk, database gone

        problem = classify(err) if not isinstance(err, (ValueError, ArithmeticError)) else None
        if problem is not None:
            click.echo(problem.render(cli_lang()), err=True)
            sys.exit(2)
        click.echo(t("errors.internal", cli_lang(), error=f"{type(err).__name__}: {err}"), err=True)
        sys.exit(70)


if __name__ == "__main__":  # pragma: no cover
    run()
