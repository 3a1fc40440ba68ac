"""Documentation generated from the code (the README's usage section, via cog)."""

from __future__ import annotations


def usage() -> str:
    """Every command's ``--help``, as Markdown code blocks."""
    import typer.main
    from typer.testing import CliRunner

    from storyline.cli import app

    runner = CliRunner()
    command = typer.main.get_command(app)
    paths = [[]]
    for name, sub in sorted(command.commands.items()):  # type: ignore[attr-defined]
        paths.append([name])
        for subname in sorted(getattr(sub, "commands", {})):
            paths.append([name, subname])
    out = []
    for path in paths:
        result = runner.invoke(app, [*path, "--help"], terminal_width=100, env={"COLUMNS": "100"})
        out.append(f"```\n$ storyline {' '.join(path + ['--help'])}\n{result.output.rstrip()}\n```\n")
    return "\n".join(out)
