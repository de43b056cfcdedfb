"""ebp.qbm: Gibbs states, visible marginals, exact gradients, builders, losses and bounds.

Independent truths: a dense reference Hamiltonian built here from Kronecker products, scipy's
``expm`` of −β(H − E₀), softmax of a diagonal spectrum, the ground-space projector at large β,
central finite differences of the cost, and partial traces written out with einsum.
"""

from __future__ import annotations

import math
from functools import reduce

import numpy as np
import pytest
import scipy.linalg
import scipy.special

from ebp import qbm
from ebp.landscape import (
    Evaluation,
    fidelity,
    kl_divergence,
    negative_log_likelihood,
    relative_entropy,
    two_local_hamiltonian,
)

_P = {
    "I": np.eye(2),
    "X": np.array([[0, 1], [1, 0]]),
    "Y": np.array([[0, -1j], [1j, 0]]),
    "Z": np.diag([1.0, -1.0]),
}


def _dense(model: qbm.QBM, theta) -> np.ndarray:
    """Reference H = Σ s_k θ_k P_k from Kronecker products (first letter = most significant)."""
    return sum(
        s * t * reduce(np.kron, [_P[c] for c in term]).astype(complex)
        for s, t, term in zip(model.scales, theta, model.terms)
    )


def _expm_gibbs(h: np.ndarray, beta: float) -> np.ndarray:
    e0 = np.linalg.eigvalsh(h)[0]
    r = scipy.linalg.expm(-beta * (h - e0 * np.eye(len(h))))
    return r / np.trace(r).real


def _ptrace(rho: np.ndarray, n_v: int, keep: str) -> np.ndarray:
    d_v = 2**n_v
    d_h = rho.shape[0] // d_v
    r = rho.reshape(d_v, d_h, d_v, d_h)
    return np.einsum("ahbh->ab", r) if keep == "visible" else np.einsum("ahag->hg", r)


def _entropy(rho: np.ndarray) -> float:
    w = np.linalg.eigvalsh(rho)
    w = w[w > 1e-15]
    return float(-np.sum(w * np.log2(w)))


def _random_density(d, rng):
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    rho = a @ a.conj().T
    return rho / np.trace(rho).real


def _models(rng):
    """(id, model, θ) for a spread of families and sizes (≤ 5 qubits)."""
    out = [
        ("paper-1+2", *qbm.paper_qbm(1, 2, seed=11, beta=3.0)),
        ("k_local-2+2-g0.5", *qbm.random_k_local(2, 2, seed=5, coupling=0.5, beta=1.5)),
        ("k3-1+2", *qbm.random_k_local(1, 2, seed=6, k=3, beta=0.7)),
    ]
    for name, m in [
        ("restricted-2+2", qbm.restricted(2, 2, fields="XYZ", beta=2.0)),
        ("semi-2+1", qbm.semi_restricted(2, 1, couplings=("ZZ", "XX"), beta=1.0)),
        ("tfim-2+3", qbm.transverse_field_ising(2, 3, longitudinal=True, beta=1.0)),
        ("visible-3", qbm.fully_visible(3, fields="XYZ", beta=1.2)),
    ]:
        out.append((name, m, rng.normal(size=m.n_params)))
    return out


def _central_difference(model, theta, objective, h=1e-5):
    eye = np.eye(model.n_params)
    plus = model.value_and_gradient(theta + h * eye, objective).cost
    minus = model.value_and_gradient(theta - h * eye, objective).cost
    return (plus - minus) / (2 * h)


