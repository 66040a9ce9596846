"""Uploads and the production server: real HTTP requests to the app served by waitress.

Every hostile or unlucky upload (odd file names, malformed payloads, too many files, too many bytes)
answers with a message in the page, never an HTTP 500.
"""

from __future__ import annotations

import base64
import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dashboard_data
import pytest
import requests
import waitress

from dashboard import create_app, uploads

CSV = "date,type,duration,distance_km\n2026-11-20,Run,30:00,6\n2026-11-21,Pilates,45:00,\n"
CJK_NAME = "訓" * 90 + ".csv"  # 94 characters, 274 bytes in UTF-8: over most file systems' 255
CROSSTRAIN = str(Path(sys.executable).with_name("crosstrain"))


def data_url(text: str) -> str:
    return "data:text/csv;base64," + base64.b64encode(text.encode()).decode()


@contextmanager
def waitress_serving(app: Any) -> Iterator[str]:
    """`app` served by waitress on a free loopback port, in this process; yields its base URL."""
    server = waitress.create_server(app.server, host="127.0.0.1", port=0, threads=4)
    stop = threading.Event()

    def run() -> None:  # waitress's own loop, a step at a time, so it can stop cleanly
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        stop.set()
        thread.join(5)
        server.close()


@pytest.fixture
def served(db_path: Path):
    dashboard_data.build(db_path)
    with waitress_serving(create_app(db_path)) as base:
        yield base


OUTPUTS = [
    ("import-results", "children"),
    ("import-progress", "children"),
    ("import-poll", "disabled"),
    ("import-job", "data"),
]


def post_upload(
    base: str, contents, names, athlete="Uma Upload", fmt="auto", timeout: float = 60
) -> requests.Response:
    """The requests the import page sends (or a script posts in its place): the upload, then the
    page's polls every half second until the import's results come; the last answer, its outputs
    by id and property."""
    fields = {"athlete": athlete, "format": fmt, "timezone": None, "units": "auto", "date-order": "auto"}
    body = {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in OUTPUTS) + "..",
        "outputs": [{"id": i, "property": p} for i, p in OUTPUTS],
        "inputs": [{"id": "import-upload", "property": "contents", "value": contents}],
        "state": [{"id": "import-upload", "property": "filename", "value": names}]
        + [{"id": f"import-{k}", "property": "value", "value": v} for k, v in fields.items()],
        "changedPropIds": ["import-upload.contents"],
    }
    deps = requests.get(base + "/_dash-dependencies", timeout=30).json()
    poll = next(c for c in deps if c["inputs"] == [{"id": "import-poll", "property": "n_intervals"}])
    deadline, job = time.monotonic() + timeout, None
    while True:
        response = requests.post(base + "/_dash-update-component", json=body, timeout=60)
        if response.status_code != 200:
            return response
        answer = {
            i: {p.split("@")[0]: v for p, v in props.items()}
            for i, props in response.json()["response"].items()
        }
        response.answer = answer
        job = answer.get("import-job", {}).get("data", job)
        if answer.get("import-poll", {}).get("disabled", True) and "import-results" in answer:  # finished
            return response
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.2)
        body = {
            "output": poll["output"],
            "outputs": [
                {"id": o.split(".")[0], "property": o.split(".")[1]}
                for o in poll["output"].strip(".").split("...")
            ],
            "inputs": [{"id": "import-poll", "property": "n_intervals", "value": 1}],
            "state": [{"id": "import-job", "property": "data", "value": job}],
            "changedPropIds": ["import-poll.n_intervals"],
        }


def shown(response: requests.Response) -> str:
    """The text the page would show (the callback's answer), asserting it is an answer, not an error."""
    assert response.status_code == 200, response.text[:300]
    answer = getattr(response, "answer", None) or response.json()["response"]
    return json.dumps(answer["import-results"]["children"], ensure_ascii=False)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("..", "is not a file name"),
        (".", "is not a file name"),
        ("../", "is not a file name"),
        ("a\x00b.csv", "NUL byte"),
        ("tab\there.csv", "control characters"),
    ],
)
def test_unusable_file_names_get_a_message(served, name, says):
    text = shown(post_upload(served, [data_url(CSV)], [name]))
    assert says in text and "Not imported" in text


@pytest.mark.parametrize(
    "name", ["x" * 296 + ".csv", CJK_NAME, "../../etc/passwd.csv", "C:\\Users\\ana\\log.csv"]
)
def test_long_and_pathlike_names_are_imported_under_a_name_of_our_own(served, name):
    text = shown(post_upload(served, [data_url(CSV)], [name]))
    assert "2 imported" in text
    assert "crosstrain-upload-" not in text and "/tmp" not in text  # no temporary path shown
    if name == CJK_NAME:
        assert "訓" * 20 in text and len(CJK_NAME.encode()) == 274
    if "passwd" in name:
        assert "passwd.csv" in text and "../" not in text


