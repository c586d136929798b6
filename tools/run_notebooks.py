#!/usr/bin/env python3
"""Drive Deno's Jupyter kernel through notebooks, without losing or misplacing outputs.

Stock nbclient stops reading a cell's output at the kernel's `idle` status, but Deno's kernel
often sends output *after* `idle`, stamped with whichever request is current when it is sent:
outputs get lost or land on the next cell. This driver talks to the kernel through
jupyter_client directly: after `idle` (and the execute reply) it keeps reading iopub until it
has been quiet for a grace period, attaches every output by `parent_header.msg_id`, restarts
the kernel on a cell timeout (never SIGINT, which kills Deno's kernel), and always shuts the
kernel down and kills its process group, also when it is interrupted itself.

It is the Python half of `deno task notebooks` (tools/notebooks.ts), which owns the options,
the re-run plan, the result type and what is printed. It reads one job (JSON: kernel settings
and the runs, each with its paths and the cells of its re-run passes; written by runHarness in
tools/_notebook_run.ts), runs each notebook top to bottom and then the re-run passes in the same
kernel, writes the executed copy (first pass's outputs), `NAME.rerun.ipynb` (each cell's latest
re-run outputs) and the nbconvert HTML export, and writes JSON lines to stdout: a `cell` event
for each re-run cell and a `run` event when a run ends.

Usage: python3 tools/run_notebooks.py JOB.json   (exit 0 when every run was reported,
130 when interrupted, 2 for a malformed job, 3 when Jupyter is missing)
"""

import asyncio
import copy
import json
import os
import queue
import signal
import sys
import time
import uuid
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
# Cells without ids are given one before the executed copy is written.
warnings.filterwarnings("ignore", message="Code cell is missing an id field")

try:
    import nbformat
    from jupyter_client.manager import AsyncKernelManager
except ImportError as exc:  # pragma: no cover - depends on the machine
    print(
        f"Cannot run notebooks: {exc}. Install Jupyter with "
        "`apt-get install -y jupyter-nbconvert python3-nbclient`",
        file=sys.stderr,
    )
    sys.exit(3)

OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error"}
# Kernel process groups still alive: killed on the way out whatever happens.
LIVE_PGIDS: set = set()


@dataclass
class Settings:
    """The kernel settings of a job (seconds)."""
    kernel: str
    timeout: float
    grace: float
    settle_max: float
    startup_timeout: float


@dataclass
class Report:
    """What the kernel did in one run: the `run` event (RunEvent in tools/_notebook_run.ts)."""
    run: int
    event: str = "run"
    status: str = "ok"
    executed: int = 0
    seconds: float = 0.0
    error: Optional[Dict[str, Any]] = None
    restarted: bool = False
    late_messages: int = 0
    stray_messages: int = 0
    kernel_pids: List[int] = field(default_factory=list)
    rerun: Optional[Dict[str, Any]] = None
    exported: bool = False


def emit(event: Dict[str, Any]) -> None:
    """One JSON line on stdout (the kernel's own output goes to its log, never here)."""
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


class CellOutputs:
    """Collects one cell's outputs the way Jupyter front ends do (streams merged, display ids)."""

    def __init__(self, cell: Any, display_ids: Dict[str, List[Dict[str, Any]]]):
        self.cell = cell
        self.display_ids = display_ids
        self.clear_pending = False

    def add(self, msg: Dict[str, Any]) -> None:
        kind = msg["msg_type"]
        content = msg["content"]
        if kind == "clear_output":
            if content.get("wait"):
                self.clear_pending = True
            else:
                self.cell.outputs = []
            return
        if kind == "update_display_data":
            for out in self.display_ids.get(content.get("transient", {}).get("display_id"), []):
                out["data"] = content.get("data", {})
                out["metadata"] = content.get("metadata", {})
            return
        if self.clear_pending:
            self.cell.outputs = []
            self.clear_pending = False
        out = nbformat.v4.output_from_msg(msg)
        outputs = self.cell.outputs
        if kind == "stream" and outputs and outputs[-1].get("output_type") == "stream" \
                and outputs[-1].get("name") == out.get("name"):
            outputs[-1]["text"] += out["text"]
            return
        outputs.append(out)
        display_id = content.get("transient", {}).get("display_id")
        if display_id:
            self.display_ids.setdefault(display_id, []).append(out)


