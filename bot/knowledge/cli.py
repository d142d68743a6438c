"""`sahabat offer|sentra|content ...` commands."""

import typer

offer_app = typer.Typer(help="Check a job offer for red flags.", no_args_is_help=True)
sentra_app = typer.Typer(help="Find the nearest Kemensos sentra / RPTC.", no_args_is_help=True)
content_app = typer.Typer(help="Validate content/.", no_args_is_help=True)
