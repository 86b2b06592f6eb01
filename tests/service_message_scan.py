"""Every message the services can answer a client with, found in the source (AST): the
texts given to a domain error (errors.py) or a ClientError (schema/arguments.py), and the
ValueErrors of our pydantic validators. An f-string becomes a template whose
placeholders are `{}`.

A message that is not a literal where it is raised is followed: a name to what the
function assigns it (or stores in it), else to the module's constant (or the one it
imports), a parameter to what callers pass, a call to what the function returns. What
cannot be followed is reported, so that a new way of building messages is noticed.

`uv run python -m tests.service_message_scan` lists the messages without a Polish text."""

import ast
import pathlib
from collections.abc import Iterator
from dataclasses import dataclass, field

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "src" / "odznaka_graph"
# Error class -> positional arguments that are messages (others: see `_message_args`).
ERRORS = {
    "DomainError": (0,),
    "NotFound": (0,),
    "PermissionDenied": (0,),
    "Conflict": (0,),
    "RateLimited": (0,),
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

    def __post_init__(self) -> None:
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
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


def scan() -> Scan:
    found = {
        "odznaka_graph." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts): p
        for p in sorted(PACKAGE.rglob("*.py"))
    }
    modules = {name: Module(name, p, ast.parse(p.read_text())) for name, p in found.items()}
    subclasses = _subclasses(list(modules.values()))
    result = Scan()
    for module in modules.values():
        for default in _default_messages(module):
            where = f"{module.path.relative_to(PACKAGE)}:{default.lineno}"
            result.messages.setdefault(default.value, set()).add(where)
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call):
                where = f"{module.path.relative_to(PACKAGE)}:{node.lineno}"
                follow = Follower(module, modules, result, where)
                for arg in _message_args(module, node, subclasses):
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


def _subclasses(modules: list[Module]) -> set[str]:
    """Our error classes that make their own message (`super().__init__(message, ...)`)."""
    names, grew = set(ERRORS), True
    while grew:
        grew = False
        for module in modules:
            for node in ast.walk(module.tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    if any(_name(base) in names for base in node.bases):
                        names.add(node.name)
                        grew = True
    return names - set(ERRORS)


def _message_args(module: Module, call: ast.Call, subclasses: set[str]) -> Iterator[ast.expr]:
    called = _name(call.func)
    if called in ERRORS:
        yield from (a for i, a in enumerate(call.args) if i in ERRORS[called])
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
    for other in ast.walk(module.tree):
        if isinstance(other, ast.Call) and _name(other.func) in VALIDATORS:
            if any(_name(arg) == function.name for arg in other.args):
                return True
        if isinstance(other, ast.Call) and _name(other.func) == function.name:
            if module.enclosing(other) not in (None, function):
                if _in_validator(module, other):
                    return True
    return False


@dataclass
class Follower:
    module: Module
    modules: dict[str, Module]
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
        kinds = {_name(handler.type)}
        for module in self.modules.values():
            for other in ast.walk(module.tree):
                if isinstance(other, ast.ClassDef) and kinds & {_name(b) for b in other.bases}:
                    kinds.add(other.name)
        for module in self.modules.values():
            follow = Follower(module, self.modules, self.result, self.where)
            for call in ast.walk(module.tree):
                if isinstance(call, ast.Call) and _name(call.func) in kinds and call.args:
                    follow.expr(call.args[0], depth)

    def name(self, node: ast.Name, depth: int) -> None:
        """A local variable (what is assigned or stored in it), a parameter (what callers
        pass), else a constant of the module or of the module it is imported from."""
        function = self.module.enclosing(node)
        values = list(_local_values(function, node.id)) if function else []
        if function and node.id in _parameters(function):
            values += list(self.passed(function, node.id))
        module = self.module
        if not values and node.id in module.imports and module.imports[node.id] in self.modules:
            module = self.modules[module.imports[node.id]]
        values = values or module.constants.get(node.id, [])
        if not values:
            self.result.unfollowed.add(f"{self.where}: {node.id}")
        for value in values:
            Follower(module, self.modules, self.result, self.where).expr(value, depth)

    def returned(self, module: Module, call: ast.Call, depth: int) -> None:
        """What the called function of ours returns (defined in the module or imported)."""
        name = _name(call.func) or ""
        if name not in module.functions and module.imports.get(name) in self.modules:
            module = self.modules[module.imports[name]]
        functions = module.functions.get(name, [])
        if not functions:
            self.result.unfollowed.add(f"{self.where}: {ast.unparse(call)}")
        follow = Follower(module, self.modules, self.result, self.where)
        for function in functions:
            for node in ast.walk(function):
                if isinstance(node, ast.Return) and module.enclosing(node) is function:
                    follow.expr(node.value, depth)

    def passed(self, function: Function, name: str) -> Iterator[ast.expr]:
        positional = [a.arg for a in function.args.args]
        position = positional.index(name) if name in positional else None
        method = bool(positional) and positional[0] in {"self", "cls"}
        for module in self.modules.values():
            for call in ast.walk(module.tree):
                if not isinstance(call, ast.Call) or _name(call.func) != function.name:
                    continue
                yield from (k.value for k in call.keywords if k.arg == name)
                if position is not None:
                    index = position - (1 if method else 0)
                    if 0 <= index < len(call.args):
                        yield call.args[index]


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


if __name__ == "__main__":
    found = scan()
    for text, sites in sorted(found.messages.items()):
        print(repr(text), sorted(sites)[0])
    print("UNFOLLOWED")
    for line in sorted(found.unfollowed):
        print(line)
