"""The one exception type for bad input: the CLI prints it as one line and exits 2."""


class InputError(Exception):
    """Input the gate cannot work with (malformed HCL, unknown environment, missing module, ...)."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        hint = f" - {self.hint}" if self.hint else ""
        return f"{where}{self.message}{hint}"


def run_reporting_input_errors(run, too_deep: str = "the input nests too deeply to evaluate") -> int:
    """Run a command; an InputError (or runaway nesting) becomes one line on stderr and exit 2, never a traceback."""
    import sys
    try:
        return run()
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RecursionError:
        print(f"error: {too_deep}", file=sys.stderr)
        return 2
