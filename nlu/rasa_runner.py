"""Train and serve the real Rasa 3.6 NLU from its own Python 3.10 venv (`.rasa-venv`).

Rasa never runs inside the app's interpreter (it needs Python < 3.11 and TensorFlow): every
call here is a subprocess of the Rasa venv, with Rasa's telemetry turned off.
Used by `sahabat nlu eval --backend rasa`, tests/rasa and bench/nlu.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "nlu" / "config.yml"
VENV_ENV = "SAHABAT_RASA_VENV"  # another venv location, e.g. in a container
TRAIN_TIMEOUT_S = 3600.0
START_TIMEOUT_S = 240.0


class RasaError(RuntimeError):
    """Rasa is missing, failed to train or failed to start."""


def rasa_venv() -> Path:
    return Path(os.environ.get(VENV_ENV, ROOT / ".rasa-venv"))


def rasa_python() -> Path:
    """The Rasa venv's python; a clear error (with the command that builds it) if absent."""
    python = rasa_venv() / "bin" / "python"
    if not python.exists():
        raise RasaError(
            f"The Rasa 3.6 venv is missing ({python} not found). "
            f"Build it with `make rasa-venv` in {ROOT} (needs a python3.10)."
        )
    return python


def rasa_env() -> dict[str, str]:
    """Environment for Rasa subprocesses: telemetry off, nothing leaking in from the app's venv."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        PYTHONWARNINGS="ignore",
    )
    return env


def _rasa_cmd(*args: str) -> list[str]:
    return [str(rasa_python()), "-m", "rasa", *args]


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def write_config(out: Path, epochs: int | None = None, base: Path = CONFIG) -> Path:
    """Copy of the pipeline config, with DIETClassifier's epochs overridden when given."""
    config: dict[str, Any] = yaml.safe_load(base.read_text())
    if epochs is not None:
        diet = [c for c in config.get("pipeline", []) if c.get("name") == "DIETClassifier"]
        if not diet:
            raise RasaError(f"{base} has no DIETClassifier to set epochs on")
        for component in diet:
            component["epochs"] = int(epochs)
    out.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    return out


def _gather_data(data_paths: list[Path], dest: Path) -> Path:
    """Rasa takes one --nlu path: copy every file/directory given into one directory."""
    dest.mkdir(parents=True, exist_ok=True)
    for i, src in enumerate(data_paths):
        src = Path(src)
        if src.is_dir():
            shutil.copytree(src, dest / f"{i:02d}_{src.name}")
        elif src.is_file():
            shutil.copy2(src, dest / f"{i:02d}_{src.name}")
        else:
            raise RasaError(f"NLU training data not found: {src}")
    return dest


@dataclass(frozen=True)
class TrainRun:
    model: Path
    seconds: float
    peak_rss_mb: float  # peak resident memory of the `rasa train` process


def train_rasa_measured(
    data_paths: list[Path],
    out_dir: Path,
    epochs: int | None = None,
    name: str = "nlu",
    config: Path = CONFIG,
    timeout: float = TRAIN_TIMEOUT_S,
) -> TrainRun:
    """`rasa train nlu` on the given YAML files/directories; returns the archive, time and peak RSS."""
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    log_path = out_dir / f"{name}.train.log"
    with tempfile.TemporaryDirectory(prefix="rasa-train-") as tmp:
        work = Path(tmp)
        data = _gather_data(data_paths, work / "data")
        cfg = write_config(work / "config.yml", epochs, config)
        cmd = _rasa_cmd(
            "train", "nlu", "--config", str(cfg), "--nlu", str(data),
            "--out", str(out_dir), "--fixed-model-name", name,
        )  # fmt: skip
        env = rasa_env() | {"RASA_CACHE_DIRECTORY": str(work / "cache")}
        started = time.perf_counter()
        with log_path.open("w") as log:
            proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
            status, peak_kb = _wait_with_rusage(proc, timeout)
        seconds = time.perf_counter() - started
    model = out_dir / f"{name}.tar.gz"
    if status != 0 or not model.exists():
        raise RasaError(f"`rasa train nlu` failed (exit {status}); log {log_path}:\n{_tail(log_path)}")
    return TrainRun(model=model, seconds=seconds, peak_rss_mb=peak_kb / 1024)


