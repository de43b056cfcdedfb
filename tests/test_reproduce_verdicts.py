"""Verdict functions of claims C1–C7 on synthetic results tables.

For every claim: data shaped like its studies' tables that supports it gives "holds", data that
contradicts it gives "not supported", and too little data gives "inconclusive". The tables are
built from seeded random draws around simple laws (exponential decay, constant, success
patterns), with the columns the studies write.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ebp.reproduce import CLAIMS, HOLDS, INCONCLUSIVE, NOT_SUPPORTED, judge_all
from ebp.reproduce._stats import binomial_rate, log2_slope, paired_mean, rate_difference
from ebp.reproduce._verdict import bound_check, combine, threshold_check

# --------------------------------------------------------------------------- builders


def cost_concentration(rng, decay=True, sizes=(1, 2, 3, 4, 5), samples=300, violate=False):
    rows = []
    for model in ("brickwork", "bounded_cut"):
        for n_h in sizes:
            var = 2.0 ** -(n_h + 1) if (model == "brickwork" and decay) else 0.2
            cost = rng.normal(0, np.sqrt(var), samples)
            for i, c in enumerate(cost):
                bound = abs(c) * (0.5 if violate and i == 0 else 1.0) + 0.05
                rows.append(
                    {
                        "model": model,
                        "objective": "local_pauli",
                        "n_visible": 1,
                        "n_hidden": n_h,
                        "instance": i,
                        "cost": c,
                        "cost_at_mixed": 0.0,
                        "deviation": abs(c),
                        "deviation_bound": bound,
                        "cost_var_haar": 2.0 ** -(n_h + 1),
                    }
                )
    return pd.DataFrame(rows)


def entanglement(rng, typical=True, samples=60, n=6):
    rows = []
    page = 2.45  # any value below the 3-bit maximum
    for model in ("haar", "brickwork"):
        mean = page if (typical or model == "haar") else 0.5 * page
        for s in rng.normal(mean, 0.05, samples):
            rows.append(
                {
                    "experiment": "profile",
                    "model": model,
                    "n_qubits": n,
                    "n_visible": n // 2,
                    "n_hidden": n - n // 2,
                    "entropy_bits": s,
                    "page_entropy": page,
                    "max_entropy_bits": 3.0,
                    "trace_distance": 0.05,
                    "pinsker_bound": 0.5,
                    "mean_trace_distance_bound": 0.2,
                }
            )
    for n_h in (1, 3, 5):
        bound = 0.5 * np.sqrt(2 / 2**n_h)
        for t in np.abs(rng.normal(0.6 * bound, 0.05 * bound, samples)):
            rows.append(
                {
                    "experiment": "histogram",
                    "model": "haar",
                    "n_qubits": 1 + n_h,
                    "n_visible": 1,
                    "n_hidden": n_h,
                    "entropy_bits": 0.99,
                    "page_entropy": 0.99,
                    "max_entropy_bits": 1.0,
                    "trace_distance": t,
                    "pinsker_bound": 2.5 * t + 0.01,
                    "mean_trace_distance_bound": bound,
                }
            )
    return pd.DataFrame(rows)


def gradient_scaling(rng, decay=True, sizes=(1, 2, 3, 4, 5)):
    rows = []
    for model in ("brickwork", "bounded_cut"):
        for n_h in sizes:
            theory = 0.1 * 2.0**-n_h
            var = (
                theory * rng.normal(1, 0.03)
                if (model == "brickwork" and decay)
                else 0.05 * rng.normal(1, 0.03)
            )
            for objective in ("local_pauli", "global_projector"):
                rows.append(
                    {
                        "experiment": "n_hidden",
                        "model": model,
                        "n_visible": 1,
                        "n_hidden": n_h,
                        "objective": objective,
                        "probe_var": var,
                        "probe_var_lo": 0.9 * var,
                        "probe_var_hi": 1.1 * var,
                        "probe_var_2design": theory,
                        "lipschitz_sampled": np.sqrt(var),
                        "inf_norm_var": np.nan,
                    }
                )
    for n_h in sizes:
        rows.append(
            {
                "experiment": "paper",
                "model": "pauli_network",
                "n_visible": 1,
                "n_hidden": n_h,
                "objective": "thermal_fidelity",
                "probe_var": np.nan,
                "probe_var_lo": np.nan,
                "probe_var_hi": np.nan,
                "probe_var_2design": np.nan,
                "lipschitz_sampled": np.nan,
                "inf_norm_var": 0.01 * 2.0**-n_h,
            }
        )
    return pd.DataFrame(rows)


def training_runs(success, seeds, sizes=(1, 2, 3, 4), extra=None):
    """``success(model, n_h, rep) -> bool``."""
    rows = []
    for model in ("brickwork", "bounded_cut"):
        for n_h in sizes:
            for rep in range(seeds):
                row = {
                    "kind": "run",
                    "model": model,
                    "n_hidden": n_h,
                    "repetition": rep,
                    "optimiser": "adam",
                    "mode": "shots",
                    "success": bool(success(model, n_h, rep)),
                }
                rows.append({**row, **(extra or {})})
    return pd.DataFrame(rows)


def gradient_free(rng, fraction, success, seeds, pairs=300, sizes=(1, 2, 4, 6)):
    """``fraction(model, n_h)``: share of resolvable pairs; ``success(model, n_h, rep)``."""
    rows = []
    for model in ("brickwork", "bounded_cut"):
        for n_h in sizes:
            resolvable = rng.random(pairs) < fraction(model, n_h)
            for i, r in enumerate(resolvable):
                rows.append(
                    {
                        "kind": "pair",
                        "model": model,
                        "n_hidden": n_h,
                        "pair": i,
                        "ratio": 2.0 if r else 0.5,
                    }
                )
            for rep in range(seeds):
                rows.append(
                    {
                        "kind": "run",
                        "model": model,
                        "n_hidden": n_h,
                        "repetition": rep,
                        "optimiser": "spsa",
                        "success": bool(success(model, n_h, rep)),
                    }
                )
    return pd.DataFrame(rows)


def qbm_tables(rng, flatten=True, sizes=(1, 2, 3, 4, 5, 6), instances=30):
    typ, term, coup = [], [], []
    for n_h in sizes:
        scale = 0.5 * np.sqrt(2 / 2**n_h)
        t_mean = 0.3 * scale if flatten else 0.1
        for i in range(instances):
            typ.append(
                {
                    "beta": 1.0,
                    "n_visible": 1,
                    "n_hidden": n_h,
                    "instance": i,
                    "curve": True,
                    "trace_distance": t_mean * rng.uniform(0.8, 1.2),
                    "typicality_scale": scale,
                    "grad_inf_norm": rng.uniform(0, scale),
                }
            )
        for model in ("paper", "ising"):
            for cls in ("visible", "coupling", "hidden"):
                rms = (
                    2.0 ** (-n_h / 2)
                    if (model == "paper" and cls != "visible" and flatten)
                    else 0.3
                )
                for i in range(10):
                    term.append(
                        {
                            "model": model,
                            "n_hidden": n_h,
                            "term_class": cls,
                            "instance": i,
                            "rms_gradient": rms * rng.uniform(0.8, 1.2),
                            "two_design_scale": 2.0 ** (-n_h / 2),
                        }
                    )
    for n_h in (1, 3, 5):
        for i in range(20):
            for g in (0.0, 1.0, 4.0):
                d = 0.3 if (g == 0 or not flatten) else 0.3 / (1 + 8 * g)
                coup.append(
                    {
                        "model": "random",
                        "n_hidden": n_h,
                        "coupling": g,
                        "instance": i,
                        "distance_to_mixed": d * rng.uniform(0.9, 1.1),
                    }
                )
    return {
        "qbm-typicality": pd.DataFrame(typ),
        "qbm-gradient-by-term": pd.DataFrame(term),
        "qbm-coupling": pd.DataFrame(coup),
    }


def pretraining_tables(rng, helps=True, seeds=6):
    budget = 5e5
    pre, qbm = [], []
    for rep in range(seeds):
        for strategy in ("random", "small-angle", "decoupled-start"):
            if strategy == "random" or not helps:
                ttt = budget * rng.uniform(0.6, 0.9) if strategy == "random" or not helps else None
            else:
                ttt = budget * rng.uniform(0.02, 0.1)
            pre.append(
                {
                    "kind": "run",
                    "strategy": strategy,
                    "n_hidden": 6,
                    "repetition": rep,
                    "time_to_target": ttt,
                    "cost": budget,
                    "loss": 0.04,
                }
            )
        base = rng.uniform(0.05, 0.1)
        for strategy in ("random", "visible-first"):
            loss = base if (strategy == "random" or not helps) else base / 20
            qbm.append(
                {
                    "kind": "run",
                    "family": "random",
                    "target": "quantum",
                    "strategy": strategy,
                    "n_hidden": 2,
                    "repetition": rep,
                    "loss": loss * rng.uniform(0.98, 1.02),
                }
            )
    return {"pretraining": pd.DataFrame(pre), "qbm-training": pd.DataFrame(qbm)}


# --------------------------------------------------------------------------- the three cases


def supportive(rng):
    return {
        "cost-concentration": cost_concentration(rng),
        "entanglement": entanglement(rng),
        "gradient-scaling": gradient_scaling(rng),
        "training-failure": training_runs(lambda m, h, r: m == "bounded_cut" or h <= 2, seeds=6),
        "gradient-free-failure": gradient_free(
            rng,
            lambda m, h: 0.8 if m == "bounded_cut" else 0.8 - 0.1 * h,
            lambda m, h, r: m == "bounded_cut",
            seeds=6,
        ),
        **qbm_tables(rng),
        **pretraining_tables(rng),
    }


def contradicting(rng):
    return {
        "cost-concentration": cost_concentration(rng, decay=False),
        "entanglement": entanglement(rng, typical=False),
        "gradient-scaling": gradient_scaling(rng, decay=False),
        # volume-law training succeeds at every size: no failure to see
        "training-failure": training_runs(lambda m, h, r: True, seeds=30),
        "gradient-free-failure": gradient_free(
            rng, lambda m, h: 0.8, lambda m, h, r: True, seeds=30, pairs=600
        ),
        **qbm_tables(rng, flatten=False),
        **pretraining_tables(rng, helps=False, seeds=30),
    }


def scarce(rng):
    return {
        "cost-concentration": cost_concentration(rng, sizes=(1, 2)),
        "entanglement": entanglement(rng, samples=5),
        "gradient-scaling": gradient_scaling(rng, sizes=(1, 2)),
        "training-failure": training_runs(lambda m, h, r: m == "bounded_cut" or h <= 2, seeds=1),
        "gradient-free-failure": gradient_free(
            rng,
            lambda m, h: 0.8 if m == "bounded_cut" else 0.8 - 0.1 * h,
            lambda m, h, r: m == "bounded_cut",
            seeds=1,
            pairs=8,
        ),
        **qbm_tables(rng, sizes=(1, 2)),
        **pretraining_tables(rng, seeds=1),
    }


CLAIM_IDS = list(CLAIMS)


@pytest.mark.parametrize("cid", CLAIM_IDS)
def test_supportive_data_holds(cid, rng):
    verdict = CLAIMS[cid].verdict(supportive(rng))
    assert verdict.status == HOLDS, verdict


@pytest.mark.parametrize("cid", CLAIM_IDS)
def test_contradicting_data_is_not_supported(cid, rng):
    verdict = CLAIMS[cid].verdict(contradicting(rng))
    assert verdict.status == NOT_SUPPORTED, verdict


@pytest.mark.parametrize("cid", CLAIM_IDS)
def test_too_little_data_is_inconclusive(cid, rng):
    verdict = CLAIMS[cid].verdict(scarce(rng))
    assert verdict.status == INCONCLUSIVE, verdict


@pytest.mark.parametrize("cid", CLAIM_IDS)
def test_missing_study_is_inconclusive(cid):
    verdict = CLAIMS[cid].verdict({})
    assert verdict.status == INCONCLUSIVE
    assert "no results from" in verdict.summary


def test_a_violated_bound_is_not_supported(rng):
    tables = supportive(rng)
    tables["cost-concentration"] = cost_concentration(rng, violate=True)
    verdict = CLAIMS["C1"].verdict(tables)
    assert verdict.status == NOT_SUPPORTED
    assert "cost within the entanglement bound" in verdict.summary


def test_area_law_control_that_decays_too_is_not_supported(rng):
    """If the control's gradients vanish as fast, the decay is not the entanglement's."""
    gs = gradient_scaling(rng)
    area = gs["model"] == "bounded_cut"
    gs.loc[area, ["probe_var", "probe_var_lo", "probe_var_hi"]] = gs.loc[
        area, ["probe_var_2design"]
    ].to_numpy() * [[1.0, 0.9, 1.1]]
    verdict = CLAIMS["C3"].verdict({"gradient-scaling": gs})
    assert verdict.status == NOT_SUPPORTED
    assert "bounded_cut" in verdict.summary


def test_a_table_without_a_needed_column_is_inconclusive(rng):
    tables = supportive(rng)
    tables["gradient-scaling"] = tables["gradient-scaling"].drop(columns=["probe_var"])
    verdict = CLAIMS["C3"].verdict(tables)
    assert verdict.status == INCONCLUSIVE
    assert "probe_var" in verdict.summary


def test_judge_all_covers_every_claim(rng):
    verdicts = judge_all(supportive(rng))
    assert list(verdicts) == [f"C{i}" for i in range(1, 8)]


# --------------------------------------------------------------------------- the statistics


def test_slope_interval_covers_the_true_slope(rng):
    x = np.arange(1, 8)
    y = 2.0 ** (-1.0 * x) * np.exp(rng.normal(0, 0.05, x.size))
    s = log2_slope(x, y, theory=2.0 ** (-1.0 * x))
    assert s.lo < -1.0 < s.hi
    assert s.theory == pytest.approx(-1.0)


def test_slope_needs_three_sizes():
    with pytest.raises(ValueError, match="at least 3 distinct x"):
        log2_slope([1, 2, 2], [1.0, 0.5, 0.5])


def test_wilson_interval_matches_closed_form():
    # Wilson (1927): centre (k + z²/2)/(n + z²), half-width z√(k(n−k)/n + z²/4)/(n + z²)
    k, n, z = 7, 20, 1.959963984540054
    centre = (k + z * z / 2) / (n + z * z)
    half = z * np.sqrt(k * (n - k) / n + z * z / 4) / (n + z * z)
    r = binomial_rate(k, n)
    assert (r.lo, r.hi) == pytest.approx((centre - half, centre + half), abs=1e-12)


def test_newcombe_difference_of_equal_rates_straddles_zero():
    d = rate_difference(binomial_rate(10, 20), binomial_rate(10, 20))
    assert d.mean == 0 and d.lo < 0 < d.hi
    # Newcombe (1998) Table II, example (a): 56/70 vs 48/80 → [0.0524, 0.3339]
    d = rate_difference(binomial_rate(56, 70), binomial_rate(48, 80))
    assert (d.lo, d.hi) == pytest.approx((0.0524, 0.3339), abs=5e-4)


def test_paired_mean_interval_contains_the_mean(rng):
    m = paired_mean(rng.normal(1.0, 0.1, 50))
    assert m.lo < m.mean < m.hi and m.lo > 0.9


def test_threshold_and_combination_rules():
    below = threshold_check("x", "", -2.0, -1.0, -0.5, "below")
    above = threshold_check("x", "", -0.4, 0.1, -0.5, "below")
    straddle = threshold_check("x", "", -0.6, -0.4, -0.5, "below")
    assert (below.status, above.status, straddle.status) == (HOLDS, NOT_SUPPORTED, INCONCLUSIVE)
    assert threshold_check("x", "", np.nan, 1.0, 0.0, "above").status == INCONCLUSIVE
    assert bound_check("b", 0, 0).status == INCONCLUSIVE
    kw = dict(holds="h", fails="f", unsure="u")
    assert combine([below, below], **kw).status == HOLDS
    assert combine([below, straddle], **kw).status == INCONCLUSIVE
    assert combine([straddle, above], **kw).status == NOT_SUPPORTED
    with pytest.raises(ValueError, match="side must be"):
        threshold_check("x", "", 0, 1, 0, "left")


# --------------------------------------------------------------------------- the plan


@pytest.mark.parametrize("mode", ["quick", "full"])
def test_every_claim_study_is_planned_with_a_valid_config(mode):
    from ebp.reproduce import STUDY_ORDER, plan_estimate, study_config

    needed = {s for claim in CLAIMS.values() for s in claim.studies}
    assert needed == set(STUDY_ORDER)
    for name in STUDY_ORDER:
        study_config(name, mode)  # validates
    estimates = plan_estimate(mode)
    assert all(e.tasks > 0 and e.seconds > 0 and e.peak_bytes > 0 for e in estimates.values())


def test_unknown_mode_is_refused():
    from ebp.reproduce import study_config

    with pytest.raises(ValueError, match="mode must be one of quick, full"):
        study_config("entanglement", "medium")
