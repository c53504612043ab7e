"""Where a report comes from, so that an auditor can trace it back and file it.

- root: the scanned path as given on the command line (never the machine's absolute path);
- commit: the HEAD of the git repository holding the scanned path, or None outside git, without
  the git program, or for standard input alone; dirty: True when tracked files under the scanned
  paths differ from that commit (modified, staged, deleted), a file the scan read is not tracked,
  or standard input was read too;
- inputs_sha256: the SHA-256 of `sha256sum`'s output over the files the scan read, sorted by
  their path relative to the scanned directory: the same on every machine, and reproduced with
  `cd ROOT && sha256sum FILE... | sha256sum` (LC_ALL=C order);
- knowledge_date: the date of hdslint's knowledge (the latest source it was read from).

git is run as a separate program and never writes into the scanned repository (no optional
locks: the index is not refreshed on disk) nor runs anything the repository configures
(fsmonitor, clean filters): a scanned repository is untrusted. Any failure leaves commit and
dirty unknown (None); the scan never fails for it.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
from typing import Any

from hdslint.knowledge.store import knowledge_date
from hdslint.syntax.text import relative

GIT_TIMEOUT = 20.0
STDIN = "-"  # standard input, as sha256sum names it
MAX_HASHED_BYTES = 256 * 1024 * 1024


def record(paths: list[str], root: str, inputs: list[str], stdin_text: str | None,
           config_source: str | None, cwd: str | None = None) -> dict[str, Any]:
    """The trace of a scan of `paths` (as given), whose files `inputs` (relative to `root`)
    were read. `cwd` is the working directory of the scan: the trace is made later, when a
    report asks for it, and relative paths must be read from where the scan ran."""
    here = cwd or os.getcwd()
    given = [p for p in paths if p != STDIN]
    root = os.path.join(here, root)
    base = _base([os.path.join(here, p) for p in given], root)
    files = sorted({_relative(os.path.join(root, rel), base) for rel in inputs if rel != "<stdin>"})
    hashes = [{"path": rel, "sha256": _file_sha256(os.path.join(base, rel))} for rel in files]
    if stdin_text is not None:
        hashes.insert(0, {"path": STDIN, "sha256": hashlib.sha256(stdin_text.encode("utf-8")).hexdigest()})
    # what `sha256sum FILE... | sha256sum` gives; what is not a regular file holds no content to hash
    manifest = "".join(f"{h['sha256']}  {h['path']}\n" for h in hashes if h["sha256"] is not None)
    commit: str | None = None
    dirty: bool | None = None
    if given:  # standard input alone comes from no repository
        commit, dirty = git_state(base, [os.path.join(here, p) for p in given],
                                  {os.path.join(base, str(h["path"])) for h in hashes})
        if commit is not None and stdin_text is not None:
            dirty = True  # what came on standard input is in no commit
    return {
        "root": given[0] if len(given) == 1 else _relative(base, here) if given else STDIN,
        "paths": paths,
        "commit": commit,
        "dirty": dirty,
        "inputs_sha256": hashlib.sha256(manifest.encode("utf-8")).hexdigest(),
        "inputs": hashes,
        "config_sha256": _file_sha256(os.path.join(here, config_source)) if config_source else None,
        "knowledge_date": knowledge_date(),
    }


def _base(given: list[str], root: str) -> str:
    """The scanned directory: the path given (a file's folder), or the common folder of several."""
    if not given:
        return root
    absolute = [os.path.abspath(p) for p in given]
    common = os.path.commonpath(absolute)
    return common if os.path.isdir(common) else os.path.dirname(common)


def _relative(path: str, base: str) -> str:
    rel = relative(path, base)
    return rel.replace(os.sep, "/")


def _file_sha256(path: str) -> str | None:
    """The SHA-256 of a regular file's bytes; None for anything else (a pipe, a device, a file
    gone or larger than MAX_HASHED_BYTES). Opened without blocking and checked after opening,
    so a FIFO planted in the scanned repository is never waited on."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_HASHED_BYTES:
            return None
        digest = hashlib.sha256()
        while block := os.read(fd, 1 << 20):
            digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


# ---- git ----------------------------------------------------------------------------------------

def _git(base: str, args: list[str], hardening: list[str] | None = None) -> str | None:
    """git's output, or None when git is absent or fails. The environment's GIT_* variables are
    left out (a hook's GIT_DIR or GIT_INDEX_FILE must not redirect the reading)."""
    exe = shutil.which("git")
    if exe is None:
        return None
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0", GIT_PAGER="cat", LC_ALL="C")
    argv = [exe, "--no-optional-locks", "--no-pager", "-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false",
            *(hardening or []), "-C", base, *args]
    try:
        out = subprocess.run(argv, capture_output=True, env=env, timeout=GIT_TIMEOUT, stdin=subprocess.DEVNULL,
                             check=False)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if out.returncode != 0:
        return None
    return out.stdout.decode("utf-8", "surrogateescape")


def _no_filters(base: str) -> list[str]:
    """`-c filter.NAME.clean= -c filter.NAME.process=` for every filter driver the configuration
    names: comparing a file with the commit must not run a command the repository configures."""
    listed = _git(base, ["config", "--null", "--name-only", "--get-regexp", r"^filter\."])
    if listed is None:  # exit 1: no filter configured (or git cannot read the configuration)
        listed = ""
    out: list[str] = []
    for name in sorted({k.rsplit(".", 1)[0] for k in listed.split("\0") if k.count(".") >= 2}):
        out += ["-c", f"{name}.clean=", "-c", f"{name}.smudge=", "-c", f"{name}.process=",
                "-c", f"{name}.required=false"]
    return out


def git_state(base: str, paths: list[str], inputs: set[str]) -> tuple[str | None, bool | None]:
    """(commit, dirty) of the repository holding `base`, for the scanned `paths`; (None, None)
    outside git or without git."""
    head = _git(base, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])
    if not head:  # outside git: no second process to start
        return None, None
    top = _git(base, ["rev-parse", "--show-toplevel"])
    if not top:
        return None, None
    hardening = _no_filters(base)
    top = top.strip()
    specs = [os.path.relpath(os.path.abspath(p), base) for p in paths]
    status = _git(base, ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignore-submodules=all",
                         "--", *specs], hardening)
    if status is None:
        return head.strip(), None
    real_inputs = {os.path.realpath(p) for p in inputs}
    entries = status.split("\0")
    dirty = False
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if code[0] in "RC":
            i += 1  # the rename's source path follows
        if code != "??" or os.path.realpath(os.path.join(top, path)) in real_inputs:
            dirty = True
            break
    return head.strip(), dirty
