"""Every message the services can answer a client with, found in the source (AST): the
texts given to a domain error (errors.py) or a ClientError (schema/arguments.py), and the
ValueErrors of our pydantic validators. An f-string becomes a template whose
placeholders are `{}`.

A message that is not a literal where it is raised is followed: a name to what the
function assigns it (or stores in it), else to the module's constant (or the one it
imports), a parameter to what callers pass, a call to what the function returns. What
cannot be followed is reported, so that a new way of building messages is noticed.

`uv run python -m tests.service_message_scan` lists the messages without a Polish text
(write the English text as its key, with named placeholders where the f-string has
values) and what it could not follow."""

import ast
import functools
import pathlib
from collections.abc import Iterator
from dataclasses import dataclass, field

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "src" / "odznaka_graph"
# Error class -> positional arguments that are messages (others: see `_message_args`).
ERRORS = dict.fromkeys(
    ["DomainError", "NotFound", "PermissionDenied", "Conflict", "RateLimited"], (0,)
) | {
    "Unauthenticated": (0,),
    "ValidationFailed": (0, 1),
    "ClientError": (0,),
    "UserInputError": (0,),
}
VALIDATORS = {"field_validator", "model_validator", "AfterValidator", "BeforeValidator"}
# Values that are no text (a reason, a flag, a number): not followed.
NOT_TEXT = (ast.Compare, ast.UnaryOp, ast.BinOp)
NUMERIC_CALLS = {"bool", "len", "int", "max", "min", "now"}
# Expressions that pass on messages made (and scanned) elsewhere.
PASSED_ON = {
    "error.message",
    "refused.message",
    "failed.fields",
    "error.fields",
    "input_messages.message(item, languages)",  # pydantic's errors: input_messages.py
    # PresentationRefused: a reason's own description (messages/pl_session8.REASONS has
    # every PresentationReason's; test_service_messages_scan checks it)
    "str(reason.value)",
    "reason.name",  # a reason's code (a JSON field beside the message), never its text
}
Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class Module:
    name: str
    path: pathlib.Path
    tree: ast.Module
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)
    functions: dict[str, list[Function]] = field(default_factory=dict)
    constants: dict[str, list[ast.expr]] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)  # name -> module it comes from
    calls: dict[str, list[ast.Call]] = field(default_factory=dict)  # by the called name

    def __post_init__(self) -> None:
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
            if isinstance(node, ast.Call):
                self.calls.setdefault(_name(node.func) or "", []).append(node)
            if isinstance(node, Function):
                self.functions.setdefault(node.name, []).append(node)
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    self.imports[alias.asname or alias.name] = node.module
        for statement in self.tree.body:
            for target, value in _assignments(statement):
                self.constants.setdefault(target, []).append(value)

    def enclosing(self, node: ast.AST) -> Function | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, Function):
                return node
        return None

    def enclosing_class(self, node: ast.AST) -> ast.ClassDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.ClassDef):
                return node
        return None


@dataclass
class Scan:
    messages: dict[str, set[str]] = field(default_factory=dict)  # template -> raised where
    unfollowed: set[str] = field(default_factory=set)


@dataclass
class Package:
    modules: dict[str, Module]
    bases: dict[str, set[str]]  # class name -> the names of its bases
    own_init: set[str]  # the classes that define __init__

    def calls(self, name: str) -> Iterator[tuple[Module, ast.Call]]:
        for module in self.modules.values():
            yield from ((module, call) for call in module.calls.get(name, []))

    def subclasses(self, roots: set[str]) -> set[str]:
        """`roots` and every class of ours deriving from one of them."""
        names, grew = set(roots), True
        while grew:
            size = len(names)
            names |= {name for name, bases in self.bases.items() if bases & names}
            grew = len(names) > size
        return names


@functools.cache
def scan() -> Scan:
    found = {
        "odznaka_graph." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts): p
        for p in sorted(PACKAGE.rglob("*.py"))
    }
    modules = {name: Module(name, p, ast.parse(p.read_text())) for name, p in found.items()}
    classes = [n for m in modules.values() for n in ast.walk(m.tree) if isinstance(n, ast.ClassDef)]
    bases = {node.name: {_name(base) or "" for base in node.bases} for node in classes}
    own_init = {
        node.name
        for node in classes
        if any(isinstance(f, Function) and f.name == "__init__" for f in node.body)
    }
    package = Package(modules, bases, own_init)
    subclasses = package.subclasses(set(ERRORS)) - set(ERRORS)
    result = Scan()
    for module in modules.values():
        for default in _default_messages(module):
            where = f"{module.path.relative_to(PACKAGE)}:{default.lineno}"
            result.messages.setdefault(default.value, set()).add(where)
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call):
                where = f"{module.path.relative_to(PACKAGE)}:{node.lineno}"
                follow = Follower(module, package, result, where)
                for arg in _message_args(module, node, subclasses, own_init):
                    follow.expr(arg, 0)
    return result


