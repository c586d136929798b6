#!/usr/bin/env python3
"""Run Deno Jupyter notebooks headless, without losing or misplacing outputs.

Stock nbclient stops reading a cell's output at the kernel's `idle` status, but Deno's kernel
often sends output *after* `idle`, stamped with whichever request is current when it is sent:
outputs get lost or land on the next cell. This harness talks to the kernel through
jupyter_client directly: after `idle` (and the execute reply) it keeps reading iopub until it
has been quiet for a grace period, attaches every output by `parent_header.msg_id`, restarts
the kernel on a cell timeout (never SIGINT, which kills Deno's kernel), and always shuts the
kernel down and kills its process group, also when the harness itself is interrupted.

`--rerun` goes back the way a learner does, in the same kernel: after the top-to-bottom pass
it runs every code cell again in order (pass 2), then earlier cells once more (pass 3, by
default "back": from the cell before the last down to cell 2, so the first of them runs right
after the last cell closed the services, the way a learner scrolls back up). A re-run cell
whose outputs say something else than the first time is listed (`rerun.changed`). The executed
copy and the HTML export keep the first pass's outputs; the re-run outputs go to
`NAME.rerun.ipynb`. `--html DIR` exports each executed notebook with nbconvert's HTMLExporter
from the same Python.

Usage: python3 tools/run_notebooks.py [options] NOTEBOOK.ipynb...   (see --help)
Normally called by `deno task notebooks`, which also type-checks the cells first.
"""

import argparse
import asyncio
import copy
import json
import os
import queue
import re
import signal
import sys
import time
import uuid
import warnings
from dataclasses import dataclass, field
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

REPO = Path(__file__).resolve().parent.parent
OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error"}
# Kernel process groups still alive: killed on the way out whatever happens.
LIVE_PGIDS: set = set()


@dataclass
class Options:
    timeout: float
    grace: float
    settle_max: float
    startup_timeout: float
    kernel: str
    executed_dir: Path
    rerun: Optional[str] = None  # None: no re-run; else the pass-3 cells ("2", "2,6", "back")
    html_dir: Optional[Path] = None


@dataclass
class RunResult:
    notebook: str
    name: str
    repeat: int
    cells: int
    executed: int = 0
    seconds: float = 0.0
    status: str = "ok"
    error: Optional[Dict[str, Any]] = None
    restarted: bool = False
    late_messages: int = 0
    stray_messages: int = 0
    executed_path: Optional[str] = None
    kernel_log: Optional[str] = None
    kernel_log_tail: List[str] = field(default_factory=list)
    kernel_pids: List[int] = field(default_factory=list)
    rerun: Optional[Dict[str, Any]] = None
    html_path: Optional[str] = None


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
                       display_ids: Dict[str, List[Dict[str, Any]]], opts: Options,
                       result: RunResult, km: Any) -> Optional[Dict[str, Any]]:
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


def track(km: Any, result: RunResult) -> None:
    provisioner = km.provisioner
    if provisioner is not None and provisioner.pgid:
        LIVE_PGIDS.add(provisioner.pgid)
    if provisioner is not None and provisioner.pid:
        result.kernel_pids.append(provisioner.pid)


async def start(km: Any, cwd: Path, log: Any, opts: Options, result: RunResult) -> Any:
    await km.start_kernel(cwd=str(cwd), stdout=log, stderr=log)
    track(km, result)
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=opts.startup_timeout)
    return kc


async def timed_out(km: Any, kc: Any, cell: Any, number: int, opts: Options,
                    result: RunResult, pass_no: int = 1) -> None:
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


def executed_name(path: Path, repeat: int, repeats: int) -> str:
    return path.stem + (f".run{repeat:02d}" if repeats > 1 else "")


