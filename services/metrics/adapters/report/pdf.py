"""HTML to PDF with the headless Chromium the project already installs (Debian's
`chromium`): one renderer for the page and its print, so the PDF shows what the
browser shows."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


class PdfUnavailable(RuntimeError):
    pass


def chromium_path(configured: str = "") -> str:
    for candidate in (
        configured,
        CHROMIUM,
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise PdfUnavailable("no chromium binary to print the PDF with (apt-get install chromium)")


# Headless, and quiet on a closed network: without the background-networking
# flags Chromium keeps trying outside hosts. The browser tests use the same.
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def html_to_pdf(html: str, configured: str = "", timeout: float = 120) -> bytes:
    """Print `html` to an A4 PDF; output goes to files, not pipes (chromium's helper
    processes inherit descriptors and may hold a pipe open after it exits)."""
    binary = chromium_path(configured)
    with tempfile.TemporaryDirectory(prefix="report-pdf-") as tmp:
        page, out = Path(tmp, "report.html"), Path(tmp, "report.pdf")
        page.write_text(html, encoding="utf-8")
        args = [
            binary,
            *HEADLESS_FLAGS,
            f"--user-data-dir={tmp}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        with Path(tmp, "log").open("wb") as log:
            proc = subprocess.Popen(
                args,
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                cwd=tmp,
                start_new_session=True,
            )
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired as exc:
                os.killpg(proc.pid, 9)
                proc.wait()
                raise PdfUnavailable("chromium took too long to print the report") from exc
        if not out.exists() or out.stat().st_size == 0:
            raise PdfUnavailable(
                "chromium printed no PDF: " + Path(tmp, "log").read_text(errors="replace")[-300:]
            )
        return out.read_bytes()
