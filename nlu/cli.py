"""`sahabat nlu ...` commands (train, parse, eval)."""

import typer

app = typer.Typer(help="NLU: train, parse, evaluate.", no_args_is_help=True)