def rerun_plan(cells: int, spec: str) -> List[Dict[str, Any]]:
    """The re-run passes: every code cell again in order, then the earlier cells `spec` names.

    `spec` is a comma list of 1-based code cell numbers ("2", "2,6"; numbers past the last cell
    are dropped), or "back": every cell from the one before the last down to cell 2, so each
    runs after a later one and the first of them right after the last cell.
    """
    if spec == "back":
        earlier = list(range(cells - 1, 1, -1))
    else:
        earlier = [n for n in (int(x) for x in spec.split(",") if x.strip()) if n <= cells]
    if not earlier and cells:
        earlier = [1]
    return [{"pass": 2, "cells": list(range(1, cells + 1))}, {"pass": 3, "cells": earlier}]


BLOCKS = re.compile("[\u2580-\u259f]")  # the bars of text charts
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Axis ticks and other runs of numbers: how many a chart prints depends on the values.
NUMBERS = re.compile(r"#(?:[^\w\s]*\s*[^\w\s]*#)+")


def shown_lines(cell: Any) -> List[str]:
    """What a cell's outputs say (stream text, text/plain, errors), without what differs
    between two good runs: numbers (latencies, timestamps), bar lengths and padding."""
    lines: List[str] = []
    for out in cell.get("outputs", []):
        kind = out.get("output_type")
        if kind == "stream":
            text = out.get("text", "")
        elif kind == "error":
            text = f"{out.get('ename', '')}: {out.get('evalue', '')}"
        else:
            text = out.get("data", {}).get("text/plain", "")
        if isinstance(text, list):
            text = "".join(text)
        for line in text.splitlines():
            line = " ".join(NUMBERS.sub("#", NUMBER.sub("#", BLOCKS.sub("", line))).split())
            if line:
                lines.append(line)
    return lines


def changed_output(first: Any, again: Any, number: int, pass_no: int) -> Optional[Dict[str, Any]]:
    """How a re-run cell's outputs differ from the first run's, or None when they say the same."""
    a, b = shown_lines(first), shown_lines(again)
    if a == b:
        return None
    pairs = [(x, y) for x, y in zip(a, b) if x != y]
    was, now = pairs[0] if pairs else (
        (a[len(b)], "(nothing)") if len(a) > len(b) else ("(nothing)", b[len(a)]))
    return {"cell": number, "pass": pass_no, "first": was[:200], "rerun": now[:200]}


async def rerun(kc: Any, km: Any, nb: Any, routes: Dict[str, "CellOutputs"], opts: Options,
                result: RunResult) -> Any:
    """Passes 2 and 3 in the same kernel, on a copy of the notebook: returns that copy, whose
    code cells hold the outputs of their latest execution. Each re-run cell's outputs are
    compared with the first run's; differences are listed in `rerun.changed` (a real model's
    replies differ on purpose, so they are reported, not failed)."""
    assert opts.rerun is not None
    copy_nb = copy.deepcopy(nb)
    cells = [c for c in copy_nb.cells if c.cell_type == "code"]
    originals = [c for c in nb.cells if c.cell_type == "code"]
    display_ids: Dict[str, List[Dict[str, Any]]] = {}
    plan = rerun_plan(len(cells), opts.rerun)
    result.rerun = {"spec": opts.rerun, "passes": [], "executed": 0, "changed": []}
    for step in plan:
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
            change = changed_output(originals[number - 1], cell, number, step["pass"])
            if change is not None and error is None:
                result.rerun["changed"].append(change)
            if error is not None:
                if result.status == "ok":
                    result.status = "kernel-died" if error["ename"] == "KernelDied" \
                        else "rerun-error"
                result.error = {**error, "pass": step["pass"]}
                return copy_nb
    return copy_nb


def export_html(nb: Any, path: Path, name: str) -> None:
    """Writes nbconvert's HTML export of an executed notebook (the lab template)."""
    from nbconvert import HTMLExporter  # imported on first use: only --html needs it
    body, _ = HTMLExporter().from_notebook_node(nb, resources={"metadata": {"name": name}})
    path.write_text(body, encoding="utf-8")


