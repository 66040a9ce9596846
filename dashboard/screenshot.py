"""Screenshot of a dashboard page in headless Chromium (for the README: `make screenshot`).

python -m dashboard.screenshot                      # the demo data: docs/athlete.png, overview-1024.png
python -m dashboard.screenshot --url URL --out FILE  # any page of a running dashboard
"""

from __future__ import annotations

import argparse
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

SAMPLE_ATHLETE = "Mona Monotone (synthetic)"


def chrome(width: int = 1400, height: int = 1000) -> webdriver.Chrome:
    """Headless Chromium (Debian's, when installed) through chromedriver."""
    options = webdriver.ChromeOptions()
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--hide-scrollbars",
    ):
        options.add_argument(arg)
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument("--force-device-scale-factor=1")
    if chromium := shutil.which("chromium"):
        options.binary_location = chromium
    driver = shutil.which("chromedriver")
    if driver:
        return webdriver.Chrome(options=options, service=Service(executable_path=driver))
    return webdriver.Chrome(options=options)


DRAWN = """return Array.from(document.querySelectorAll('.js-plotly-plot'))
    .filter(p => p.querySelector('.cartesianlayer .trace, .annotation')).length"""


def charts_drawn(browser: webdriver.Chrome) -> int:
    """How many plotly charts have drawn their traces (or their 'no data' note)."""
    return browser.execute_script(DRAWN)


def wait_for_charts(
    browser: webdriver.Chrome, count: int = 6, timeout: float = 30, poll: float = 0.1
) -> None:
    """Until `count` plotly charts are drawn."""
    WebDriverWait(browser, timeout, poll_frequency=poll).until(lambda b: charts_drawn(b) >= count)


def capture(
    url: str,
    out: Path,
    width: int = 1400,
    height: int = 2200,
    selector: str | None = None,
    charts: int = 6,
    ready: str = "#_pages_content",
) -> Path:
    """Load `url`, wait for `ready` and its charts, and save a PNG of the page (or of `selector`)."""
    browser = chrome(width, height)
    try:
        browser.get(url)
        WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.CSS_SELECTOR, ready)))
        wait_for_charts(browser, charts)
        time.sleep(1.0)  # transitions and fonts settle
        out.parent.mkdir(parents=True, exist_ok=True)
        if selector:
            browser.find_element(By.CSS_SELECTOR, selector).screenshot(str(out))
        else:
            # The whole page, down to the charts' end when there is a sessions table below them.
            bottom = browser.execute_script(
                "const t = document.querySelector('#athlete-sessions');"
                "return t ? t.getBoundingClientRect().top + window.scrollY - 60 : document.body.scrollHeight;"
            )
            browser.set_window_size(width, min(int(bottom) + 20, 4000))
            time.sleep(0.5)
            browser.save_screenshot(str(out))
    finally:
        browser.quit()
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sample_screenshots(folder: Path, width: int = 1400) -> list[Path]:
    """Serve the sample data set as the demo loads it (ending today) on a free loopback port; capture
    the monotone runner's page, and the coach overview at 1024 px (the narrowest it is made for)."""
    import datetime as dt
    from urllib.parse import quote

    from werkzeug.serving import make_server

    from dashboard import create_app
    from ingest.sample.synthetic import load_sample

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "sample.duckdb"
        load_sample(db, {}, end=dt.date.today())
        app = create_app(db)
        port = free_port()
        server = make_server("127.0.0.1", port, app.server, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{port}"
        try:
            return [
                capture(f"{base}/athlete/{quote(SAMPLE_ATHLETE, safe='')}", folder / "athlete.png", width),
                capture(
                    f"{base}/",
                    folder / "overview-1024.png",
                    1024,
                    900,
                    charts=0,
                    ready="#overview-table .ag-row",
                ),
            ]
        finally:
            server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="page of a running dashboard (default: serve the sample data)")
    parser.add_argument("--out", type=Path, help="with --url: the PNG to write")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="where the demo's screenshots go")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--charts", type=int, default=6, help="wait until this many charts are drawn")
    args = parser.parse_args()
    if args.url:
        written = [capture(args.url, args.out or Path("screenshot.png"), args.width, charts=args.charts)]
    else:
        written = sample_screenshots(args.docs, args.width)
    for out in written:
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
