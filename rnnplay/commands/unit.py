"""``rnnplay unit``: one recurrent unit over T steps and how much of its start it still feels, one slide a setting.

NumPy only (``runtime.one_unit``); the REPL's ``:unit`` parses the same options through ``parse_unit_options``.
"""

from __future__ import annotations

import json
from typing import Any, Optional

import typer

from rnnplay.commands.common import command_options, user_errors
from rnnplay.errors import UsageError


def parse_x(value: str) -> tuple[float, ...]:
    """``1,0,0.5`` → (1.0, 0.0, 0.5); the steps after the last value read 0."""
    parts = [part.strip() for part in value.split(",")] if value.strip() else []
    try:
        numbers = tuple(float(part) for part in parts)
    except ValueError:
        raise UsageError(f"--x takes numbers separated by commas (x(1),x(2),…), not {value[:40]!r}") from None
    return numbers


def unit_settings(cell: str, w: float, u: float, b: float, steps: int, x: str, h0: float, c0: float, forget: Optional[float],
                  forget_bias: float, forget_u: float, input_gate: float, output_gate: float) -> Any:
    """The options as ``UnitSettings``, refused in one usage line when they cannot run."""
    from rnnplay.runtime.one_unit import UnitSettings, check

    settings = UnitSettings(cell=cell, w=w, u=u, b=b, steps=steps, x=parse_x(x), h0=h0, c0=c0, forget=forget,
                            forget_bias=forget_bias, forget_u=forget_u, input_gate=input_gate, output_gate=output_gate)
    try:
        check(settings)
    except ValueError as error:
        raise UsageError(str(error)) from None
    return settings


@user_errors
def unit(
    w: float = typer.Option(0.9, "--w", help="The recurrent weight: how much of h(t−1) the unit keeps."),
    steps: int = typer.Option(50, "--steps", "-T", help="How many steps T (1 to 1,000)."),
    u: float = typer.Option(1.0, "--u", help="The input weight."),
    b: float = typer.Option(0.0, "--b", help="The bias."),
    x: str = typer.Option("1", "--x", help="The input x(1),x(2),… separated by commas; the later steps read 0 (default: one impulse)."),
    cell: str = typer.Option("tanh", "--cell", help="tanh (a SimpleRNN unit), linear (no squashing), or lstm (one LSTM unit)."),
    forget: Optional[float] = typer.Option(None, "--forget", help="LSTM: a constant forget gate f from 0 to 1 (default: σ(forget-u·x + forget-bias))."),
    forget_bias: float = typer.Option(1.0, "--forget-bias", help="LSTM: the forget gate's bias when --forget is not given (Keras adds 1)."),
    forget_u: float = typer.Option(0.0, "--forget-u", help="LSTM: the forget gate's input weight when --forget is not given."),
    input_gate: float = typer.Option(1.0, "--input-gate", help="LSTM: the input gate i, a constant from 0 to 1."),
    output_gate: float = typer.Option(1.0, "--output-gate", help="LSTM: the output gate o, a constant from 0 to 1."),
    h0: float = typer.Option(0.0, "--h0", help="The starting state h(0)."),
    c0: float = typer.Option(0.0, "--c0", help="LSTM: the starting cell c(0)."),
    json_output: bool = typer.Option(False, "--json", help="One JSON object: every state, step factor and the product."),
) -> None:
    """One unit over T steps: h over the steps, ∂h(T)/∂h(0) = Π w·tanh′ (or Π f for an LSTM's cell), and what it means.

    rnnplay unit --w 0.9 --steps 50; rnnplay unit --cell linear --w 1.1; rnnplay unit --cell lstm --forget 0.95 --w 0
    """
    from rnnplay.runtime.one_unit import run
    from rnnplay.unit_view import unit_json, unit_view

    settings = unit_settings(cell, w, u, b, steps, x, h0, c0, forget, forget_bias, forget_u, input_gate, output_gate)
    result = run(settings)
    if json_output:
        typer.echo(json.dumps(unit_json(result), allow_nan=False))
        return
    from rnnplay.commands.words import show

    show(unit_view(result))


def parse_unit_options(argv: list[str]) -> tuple[Any, bool]:
    """The REPL's ``:unit …``: the CLI's own parser on ``argv``, giving the settings and whether --json was asked.

    Click raises its usage errors (unknown option, a word where a number goes); the caller words them.
    """
    params = command_options(unit, "unit", argv)
    json_output = bool(params.pop("json_output"))
    return unit_settings(params["cell"], params["w"], params["u"], params["b"], params["steps"], params["x"], params["h0"],
                         params["c0"], params["forget"], params["forget_bias"], params["forget_u"], params["input_gate"],
                         params["output_gate"]), json_output


def add_unit_command(app: typer.Typer) -> None:
    app.command()(unit)