def _default_messages(module: Module) -> Iterator[ast.Constant]:
    """The default `message` of an error class's __init__ (errors.py)."""
    for node in ast.walk(module.tree):
        if isinstance(node, Function) and node.name == "__init__":
            owner = module.enclosing_class(node)
            if owner is None or owner.name not in ERRORS:
                continue
            arguments = node.args
            positional = arguments.args[len(arguments.args) - len(arguments.defaults) :]
            pairs = [
                *zip(positional, arguments.defaults, strict=True),
                *zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True),
            ]
            for argument, default in pairs:
                if argument.arg == "message" and isinstance(default, ast.Constant):
                    yield default


def _message_args(
    module: Module, call: ast.Call, subclasses: set[str], own_init: set[str]
) -> Iterator[ast.expr]:
    """The arguments of a call that are messages: to an error class (or a subclass that
    keeps its base's __init__), to a subclass's `super().__init__`, to a validator's
    ValueError."""
    called = _name(call.func)
    if called in ERRORS or (called in subclasses and called not in own_init):
        yield from (a for i, a in enumerate(call.args) if i in ERRORS.get(called or "", (0,)))
        yield from (k.value for k in call.keywords if k.arg in {"message", "fields"})
    elif called == "__init__" and _is_super(call.func):
        owner = module.enclosing_class(call)
        if owner is not None and owner.name in subclasses:
            yield from call.args[:1]
    elif called == "ValueError" and _in_validator(module, call):
        yield from call.args[:1]


def _is_super(func: ast.expr) -> bool:
    value = getattr(func, "value", None)
    return isinstance(value, ast.Call) and _name(value.func) == "super"


def _in_validator(module: Module, node: ast.AST) -> bool:
    """Inside a pydantic validator, model_post_init, or a function of the module that one
    of them calls or names."""
    function = module.enclosing(node)
    if function is None:
        return False
    if function.name == "model_post_init" or any(
        _name(d.func if isinstance(d, ast.Call) else d) in VALIDATORS
        for d in function.decorator_list
    ):
        return True
    for validator in VALIDATORS:
        for other in module.calls.get(validator, []):
            if any(_name(arg) == function.name for arg in other.args):
                return True
    return any(
        module.enclosing(other) not in (None, function) and _in_validator(module, other)
        for other in module.calls.get(function.name, [])
    )


@dataclass
class Follower:
    module: Module
    package: Package
    result: Scan
    where: str

    def expr(self, node: ast.expr | None, depth: int) -> None:
        if node is None or depth > 8 or ast.unparse(node) in PASSED_ON:
            return
        deeper = depth + 1
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str) and " " in node.value:
                self.result.messages.setdefault(node.value, set()).add(self.where)
        elif isinstance(node, ast.JoinedStr):
            self.result.messages.setdefault(template(node), set()).add(self.where)
            for part in node.values:  # an error's own text put into the message
                if isinstance(part, ast.FormattedValue) and self.caught(part.value):
                    self.expr(part.value, deeper)
        elif isinstance(node, ast.Dict | ast.DictComp):
            values = node.values if isinstance(node, ast.Dict) else [node.value]
            for value in values:
                self.expr(value, deeper)
        elif isinstance(node, ast.IfExp):
            self.expr(node.body, deeper)
            self.expr(node.orelse, deeper)
        elif isinstance(node, ast.BoolOp | ast.Tuple | ast.List):
            for value in node.values if isinstance(node, ast.BoolOp) else node.elts:
                self.expr(value, deeper)
        elif isinstance(node, ast.Subscript | ast.Await | ast.Starred):
            self.expr(node.value, deeper)
        elif self.caught(node):
            self.raised(node, deeper)
        elif isinstance(node, ast.Name):
            self.name(node, deeper)
        elif isinstance(node, ast.Call) and _name(node.func) not in NUMERIC_CALLS:
            self.returned(self.module, node, deeper)
        elif not self.no_text(node):
            self.result.unfollowed.add(f"{self.where}: {ast.unparse(node)}")

    def no_text(self, node: ast.expr) -> bool:
        text = ast.unparse(node)
        return (
            isinstance(node, NOT_TEXT)
            or text in PASSED_ON
            or (isinstance(node, ast.Call) and _name(node.func) in NUMERIC_CALLS)
            or (isinstance(node, ast.Attribute) and "Reason." in text)
        )

    def caught(self, node: ast.expr) -> ast.ExceptHandler | None:
        """The handler that caught the exception `node` (`error` or `str(error)`) names."""
        if isinstance(node, ast.Call) and _name(node.func) == "str" and len(node.args) == 1:
            node = node.args[0]
        if not isinstance(node, ast.Name):
            return None
        parent = self.module.parents.get(node)
        while parent is not None and not isinstance(parent, Function):
            if isinstance(parent, ast.ExceptHandler) and parent.name == node.id:
                return parent
            parent = self.module.parents.get(parent)
        return None

    def raised(self, node: ast.expr, depth: int) -> None:
        """The texts the caught exception class (or a subclass) is raised with."""
        handler = self.caught(node)
        assert handler is not None and handler.type is not None
        for kind in self.package.subclasses({_name(handler.type) or ""}):
            for module, call in self.package.calls(kind):
                if call.args:
                    Follower(module, self.package, self.result, self.where).expr(
                        call.args[0], depth
                    )

    def name(self, node: ast.Name, depth: int) -> None:
        """A local variable (what is assigned or stored in it), a parameter (what callers
        pass), else a constant of the module or of the module it is imported from."""
        function, module = self.module.enclosing(node), self.module
        values = [(module, v) for v in _local_values(function, node.id)] if function else []
        if function and node.id in _parameters(function):
            values += list(self.passed(function, node.id))
        if not values and module.imports.get(node.id) in self.package.modules:
            module = self.package.modules[module.imports[node.id]]
        values = values or [(module, v) for v in module.constants.get(node.id, [])]
        if not values:
            self.result.unfollowed.add(f"{self.where}: {node.id}")
        for where, value in values:
            Follower(where, self.package, self.result, self.where).expr(value, depth)

    def returned(self, module: Module, call: ast.Call, depth: int) -> None:
        """What the called function of ours returns (defined in the module or imported)."""
        name = _name(call.func) or ""
        if name not in module.functions and module.imports.get(name) in self.package.modules:
            module = self.package.modules[module.imports[name]]
        functions = module.functions.get(name, [])
        if not functions:
            self.result.unfollowed.add(f"{self.where}: {ast.unparse(call)}")
        follow = Follower(module, self.package, self.result, self.where)
        for function in functions:
            for node in ast.walk(function):
                if isinstance(node, ast.Return) and module.enclosing(node) is function:
                    follow.expr(node.value, depth)

    def passed(self, function: Function, name: str) -> Iterator[tuple[Module, ast.expr]]:
        """What the callers of `function` pass as its parameter `name`."""
        positional = [a.arg for a in function.args.args]
        position = positional.index(name) if name in positional else None
        method = bool(positional) and positional[0] in {"self", "cls"}
        for module, call in self.package.calls(function.name):
            yield from ((module, k.value) for k in call.keywords if k.arg == name)
            index = -1 if position is None else position - (1 if method else 0)
            if 0 <= index < len(call.args):
                yield module, call.args[index]


