"""Start the product the way a user does (the app, the CLI environment), for tests and benchmarks.

Kept out of ``tests/`` so that ``benchmarks/load.py`` and the tests both use it without
importing each other.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, seconds: float) -> bool:
    """True once something listens on 127.0.0.1:port, False after ``seconds``."""
    import socket
    import time

    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def product_env(**env: str | int | Path) -> dict[str, str]:
    """This environment, plus the project on PYTHONPATH and ``PA_*`` settings from ``env``."""
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT), **{f"PA_{k.upper()}": str(v) for k, v in env.items()}}


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


# A Playwright wait_for_function predicate (its argument: a key unique to the wait): true once the app's script
# has stayed idle for 600 ms. Streamlit marks its state on the stApp root.
_SETTLED_JS = """key => {
  const state = document.querySelector('[data-testid="stApp"]')?.getAttribute("data-test-script-state");
  if (state !== "notRunning") { window[key] = null; return false; }
  window[key] = window[key] ?? performance.now();
  return performance.now() - window[key] >= 600;
}"""


def settled(page, timeout_s: float):
    """Wait until the app's page is idle: the app reruns after each answer, and Streamlit drops a chat message
    sent during that rerun, so a driver types only once the page is settled, as a user who sees it stop running
    does. For Playwright's sync and async pages alike (an async caller awaits what this returns); each wait has
    its own key, so one wait's idle clock never carries into the next."""
    import time

    key = f"settled{time.monotonic_ns()}"
    return page.wait_for_function(_SETTLED_JS, arg=key, polling=100, timeout=timeout_s * 1000)


def chromium_path() -> str:
    import shutil

    return shutil.which("chromium") or "/usr/bin/chromium"


def start_app(data_dir: Path, port: int, **env: str):
    """``streamlit run app.py`` on 127.0.0.1:port with its own data folder; the caller stops it."""
    import subprocess
    import sys

    root = ROOT
    environment = product_env(data_dir=data_dir, **env)
    command = [sys.executable, "-m", "streamlit", "run", str(root / "app.py"), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    return subprocess.Popen(command, env=environment, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