def train_rasa(data_paths: list[Path], out_dir: Path, epochs: int | None = None) -> Path:
    """Train a Rasa NLU model from Rasa YAML; returns the model archive (`out_dir/nlu.tar.gz`)."""
    return train_rasa_measured(data_paths, out_dir, epochs).model


def _wait_with_rusage(proc: subprocess.Popen[bytes], timeout: float) -> tuple[int, int]:
    """Wait for the child and return (exit code, its peak RSS in KiB) from wait4's rusage."""
    timer = threading.Timer(timeout, _kill, args=(proc,))
    timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    finally:
        timer.cancel()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped by wait4: tell Popen so it does not wait again
    return code, int(usage.ru_maxrss)


def _kill(proc: subprocess.Popen[Any]) -> None:
    with contextlib.suppress(ProcessLookupError):
        proc.kill()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _proc_status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class RasaServer:
    """`rasa run --enable-api` on 127.0.0.1 for one model, as a context manager.

    Entering starts the server and waits (bounded) until `/status` reports the model loaded;
    leaving stops it (SIGTERM to its process group, then SIGKILL).
    """

    def __init__(
        self,
        model_path: Path,
        port: int | None = None,
        startup_timeout: float = START_TIMEOUT_S,
        log_path: Path | None = None,
    ) -> None:
        self.model_path = Path(model_path).resolve()
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.startup_timeout = startup_timeout
        self._keep_log = log_path is not None  # else a temporary log, deleted on stop
        self.log_path = Path(log_path) if log_path else Path()
        self._log: IO[bytes] | None = None
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None, "server not started"
        return self.proc.pid

    def peak_rss_mb(self) -> float:
        """Peak resident memory of the server process so far (VmHWM)."""
        return _proc_status_kb(self.pid, "VmHWM") / 1024

    def start(self) -> RasaServer:
        if not self.model_path.exists():
            raise RasaError(f"Rasa model not found: {self.model_path}")
        cmd = _rasa_cmd(
            "run", "--enable-api", "-i", "127.0.0.1", "-p", str(self.port),
            "--model", str(self.model_path),
        )  # fmt: skip
        if not self._keep_log:
            fd, name = tempfile.mkstemp(prefix="rasa-run-", suffix=".log")
            os.close(fd)
            self.log_path = Path(name)
        self._log = self.log_path.open("wb")
        # Own session: stopping the server also stops anything it forked.
        self.proc = subprocess.Popen(
            cmd, cwd=self.model_path.parent, env=rasa_env(), stdout=self._log,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + self.startup_timeout
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise RasaError(
                        f"`rasa run` exited with {self.proc.returncode} before it was ready:\n"
                        f"{_tail(self.log_path)}"
                    )
                with contextlib.suppress(httpx.HTTPError, ValueError):
                    r = client.get(f"{self.url}/status")
                    if r.status_code == 200 and r.json().get("model_file"):
                        return
                time.sleep(0.5)
        raise RasaError(
            f"Rasa did not load its model within {self.startup_timeout:.0f}s:\n{_tail(self.log_path)}"
        )

    def stop(self, grace: float = 15.0) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            self._signal(proc, signal.SIGTERM)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                self._signal(proc, signal.SIGKILL)
                proc.wait(10)
        if self._log is not None:
            self._log.close()
            self._log = None
            if not self._keep_log:
                self.log_path.unlink(missing_ok=True)
        self.proc = proc  # keep the handle for returncode/pid inspection

    @staticmethod
    def _signal(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
        try:
            os.killpg(proc.pid, sig)  # the group we created with start_new_session
        except (ProcessLookupError, PermissionError):
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(sig)

    def __enter__(self) -> RasaServer:
        return self.start()

    def __exit__(self, *_exc_info: object) -> None:
        self.stop()
