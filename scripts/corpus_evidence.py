"""Helpers for scripts/corpus-check: junit outcomes, test ids across backends, line mapping
between a pristine and a migrated tree, evidence for failing tests, and the accounting of
every asyncio idiom occurrence that count_idioms.py counts.

Positions in anyio-migrate's JSON report are in the original (pristine) text; tracebacks and
leftover idioms are in the migrated text. `LineMap` maps migrated lines back with difflib:
a line the migration did not touch maps to its original line, a line inside a changed hunk to
the whole original hunk.
"""
import ast
import collections
import difflib
import os
import re
import sys
import xml.etree.ElementTree as ET

BACKENDS = ("asyncio", "trio")


# ---------------------------------------------------------------------------------------------
# junit xml

def outcomes(xml_path):
    """test id (`classname::name`) -> (passed / failed / skipped, failure text)."""
    result = {}
    for case in ET.parse(xml_path).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        bad = case.find("failure")
        if bad is None:
            bad = case.find("error")
        if bad is not None:
            text = (bad.get("message") or "") + "\n" + (bad.text or "")
            result[test_id] = ("failed", text)
        elif case.find("skipped") is not None:
            result[test_id] = ("skipped", "")
        else:
            result[test_id] = ("passed", "")
    return result


def baseline_id(test_id, backend, baseline_ids):
    """The baseline's id of a migrated run's test: the test id with the backend's own
    parameter removed (`t[asyncio]` -> `t`, `t[1-asyncio]` -> `t[1]`, `t[asyncio-x]` -> `t[x]`).
    Only a candidate the baseline knows is returned (test parameters that happen to be spelt
    like a backend are left alone); otherwise the id itself."""
    if test_id in baseline_ids:
        return test_id
    for candidate in without_backend(test_id, backend):
        if candidate in baseline_ids:
            return candidate
    return test_id


def without_backend(test_id, backend):
    """The ids `test_id` gives with one of its parameters spelt `backend` removed."""
    head, sep, params = test_id.partition("[")
    if not sep or not params.endswith("]"):
        return []
    parts = params[:-1].split("-")
    out = []
    for i, part in enumerate(parts):
        if part == backend:
            rest = parts[:i] + parts[i + 1:]
            out.append(f"{head}[{'-'.join(rest)}]" if rest else head)
    return out


LEAF_RX = re.compile(r"^[ \t]*\|[ \t]+([A-Za-z_][\w.]*(?:Error|Exception|Cancelled|Failed|Exit|Timeout"
                     r"|Interrupt|Warning)\b(?::.*)?)$", re.M)


def param_index(baseline):
    """{id with one test parameter removed: [baseline ids]} for ids that are not in the
    baseline: a migration that drops a parameter of the suite itself (aioconsole's
    `event_loop_policy` fixture, parametrised default/uvloop) turns `t[default-linux]` into
    `t[linux]`."""
    index = {}
    for test_id in baseline:
        head, sep, params = test_id.partition("[")
        if not sep or not params.endswith("]"):
            continue
        parts = params[:-1].split("-")
        for i in range(len(parts)):
            rest = parts[:i] + parts[i + 1:]
            key = f"{head}[{'-'.join(rest)}]" if rest else head
            index.setdefault(key, []).append(test_id)
    return index


def remap_dropped_param(test_id, baseline, index):
    """The baseline id a test id corresponds to once a suite parameter was dropped: the one
    candidate of `param_index` that passed at baseline (the others were skipped or failed), or
    None."""
    if test_id in baseline:
        return None
    passed = [b for b in index.get(test_id, []) if baseline[b][0] == "passed"]
    return passed[0] if len(passed) == 1 else None


def failure_gist(text, width=160, root=None):
    """The exception line of a failure (`E   ...`), else its first line; for an exception group,
    followed by its distinct leaf exceptions. Paths under `root` (the migrated project) are
    shown relative to it, and other absolute paths by their file name: the machine's folders
    stay out of the report."""
    gist = ""
    for line in text.splitlines():
        if line.startswith("E   "):
            gist = line[4:].strip()
            break
    else:
        gist = text.strip().splitlines()[0] if text.strip() else ""
    if "ExceptionGroup" in gist:
        leaves = []
        for m in LEAF_RX.finditer(text):
            leaf = m.group(1).strip()
            if "ExceptionGroup" not in leaf and leaf not in leaves:
                leaves.append(leaf)
        if leaves:
            gist += " ← " + "; ".join(leaves[:3])
    if root:
        gist = gist.replace(root.rstrip(os.sep) + os.sep, "")
    gist = ABS_PATH_RX.sub(lambda m: ".../" + os.path.basename(m.group(0)), gist)
    return gist[:width]


ABS_PATH_RX = re.compile(r"(?<![\w.])/(?:[\w.-]+/)+[\w.-]+")