# ------------------------------------------------------------------------- Gibbs states
def test_gibbs_matches_expm_and_reference_hamiltonian(rng):
    for name, model, theta in _models(rng):
        h = model.hamiltonian(theta)
        assert np.allclose(h, _dense(model, theta), atol=1e-13), name
        rho = model.gibbs_state(theta)
        assert np.max(np.abs(rho - _expm_gibbs(h, model.beta))) < 1e-10, name
        sigma = model.rho_visible(theta)
        assert np.max(np.abs(sigma - _ptrace(rho, model.n_visible, "visible"))) < 1e-12, name
        assert qbm.gibbs_state(model, theta) == pytest.approx(rho, abs=1e-15)
        assert qbm.visible_marginal(model, theta) == pytest.approx(sigma, abs=1e-15)


@pytest.mark.slow
def test_paper_qbm_is_the_normalised_two_local_hamiltonian():
    for n_v, n_h, seed in [(1, 2, 0), (2, 3, 7), (1, 10, 3)]:
        model, theta = qbm.paper_qbm(n_v, n_h, seed=seed)
        h = model.hamiltonian(theta)
        n = n_v + n_h
        assert model.n_params == 3 * n + 9 * n * (n - 1) // 2
        if n <= 6:
            assert np.max(np.abs(h - two_local_hamiltonian(n, seed=seed))) < 1e-12
        w = np.linalg.eigvalsh(h)
        assert max(abs(w[0]), abs(w[-1])) == pytest.approx(1.0, abs=1e-10)


def test_diagonal_model_at_huge_beta_matches_softmax():
    """β‖H‖ = 10⁴: the naive e^{−βE} overflows; the shifted Gibbs state equals softmax(−βE)."""
    model = qbm.QBM(2, 2, ("ZIII", "IZII", "IIZI", "IIIZ", "ZZII", "IZZI", "IIZZ", "ZIIZ"))
    theta = np.array([0.3, -0.7, 0.2, 0.5, -1.1, 0.4, 0.9, -0.6])
    energies = np.real(np.diag(model.hamiltonian(theta)))
    beta = 1e4 / np.max(np.abs(energies))
    with np.errstate(over="ignore"):
        assert not np.all(np.isfinite(np.exp(-beta * energies)))
    rho = model.with_beta(beta).gibbs_state(theta)
    assert np.all(np.isfinite(rho))
    assert np.allclose(np.diag(rho).real, scipy.special.softmax(-beta * energies), atol=1e-14)
    assert np.max(np.abs(rho - np.diag(np.diag(rho)))) < 1e-14


def test_huge_beta_gives_the_ground_state_projector():
    model, theta = qbm.paper_qbm(1, 3, seed=3)
    h = _dense(model, theta)
    e, u = np.linalg.eigh(h)
    gap = e[1] - e[0]
    assert gap > 0.05
    beta = 1e4  # ‖H‖ = 1, so β‖H‖ = 10⁴ and e^{−β·gap} underflows to 0
    hot = model.with_beta(beta)
    rho = hot.gibbs_state(theta)
    ground = np.outer(u[:, 0], u[:, 0].conj())
    assert np.max(np.abs(rho - ground)) < 1e-12
    assert np.max(np.abs(rho - _expm_gibbs(h, beta))) < 1e-10
    ev = hot.value_and_gradient(theta, relative_entropy(np.diag([0.8, 0.2])))
    assert np.all(np.isfinite(ev.gradient)) and np.isfinite(ev.cost)


def test_degenerate_ground_space_at_huge_beta():
    """H = −(Z₀Z₁ + Z₁Z₂) has a two-fold ground space; ρ → its projector / 2."""
    model = qbm.QBM(1, 2, ("ZZI", "IZZ"), beta=1e4)
    rho = model.gibbs_state(np.array([-1.0, -1.0]))
    expected = np.zeros((8, 8))
    expected[0, 0] = expected[7, 7] = 0.5  # |000⟩ and |111⟩
    assert np.max(np.abs(rho - expected)) < 1e-14


