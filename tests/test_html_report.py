"""actual --format html: one offline page. Checked as text (CSP, escaping, no script) and loaded
in a real headless browser (Debian's chromium, which .ci/run installs): it renders without
console errors or blocked fetches, the totals in its DOM are the JSON's, and a screenshot of it
is not blank."""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from decimal import Decimal as D
from pathlib import Path

import pytest

DAY = "2026-11-24"
HOSTILE = '<script>alert("x")</script><img src=http://127.0.0.1:9/t.png>'
BROWSER = next(
    (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None
)
needs_browser = pytest.mark.skipif(
    BROWSER is None, reason="no headless chromium (apt-get install chromium; .ci/run does)"
)


def ok(custom_id, model, **usage):
    usage.setdefault("input_tokens", 0)
    usage.setdefault("output_tokens", 0)
    return {
        "custom_id": custom_id,
        "result": {"type": "succeeded", "message": {"model": model, "usage": usage}},
    }


@pytest.fixture
def page(cli, tmp_path):
    """A report over two files, one with a hostile custom_id tag and a malformed line."""
    a = tmp_path / "a.jsonl"
    b = tmp_path / "b <i>.jsonl"
    a.write_text(
        "\n".join(
            json.dumps(x)
            for x in [
                ok("ads-1", "claude-opus-4-7", input_tokens=1000, output_tokens=400),
                ok("web-1", "claude-haiku-4-5", input_tokens=500, cache_read_input_tokens=9000),
            ]
        )
        + "\nnot json\n"
    )
    b.write_text(json.dumps(ok("evil-1", "claude-opus-4-7", output_tokens=100)) + "\n")
    tags = tmp_path / "tags.csv"
    tags.write_text(f'ads-1,Ads\nevil-1,"{HOSTILE.replace(chr(34), chr(34) * 2)}"\n')
    argv = [str(a), str(b), "--group-by", f"tags:{tags}", "--date", DAY, "--budget", "1"]
    out = tmp_path / "report.html"
    # The malformed line may be a billed request: the budget fails closed (exit 1).
    code, _, err = cli("actual", *argv, "--format", "html", "--out", str(out))
    assert code == 1, err
    code, text, err = cli("actual", *argv, "--format", "json")
    assert code == 1, err
    return out, json.loads(text)


def test_page_is_offline_escaped_and_scriptless(page):
    out, doc = page
    html = out.read_text(encoding="utf-8")
    assert re.search(r"http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';", html)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # the tag is shown as text
    assert "b &lt;i&gt;.jsonl" in html
    # Nothing that could fetch: no src, no href, no url() but the page's own hatch patterns.
    assert not re.search(r"<[^>]*\b(src|href)\s*=", html)
    assert set(re.findall(r"url\(([^)]*)\)", html)) <= {f"#hatch{i}" for i in range(6)}
    assert f'data-usd="{doc["total_usd"]}"' in html
    assert "@media print" in html
    assert "1 malformed" in html and "malformed line skipped" in html  # a.jsonl's warning, by file


def test_html_without_group_by_draws_per_model(cli, tmp_path):
    f = tmp_path / "r.jsonl"
    f.write_text(json.dumps(ok("a", "claude-opus-4-7", input_tokens=1_000_000)) + "\n")
    out = tmp_path / "r.html"
    code, _, err = cli("actual", str(f), "--format", "html", "--out", str(out), "--date", DAY)
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    # 1M input tokens at Opus 4.7's batch rate, $2.50/MTok; $5.00 at standard.
    assert 'data-usd="2.50"' in html and 'data-usd="5.00"' in html
    assert "Cost by model and token class" in html and "claude-opus-4-7" in html


def _run(*argv: str, cwd: Path) -> subprocess.CompletedProcess:
    assert BROWSER is not None
    profile = cwd / "profile"
    return subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            *argv,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=cwd,
    )