# pytest's `path:line:` frames, Python's `File "path", line N` ones, and the code an asyncio
# object names in trio's "unrecognized yield message <Task ... running at path:line>" or
# "<Future ... cb=[f() at path:line]>" (the asyncio-only code that made the object).
FRAME_RX = re.compile(
    r"^(\S+?\.py):(\d+):(?: |$)|File \"([^\"]+\.py)\", line (\d+)|\bat (/\S+?\.py):(\d+)", re.M)


def frames(text, root):
    """(relative path, line) of every traceback frame in `root`, in order, without repeats:
    pytest's `path:line:` frames and Python's `File "path", line N` ones (exception groups)."""
    seen, out = set(), []
    for m in FRAME_RX.finditer(text):
        path, line = next((m.group(i), int(m.group(i + 1))) for i in (1, 3, 5) if m.group(i))
        if os.path.isabs(path):
            if not path.startswith(root + os.sep):
                continue
            path = os.path.relpath(path, root)
        path = os.path.normpath(path)
        if not os.path.isfile(os.path.join(root, path)) or (path, line) in seen:
            continue
        seen.add((path, line))
        out.append((path, line))
    return out


def test_location(test_id, root):
    """(module path, class names, function name) of a junit test id, or None."""
    classname, _, name = test_id.partition("::")
    func = name.split("[", 1)[0]
    parts = classname.split(".")
    for i in range(len(parts), 0, -1):
        path = os.path.join(*parts[:i]) + ".py"
        if os.path.isfile(os.path.join(root, path)):
            return path, parts[i:], func
    return None


# ---------------------------------------------------------------------------------------------
# the anyio-migrate report

class Report:
    """anyio-migrate's JSON report, indexed by normalised path."""

    def __init__(self, data):
        self.data = data
        self.files = {os.path.normpath(f["path"]): f for f in data["files"]}

    def notes_in(self, path, lines):
        """MANUAL findings and applied UNSAFE rewrites of `path` at one of `lines` (original
        coordinates), as (line, codemod, verdict, text)."""
        f = self.files.get(os.path.normpath(path))
        if not f:
            return []
        out = []
        for x in f["findings"]:
            if x["line"] in lines:
                out.append((x["line"], x["codemod"], "MANUAL", x["message"]))
        for x in f["fixes"]:
            if x["applied"] and x["verdict"] == "UNSAFE" and x["line"] in lines:
                out.append((x["line"], x["codemod"], "UNSAFE", x.get("note") or ""))
        return sorted(out)

    def safe_in(self, path, lines):
        f = self.files.get(os.path.normpath(path))
        if not f:
            return []
        return sorted({x["codemod"] for x in f["fixes"] if x["verdict"] == "SAFE" and x["line"] in lines})


# ---------------------------------------------------------------------------------------------
# source structure

class LineMap:
    """Migrated line numbers (1-based) -> set of original line numbers."""

    def __init__(self, before, after):
        self.exact = {}
        self.hunk = {}
        a, b = before.splitlines(), after.splitlines()
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            for j in range(j1, j2):
                if tag == "equal":
                    self.exact[j + 1] = i1 + (j - j1) + 1
                else:
                    # the whole original hunk (an insertion maps to the lines around it)
                    self.hunk[j + 1] = set(range(i1 + 1, max(i2, i1 + 1) + 1))

    def original(self, lines):
        out = set()
        for line in lines:
            if line in self.exact:
                out.add(self.exact[line])
            else:
                out |= self.hunk.get(line, set())
        return out

    def changed(self, line):
        return line not in self.exact


