"""`sahabat nlu ...` commands (train, parse, eval) — design section 5."""

from __future__ import annotations

import json
import os
import tempfile
import time
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nlu.base import FALLBACK, NLU, ParseResult

if TYPE_CHECKING:
    from bot.config import Settings

app = typer.Typer(help="NLU: train, parse, evaluate.", no_args_is_help=True)


class Backend(StrEnum):
    embedded = "embedded"
    rasa = "rasa"


def _settings() -> Settings:  # imported lazily: keeps `sahabat --help` fast
    from bot.config import get_settings

    return get_settings()


@app.command()
def train(
    data: Annotated[
        list[Path] | None, typer.Option("--data", help="Rasa YAML file or directory (repeatable).")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Model directory.")] = None,
) -> None:
    """Train the embedded NLU model from Rasa YAML and save it."""
    from nlu import embedded, training_data

    settings = _settings()
    paths = data or [settings.nlu_data]
    out_dir = out or settings.nlu_model_dir
    started = time.perf_counter()
    td = training_data.load(paths)
    model = embedded.EmbeddedNLU.train(
        td, settings.nlu_fallback_threshold, data_hash=embedded.fingerprint(paths)
    )
    target = model.save(out_dir)
    typer.echo(
        f"trained on {len(td.examples)} examples, {len(model.labels)} intents "
        f"in {time.perf_counter() - started:.1f} s -> {target}"
    )


@app.command()
def parse(
    text: Annotated[str, typer.Argument(help="Message to parse.")],
    model: Annotated[Path | None, typer.Option("--model", help="Model directory (from `nlu train`).")] = None,
) -> None:
    """Parse one message; print Rasa's /model/parse JSON."""
    from nlu import embedded

    settings = _settings()
    if model is not None:
        if not (model / embedded.MODEL_FILE).is_file():
            typer.echo(f"no model in {model}; run `sahabat nlu train --out {model}`", err=True)
            raise typer.Exit(2)
        nlu = embedded.EmbeddedNLU.load(model, settings.nlu_fallback_threshold)
    else:
        nlu = embedded.load_or_train(
            settings.nlu_data, settings.nlu_model_dir, settings.nlu_fallback_threshold
        )
    typer.echo(json.dumps(nlu.parse(text), ensure_ascii=False, indent=2))


class _Unavailable:
    """Stands in for the Rasa client's fallback during evaluation: a Rasa failure counts as a miss."""

    name = "unavailable"

    def parse(self, text: str) -> ParseResult:
        return {
            "text": text,
            "intent": {"name": FALLBACK, "confidence": 0.0},
            "entities": [],
            "intent_ranking": [],
        }

    def ready(self) -> bool:
        return False


@app.command("eval")
def eval_(
    data: Annotated[list[Path], typer.Option("--data", help="Rasa YAML test file(s) (repeatable).")],
    train_data: Annotated[
        list[Path] | None,
        typer.Option("--train", help="Train a fresh model on this data first (repeatable)."),
    ] = None,
    backend: Annotated[Backend, typer.Option("--backend", help="embedded or rasa.")] = Backend.embedded,
    report: Annotated[Path | None, typer.Option("--report", help="Directory for intent_report.json.")] = None,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Fallback threshold (default: settings).")
    ] = None,
    split: Annotated[
        str | None,
        typer.Option("--split", help="tune or holdout: one half of a published corpus (nlu_published.yml)."),
    ] = None,
) -> None:
    """Evaluate intents on test data; write DIR/intent_report.json in Rasa's format."""
    from nlu import embedded, published
    from nlu.evaluate import evaluate, load_examples, summary, write_report

    settings = _settings()
    thr = settings.nlu_fallback_threshold if threshold is None else threshold
    if split is not None and split not in published.SPLITS:
        typer.echo(f"--split must be one of {', '.join(published.SPLITS)}", err=True)
        raise typer.Exit(2)
    if split:
        examples = [ex for path in data for ex in published.load_examples(path, split)]
    else:
        examples = load_examples(data)
    if not examples:
        typer.echo("no test examples found", err=True)
        raise typer.Exit(2)
    with ExitStack() as stack:
        nlu: NLU
        if backend is Backend.embedded:
            if train_data:
                nlu = embedded.train(train_data, threshold=thr)
            else:
                nlu = embedded.load_or_train(settings.nlu_data, settings.nlu_model_dir, thr)
        else:
            nlu = _rasa_backend(stack, train_data, report, settings)
        result = evaluate(nlu, examples)
    result["backend"] = backend.value
    out_dir = report or Path("reports") / "nlu"
    path = write_report(result, out_dir)
    typer.echo(summary(result))
    typer.echo(f"report: {path}")


def _rasa_backend(
    stack: ExitStack, train_data: list[Path] | None, report: Path | None, settings: Settings
) -> NLU:
    from nlu.rasa_client import RasaNLU

    if train_data:
        from nlu.rasa_runner import RasaServer, train_rasa

        work = Path(report) if report else Path(stack.enter_context(tempfile.TemporaryDirectory()))
        archive = train_rasa(list(train_data), work / "rasa-model")
        server = stack.enter_context(RasaServer(archive))
        url = server.url
    else:
        configured = settings.nlu_url or os.environ.get("SAHABAT_NLU_URL")
        if not configured:
            typer.echo("--backend rasa without --train needs SAHABAT_NLU_URL", err=True)
            raise typer.Exit(2)
        url = configured
    timeout = max(settings.nlu_timeout_s, 10.0)  # evaluation may wait longer than a chat turn
    client = RasaNLU(url, timeout, fallback=_Unavailable())
    stack.callback(client.close)
    return client