def test_decoupled_marginal_is_the_visible_gibbs_state(rng):
    """Without V–H terms (g = 0), σ_V is the Gibbs state of the visible terms alone."""
    coupled, theta = qbm.random_k_local(2, 3, seed=2, beta=1.7)
    decoupled = coupled.with_coupling(0.0)
    visible_idx = [k for k, c in enumerate(coupled.term_classes) if c == "visible"]
    alone = qbm.QBM(2, 0, tuple(coupled.terms[k][:2] for k in visible_idx), beta=1.7)
    sigma = decoupled.rho_visible(theta)
    assert np.max(np.abs(sigma - alone.gibbs_state(theta[visible_idx]))) < 1e-12
    assert decoupled.diagnostics(theta)["mutual_information"] == pytest.approx(0.0, abs=1e-10)
    assert coupled.diagnostics(theta)["mutual_information"] > 1e-3
    # with g = 0 the V–H parameters have exactly no effect
    ev = decoupled.value_and_gradient(theta, relative_entropy(_random_density(4, rng)))
    coupling = np.array([c == "coupling" for c in coupled.term_classes])
    assert np.all(ev.gradient[coupling] == 0.0)


def test_coupling_scales_only_the_vh_terms():
    model, theta = qbm.random_k_local(1, 2, seed=4)
    classes = np.array(model.term_classes)
    parts = {c: model.hamiltonian(np.where(classes == c, theta, 0.0)) for c in qbm.TERM_CLASSES}
    h_g = model.with_coupling(2.5).hamiltonian(theta)
    assert np.allclose(
        h_g, parts["visible"] + parts["hidden"] + 2.5 * parts["coupling"], atol=1e-13
    )


def test_beta_zero_is_maximally_mixed(rng):
    model, theta = qbm.random_k_local(2, 2, seed=1, beta=0.0)
    rho = model.gibbs_state(theta * 100)
    assert np.array_equal(rho, np.eye(16) / 16)
    assert np.array_equal(model.rho_visible(theta), np.eye(4) / 4)
    ev = model.value_and_gradient(theta, relative_entropy(_random_density(4, rng)))
    assert np.all(ev.gradient == 0.0)


# ------------------------------------------------------------------------- gradients
@pytest.mark.slow
def test_gradients_match_finite_differences(rng):
    for name, model, theta in _models(rng):
        d_v = 2**model.n_visible
        q = rng.dirichlet(np.ones(d_v))
        objectives = [
            relative_entropy(_random_density(d_v, rng)),
            kl_divergence(q),
            negative_log_likelihood(q),
            fidelity(_random_density(d_v, rng)),
        ]
        for obj in objectives:
            ev = model.value_and_gradient(theta, obj)
            fd = _central_difference(model, theta, obj)
            scale = np.max(np.abs(fd))
            assert scale > 1e-6, (name, obj.name)
            assert np.max(np.abs(ev.gradient - fd)) < 1e-6 * scale, (name, obj.name)


@pytest.mark.slow
def test_gradients_match_scipy_expm_frechet(rng):
    """Independent chain rule: ∂ρ from scipy's Fréchet derivative of expm, then Tr(G ∂σ_V)."""
    for name, model, theta in _models(rng):
        obj = relative_entropy(_random_density(2**model.n_visible, rng))
        h = _dense(model, theta)
        a = -model.beta * (h - np.linalg.eigvalsh(h)[0] * np.eye(len(h)))
        expa = scipy.linalg.expm(a)
        z = np.trace(expa).real
        sigma = _ptrace(expa / z, model.n_visible, "visible")
        g = np.asarray(obj.value_and_derivative(sigma)[1])
        ref = []
        for s, term in zip(model.scales, model.terms):
            p = reduce(np.kron, [_P[c] for c in term]).astype(complex)
            _, d = scipy.linalg.expm_frechet(a, -model.beta * s * p)
            d_sigma = _ptrace((d - expa * np.trace(d).real / z) / z, model.n_visible, "visible")
            ref.append(np.trace(g @ d_sigma).real)
        grad = model.value_and_gradient(theta, obj).gradient
        assert np.max(np.abs(grad - ref)) < 1e-9 * np.max(np.abs(ref)), name