class Source:
    """A parsed file of the migrated tree, with its pristine counterpart."""

    def __init__(self, root, pristine_root, path):
        self.path = path
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            self.text = f.read()
        original = os.path.join(pristine_root, path)
        if os.path.isfile(original):
            with open(original, encoding="utf-8", errors="replace") as f:
                self.before = f.read()
        else:
            self.before = ""
        self.map = LineMap(self.before, self.text)
        try:
            self.tree = ast.parse(self.text) if path.endswith(".py") else None
        except SyntaxError:
            self.tree = None

    def _nodes(self):
        return ast.walk(self.tree) if self.tree is not None else ()

    def statement(self, line):
        """Line range of the innermost statement holding `line` (for a compound statement, its
        header: decorators to the line before its body; an `except (A, B):` clause's header
        counts as one too)."""
        best = (line, line)
        best_size = None
        for node in self._nodes():
            if not isinstance(node, (ast.stmt, ast.ExceptHandler)):
                continue
            start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            end = node.end_lineno or node.lineno
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                end = max(start, body[0].lineno - 1)
            if start <= line <= end and (best_size is None or end - start < best_size):
                best, best_size = (start, end), end - start
        return best

    def function(self, line):
        """Line range of the innermost function holding `line` (decorators included), else the
        statement."""
        best, best_size = None, None
        for node in self._nodes():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                end = node.end_lineno or node.lineno
                if start <= line <= end and (best_size is None or end - start < best_size):
                    best, best_size = (start, end), end - start
        return best or self.statement(line)

    def class_headers(self, line):
        """Line ranges of the headers (`class X(Base):`, decorators included) of every class
        holding `line`: a finding there (a subclass of an asyncio class) concerns its methods."""
        out = []
        for node in self._nodes():
            if isinstance(node, ast.ClassDef) and node.lineno <= line <= (node.end_lineno or node.lineno):
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                out.append((start, max(start, node.body[0].lineno - 1)))
        return out

    def enclosing_functions(self, line):
        """Line ranges of every function holding `line`, innermost first."""
        out = []
        for node in self._nodes():
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                end = node.end_lineno or node.lineno
                if node.lineno <= line <= end:
                    out.append((node.lineno, end))
        return sorted(out, key=lambda r: r[1] - r[0])

    def test_function(self, classes, name):
        """Line range of `def name` (inside the given classes), or None."""
        scope = self.tree.body if self.tree is not None else []
        for cls in classes:
            found = [n for n in scope if isinstance(n, ast.ClassDef) and n.name == cls]
            if not found:
                return None
            scope = found[0].body
        for node in scope:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
                start = min([node.lineno] + [d.lineno for d in node.decorator_list])
                return start, node.end_lineno or node.lineno
        return None


class Tree:
    """The migrated tree, its pristine copy and the report, with a cache of parsed files."""

    def __init__(self, root, pristine_root, report):
        self.root, self.pristine_root, self.report = root, pristine_root, report
        self._sources = {}

    def source(self, path):
        path = os.path.normpath(path)
        if path not in self._sources:
            self._sources[path] = Source(self.root, self.pristine_root, path)
        return self._sources[path]

    def library_files(self, libs):
        """The .py files under the library paths (relative to the root), computed once."""
        if not hasattr(self, "_library_files"):
            out = []
            for lib in libs:
                base = os.path.join(self.root, lib)
                if os.path.isfile(base) and base.endswith(".py"):
                    out.append(lib)
                for dirpath, _dirs, files in os.walk(base):
                    out.extend(os.path.relpath(os.path.join(dirpath, f), self.root)
                               for f in sorted(files) if f.endswith(".py"))
            self._library_files = out
        return self._library_files

    def notes(self, path, migrated_range):
        src = self.source(path)
        lines = src.map.original(range(migrated_range[0], migrated_range[1] + 1))
        return self.report.notes_in(path, lines)


def node_id(test_id, root):
    """pytest's node id (`tests/test_x.py::TestY::test_z[p]`) of a junit test id, when its
    module is found; else the junit id."""
    loc = test_location(test_id, root)
    if not loc:
        return test_id
    path, classes, _func = loc
    name = test_id.partition("::")[2]
    return "::".join([path.replace(os.sep, "/"), *classes, name])


def module_file(root, dotted):
    """The file of a dotted module name under `root` (flat or `src/` layout), or None."""
    rel = dotted.replace(".", os.sep)
    for base in ("", "src"):
        for cand in (rel + ".py", os.path.join(rel, "__init__.py")):
            path = os.path.normpath(os.path.join(base, cand))
            if os.path.isfile(os.path.join(root, path)):
                return path
    return None


def imported_modules(root, path):
    """The project modules the test module `path` imports by name (`from pkg.mod import x`,
    `import pkg.mod`, `from pkg import x` with `x` re-exported by `pkg/__init__.py` from one of
    its modules): their paths."""
    def imports(p):
        try:
            tree = ast.parse(open(os.path.join(root, p), encoding="utf-8").read())
        except (OSError, SyntaxError, ValueError):
            return []
        out = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                out.append((node.module, [a.name for a in node.names]))
            elif isinstance(node, ast.ImportFrom) and node.level:
                pkg = os.path.dirname(p).replace(os.sep, ".").split(".")
                pkg = pkg[: len(pkg) - (node.level - 1)] if node.level > 1 else pkg
                if pkg and pkg[0] == "src":
                    pkg = pkg[1:]
                mod = ".".join(pkg + ([node.module] if node.module else []))
                out.append((mod, [a.name for a in node.names]))
            elif isinstance(node, ast.Import):
                out.extend((a.name, []) for a in node.names)
        return out

    found = []
    for module, names in imports(path):
        f = module_file(root, module)
        if not f or f in found or "test" in os.path.basename(f):
            continue
        found.append(f)
        if f.endswith("__init__.py"):
            for sub, subnames in imports(f):
                g = module_file(root, sub)
                if g and g not in found and set(names) & set(subnames):
                    found.append(g)
    return found


