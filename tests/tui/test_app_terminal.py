"""The app and the real terminal: it draws on its own copy of descriptor 2, so importing TensorFlow (which
points descriptor 2 at /dev/null for seconds) loses no frame and no exit sequence; and a terminal too
small to lay the tabs out gets one line saying so."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from textual.widgets import Footer, TabbedContent, TextArea

from rnnplay.tui.app import MIN_SIZE, RnnplayApp, too_small_text
from tests.tui.conftest import pilot_test, settle, until

ROOT = Path(__file__).resolve().parents[2]
ALTERNATE_SCREEN_ON, ALTERNATE_SCREEN_OFF = b"\x1b[?1049h", b"\x1b[?1049l"

# What a training worker does while TensorFlow imports (rnnplay.training.tensorflow_modules): descriptor 2
# goes to /dev/null. Meanwhile the user switches to Train, then quits with Ctrl+Q.
SILENCED = """
import os
from rnnplay.tui.app import RnnplayApp

class Silenced(RnnplayApp):
    def on_ready(self):
        self.set_timer(0.5, self.silence)

    def silence(self):
        os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
        self.action_show_tab("train")
        print("silenced", flush=True)  # Textual captures print: nothing reaches the terminal

Silenced().run()
"""


def run_in_a_terminal(script: str, keys: bytes, after: bytes, timeout: float = 60) -> bytes:
    """Run ``script`` on a 100×30 pseudo-terminal; type ``keys`` once ``after`` was drawn; all it wrote."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-c", script], stdin=child, stdout=child, stderr=child, env=env,
                               start_new_session=True)
    os.close(child)
    out, typed, deadline = b"", False, time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.2)
            if ready:
                try:
                    data = os.read(main, 65536)
                except OSError:  # the other end closed: the app has exited
                    break
                if not data:
                    break
                out += data
            if not typed and after in out:
                time.sleep(0.3)
                os.write(main, keys)
                typed = True
            if process.poll() is not None and not ready:
                break
    finally:
        process.kill()
        process.wait()
        os.close(main)
    return out


def test_frames_and_the_exit_reach_the_terminal_while_descriptor_2_goes_to_dev_null() -> None:
    out = run_in_a_terminal(SILENCED, keys=b"\x11", after=b"What to train")  # Ctrl+Q once Train is drawn
    assert ALTERNATE_SCREEN_ON in out
    assert b"What to train" in out  # the Train tab, drawn after descriptor 2 was silenced
    assert ALTERNATE_SCREEN_OFF in out  # the terminal leaves the alternate screen after Ctrl+Q
    after_exit = out.rsplit(ALTERNATE_SCREEN_OFF, 1)[1]
    assert b"What to train" not in after_exit and b"silenced" not in after_exit  # nothing drawn after the exit


@pilot_test
async def test_a_terminal_too_small_gets_one_line_and_the_tabs_come_back() -> None:
    async with RnnplayApp().run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app = pilot.app
        await pilot.resize_terminal(40, 15)
        hint = app.query_one("#too-small")
        await until(pilot, lambda: hint.display and hint.region.height > 0, "the hint shows")
        assert str(hint.render()) == too_small_text(40, 15)
        assert "40×15" in too_small_text(40, 15) and f"{MIN_SIZE[0]}×{MIN_SIZE[1]}" in too_small_text(40, 15)
        assert not app.query_one(TabbedContent).display and not app.query_one(Footer).display
        assert hint.region.height == 1 and hint.region.width == 40  # one line, not a form cut in half
        await pilot.resize_terminal(*MIN_SIZE)
        await until(pilot, lambda: not hint.display, "the tabs come back")
        assert not hint.display and app.query_one(TabbedContent).display
        await pilot.press("f1", *"back")
        assert app.query_one("#play-text", TextArea).text == "back"