@pytest.mark.parametrize(
    "case", ["zero-hamiltonian", "some-zero", "uniform-ising", "repeated-eigenvalues"]
)
def test_gradients_at_exactly_degenerate_spectra(case, rng):
    if case == "zero-hamiltonian":  # H = 0: all 2ⁿ eigenvalues equal
        model = qbm.restricted(1, 2, fields="XYZ", couplings=("XX", "ZZ", "YZ"), beta=1.3)
        theta = np.zeros(model.n_params)
    elif case == "some-zero":  # a few terms only: large degenerate eigenspaces
        model, theta = qbm.random_k_local(2, 2, seed=8, beta=2.0)  # H = H₀₁ ⊗ I: 4-fold
        theta = np.where([t[2:] == "II" for t in model.terms], 0.3 * theta, 0.0)
    elif case == "uniform-ising":  # translation- and reflection-symmetric chain
        model = qbm.transverse_field_ising(2, 2, periodic=True, beta=1.5)
        theta = np.ones(model.n_params)
    else:  # H = Z⊗I⊗I + I⊗Z⊗I: eigenvalues ±2 once, 0 twice, each with multiplicity 2
        model = qbm.QBM(1, 2, ("ZII", "IZI", "IIZ", "XXI", "IYY"), beta=0.9)
        theta = np.array([1.0, 1.0, 0.0, 0.0, 0.0])
    e = np.linalg.eigvalsh(model.hamiltonian(theta))
    assert np.any(np.abs(np.diff(e)) < 1e-12), "the spectrum must be degenerate"
    for obj in [
        relative_entropy(_random_density(2**model.n_visible, rng)),
        kl_divergence(rng.dirichlet(np.ones(2**model.n_visible))),
    ]:
        ev = model.value_and_gradient(theta, obj)
        fd = _central_difference(model, theta, obj)
        assert np.max(np.abs(ev.gradient - fd)) < 1e-6 * np.max(np.abs(fd)), case


def test_gradient_at_low_temperature():
    model, theta = qbm.paper_qbm(1, 2, seed=4, beta=40.0)
    obj = relative_entropy(np.diag([0.7, 0.3]))
    ev = model.value_and_gradient(theta, obj)
    fd = _central_difference(model, theta, obj, h=1e-6)
    assert np.max(np.abs(ev.gradient - fd)) < 1e-5 * np.max(np.abs(fd))


def test_batched_evaluation_matches_one_by_one(rng):
    model, theta = qbm.random_k_local(1, 2, seed=3)
    params = theta + 0.3 * rng.normal(size=(2, 3, model.n_params))
    obj = relative_entropy(np.diag([0.6, 0.4]))
    ev = model.value_and_gradient(params, obj)
    assert isinstance(ev, Evaluation)
    assert ev.cost.shape == (2, 3) and ev.gradient.shape == (2, 3, model.n_params)
    assert ev.rho_visible.shape == (2, 3, 2, 2)
    one = model.value_and_gradient(params[1, 2], obj)
    assert one.cost.shape == () and one.gradient.shape == (model.n_params,)
    assert ev.cost[1, 2] == pytest.approx(float(one.cost), abs=1e-13)
    assert np.allclose(ev.gradient[1, 2], one.gradient, atol=1e-12)
    assert model.gibbs_state(params).shape == (2, 3, 8, 8)
    # a Pauli string on V is read as a linear objective Tr(Z σ_V)
    lin = model.value_and_gradient(theta, "Z0")
    assert float(lin.cost) == pytest.approx(np.trace(_P["Z"] @ lin.rho_visible).real, abs=1e-13)


