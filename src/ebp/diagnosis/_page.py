"""A diagnosis as a report page (:mod:`ebp.report`): verdict, evidence tables and figures."""

from __future__ import annotations

import io
from typing import Literal

import numpy as np

from .._format import plus_minus
from ..report import (
    THEORY_COLOR,
    Badge,
    Figure,
    KeyValues,
    Page,
    Paragraph,
    Section,
    Table,
    new_figure,
    style,
)
from ._diagnose import ZERO_VARIANCE
from ._result import Diagnosis
from ._rules import RULES

__all__ = ["TONES", "diagnosis_page", "fmt"]

TONES: dict[str, Literal["good", "warn", "bad"]] = {
    "trainable": "good",
    "at risk": "warn",
    "barren": "bad",
}
"""Badge colour of each verdict."""


def fmt(x, digits: int = 3) -> str:
    """A number for a table: ``n/a`` for None, significant digits otherwise."""
    if x is None:
        return "n/a"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    return f"{x:.{digits}g}"


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    fig.clear()
    return buf.getvalue()


def _entropy_figure(d: Diagnosis) -> bytes:
    with style():
        fig, ax = new_figure(width=6.0, height=3.8)
        ax = ax[0, 0]
        layers = [p.gates for p in d.entropy]
        ax.errorbar(
            layers,
            [p.mean for p in d.entropy],
            yerr=[p.std for p in d.entropy],
            fmt="o-",
            label="mean S(ρ_V) ± s.d.",
        )
        ax.axhline(d.entropy[0].page, color=THEORY_COLOR, ls="--", label="Page's value")
        ax.axhline(d.entropy[0].maximum, color="0.5", ls=":", label="log₂ d_V")
        ax.set_xlabel("gates applied")
        ax.set_ylabel("S(ρ_V) [bits]")
        ax.set_ylim(bottom=0)
        ax.legend(loc="lower right")
        return _png(fig)


def _variance_figure(d: Diagnosis) -> bytes:
    e = d.evidence
    v = np.asarray(e.variance)
    k = np.arange(v.size)
    dead = np.zeros(v.size, dtype=bool)
    dead[list(d.dead_params)] = True
    flat = ~dead & (v < ZERO_VARIANCE)
    live = ~dead & ~flat
    floor = v[live].min() / 10 if live.any() else 1e-6
    with style():
        fig, ax = new_figure(width=6.0, height=3.8)
        ax = ax[0, 0]
        ax.semilogy(k[live], v[live], ".", label=f"Var[∂_k C], C = ⟨{e.observable}⟩")
        if e.two_design is not None:
            ax.axhline(
                e.two_design, color=THEORY_COLOR, ls="--", label="2-design value (gates on V)"
            )
        if flat.any():
            ax.semilogy(
                k[flat],
                np.full(flat.sum(), floor),
                "v",
                color="tab:orange",
                label=f"in the cone, Var < {ZERO_VARIANCE:g} (drawn here)",
            )
        if dead.any():
            ax.semilogy(
                k[dead],
                np.full(dead.sum(), floor),
                "x",
                color="0.6",
                label="dead: outside the light cone, exactly 0 (drawn here)",
            )
        ax.set_xlabel("parameter k")
        ax.set_ylabel("Var[∂_k C]")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize=8)
        return _png(fig)


def _scaling_figure(d: Diagnosis) -> bytes:
    s = d.scaling
    assert s is not None  # drawn only for a diagnosis with a scaling fit
    with style():
        fig, ax = new_figure(width=6.0, height=3.8)
        ax = ax[0, 0]
        ax.semilogy(s.n_hidden, s.variance, "o", label="measured")
        x = np.linspace(min(s.n_hidden), max(max(s.n_hidden), s.extrapolate_to), 50)
        ax.semilogy(
            x,
            2.0 ** (s.intercept + s.slope * x),
            "-",
            label=f"fit: slope {plus_minus(s.slope, s.slope_err)}",
        )
        if all(t is not None for t in s.two_design):
            ax.semilogy(s.n_hidden, s.two_design, "s--", color=THEORY_COLOR, label="2-design value")
        ax.set_xlabel("n_hidden")
        ax.set_ylabel(f"mean Var[∂C], C = ⟨{s.observable}⟩")
        ax.legend(fontsize=8)
        return _png(fig)