def template(node: ast.JoinedStr) -> str:
    parts = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            parts.append(str(value.value).replace("{", "{{").replace("}", "}}"))
        else:
            parts.append("{}")
    return "".join(parts)


def _assignments(node: ast.AST) -> Iterator[tuple[str, ast.expr]]:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            yield from _targets(target, node.value)
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        yield from _targets(node.target, node.value)


def _targets(target: ast.expr, value: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    if isinstance(target, ast.Name):
        yield target.id, value
    elif isinstance(target, ast.Tuple):
        paired = isinstance(value, ast.Tuple) and len(value.elts) == len(target.elts)
        for index, element in enumerate(target.elts):  # unpacked from something else:
            part = value.elts[index] if paired else value  # any part may be the message
            yield from _targets(element, part)  # type: ignore[attr-defined]


def _local_values(function: Function, name: str) -> Iterator[ast.expr]:
    """What `name` is assigned in `function`, stored under a key of it
    (`name[key] = value`), put into it (`update`, `setdefault`, `append`), or looped over."""
    for node in ast.walk(function):
        if isinstance(node, ast.Assign | ast.AnnAssign):
            yield from (value for target, value in _assignments(node) if target == name)
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Subscript) and _name(target.value) == name:
                    yield node.value  # type: ignore[misc]
        elif isinstance(node, ast.For | ast.comprehension) and _bound(node.target, name):
            yield node.iter
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if _name(node.func.value) == name and node.func.attr in {
                "update",
                "setdefault",
                "append",
            }:
                yield from node.args[-1:]


def _bound(target: ast.expr, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(target))


def _parameters(function: Function) -> set[str]:
    arguments = function.args
    return {a.arg for a in [*arguments.args, *arguments.kwonlyargs, *arguments.posonlyargs]}


def _name(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def missing_polish() -> dict[str, str]:
    """Each message found without a Polish text, and one place it is raised."""
    from odznaka_graph.services.messages import CATALOGUES, Template

    def shape(english: str) -> str:  # a catalogue key as the scan writes it
        pieces = Template.of(english).pieces
        return "{}".join(p.replace("{", "{{").replace("}", "}}") for p in pieces)

    known = {shape(english) for english in CATALOGUES["pl"].messages}
    found = scan().messages
    return {text: sorted(found[text])[0] for text in sorted(found) if text not in known}


if __name__ == "__main__":
    for text, where in missing_polish().items():
        print(f"{where}: {text!r}")
    for line in sorted(scan().unfollowed):
        print(f"not followed: {line}")