def reachable_modules(root, path):
    """Every project module the module `path` reaches through imports, transitively (a
    package's `__init__.py` and the modules it imports included)."""
    seen, todo = [], [path]
    while todo:
        p = todo.pop()
        for f in imported_modules(root, p) + package_modules(root, p):
            if f not in seen and f != path:
                seen.append(f)
                todo.append(f)
    return seen


def package_modules(root, init):
    """The project modules a package's `__init__.py` imports (all of them, not only the names
    a test asked for)."""
    if not init.endswith("__init__.py"):
        return []
    try:
        tree = ast.parse(open(os.path.join(root, init), encoding="utf-8").read())
    except (OSError, SyntaxError, ValueError):
        return []
    pkg = os.path.dirname(init).replace(os.sep, ".").split(".")
    if pkg and pkg[0] == "src":
        pkg = pkg[1:]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = pkg[: len(pkg) - (node.level - 1)] if node.level > 1 else pkg
            mods = [".".join(base + [node.module])] if node.module else \
                [".".join(base + [a.name]) for a in node.names]
            out.extend(f for f in map(lambda m: module_file(root, m), mods) if f)
    return out


def handler_notes(tree, test_path):
    """The MANUAL findings that say anyio's plugin re-raises what reaches the loop's exception
    handler, at the call that hands an exception there (`loop.call_exception_handler()`, a
    server whose connection handler may raise), in the test module, the conftest.py files
    above it and every project module it reaches through imports."""
    paths = [test_path] + reachable_modules(tree.root, test_path)
    d = os.path.dirname(test_path)
    while True:
        paths.append(os.path.normpath(os.path.join(d, "conftest.py")))
        if not d:
            break
        d = os.path.dirname(d)
    out = []
    for path in paths:
        f = tree.report.files.get(os.path.normpath(path))
        for x in f["findings"] if f else []:
            if LOOP_HANDLER_RX.search(x["message"]):
                out.append((os.path.normpath(f["path"]), x["line"], x["codemod"], "MANUAL", x["message"]))
    return out


def imported_notes(tree, test_path):
    """MANUAL findings that concern the trio backend in the project modules the test imports:
    a pointer for failures whose traceback does not reach the library code (an exception
    caught and turned into a result, `pytest.raises` matching another message, a value a
    library callback failed to set)."""
    out = []
    for path in imported_modules(tree.root, test_path):
        f = tree.report.files.get(os.path.normpath(path))
        for x in f["findings"] if f else []:
            if "trio" in x["message"]:
                out.append((os.path.normpath(f["path"]), x["line"], x["codemod"], "MANUAL", x["message"]))
    return out


def evidence(tree, test_id, text):
    """The MANUAL findings and UNSAFE rewrites on a failing test's path: in the functions of
    the migrated tree its traceback passes through (innermost first) and in the test function
    itself; plus `related` notes: the MANUAL findings of the conftest.py files above the test,
    and notes anywhere in the report that name an identifier quoted in the exception line
    (`'Semaphore' object has no attribute 'locked'` -> notes saying `locked`).
    Returns (notes, related, module_manual), notes as (path, line, codemod, verdict, text)."""
    places = []
    named = {(path, line) for path, line in frames(text, tree.root)
             if re.search(r"\bat \S*%s:%d\b" % (re.escape(os.path.basename(path)), line), text)}
    for path, line in reversed(frames(text, tree.root)):
        src = tree.source(path)
        # A callback an asyncio object names (`Scheduler.shield.<locals>._outer_done_callback()
        # at path:190`) is nested in the function that made the object: take the outermost one.
        outer = src.enclosing_functions(line) if (path, line) in named else []
        places.append((path, outer[-1] if outer else src.function(line)))
        places.extend((path, header) for header in src.class_headers(line))
    loc = test_location(test_id, tree.root)
    if loc:
        path, classes, func = loc
        rng = tree.source(path).test_function(classes, func)
        if rng:
            places.append((path, rng))
    seen, notes = set(), []
    for path, rng in places:
        for line, codemod, verdict, message in tree.notes(path, rng):
            key = (path, line, codemod, message)
            if key not in seen:
                seen.add(key)
                notes.append((path, line, codemod, verdict, message))
    related = []
    if loc:
        # the conftest.py files above the test: a finding there concerns every test below
        d = os.path.dirname(loc[0])
        while True:
            f = tree.report.files.get(os.path.normpath(os.path.join(d, "conftest.py")))
            for x in f["findings"] if f else []:
                key = (os.path.normpath(f["path"]), x["line"], x["codemod"], x["message"])
                if key not in seen:
                    seen.add(key)
                    related.append((key[0], x["line"], x["codemod"], "MANUAL", x["message"]))
            # anyio's plugin raised what reached the loop's exception handler: the note of the
            # anyio_backend fixture the run added says so (SAFE (edge)).
            if f and PLUGIN_RERAISE_RX.search(text):
                for x in f["fixes"]:
                    note = x.get("note") or ""
                    key = (os.path.normpath(f["path"]), x["line"], x["codemod"], note)
                    if x["applied"] and "exception handler" in note and key not in seen:
                        seen.add(key)
                        related.append((key[0], x["line"], x["codemod"], x["verdict"], note))
            if not d:
                break
            d = os.path.dirname(d)
    words = set(re.findall(r"'([A-Za-z_]\w{2,})'", failure_gist(text, 1000, tree.root)))
    if words:
        rx = re.compile(r"\b(?:%s)\b" % "|".join(sorted(map(re.escape, words))))
        for path, f in sorted(tree.report.files.items()):
            items = [(x["line"], x["codemod"], "MANUAL", x["message"]) for x in f["findings"]]
            items += [(x["line"], x["codemod"], "UNSAFE", x.get("note") or "") for x in f["fixes"]
                      if x["applied"] and x["verdict"] == "UNSAFE"]
            for line, codemod, verdict, message in sorted(items):
                if rx.search(message) and (path, line, codemod, message) not in seen:
                    seen.add((path, line, codemod, message))
                    related.append((path, line, codemod, verdict, message))
    if loc and not notes and PLUGIN_RERAISE_RX.search(text):
        # anyio's plugin re-raised what reached the loop's exception handler: a MANUAL finding
        # at the call that hands it there names the spot, wherever the test reaches it from.
        for note in handler_notes(tree, loc[0]):
            if note not in notes:
                notes.append(note)
        related = [n for n in related if n not in notes]
    module_manual = 0
    if loc:
        f = tree.report.files.get(os.path.normpath(loc[0]))
        module_manual = len(f["findings"]) if f else 0
    imported = imported_notes(tree, loc[0]) if loc and not notes else []
    return notes, related, module_manual, imported, dependency_frames(text)