def evidence_rows(d: Diagnosis) -> list[tuple[str, str]]:
    """(quantity, value) rows shared by the terminal table and the page."""
    e, c, last = d.evidence, d.concentration, d.entropy[-1]
    rows = [
        (
            "circuit",
            (
                f"{d.n_visible} visible + {d.n_hidden} hidden qubits, {d.n_gates} gates, "
                f"{d.n_layers} layers, {d.n_params} parameters"
            ),
        ),
        (
            "visible light cone",
            (
                f"{d.cone_qubits} qubits, {d.cone_gates} gates; "
                f"{len(d.dead_params)} dead parameters (gradient exactly 0)"
            ),
        ),
        ("samples", f"{d.samples} ({d.distribution} angles, seed {d.seed})"),
        (
            "S(rho_V), final",
            (
                f"{last.mean:.3f} ± {last.std:.3f} bits; Page {last.page:.3f}; "
                f"log2 d_V = {last.maximum:g}; "
                f"S/Page = {fmt(d.page_fraction)}"
            ),
        ),
        (
            "||rho_V - I/d_V||_1",
            (
                f"mean {c.mean_trace_norm:.3g} [{c.trace_norm_ci[0]:.3g}, "
                f"{c.trace_norm_ci[1]:.3g}], max {c.max_trace_norm:.3g} "
                f"(Haar rms {c.haar_trace_norm:.3g}; pure rho_V "
                f"{2 * (1 - 2.0**-d.n_visible):.3g})"
            ),
        ),
        (
            f"Var[dC], C = <{e.observable}>",
            (
                f"{e.mean_variance:.3g} [{e.mean_variance_ci[0]:.3g}, "
                f"{e.mean_variance_ci[1]:.3g}] (mean over parameters of "
                f"gates on V); 2-design {fmt(e.two_design)}; "
                f"ratio {fmt(e.haar_ratio)}"
            ),
        ),
        ("Lipschitz (empirical)", f"{e.lipschitz:.3g}"),
        (
            "shots per gradient component",
            (f"{fmt(e.shots)} (N = 2 r^2 ||O||^2 / Var[dC], r = 1/2)"),
        ),
    ]
    if d.scaling is not None:
        s = d.scaling
        rows.append(
            (
                "scaling with n_hidden",
                (
                    f"slope {plus_minus(s.slope, s.slope_err, least=3)} per qubit (2-design "
                    f"{fmt(s.theory_slope)}); at n_H = {s.extrapolate_to}: Var "
                    f"{s.extrapolated_variance:.3g}, shots {fmt(s.extrapolated_shots)}"
                ),
            )
        )
    return rows


def diagnosis_page(d: Diagnosis) -> Page:
    """The :class:`ebp.report.Page` of a diagnosis."""
    badge = Badge(d.verdict, TONES[d.verdict])
    header = [KeyValues((("verdict", badge), ("why", d.reason)))]
    e = d.evidence
    objectives = Table(
        (
            "observable O",
            "mean Var[dC]",
            "2-design",
            "ratio",
            "Lipschitz",
            "shots",
            "max |C - Tr O/d_V|",
            "Hölder bound",
        ),
        [
            (
                g.observable,
                fmt(g.mean_variance),
                fmt(g.two_design),
                fmt(g.haar_ratio),
                fmt(g.lipschitz),
                fmt(g.shots),
                fmt(g.max_deviation),
                fmt(b),
            )
            for g, b in zip(d.gradients, d.concentration.deviation_bounds)
        ],
        caption="Per objective C = Tr(O rho_V); the bound is ½(λmax − λmin)·mean‖ρ_V − I/d_V‖₁.",
    )
    entropy = Table(
        ("layers", "gates", "mean S(rho_V)", "s.d.", "Page", "log2 d_V"),
        [
            (
                str(p.layer),
                str(p.gates),
                f"{p.mean:.4f}",
                f"{p.std:.4f}",
                f"{p.page:.4f}",
                f"{p.maximum:g}",
            )
            for p in d.entropy
        ],
    )
    sections = [
        Section("Evidence", [Table(("quantity", "value"), evidence_rows(d))], badge=badge),
        Section(
            "Entanglement across V|H",
            [
                Figure(
                    png=_entropy_figure(d),
                    caption=(
                        "Mean S(ρ_V) after each measured layer (or every k gates), "
                        "against gates applied."
                    ),
                    alt="entanglement entropy against layers",
                ),
                entropy,
            ],
        ),
        Section(
            "Gradients",
            [
                Figure(
                    png=_variance_figure(d),
                    caption=f"Var[∂_k C] per parameter for C = ⟨{e.observable}⟩.",
                    alt="gradient variance per parameter",
                ),
                objectives,
            ],
        ),
    ]
    if d.scaling is not None:
        s = d.scaling
        sections.append(
            Section(
                "Scaling with n_hidden",
                [
                    Figure(
                        png=_scaling_figure(d),
                        caption="Mean Var[∂C] against n_hidden and the fit.",
                        alt="gradient variance against n_hidden",
                    ),
                    Table(
                        ("n_hidden", "mean Var[dC]", "2-design"),
                        [
                            (str(n), fmt(v), fmt(t))
                            for n, v, t in zip(s.n_hidden, s.variance, s.two_design)
                        ],
                    ),
                ],
            )
        )
    sections.append(
        Section(
            "Rule",
            [
                Table(
                    ("rule (first match wins)", "why"),
                    [(str(r), r.rationale) for r in RULES],
                ),
                Table(
                    ("reading", "value", "interval", "boundary", "side"),
                    [
                        (
                            r.name,
                            fmt(r.value),
                            f"[{fmt(r.low)}, {fmt(r.high)}]",
                            fmt(r.boundary),
                            r.side,
                        )
                        for r in d.readings
                    ],
                    caption="What the rule read: each quantity against its barren and trainable "
                    "reference values (docs/diagnose.md).",
                ),
            ],
        )
    )
    if d.remedies:
        sections.append(Section("Remedies", [Table(("what", "use"), list(d.remedies))]))
    else:
        sections.append(Section("Remedies", [Paragraph("None needed at this size.")]))
    return Page(
        f"Diagnosis{': ' + d.name if d.name else ''}",
        subtitle="Trainability on the visible light cone at random parameters (ebp).",
        header=header,
        sections=sections,
    )