async def run_notebook(path: Path, repeat: int, repeats: int, opts: Options) -> RunResult:
    nb = nbformat.read(str(path), as_version=4)
    if nb.nbformat_minor >= 5:  # nbformat 4.5 requires cell ids; give any missing one
        for cell in nb.cells:
            cell.setdefault("id", uuid.uuid4().hex[:8])
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    for cell in code_cells:
        cell.outputs = []
        cell.execution_count = None
    result = RunResult(notebook=display_path(path), name=path.stem, repeat=repeat,
                       cells=len(code_cells))
    opts.executed_dir.mkdir(parents=True, exist_ok=True)
    base = executed_name(path, repeat, repeats)
    log_path = opts.executed_dir / f"{base}.kernel.log"
    result.kernel_log = display_path(log_path)
    started = time.monotonic()
    km = AsyncKernelManager(kernel_name=opts.kernel)
    kc = None
    routes: Dict[str, CellOutputs] = {}
    display_ids: Dict[str, List[Dict[str, Any]]] = {}
    with open(log_path, "wb") as log:
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
            if result.status == "ok" and opts.rerun is not None:
                rerun_nb = await rerun(kc, km, nb, routes, opts, result)
                rerun_path = opts.executed_dir / f"{base}.rerun.ipynb"
                nbformat.write(rerun_nb, str(rerun_path))
                result.rerun["executed_path"] = display_path(rerun_path)
        finally:
            await shutdown(km, kc)
            result.seconds = round(time.monotonic() - started, 2)
            out_path = opts.executed_dir / f"{base}.ipynb"
            nbformat.write(nb, str(out_path))
            result.executed_path = display_path(out_path)
    if opts.html_dir is not None:
        html_path = opts.html_dir / f"{base}.html"
        try:
            await asyncio.to_thread(export_html, nb, html_path, path.stem)
            result.html_path = display_path(html_path)
        except Exception as exc:
            if result.status == "ok":
                result.status = "export-failed"
                result.error = {"cell": 0, "ename": type(exc).__name__, "evalue": str(exc),
                                "traceback": [], "pass": 0}
    if result.status != "ok":
        result.kernel_log_tail = log_path.read_text(errors="replace").splitlines()[-20:]
    return result


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path.resolve())


def print_table(results: List[RunResult]) -> None:
    rows = [("notebook", "cells", "seconds", "status", "first error")]
    for r in results:
        name = r.name + (f" #{r.repeat}" if r.repeat > 1 or len(
            [x for x in results if x.notebook == r.notebook]) > 1 else "")
        err = ""
        if r.error:
            where = f"pass {r.error['pass']}, " if r.error.get("pass", 1) > 1 else ""
            err = f"{where}cell {r.error['cell']}: {r.error['ename']}: {r.error['evalue']}"
        rows.append((name, f"{r.executed}/{r.cells}", f"{r.seconds:.1f}", r.status,
                     err.splitlines()[0][:100] if err else ""))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])


async def watch_parent(task: "asyncio.Task[Any]") -> None:
    """Stop when the parent process goes away, so no kernel outlives a killed caller."""
    parent = os.getppid()
    while True:
        await asyncio.sleep(1)
        if os.getppid() != parent:
            task.cancel()
            return


async def run_all(paths: List[Path], repeats: int, jobs: int, opts: Options) -> List[RunResult]:
    slots = asyncio.Semaphore(jobs)

    async def one(path: Path, repeat: int) -> RunResult:
        async with slots:
            return await run_notebook(path, repeat, repeats, opts)

    work = [one(p, k) for p in paths for k in range(1, repeats + 1)]
    return list(await asyncio.gather(*work))