# anyio's test runner re-raising what reached the asyncio loop's exception handler.
PLUGIN_RERAISE_RX = re.compile(r"_raise_async_exceptions|Multiple exceptions occurred in asynchronous callbacks")

# A finding saying anyio's plugin re-raises what reaches the loop's exception handler.
LOOP_HANDLER_RX = re.compile(r"(?=.*pytest plugin re-raises)(?=.*exception handler)")

TOOLING = {"_pytest", "pytest", "pluggy", "anyio", "trio", "outcome", "sniffio", "unittest"}


def dependency_frames(text):
    """`package/file.py:line` of the traceback frames in installed third-party packages (not
    the test tooling): asyncio-only code outside the project, which no migration of it reaches."""
    out = []
    for m in FRAME_RX.finditer(text):
        path = next((m.group(i) for i in (1, 3, 5) if m.group(i)), "")
        _, sep, rest = path.partition("site-packages/")
        if sep and rest.split("/", 1)[0] not in TOOLING:
            frame = f"{rest}:{next(m.group(i + 1) for i in (1, 3, 5) if m.group(i))}"
            if frame not in out:
                out.append(frame)
    return out


# ---------------------------------------------------------------------------------------------
# idiom accounting

def load_count_idioms(corpus):
    sys.path.insert(0, corpus)
    try:
        import count_idioms  # noqa: PLC0415 (the corpus' own counter, imported from its folder)
    finally:
        sys.path.pop(0)
    return count_idioms


def idiom_hits(ci, text, scope):
    """(line, column, idiom) of every occurrence count_idioms.count_text counts in `text` (already
    blanked by code_only), for scope `lib` (test-only idioms not counted) or `test`."""
    imported = {}
    for m in ci.IMPORT_RX.finditer(text):
        body = m.group(1).strip("()\\\n ")
        for part in re.split(r"[,\n\\]", body):
            part = part.strip().strip("()")
            if not part or part.startswith("#"):
                continue
            bits = part.split()
            if len(bits) == 3 and bits[1] == "as":
                imported[bits[0]] = bits[2]
            else:
                imported[bits[0]] = bits[0]
    # import lines blanked (same length), where count_idioms deletes them
    stripped = ci.IMPORT_RX.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)

    def line_of(pos):
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, pos - starts[lo]

    hits = []
    for col, attrs, raw in ci.IDIOMS:
        if col == "asyncio_mode" or (scope == "lib" and col in ci.TEST_ONLY):
            continue
        for a in attrs:
            for m in re.finditer(r"\basyncio\.%s\b" % re.escape(a), text):
                hits.append((*line_of(m.start()), col))
            if a in imported:
                for m in re.finditer(r"(?<![\w.])%s\b" % re.escape(imported[a]), stripped):
                    hits.append((*line_of(m.start()), col))
        if raw:
            for m in re.finditer(raw, text, re.M):
                hits.append((*line_of(m.start()), col))
    return hits