def _console(stderr: str) -> list[str]:
    """Chromium's log lines for the page's console: errors, and every fetch CSP blocked."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@needs_browser
def test_the_harness_sees_a_blocked_fetch_and_a_script(tmp_path):
    # A control: a page that tries to fetch and to run a script shows up in the log, so an
    # empty log for the report means something.
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src '
        '\'none\'"><img src="http://127.0.0.1:9/x.png"><script>console.log(1)</script>'
    )
    run = _run("--dump-dom", bad.as_uri(), cwd=tmp_path)
    assert len(_console(run.stderr)) >= 2


@needs_browser
def test_page_renders_in_chromium_with_the_json_totals(page, tmp_path):
    out, doc = page
    run = _run("--dump-dom", out.as_uri(), cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    dom = run.stdout
    for ident, key in (("total-usd", "total_usd"),):
        found = re.search(rf'id="{ident}" data-usd="([^"]+)">([^<]+)<', dom)
        assert found and D(found.group(1)) == D(doc[key])
    assert (
        re.search(r'id="standard-usd" data-usd="([^"]+)"', dom).group(1)
        == (doc["total"]["standard_usd"])
    )
    # The hostile tag is text in the DOM, not an element.
    assert "<script" not in dom and "&lt;script&gt;" in dom
    assert dom.count("<svg") == 3 and dom.count('<tr class="group">') == len(doc["groups"])


@needs_browser
def test_screenshot_is_not_blank(page, tmp_path):
    out, _ = page
    shot = tmp_path / "shot.png"
    run = _run("--screenshot=" + str(shot), "--window-size=1000,1400", out.as_uri(), cwd=tmp_path)
    assert shot.exists(), run.stderr[-2000:]
    width, height, pixels = _png_rgb(shot.read_bytes())
    dark = sum(1 for p in pixels if sum(p) < 3 * 160)
    coloured = {p for p in pixels if max(p) - min(p) > 60}
    assert dark > width * height // 200  # text and lines
    assert len(coloured) >= 3  # the charts' colours


def _png_rgb(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Pixels of an 8-bit RGB or RGBA PNG (what chromium writes), unfiltered by hand."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, head = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            head = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", head[:10])
    assert depth == 8 and colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    pixels = []
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
        prev = line
        pixels.extend(tuple(line[x : x + 3]) for x in range(0, stride, bpp))
    return width, height, pixels


def test_many_groups_chart_the_largest_and_list_all(cli, tmp_path):
    # 25 groups: the charts draw the 20 largest and one bar for the other 5; the table has all.
    f = tmp_path / "r.jsonl"
    f.write_text(
        "".join(
            json.dumps(ok(f"g{n:02d}-1", "claude-opus-4-7", input_tokens=1000 * (n + 1))) + "\n"
            for n in range(25)
        )
    )
    out = tmp_path / "r.html"
    argv = ("actual", str(f), "--group-by", "custom_id:^(g\\d+)-", "--date", DAY)
    code, _, err = cli(*argv, "--format", "html", "--out", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert html.count("(5 others)</text>") == 3  # one bar label in each chart
    assert html.count('<tr class="group">') == 25
    assert ">g24<" in html and ">g00<" in html


@pytest.fixture
def check_page(cli, tmp_path):
    """check --format html of examples/article_batch.jsonl plus a line that is not JSON."""
    src = Path(__file__).resolve().parent.parent / "examples" / "article_batch.jsonl"
    f = tmp_path / "batch <b>.jsonl"
    f.write_bytes(src.read_bytes() + b"<script>not json</script>\n")
    out = tmp_path / "check.html"
    argv = ("check", str(f), "--output", "500", "--date", DAY)
    code, _, err = cli(*argv, "--format", "html", "--out", str(out))
    assert code == 0, err
    code, text, err = cli(*argv, "--format", "json")
    assert code == 0, err
    return out, json.loads(text)


def test_check_page_is_offline_and_escaped(check_page):
    out, doc = check_page
    html = out.read_text(encoding="utf-8")
    assert "default-src 'none'" in html and "<script" not in html
    assert "batch &lt;b&gt;.jsonl" in html
    assert f'id="worst-usd" data-usd="{doc["cost"]["worst"]["batch_cache"]}"' in html
    assert len(doc["problems"]) == 1 and "(1 line)" in html


@needs_browser
def test_check_page_renders_in_chromium_with_the_json_costs(check_page, tmp_path):
    out, doc = check_page
    run = _run("--dump-dom", out.as_uri(), cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    found = dict(
        re.findall(r'id="(best-usd|expected-usd|worst-usd)" data-usd="([^"]+)"', run.stdout)
    )
    assert found == {
        "best-usd": doc["cost"]["best"]["batch_cache"],
        "expected-usd": doc["cost"]["expected"]["batch_cache"],
        "worst-usd": doc["cost"]["worst"]["batch_cache"],
    }
    assert run.stdout.count("<svg") == 1