@pytest.mark.parametrize(
    ("contents", "names"),
    [
        ({"a": 1}, ["a.csv"]),
        ([data_url(CSV)], None),
        ([data_url(CSV)], ["a.csv", "b.csv"]),
        ([123], ["a.csv"]),
        (["not a data url"], ["a.csv"]),
        (["data:text/csv;base64,@@@@"], ["a.csv"]),
        ([None], [None]),
        ([[data_url(CSV)]], [["a.csv"]]),
        ("data:text/csv;base64,!!", "a.csv"),
        (True, True),
    ],
)
def test_malformed_payloads_get_a_message(served, contents, names):
    text = shown(post_upload(served, contents, names))
    assert "damaged" in text or "without a file name" in text or "not a file name" in text


def test_odd_athlete_and_format_values_get_a_message(served):
    assert "unknown format" in shown(post_upload(served, [data_url(CSV)], ["a.csv"], fmt="../x"))
    no_name = shown(post_upload(served, [data_url(CSV)], ["a.csv"], athlete={"x": 1}))
    assert "Not imported" in no_name and "athlete" in no_name  # taken as no name: the file must name one


def test_too_many_files_are_refused_before_any_is_read(served):
    n = uploads.MAX_FILES + 1
    t0 = time.monotonic()
    text = shown(post_upload(served, [data_url(CSV)] * n, [f"f{i}.csv" for i in range(n)]))
    assert f"{n} files in one upload; at most {uploads.MAX_FILES}" in text
    assert time.monotonic() - t0 < 10
    text = shown(post_upload(served, [data_url(CSV)] * 2000, [f"f{i}.csv" for i in range(2000)]))
    assert "2000 files" in text


def test_too_many_bytes_in_all_are_refused(served, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_TOTAL_BYTES", 100)
    text = shown(post_upload(served, [data_url(CSV)] * 2, ["a.csv", "b.csv"]))
    assert f"more than {uploads.MAX_TOTAL_MB} MB" in text


def test_a_request_over_the_servers_limit_is_a_message_too(db_path):
    dashboard_data.build(db_path)
    app = create_app(db_path)
    app.server.config["MAX_CONTENT_LENGTH"] = 10_000
    with waitress_serving(app) as base:
        text = shown(post_upload(base, [data_url(CSV * 200)], ["big.csv"]))
    assert "larger than" in text and "in parts" in text


def test_requests_dash_cannot_read_are_400_not_500(served):
    url = served + "/_dash-update-component"
    assert (
        requests.post(url, data="{not json", headers={"Content-Type": "application/json"}).status_code == 400
    )
    assert requests.post(url, json={"output": "import-results.children"}).status_code == 400
    assert requests.post(url, json=[1, 2, 3]).status_code in (400, 415)


def test_crosstrain_dashboard_serves_with_waitress_and_keeps_the_password(db_path):
    dashboard_data.build(db_path)
    with dashboard_data.cli_dashboard(db_path, "--password", "s3cret") as served:
        base = served.base
        answer = requests.get(base + "/", timeout=10)
        assert answer.status_code == 401 and answer.headers["Server"] == "waitress"
        ok = requests.get(base + "/", auth=("crosstrain", "s3cret"), timeout=10)
        assert ok.status_code == 200 and "crosstrain" in ok.text
        assert (
            requests.get(base + "/_dash-layout", auth=("crosstrain", "wrong"), timeout=10).status_code == 401
        )
    assert "Traceback" not in served.output
    assert "development server" not in served.output.lower()


def test_a_taken_port_is_one_line(run_cli, db_path):
    dashboard_data.build(db_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run_cli("dashboard", "--port", str(taken.getsockname()[1]))
    assert result.exit_code == 1
    assert "cannot serve on http://127.0.0.1:" in result.output and "Traceback" not in result.output


def test_activity_files_upload_through_the_activity_file_importer(served):
    """As `crosstrain import` does: a .gpx goes to ingest/files, a .csv beside it to the CSV importer."""
    gpx = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Lunch run</name><type>running</type><trkseg>'
        + "".join(
            f'<trkpt lat="{52.5 + i * 0.0005:.4f}" lon="13.4"><time>2026-11-20T12:{i:02d}:00Z</time></trkpt>'
            for i in range(31)
        )
        + "</trkseg></trk></gpx>\n"
    )
    gpx_url = "data:application/gpx+xml;base64," + base64.b64encode(gpx.encode()).decode()
    text = shown(post_upload(served, [gpx_url, data_url(CSV)], ["lunch run.gpx", "log.csv"]))
    assert "lunch run.gpx: 1 activity files, 1 sessions: 1 imported" in text
    assert "log.csv (generic, Uma Upload): 2 rows: 2 imported" in text
    assert "crosstrain-upload-" not in text