def config_hits(ci, text):
    rx = [raw for col, _, raw in ci.IDIOMS if col == "asyncio_mode"][0]
    return [(text.count("\n", 0, m.start()) + 1, m.start() - text.rfind("\n", 0, m.start()) - 1, "asyncio_mode")
            for m in re.finditer(rx, text)]


def scoped_files(ci, root, libs, tests):
    """{relative path: scope} exactly as count_idioms.main splits a project."""
    test_files = {os.path.realpath(f) for f in ci.iter_files(root, tests)}
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if not x.endswith(".egg-info") and x != "__pycache__"]
        if "conftest.py" in files:
            test_files.add(os.path.realpath(os.path.join(d, "conftest.py")))
    lib_files = {os.path.realpath(f) for f in ci.iter_files(root, libs)} - test_files
    real_root = os.path.realpath(root)
    out = {}
    for scope, files in (("lib", lib_files), ("test", test_files)):
        for f in files:
            out[os.path.relpath(f, real_root)] = scope
    for c in ci.CONFIG_FILES:
        if os.path.isfile(os.path.join(root, c)):
            out[c] = "config"
    return out


def locate_idioms(ci, root, libs, tests):
    """[(path, line, column, idiom)] of every occurrence count_idioms counts under `root`."""
    out = []
    for path, scope in sorted(scoped_files(ci, root, libs, tests).items()):
        with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
            text = f.read()
        if scope == "config":
            hits = config_hits(ci, text)
        else:
            hits = idiom_hits(ci, ci.code_only(text), scope)
        out.extend((path, line, column, col) for line, column, col in sorted(hits))
    return out


