"""The Allure HTML report, generated beside cleanup instead of after it.

It reads only the suite's results (final once the sign-off is written) and writes into the run folder's own report
folder; cleanup mostly waits on the platforms' rate limits. Run one after the other they add up (about 2 s of
Allure at every scale, 12 to 17 s of cleanup at seed scale 50); side by side the report costs no wall time. The
report runs in a thread around Allure's own process (`npm` package `allure`), so the GIL is not shared with it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from harness.profile import Profile
from harness.report import allure_html
from harness.report.publish import publish_allure
from harness.run.context import RunContext


class AllureBeside:
    def __init__(self, context: RunContext, profile: Profile) -> None:
        self.seconds = 0.0
        self.unavailable: str | None = None
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._generate, args=(context, profile), name="allure-report",
                                        daemon=True)

    def start(self) -> AllureBeside:
        self._thread.start()
        return self

    def _generate(self, context: RunContext, profile: Profile) -> None:
        started = time.monotonic()
        try:
            publish_allure(context, profile)
        except allure_html.AllureUnavailable as error:
            self.unavailable = str(error)
        except BaseException as error:  # re-raised where the run waits for it, as if it had run there
            self._failure = error
        finally:
            self.seconds = time.monotonic() - started

    def finish(self, progress: Callable[[str], None]) -> float:
        """Wait for the report; its seconds (it overlapped cleanup). A failure other than Allure missing is raised."""
        self._thread.join()
        if self._failure is not None:
            raise self._failure
        if self.unavailable:
            progress(f"Allure HTML report not generated: {self.unavailable}")
        return self.seconds
