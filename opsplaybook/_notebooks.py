"""Running a notebook in a fresh kernel of this interpreter: one place for the grader and the report.

:func:`run_notebook` executes every code cell in place, with one time limit for the whole run (not
per cell), in a kernel started from *this* Python (the one with the kit), whatever other ``python3``
kernelspec the machine has, and shuts the kernel down afterwards. A failure is raised as
:class:`NotebookRunFailure`, which says what went wrong and in which cell, so each caller words its
own message. Internal: nothing here is part of the public API.
"""
from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["NotebookRunFailure", "run_notebook"]


@dataclass
class NotebookRunFailure(Exception):
    """Why a run stopped: ``kind`` is "raised" (a cell raised, only when errors are not allowed),
    "timeout", "dead" (the kernel died) or "start" (the kernel could not start, or nbclient failed);
    ``cell`` is the index of the cell it stopped in; ``error`` the exception behind it."""

    kind: str
    cell: int
    error: BaseException


def _kernel_manager(display_name: str):
    import sys

    from jupyter_client import AsyncKernelManager  # what nbclient drives (a sync one hangs on a timeout)
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    class _ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                              display_name=display_name, language="python", resource_dir="", env={}, metadata={})

    return AsyncKernelManager(kernel_name="python3", kernel_spec_manager=_ThisPython())


def run_notebook(nb, *, cwd: Path, timeout: float, env: dict, allow_errors: bool,
                 display_name: str = "Python 3 (opsplaybook)") -> None:
    """Execute the code cells of ``nb`` (an nbformat notebook) in place, within ``timeout`` seconds.

    Raises
    ------
    NotebookRunFailure
        The run stopped (see its ``kind``); the cells before ``cell`` keep their outputs.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    client = NotebookClient(nb, km=_kernel_manager(display_name), timeout=max(1, int(timeout)),
                            kernel_name="python3", allow_errors=allow_errors,
                            resources={"metadata": {"path": str(cwd)}})
    deadline = time.monotonic() + timeout
    index = 0
    try:
        with client.setup_kernel(env=env, cwd=str(cwd), stderr=subprocess.DEVNULL,
                                 cleanup_kc=True):  # given km=, nbclient would leave the kernel running
            for index, cell in enumerate(nb.cells):
                if cell.get("cell_type") != "code":
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise CellTimeoutError(f"no time left before cell {index}")
                client.timeout = max(1, int(remaining + 0.999))
                client.execute_cell(cell, index)
    except CellExecutionError as exc:
        raise NotebookRunFailure("raised", index, exc) from exc
    except (CellTimeoutError, TimeoutError) as exc:
        raise NotebookRunFailure("timeout", index, exc) from exc
    except DeadKernelError as exc:
        raise NotebookRunFailure("dead", index, exc) from exc
    except Exception as exc:  # the kernel could not start, or nbclient failed on a malformed cell
        raise NotebookRunFailure("start", index, exc) from exc