async def main_async(args: argparse.Namespace) -> int:
    opts = Options(timeout=args.timeout, grace=args.grace / 1000, settle_max=args.settle_max,
                   startup_timeout=args.startup_timeout, kernel=args.kernel,
                   executed_dir=Path(args.executed_dir),
                   rerun=args.rerun_cells if args.rerun else None,
                   html_dir=Path(args.html) if args.html else None)
    if opts.html_dir is not None:
        try:
            import nbconvert  # noqa: F401  (fail before any kernel starts)
        except ImportError as exc:
            print(f"Cannot export HTML: {exc}. Install nbconvert with "
                  "`apt-get install -y jupyter-nbconvert`", file=sys.stderr)
            return 3
        try:
            opts.html_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"Cannot write HTML exports to \"{opts.html_dir}\": {exc.strerror}",
                  file=sys.stderr)
            return 2
    paths = [Path(p) for p in args.notebooks]
    for p in paths:
        if not p.is_file():
            print(f"Cannot run notebook \"{p}\": file not found", file=sys.stderr)
            return 2
    main_task = asyncio.current_task()
    assert main_task is not None
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, main_task.cancel)
    watcher = asyncio.ensure_future(watch_parent(main_task))
    started = time.monotonic()
    try:
        results = await run_all(paths, args.repeat, max(1, args.jobs), opts)
    except asyncio.CancelledError:
        print("Interrupted: kernels shut down", file=sys.stderr)
        return 130
    finally:
        watcher.cancel()
    ok = all(r.status == "ok" for r in results)
    summary = {
        "ok": ok,
        "seconds": round(time.monotonic() - started, 2),
        "grace_ms": args.grace,
        "timeout_s": args.timeout,
        "runs": [r.__dict__ for r in results],
    }
    if args.json:
        text = json.dumps(summary, indent=2)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n")
    if not args.no_table:
        print_table(results)
    return 0 if ok else 1


def parse_args(argv: List[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="run_notebooks.py",
        description="Execute Deno Jupyter notebooks with the repo's kernelspec; "
        "exit status 1 if any cell fails.")
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK", help=".ipynb files")
    parser.add_argument("--timeout", type=float, default=120,
                        help="seconds per cell before the kernel is restarted (default 120)")
    parser.add_argument("--grace", type=float, default=150,
                        help="ms iopub must stay quiet after idle before the next cell "
                        "(default 150)")
    parser.add_argument("--settle-max", type=float, default=10,
                        help="seconds at most to wait for quiet after idle (default 10)")
    parser.add_argument("--startup-timeout", type=float, default=60,
                        help="seconds to wait for the kernel to start (default 60)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each notebook N times, each in a fresh kernel")
    parser.add_argument("--jobs", type=int, default=1, help="kernels to run at once (default 1)")
    parser.add_argument("--kernel", default="contoso-deno", help="kernelspec name")
    parser.add_argument("--kernel-path", default=str(REPO / "notebooks"),
                        help="folder holding kernels/<name>/kernel.json, prepended to "
                        "JUPYTER_PATH (default: the repo's notebooks/)")
    parser.add_argument("--executed-dir", default=str(REPO / "notebooks" / ".executed"),
                        help="where executed copies and kernel logs go")
    parser.add_argument("--json", metavar="FILE", help="write a JSON summary ('-' = stdout)")
    parser.add_argument("--rerun", action="store_true",
                        help="after the run, run every code cell again in order, then earlier "
                        "cells (--rerun-cells), in the same kernel")
    parser.add_argument("--rerun-cells", default="back", metavar="SPEC",
                        help="pass 3 of --rerun: code cell numbers (\"2,6\") or \"back\" "
                        "(the cell before the last down to cell 2; the default)")
    parser.add_argument("--html", metavar="DIR",
                        help="export each executed notebook to DIR/NAME.html (nbconvert)")
    parser.add_argument("--no-table", action="store_true", help="do not print the table")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"back|[1-9]\d*(,[1-9]\d*)*", args.rerun_cells):
        parser.error(f"invalid --rerun-cells: \"{args.rerun_cells}\" (use e.g. \"2\", \"2,6\" "
                     "or \"back\")")
    return args


def main(argv: List[str]) -> int:
    args = parse_args(argv)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in [args.kernel_path, os.environ.get("JUPYTER_PATH", "")] if p)
    try:
        return asyncio.run(main_async(args))
    finally:
        for pgid in list(LIVE_PGIDS):  # last resort if a shutdown did not get to run
            try:
                os.killpg(pgid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