def test_several_temperatures_from_one_eigendecomposition(rng):
    model, theta = qbm.random_k_local(1, 2, seed=12)
    obj = relative_entropy(np.diag([0.7, 0.3]))
    params = theta + 0.2 * rng.normal(size=(3, model.n_params))
    results = qbm.evaluate_temperatures(model, params, obj, [0.5, 3.0])
    assert len(results) == 2
    for beta, (ev, diag) in zip([0.5, 3.0], results):
        ref = model.with_beta(beta).value_and_gradient(params, obj)
        assert np.allclose(ev.gradient, ref.gradient, atol=1e-12)
        assert np.allclose(ev.cost, ref.cost, atol=1e-13)
        one = model.with_beta(beta).diagnostics(params[1])
        assert {k: float(v[1]) for k, v in diag.items()} == pytest.approx(one, abs=1e-12)
    with pytest.raises(ValueError, match="beta"):
        qbm.evaluate_temperatures(model, theta, obj, [1.0, -2.0])


@pytest.mark.slow
def test_gradients_obey_the_covariance_bound(rng):
    for name, model, theta in _models(rng):
        obj = relative_entropy(_random_density(2**model.n_visible, rng))
        grad = model.value_and_gradient(theta, obj).gradient
        bound = qbm.covariance_gradient_bound(model, theta, obj)
        assert bound.shape == grad.shape
        assert np.all(np.abs(grad) <= bound + 1e-12), name


# ------------------------------------------------------------------------- losses, bounds
def test_kl_and_nll_values(rng):
    sigma = _random_density(4, rng)
    q = np.array([0.5, 0.25, 0.25, 0.0])
    p = np.diag(sigma).real
    kl = float(kl_divergence(q).value(sigma))
    assert kl == pytest.approx(np.sum(q[:3] * np.log2(q[:3] / p[:3])), abs=1e-12)
    nll = float(negative_log_likelihood(q).value(sigma))
    assert nll == pytest.approx(kl + 1.5, abs=1e-12)  # + H(q) = 1.5 bits
    # quantum relative entropy of diag(q) is at least the classical KL
    assert float(relative_entropy(np.diag(q)).value(sigma)) >= kl - 1e-12
    assert float(kl_divergence(q).value(np.diag(q))) == pytest.approx(0.0, abs=1e-12)


def test_golden_thompson_bound_is_an_upper_bound_with_its_own_gradient(rng):
    model = qbm.semi_restricted(2, 2, fields="XZ", beta=1.3)
    theta = rng.normal(size=model.n_params)
    q = rng.dirichlet(np.ones(4))
    gt = qbm.golden_thompson_bound(model, theta, q)
    nll = float(model.value_and_gradient(theta, negative_log_likelihood(q)).cost)
    assert float(gt.cost) >= nll - 1e-12
    h = 1e-5
    eye = np.eye(model.n_params)
    fd = np.array(
        [
            (
                float(qbm.golden_thompson_bound(model, theta + h * e, q).cost)
                - float(qbm.golden_thompson_bound(model, theta - h * e, q).cost)
            )
            / (2 * h)
            for e in eye
        ]
    )
    assert np.max(np.abs(gt.gradient - fd)) < 1e-6 * np.max(np.abs(fd))
    # terms with X on a visible qubit have no clamped part: the bound only pushes ⟨P_k⟩ to 0
    x_on_v = np.array([("X" in t[:2]) for t in model.terms])
    rho = _expm_gibbs(_dense(model, theta), 1.3)
    expect = np.array(
        [np.trace(rho @ reduce(np.kron, [_P[c] for c in t])).real for t in model.terms]
    )
    assert np.allclose(gt.gradient[x_on_v], -1.3 * expect[x_on_v] / math.log(2), atol=1e-12)
    # a classical model (only Z terms) makes the bound tight
    classical = qbm.QBM(1, 1, ("ZI", "IZ", "ZZ"), beta=1.0)
    th = np.array([0.3, -0.2, 0.8])
    tight = float(qbm.golden_thompson_bound(classical, th, [0.4, 0.6]).cost)
    exact = float(classical.value_and_gradient(th, negative_log_likelihood([0.4, 0.6])).cost)
    assert tight == pytest.approx(exact, abs=1e-12)