def error_from(content: Dict[str, Any], cell_number: int) -> Dict[str, Any]:
    return {
        "cell": cell_number,
        "ename": content.get("ename", "Error"),
        "evalue": content.get("evalue", ""),
        "traceback": list(content.get("traceback") or []),
    }


async def execute_cell(kc: Any, cell: Any, number: int, routes: Dict[str, CellOutputs],
                       display_ids: Dict[str, List[Dict[str, Any]]], opts: Settings,
                       result: Report, km: Any) -> Optional[Dict[str, Any]]:
    """Run one cell; returns an error dict, or None. Raises TimeoutError on a cell timeout."""
    cell.outputs = []
    cell.execution_count = None
    msg_id = kc.execute(cell.source, store_history=True, allow_stdin=False, stop_on_error=True)
    routes[msg_id] = CellOutputs(cell, display_ids)
    deadline = time.monotonic() + opts.timeout
    idle = False
    reply: Optional[Dict[str, Any]] = None
    iopub_error: Optional[Dict[str, Any]] = None
    quiet_since = 0.0
    settle_until = 0.0

    def route(msg: Dict[str, Any]) -> None:
        nonlocal idle, iopub_error, quiet_since
        parent = msg.get("parent_header", {}).get("msg_id")
        kind = msg["msg_type"]
        content = msg["content"]
        quiet_since = time.monotonic()
        if kind == "status":
            if parent == msg_id and content.get("execution_state") == "idle":
                idle = True
            return
        target = routes.get(parent)
        if kind == "execute_input":
            if target is not None and content.get("execution_count") is not None:
                target.cell.execution_count = content["execution_count"]
            return
        if kind not in OUTPUT_TYPES and kind not in ("clear_output", "update_display_data"):
            return
        if target is None:
            result.stray_messages += 1
            return
        if parent != msg_id or idle:
            result.late_messages += 1
        if kind == "error" and parent == msg_id and iopub_error is None:
            iopub_error = error_from(content, number)
        target.add(msg)

    while True:
        if reply is None:  # polled every turn: a flood of output must not hide the reply
            try:
                msg = await kc.get_shell_msg(timeout=0)
                if msg.get("parent_header", {}).get("msg_id") == msg_id:
                    reply = msg["content"]
                    quiet_since = time.monotonic()
            except queue.Empty:
                pass
        now = time.monotonic()
        if idle and reply is not None:
            if not settle_until:
                settle_until = min(now + opts.settle_max, deadline)
            wait = opts.grace - (now - quiet_since)
            if wait <= 0 or now >= settle_until:
                break
        else:
            if now >= deadline:
                raise TimeoutError
            wait = min(deadline - now, 1.0)
            if reply is None:
                wait = min(wait, 0.05)
        try:
            route(await kc.get_iopub_msg(timeout=max(wait, 0.001)))
            continue
        except queue.Empty:
            pass
        if not idle and not await km.is_alive():
            return {"cell": number, "ename": "KernelDied", "traceback": [],
                    "evalue": "The kernel died while running this cell"}

    if reply.get("execution_count") is not None and cell.execution_count is None:
        cell.execution_count = reply["execution_count"]
    for out in cell.outputs:
        if out.get("output_type") == "execute_result":
            out["execution_count"] = cell.execution_count
    if reply.get("status") == "error" or iopub_error is not None:
        error = iopub_error or error_from(reply, number)
        if iopub_error is None:  # e.g. a syntax error: the kernel sends no error output
            cell.outputs.append(nbformat.v4.new_output(
                "error", ename=error["ename"], evalue=error["evalue"],
                traceback=error["traceback"]))
        return error
    return None


def kill_group(km: Any) -> None:
    pgid = getattr(getattr(km, "provisioner", None), "pgid", None)
    if pgid:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        LIVE_PGIDS.discard(pgid)


async def shutdown(km: Any, kc: Any) -> None:
    if kc is not None:
        try:
            kc.stop_channels()
        except Exception:
            pass
    try:
        if await km.is_alive():
            await asyncio.wait_for(km.shutdown_kernel(now=False), 5)
        else:
            km.cleanup_resources()
    except BaseException:  # also on cancellation: the process group goes below regardless
        try:
            await asyncio.wait_for(km.shutdown_kernel(now=True), 3)
        except BaseException:
            pass
    finally:
        kill_group(km)