def is_sync_time_sleep(src, line):
    """A `time.sleep` whose innermost enclosing function is not an `async def` (thread or sync
    code: not an asyncio idiom)."""
    if src.tree is None:
        return False
    inner, size = None, None
    for node in ast.walk(src.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            end = node.end_lineno or node.lineno
            if node.lineno <= line <= end and (size is None or end - node.lineno < size):
                inner, size = node, end - node.lineno
    return not isinstance(inner, ast.AsyncFunctionDef)


LOOP_METHOD_RX = re.compile(
    r"([A-Za-z_][\w.]*)\.(?:create_task|call_soon_threadsafe|call_soon|call_later|call_at|"
    r"run_in_executor|create_future|run_until_complete)\(")


def loop_finding(tree, src, line):
    """The asyncio-loop MANUAL finding that names the receiver of a loop method call on `line`
    (`loop.create_task(...)`): for a plain name, a finding in a function holding the call
    ("the loop (`loop`) is used for: ..."); for an attribute, a finding anywhere in the file
    ("the loop is stored in `self._loop`")."""
    f = tree.report.files.get(os.path.normpath(src.path))
    if not f:
        return None
    code = src.text.splitlines()[line - 1] if line <= len(src.text.splitlines()) else ""
    findings = [x for x in f["findings"] if x["codemod"] == "asyncio-loop"]
    scopes = [src.map.original(range(a, b + 1)) for a, b in src.enclosing_functions(line)]
    for m in LOOP_METHOD_RX.finditer(code):
        recv = m.group(1)
        for x in findings:
            if f"`{recv}`" not in x["message"]:
                continue
            if "." in recv or not scopes or any(x["line"] in s for s in scopes):
                return (x["line"], x["codemod"], "MANUAL", x["message"])
    return None


def in_annotation(src, line, column):
    """Is the occurrence at (line, column) inside a type annotation (`x: asyncio.Future[T]`, a
    parameter's or a return annotation)? Annotations name asyncio's classes without running
    asyncio code: the objects they describe are made elsewhere, where they are counted."""
    if src.tree is None:
        return False
    text = src.text.splitlines()[line - 1] if line <= len(src.text.splitlines()) else ""
    col = len(text[:column].encode())  # ast offsets are UTF-8 bytes
    pos = (line, col)
    for node in ast.walk(src.tree):
        notes = []
        if isinstance(node, ast.AnnAssign):
            notes.append(node.annotation)
        elif isinstance(node, ast.arg) and node.annotation is not None:
            notes.append(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            notes.append(node.returns)
        for a in notes:
            if (a.lineno, a.col_offset) <= pos < (a.end_lineno, a.end_col_offset):
                return True
    return False


def assignments(node, walk=True):
    """(target, value) of the bindings in `node` (and, with `walk`, everything under it):
    `t = v`, `t: T = v`, `with v as t`."""
    out = []
    for n in ast.walk(node) if walk else [node]:
        if isinstance(n, (ast.With, ast.AsyncWith)):
            out.extend((i.optional_vars, i.context_expr) for i in n.items)
        elif isinstance(n, ast.Assign):
            out.extend((t, n.value) for t in n.targets)
        elif isinstance(n, ast.AnnAssign) and n.value is not None:
            out.append((n.target, n.value))
    return out


def callee_name(call):
    """`C` for `C(...)`, `mod.C` for `mod.C(...)`, `C` for a generic `C[T](...)`."""
    func = call.func
    while isinstance(func, ast.Subscript):
        func = func.value
    return ast.unparse(func)


RECEIVER_RX = re.compile(r"(super\(\)|[A-Za-z_][\w.]*)\.$")


def class_bases(tree, libs, name, seen=None, here=None):
    """The base expressions (unparsed) of the project class `name` (its last dotted part) and,
    through the project's own classes, of its bases: None when neither the file `here` nor a
    library module defines it."""
    seen = set() if seen is None else seen
    short = name.rsplit(".", 1)[-1]
    if short in seen:
        return []
    seen.add(short)
    found = None
    for path in ([here] if here else []) + tree.library_files(libs):
        src = tree.source(path)
        for node in src._nodes():
            if isinstance(node, ast.ClassDef) and node.name == short:
                found = (src, node)
                break
        if found:
            break
    if not found:
        return None
    src, node = found
    out = [(src, node, ast.unparse(b)) for b in node.bases]
    for _src, _node, base in list(out):
        if not base.startswith("asyncio."):
            out.extend(class_bases(tree, libs, base, seen) or [])
    return out


# The module helper the migration writes for an anyio before 4.14: an anyio task group with
# anyio 4.14's `create_task()` (its `tg.create_task(` is anyio's method, not asyncio's).
TASK_GROUP_HELPER = "_TaskGroup"


def receiver_class(tree, libs, src, line, column):
    """For a method call `recv.create_task(` whose receiver is made by anyio (`async with
    anyio.create_task_group() as tg`, a group the migration rewrote, or its `_TaskGroup()`
    helper for an anyio before 4.14): `("anyio", constructor)`;
    bound in the same function by a statement with a MANUAL finding: `("bound", note)`;
    made by a class of the project's own: `("asyncio", note)` when that class derives from an asyncio class and its header carries
    a MANUAL finding (the note), `("project", constructor)` when it derives from none (the method
    is the project's own, not asyncio's), else None. The receiver is `self`/`super()` in a class
    body, `self.x` assigned once in the class from `C(...)`, or a name bound by `async with C(...)
    as recv` or `recv = C(...)` in the innermost function holding the call that binds it (or
    the module)."""
    if src.tree is None:
        return None
    text = src.text.splitlines()[line - 1] if line <= len(src.text.splitlines()) else ""
    m = RECEIVER_RX.search(text[:column])
    if not m:
        return None
    recv = m.group(1)
    ctor = None
    classes = [n for n in src._nodes() if isinstance(n, ast.ClassDef)
               and n.lineno <= line <= (n.end_lineno or n.lineno)]
    cls = max(classes, key=lambda n: n.lineno) if classes else None
    if recv in ("super()", "self"):
        if cls is None:
            return None
        ctor = cls.name
    elif recv.startswith("self."):
        # `self.tg = C(...)` in the class's own methods (the only binding of that attribute)
        if cls is None:
            return None
        attr = recv[len("self."):]
        values = [value for target, value in assignments(cls)
                  if isinstance(target, ast.Attribute) and target.attr == attr
                  and isinstance(target.value, ast.Name) and target.value.id == "self"]
        if len(values) != 1 or not isinstance(values[0], ast.Call):
            return None
        ctor = callee_name(values[0])
        if ctor.startswith("asyncio."):
            return None
    else:
        # The innermost function that binds it (a closure's name is its outer function's).
        scopes = [(lo, hi, src._nodes()) for lo, hi in src.enclosing_functions(line)]
        scopes.append((1, len(src.text.splitlines()), src.tree.body))  # module-level statements
        for lo, hi, nodes in scopes:
            for node in nodes:
                if not (lo <= getattr(node, "lineno", 0) <= hi):
                    continue
                for target, value in assignments(node, walk=False):
                    if isinstance(target, ast.Name) and target.id == recv and isinstance(value, ast.Call):
                        ctor, binding = callee_name(value), node
            if ctor is not None:
                break
        if ctor is None:
            return None
        # The statement that binds it carries a MANUAL finding (an asyncio.TaskGroup left as it
        # is, a re-exported `get_running_loop()`): the receiver is reported there.
        start = min([binding.lineno] + [d.lineno for d in getattr(binding, "decorator_list", [])])
        body = getattr(binding, "body", None)
        end = max(start, body[0].lineno - 1) if body else (binding.end_lineno or binding.lineno)
        manual = [x for x in tree.notes(src.path, (start, end)) if x[2] == "MANUAL"]
        if manual:
            return ("bound", manual[0])
        if ctor.startswith("asyncio."):
            return None
    if ctor.startswith("anyio.") or ctor == TASK_GROUP_HELPER:
        return ("anyio", ctor)
    bases = class_bases(tree, libs, ctor, here=src.path)
    if bases is None:
        return None
    derived = [(s, n) for s, n, b in bases if b.startswith("asyncio.")]
    if not derived:
        return ("project", ctor)
    for s, n in derived:
        start = min([n.lineno] + [d.lineno for d in n.decorator_list])
        header = (start, max(start, n.body[0].lineno - 1))
        manual = [x for x in tree.notes(s.path, header) if x[2] == "MANUAL"]
        if manual:
            return ("asyncio", manual[0])
    return None


def use_kind(text, column):
    """How an occurrence is spelt: `asyncio` (`asyncio.X`), `definition` (`def create_task(`:
    a method of the project's own, not a use), `method` (`obj.create_task(`, `loop.call_soon(`:
    the receiver may or may not be an asyncio object) or `name` (a name imported from asyncio)."""
    before = text[:column]
    if re.search(r"\bdef\s+$", before):
        return "definition"
    if text[column:].startswith("asyncio.") or before.endswith("asyncio."):
        return "asyncio"
    if before.endswith("."):
        return "method"
    return "name"


def account(ci, tree, libs, tests):
    """Classify every occurrence left in the migrated tree:
    `introduced` (on a line the migration wrote, absent from the original hunk: e.g.
    anyio's `tg.create_task`), `manual` (a MANUAL finding in the same statement), `unsafe`
    (an applied UNSAFE rewrite in the same statement), `manual-loop` (a method call on a loop
    whose asyncio-loop MANUAL finding names it, see `loop_finding`), `sync-sleep` (`time.sleep` outside any
    `async def`: not an asyncio idiom), `definition` (`def create_task(`), `annotation` (in a type
    annotation: no asyncio code runs there), `manual-class` (a method call on an object of a
    project class derived from an asyncio class whose header has a MANUAL finding),
    `project-method` (a method call on an object of a project class with no asyncio base: the
    project's own method, see `receiver_class`), `anyio-receiver` (a method call on an object
    anyio makes: `tg.create_task` in a group the migration rewrote, so not left) or
    `unaccounted`.
    Returns (occurrences before per idiom column, leftovers) with leftovers as dicts."""
    before = locate_idioms(ci, tree.pristine_root, libs, tests)
    after = locate_idioms(ci, tree.root, libs, tests)
    before_at = {}
    for path, line, _column, col in before:
        before_at.setdefault((path, col), set()).add(line)
    out = []
    for path, line, column, col in after:
        src = tree.source(path)
        text = src.text.splitlines()[line - 1] if line <= len(src.text.splitlines()) else ""
        entry = {"path": path, "line": line, "idiom": col, "code": text.strip(), "kind": use_kind(text, column)}
        if src.map.changed(line) and not (src.map.original([line]) & before_at.get((path, col), set())):
            entry["class"] = "introduced"
            out.append(entry)
            continue
        # `t = tg.create_task(...)` on a group the migration made (an UNSAFE rewrite of
        # `asyncio.create_task` in place): anyio's method, not an asyncio idiom left, whatever
        # the notes of its statement.
        owner = (receiver_class(tree, libs, src, line, column)
                 if entry["kind"] == "method" and path.endswith(".py") else None)
        if owner and owner[0] == "anyio":
            entry["class"] = "anyio-receiver"
            out.append(entry)
            continue
        rng = src.statement(line) if path.endswith(".py") else (line, line)
        notes = tree.notes(path, rng)
        manual = [n for n in notes if n[2] == "MANUAL"]
        unsafe = [n for n in notes if n[2] == "UNSAFE"]
        if manual:
            entry["class"], entry["by"] = "manual", manual[0]
        elif unsafe:
            entry["class"], entry["by"] = "unsafe", unsafe[0]
        elif path.endswith(".py") and loop_finding(tree, src, line):
            entry["class"], entry["by"] = "manual-loop", loop_finding(tree, src, line)
        elif col == "time.sleep" and is_sync_time_sleep(src, line):
            entry["class"] = "sync-sleep"
        elif entry["kind"] == "definition":
            entry["class"] = "definition"
        elif path.endswith(".py") and in_annotation(src, line, column):
            entry["class"] = "annotation"
        elif entry["kind"] == "method" and owner:
            if owner[0] == "bound":
                entry["class"], entry["by"] = "manual", owner[1]
            elif owner[0] == "asyncio":
                entry["class"], entry["by"] = "manual-class", owner[1]
            else:
                entry["class"], entry["by"] = "project-method", owner[1]
        else:
            entry["class"] = "unaccounted"
            lines = src.map.original(range(rng[0], rng[1] + 1))
            entry["safe"] = tree.report.safe_in(path, lines)
        out.append(entry)
    return collections.Counter(col for _path, _line, _column, col in before), out