def test_two_design_scale_and_term_classes():
    assert qbm.term_class("ZIX", 1) == "coupling"
    assert qbm.term_class("ZXI", 2) == "visible"
    assert qbm.term_class("IIX", 1) == "hidden"
    assert qbm.hidden_trace_ratio("ZII", 1) == 2.0  # d_H/d_V = 4/2
    assert qbm.hidden_trace_ratio("ZXI", 1) == 0.0
    assert qbm.two_design_gradient_scale("ZI", 1) == pytest.approx(math.sqrt(2.0))
    assert qbm.two_design_gradient_scale("ZIIII", 1) == pytest.approx(math.sqrt(1 + 2 / 16))
    assert qbm.two_design_gradient_scale("IIIIX", 1) == pytest.approx(math.sqrt(2 / 16))
    tfim = qbm.transverse_field_ising(2, 3)
    assert tfim.term_classes.count("coupling") == 1
    assert qbm.transverse_field_ising(2, 3, periodic=True).term_classes.count("coupling") == 2
    r = qbm.restricted(2, 3, couplings=("ZZ", "XX"))
    assert r.term_classes.count("coupling") == 2 * 3 * 2
    assert r.term_classes.count("visible") == 2 * 2
    sr = qbm.semi_restricted(3, 2)
    assert sum(1 for t in sr.terms if t[3:] == "II" and t.count("Z") == 2) == 3


# ------------------------------------------------------------------------- diagnostics
def test_diagnostics_match_direct_computation():
    model, theta = qbm.random_k_local(2, 2, seed=9, beta=2.0)
    rho = _expm_gibbs(_dense(model, theta), 2.0)
    sv, sh = _ptrace(rho, 2, "visible"), _ptrace(rho, 2, "hidden")
    diag = model.diagnostics(theta)
    assert set(diag) >= {"distance_to_mixed", "mutual_information"}
    assert all(isinstance(v, float) for v in diag.values())
    assert diag["mutual_information"] == pytest.approx(
        _entropy(sv) + _entropy(sh) - _entropy(rho), abs=1e-9
    )
    assert diag["distance_to_mixed"] == pytest.approx(
        np.sum(np.abs(np.linalg.eigvalsh(sv - np.eye(4) / 4))), abs=1e-12
    )
    visible_only = qbm.fully_visible(2)
    assert visible_only.diagnostics(np.ones(visible_only.n_params))["mutual_information"] == 0.0


def test_model_protocol_for_the_trainer():
    from ebp.train._model import Model, as_model

    model = qbm.paper_qbm(1, 2, seed=0)[0]
    assert as_model(model) is model
    assert isinstance(model, Model)
    p = model.random_parameters(np.random.default_rng(5))
    assert p.shape == (model.n_params,)
    assert np.array_equal(p, model.random_parameters(np.random.default_rng(5)))
    assert model.rho_visible(p).shape == (2, 2)