def track(km: Any, result: Report) -> None:
    provisioner = km.provisioner
    if provisioner is not None and provisioner.pgid:
        LIVE_PGIDS.add(provisioner.pgid)
    if provisioner is not None and provisioner.pid:
        result.kernel_pids.append(provisioner.pid)


async def start(km: Any, cwd: Path, log: Any, opts: Settings, result: Report) -> Any:
    await km.start_kernel(cwd=str(cwd), stdout=log, stderr=log)
    track(km, result)
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=opts.startup_timeout)
    return kc


async def timed_out(km: Any, kc: Any, cell: Any, number: int, opts: Settings,
                    result: Report, pass_no: int = 1) -> None:
    """Marks the cell failed and restarts the kernel (killing its group; never SIGINT)."""
    result.status = "timeout" if pass_no == 1 else "rerun-timeout"
    if pass_no == 1:
        result.executed = number
    evalue = f"Cell did not finish within {opts.timeout:g} s; kernel restarted"
    result.error = {"cell": number, "ename": "CellTimeoutError", "evalue": evalue,
                    "traceback": [], "pass": pass_no}
    cell.outputs.append(nbformat.v4.new_output(
        "error", ename="CellTimeoutError", evalue=evalue, traceback=[]))
    kill_group(km)  # the whole group: a cell may have started processes of its own
    try:
        await km.restart_kernel(now=True)
        track(km, result)
        await kc.wait_for_ready(timeout=opts.startup_timeout)
        result.restarted = True
    except Exception as exc:
        result.error["evalue"] = f"Cell did not finish within {opts.timeout:g} s; " \
            f"kernel restart failed: {exc}"


async def rerun(kc: Any, km: Any, nb: Any, routes: Dict[str, "CellOutputs"], opts: Settings,
                result: Report, passes: List[Dict[str, Any]]) -> Any:
    """The re-run passes in the same kernel, on a copy of the notebook: returns that copy, whose
    code cells hold the outputs of their latest execution. Each executed cell's outputs go out
    as a `cell` event (tools/notebooks.ts compares them with the first run's); the first error
    ends the re-run."""
    copy_nb = copy.deepcopy(nb)
    cells = [c for c in copy_nb.cells if c.cell_type == "code"]
    display_ids: Dict[str, List[Dict[str, Any]]] = {}
    result.rerun = {"passes": [], "executed": 0}
    for step in passes:
        started = time.monotonic()
        record = {"pass": step["pass"], "cells": step["cells"], "executed": 0, "seconds": 0.0}
        result.rerun["passes"].append(record)
        for number in step["cells"]:
            cell = cells[number - 1]
            cell.metadata["rerun_pass"] = step["pass"]
            try:
                error = await execute_cell(kc, cell, number, routes, display_ids, opts,
                                           result, km)
            except TimeoutError:
                await timed_out(km, kc, cell, number, opts, result, step["pass"])
                error = result.error
            except Exception as exc:
                result.status = "harness-error"
                error = {"cell": number, "ename": type(exc).__name__, "evalue": str(exc),
                         "traceback": []}
            record["executed"] += 1
            result.rerun["executed"] += 1
            record["seconds"] = round(time.monotonic() - started, 2)
            emit({"event": "cell", "run": result.run, "pass": step["pass"], "cell": number,
                  "error": error is not None, "outputs": cell.outputs})
            if error is not None:
                if result.status == "ok":
                    result.status = "kernel-died" if error["ename"] == "KernelDied" \
                        else "rerun-error"
                result.error = {**error, "pass": step["pass"]}
                return copy_nb
    return copy_nb


def export_html(nb: Any, path: str, name: str) -> None:
    """Writes nbconvert's HTML export of an executed notebook (the lab template)."""
    from nbconvert import HTMLExporter  # imported on first use: only --html needs it
    body, _ = HTMLExporter().from_notebook_node(nb, resources={"metadata": {"name": name}})
    Path(path).write_text(body, encoding="utf-8")


