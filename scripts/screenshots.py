"""Screenshots of every view at 1280 px (desktop) and 390 px (phone) into screenshots/.

    python scripts/screenshots.py [--warehouse PATH] [--url http://127.0.0.1:8050] [--out screenshots]
                                  [--lang nb|en|both] [--views survey,alcohol]

Files are named <view>_<lang>_<desktop|phone>.png; each one waits until the view's charts have drawn.

Without --url the script starts the app itself (`python -m dash_app` on a free loopback port)
against --warehouse (default: $TRENDVAKT_WAREHOUSE, else warehouse/warehouse.duckdb) and stops it
afterwards. Needs Playwright and Debian's chromium at /usr/bin/chromium (no browser download).
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
VIEWS = [("overview", "/"), ("substances", "/substances"), ("overdoses", "/overdoses"), ("alcohol", "/alcohol"),
         ("survey", "/survey-rounds"), ("explorer", "/explorer"), ("quality", "/quality"), ("sources", "/sources")]
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the app exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the app did not answer at {url}")


def _settled(page) -> None:
    """Wait until the page has its heading and every chart on it has drawn its traces (or says it has
    no data), and no Dash callback is still pending."""
    page.wait_for_selector(".tv-page h1", timeout=30_000)
    page.wait_for_function(
        """() => {
            if (document.querySelector('[data-dash-is-loading="true"]')) { return false; }
            const graphs = [...document.querySelectorAll('.dash-graph')];
            return graphs.every(g => g.querySelector('.main-svg') &&
                (g.querySelector('.trace, .annotation') !== null));
        }""",
        timeout=30_000,
    )


def shoot(base: str, out: Path, langs: list[str], views: list[tuple[str, str]] = VIEWS) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for device, (width, height) in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height},
                                              device_scale_factor=1, is_mobile=device == "phone")
                page = context.new_page()
                for lang in langs:
                    for name, path in views:
                        page.goto(f"{base}{path}?lang={lang}", wait_until="networkidle")
                        _settled(page)
                        target = out / f"{name}_{lang}_{device}.png"
                        page.screenshot(path=str(target), full_page=True)
                        written.append(target)
                        print(f"wrote {target.relative_to(REPO) if target.is_relative_to(REPO) else target}",
                              flush=True)
                context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", default=os.environ.get("TRENDVAKT_WAREHOUSE")
                        or str(REPO / "warehouse" / "warehouse.duckdb"))
    parser.add_argument("--url", help="screenshot an app that is already running here")
    parser.add_argument("--out", default=str(REPO / "screenshots"))
    parser.add_argument("--lang", default="both", choices=["nb", "en", "both"])
    parser.add_argument("--views", help="comma-separated view names (default: all): " + ",".join(n for n, _ in VIEWS))
    args = parser.parse_args(argv)
    langs = ["nb", "en"] if args.lang == "both" else [args.lang]
    wanted = set(args.views.split(",")) if args.views else {n for n, _ in VIEWS}
    unknown = wanted - {n for n, _ in VIEWS}
    if unknown:
        parser.error(f"unknown view(s): {', '.join(sorted(unknown))}")
    views = [(n, p) for n, p in VIEWS if n in wanted]
    if args.url:
        shoot(args.url.rstrip("/"), Path(args.out), langs, views)
        return 0
    if not Path(args.warehouse).is_file():
        print(f"no warehouse at {args.warehouse}: run make build first", file=sys.stderr)
        return 2
    port = _free_port()
    env = {**os.environ, "TRENDVAKT_WAREHOUSE": str(Path(args.warehouse).resolve()), "TRENDVAKT_HOST": "127.0.0.1",
           "TRENDVAKT_PORT": str(port)}
    proc = subprocess.Popen([sys.executable, "-m", "dash_app"], cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base + "/", proc)
        shoot(base, Path(args.out), langs, views)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