# ------------------------------------------------------------------------- errors
def test_errors_say_what_is_wrong():
    with pytest.raises(ValueError, match="beta .* must be finite and >= 0; got -1.0"):
        qbm.QBM(1, 1, ("ZZ",), beta=-1.0)
    with pytest.raises(ValueError, match="finite"):
        qbm.QBM(1, 1, ("ZZ",), beta=math.inf)
    with pytest.raises(ValueError, match=r"unknown Pauli letter\(s\) 'Q'; allowed: I, X, Y, Z"):
        qbm.QBM(1, 1, ("ZQ",))
    with pytest.raises(
        ValueError,
        match="has length 3; every term needs one Pauli letter per "
        r"qubit \(2 = n_visible \+ n_hidden\)",
    ):
        qbm.QBM(1, 1, ("ZZZ",))
    with pytest.raises(ValueError, match="is the identity"):
        qbm.QBM(1, 1, ("II",))
    with pytest.raises(TypeError, match="tuple of Pauli strings"):
        qbm.QBM(1, 1, "ZZ")
    with pytest.raises(ValueError, match="n_visible must be >= 1; got 0"):
        qbm.QBM(0, 2, ("ZZ",))
    model = qbm.QBM(1, 1, ("ZI", "XX"))
    with pytest.raises(
        ValueError,
        match=r"expected parameters of shape \(\.\.\., 2\) .* got "
        r"shape \(3,\)",
    ):
        model.rho_visible(np.zeros(3))
    with pytest.raises(ValueError, match="NaN or infinity"):
        model.value_and_gradient(np.array([0.1, np.nan]), "Z0")
    with pytest.raises(ValueError, match="NaN or infinity"):
        model.gibbs_state(np.array([np.inf, 0.0]))
    with pytest.raises(ValueError, match="empty batch"):
        model.rho_visible(np.zeros((0, 2)))
    with pytest.raises(TypeError, match="must be real numbers"):
        model.rho_visible(np.array([0.1, 1j]))
    with pytest.raises(ValueError, match="initial_state must be None"):
        model.rho_visible(np.zeros(2), initial_state=np.ones(4))
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        model.random_parameters(0)
    with pytest.raises(ValueError, match=r"one parameter vector of shape \(2,\)"):
        model.diagnostics(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="scales must have one entry per term"):
        qbm.QBM(1, 1, ("ZI", "XX"), scales=(1.0,))
    with pytest.raises(ValueError, match="objective 'relative_entropy' acts on 2 visible"):
        model.value_and_gradient(np.zeros(2), relative_entropy(np.eye(4) / 4))
    with pytest.raises(ValueError, match="sum to 1"):
        kl_divergence([0.5, 0.6])
    with pytest.raises(ValueError, match="k must be in 1..3"):
        qbm.k_local(1, 2, k=4)
    with pytest.raises(ValueError, match="each coupling must be a pair"):
        qbm.restricted(1, 1, couplings=("ZZZ",))


def test_too_many_qubits_is_refused_with_the_sizes():
    with pytest.raises(
        ValueError,
        match=r"a QBM on 14 qubits is evaluated with dense "
        r"16384 x 16384 complex matrices: about 42.9 GB .* above "
        r"the limit of 8.59 GB; use at most 12 qubits",
    ):
        qbm.k_local(1, 13, k=1)
    assert qbm.memory_estimate(12) < qbm.MEMORY_LIMIT_BYTES
    qbm.k_local(1, 11, k=1)  # 12 qubits in total are allowed


def test_twelve_qubit_hamiltonian():
    model = qbm.transverse_field_ising(1, 11, beta=1.0)
    theta = np.random.default_rng(0).normal(size=model.n_params)
    h = model.hamiltonian(theta)
    assert h.shape == (4096, 4096)
    assert np.allclose(np.diag(h).real[:2], [np.sum(theta[:11]), np.sum(theta[:10]) - theta[10]])


@pytest.mark.slow
def test_twelve_qubit_gradient_is_finite():
    """A 12-qubit model end to end (one 4096 × 4096 eigendecomposition: minutes on two cores)."""
    model, theta = qbm.paper_qbm(1, 11, seed=0)
    ev, diag = model.evaluate(theta, relative_entropy(np.diag([0.9, 0.1])))
    assert np.all(np.isfinite(ev.gradient)) and ev.gradient.shape == (model.n_params,)
    assert diag["mutual_information"] >= 0 and 0 < diag["distance_to_mixed"] < 0.1


def test_public_api_is_documented():
    for name in qbm.__all__:
        obj = getattr(qbm, name)
        assert obj is not None
        if callable(obj):
            assert obj.__doc__ and obj.__doc__.strip(), name