async def run_notebook(job: Dict[str, Any], index: int, opts: Settings) -> Report:
    """One run of a notebook in a fresh kernel; the files it writes are named by the job."""
    path = Path(job["notebook"])
    nb = nbformat.read(str(path), as_version=4)
    if nb.nbformat_minor >= 5:  # nbformat 4.5 requires cell ids; give any missing one
        for cell in nb.cells:
            cell.setdefault("id", uuid.uuid4().hex[:8])
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for cell in code_cells:
        cell.outputs = []
        cell.execution_count = None
    result = Report(run=index)
    started = time.monotonic()
    km = AsyncKernelManager(kernel_name=opts.kernel)
    kc = None
    routes: Dict[str, CellOutputs] = {}
    display_ids: Dict[str, List[Dict[str, Any]]] = {}
    with open(job["kernel_log"], "wb") as log:
        try:
            try:
                kc = await start(km, path.parent, log, opts, result)
            except Exception as exc:
                result.status = "startup-failed"
                result.error = {"cell": 0, "ename": type(exc).__name__, "evalue": str(exc),
                                "traceback": []}
                return result
            for number, cell in enumerate(code_cells, start=1):
                try:
                    error = await execute_cell(kc, cell, number, routes, display_ids, opts,
                                               result, km)
                except TimeoutError:
                    await timed_out(km, kc, cell, number, opts, result)
                    break
                except Exception as exc:  # a harness or protocol failure: report, do not crash
                    result.status = "harness-error"
                    result.executed = number
                    result.error = {"cell": number, "ename": type(exc).__name__,
                                    "evalue": str(exc), "traceback": [], "pass": 1}
                    break
                result.executed = number
                if error is not None:
                    result.status = "kernel-died" if error["ename"] == "KernelDied" else "error"
                    result.error = {**error, "pass": 1}
                    break
            if result.status == "ok" and job.get("rerun"):
                rerun_nb = await rerun(kc, km, nb, routes, opts, result, job["rerun"]["passes"])
                nbformat.write(rerun_nb, job["rerun"]["executed"])
        finally:
            await shutdown(km, kc)
            result.seconds = round(time.monotonic() - started, 2)
            nbformat.write(nb, job["executed"])
    if job.get("html"):
        try:
            await asyncio.to_thread(export_html, nb, job["html"], path.stem)
            result.exported = True
        except Exception as exc:
            if result.status == "ok":
                result.status = "export-failed"
                result.error = {"cell": 0, "ename": type(exc).__name__, "evalue": str(exc),
                                "traceback": [], "pass": 0}
    return result


async def watch_parent(task: "asyncio.Task[Any]") -> None:
    """Stop when the parent process goes away, so no kernel outlives a killed caller."""
    parent = os.getppid()
    while True:
        await asyncio.sleep(1)
        if os.getppid() != parent:
            task.cancel()
            return


async def run_all(job: Dict[str, Any], opts: Settings) -> None:
    """Runs the job's runs, `jobs` kernels at once, emitting each run's report as it ends."""
    slots = asyncio.Semaphore(max(1, int(job.get("jobs", 1))))

    async def one(run: Dict[str, Any], index: int) -> None:
        async with slots:
            emit(asdict(await run_notebook(run, index, opts)))

    await asyncio.gather(*(one(run, i) for i, run in enumerate(job["runs"])))


async def main_async(job: Dict[str, Any]) -> int:
    opts = Settings(kernel=job["kernel"], timeout=job["timeout"], grace=job["grace_ms"] / 1000,
                    settle_max=job["settle_max"], startup_timeout=job["startup_timeout"])
    main_task = asyncio.current_task()
    assert main_task is not None
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, main_task.cancel)
    watcher = asyncio.ensure_future(watch_parent(main_task))
    try:
        await run_all(job, opts)
    except asyncio.CancelledError:
        print("Interrupted: kernels shut down", file=sys.stderr)
        return 130
    finally:
        watcher.cancel()
    return 0


def main(argv: List[str]) -> int:
    if len(argv) != 1:
        print("Usage: python3 tools/run_notebooks.py JOB.json", file=sys.stderr)
        return 2
    try:
        with open(argv[0], encoding="utf-8") as file:
            job = json.load(file)
    except (OSError, ValueError) as exc:
        print(f"Cannot read job \"{argv[0]}\": {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(main_async(job))
    finally:
        for pgid in list(LIVE_PGIDS):  # last resort if a shutdown did not get to run
            try:
                os.killpg(pgid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
