#!/usr/bin/env python3
"""Golden values for every forward op of dev.replica.kernels.KernelBackend, in float64.

Written from the op contracts (KernelBackend's Javadoc and SEEDS.md section 1), not from the Java code, with
plain Python (no numpy), so that the kernels are checked against an independent implementation. Inputs are
multiples of 1/8, exact in float32, made by the same formula as GoldenInputs.java. Run once; the output is
committed next to this script:

    python3 forward_golden.py > forward-golden.txt

Each output line is `case value value ...` with values printed by repr (shortest round-trip float64).
"""
import math


def inputs(n, seed):
    """The test inputs: ((7i + 13·seed) mod 23 − 11) / 8, exact in float32 (GoldenInputs.values)."""
    return [((7 * i + 13 * seed) % 23 - 11) / 8.0 for i in range(n)]


OUT = []


def emit(name, values):
    OUT.append(name + " " + " ".join(repr(float(v)) for v in values))


def gemm(c, a, b, M, N, K, ta, tb, alpha, beta):
    r = []
    for i in range(M):
        for j in range(N):
            s = 0.0
            for k in range(K):
                av = a[k * M + i] if ta else a[i * K + k]
                bv = b[j * K + k] if tb else b[k * N + j]
                s += av * bv
            r.append(alpha * s + beta * c[i * N + j])
    return r


def matmul(inp, w, bias, BT, C, OC):
    return [(bias[o] if bias else 0.0) + sum(inp[p * C + c] * w[o * C + c] for c in range(C))
            for p in range(BT) for o in range(OC)]


def softmax_row(row):
    m = max(row)
    e = [math.exp(x - m) for x in row]
    s = sum(e)
    return [x / s for x in e]


def log_softmax_row(row):
    m = max(row)
    lse = m + math.log(sum(math.exp(x - m) for x in row))
    return [x - lse for x in row]


def rows(x, width):
    return [x[i:i + width] for i in range(0, len(x), width)]


def flat(rs):
    return [v for r in rs for v in r]


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def gelu(x):
    return 0.5 * x * (1.0 + math.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def transpose(x, r, c):
    return [x[i * c + j] for j in range(c) for i in range(r)]


def ns5(g, m, n):
    a, b, c = 3.4445, -4.7750, 2.0315
    tall = m > n
    x = transpose(g, m, n) if tall else list(g)
    r, cc = (n, m) if tall else (m, n)
    norm = math.sqrt(sum(v * v for v in x))
    x = [v / (norm + 1e-7) for v in x]
    for _ in range(5):
        A = gemm([0.0] * (r * r), x, x, r, r, cc, False, True, 1.0, 0.0)
        AA = gemm([0.0] * (r * r), A, A, r, r, r, False, False, 1.0, 0.0)
        Bm = [b * A[i] + c * AA[i] for i in range(r * r)]
        BX = gemm([0.0] * (r * cc), Bm, x, r, cc, r, False, False, 1.0, 0.0)
        x = [a * x[i] + BX[i] for i in range(r * cc)]
    return transpose(x, r, cc) if tall else x


def scale(kind, m, n):
    return math.sqrt(max(1.0, m / n)) if kind == "spectral" else 0.2 * math.sqrt(max(m, n))


# --- matrix multiplication -------------------------------------------------------------------------------
M, N, K = 2, 3, 4
a, b, c0 = inputs(M * K, 1), inputs(K * N, 2), inputs(M * N, 3)
for ta in (False, True):
    for tb in (False, True):
        emit("gemm.%s%s" % ("T" if ta else "N", "T" if tb else "N"), gemm(c0, a, b, M, N, K, ta, tb, 1.5, 0.5))
B, T, C, OC = 1, 2, 3, 4
inp, w, bias = inputs(B * T * C, 4), inputs(OC * C, 5), inputs(OC, 6)
emit("matmul.bias", matmul(inp, w, bias, B * T, C, OC))
emit("matmul.nobias", matmul(inp, w, None, B * T, C, OC))

# --- softmax, log-softmax, cross-entropy -----------------------------------------------------------------
V = 5
logits = inputs(2 * V, 7)
emit("softmax", flat(softmax_row(r) for r in rows(logits, V)))
emit("logsoftmax", flat(log_softmax_row(r) for r in rows(logits, V)))
probs = [0.25, 0.5, 0.125, 0.125, 0.0625, 0.0625, 0.75, 0.125]
targets = [1, 3]
emit("crossentropy", [-math.log(probs[p * 4 + targets[p]]) for p in range(2)])

# --- normalization ---------------------------------------------------------------------------------------
C = 4
x, gain, shift = inputs(2 * C, 8), inputs(C, 9), inputs(C, 10)
ln_out, ln_mean, ln_rstd, rms_out, rms_rstd = [], [], [], [], []
for r in rows(x, C):
    mu = sum(r) / C
    var = sum((v - mu) ** 2 for v in r) / C
    rs = 1.0 / math.sqrt(var + 1e-5)
    ln_out += [(v - mu) * rs * gain[i] + shift[i] for i, v in enumerate(r)]
    ln_mean.append(mu)
    ln_rstd.append(rs)
    rr = 1.0 / math.sqrt(sum(v * v for v in r) / C + 1e-5)
    rms_out += [v * rr * gain[i] for i, v in enumerate(r)]
    rms_rstd.append(rr)
emit("layernorm.out", ln_out)
emit("layernorm.mean", ln_mean)
emit("layernorm.rstd", ln_rstd)
emit("rmsnorm.out", rms_out)
emit("rmsnorm.rstd", rms_rstd)

# --- activations -----------------------------------------------------------------------------------------
x, up = inputs(8, 11), inputs(8, 12)
emit("gelu", [gelu(v) for v in x])
emit("silu", [v * sigmoid(v) for v in x])
emit("swiglu", [v * sigmoid(v) * u for v, u in zip(x, up)])

# --- attention and embeddings ----------------------------------------------------------------------------
B, T, C, NH = 1, 3, 4, 2
hs = C // NH
qkv = inputs(B * T * 3 * C, 13)
out = [0.0] * (B * T * C)
preatt = [0.0] * (B * NH * T * T)
att = [0.0] * (B * NH * T * T)
for h in range(NH):
    for t in range(T):
        q = qkv[t * 3 * C + h * hs: t * 3 * C + h * hs + hs]
        scores = []
        for t2 in range(t + 1):
            k = qkv[t2 * 3 * C + C + h * hs: t2 * 3 * C + C + h * hs + hs]
            scores.append(sum(qi * ki for qi, ki in zip(q, k)) / math.sqrt(hs))
        weights = softmax_row(scores)
        for t2 in range(t + 1):
            preatt[(h * T + t) * T + t2] = scores[t2]
            att[(h * T + t) * T + t2] = weights[t2]
            for i in range(hs):
                out[t * C + h * hs + i] += weights[t2] * qkv[t2 * 3 * C + 2 * C + h * hs + i]
emit("attention.out", out)
emit("attention.preatt", preatt)
emit("attention.att", att)
wte = inputs(4 * 3, 14)
tokens = [2, 0, 2, 3]
emit("embedding", flat(wte[tok * 3: tok * 3 + 3] for tok in tokens))

# --- sparsity: hand-made rows with ties in |value| (the lower column wins) -------------------------------
topk_in = [0.5, -2.0, 2.0, 1.0, -0.25, 0.0, -1.0, 1.0, 1.0, -0.5]
mask = []
for r in rows(topk_in, 5):
    order = sorted(range(5), key=lambda j: (-abs(r[j]), j))[:2]
    mask += [1.0 if j in order else 0.0 for j in range(5)]
emit("topk.out", [v * mk for v, mk in zip(topk_in, mask)])
emit("topk.mask", mask)

# --- orthogonalization, statistics, reductions -----------------------------------------------------------
emit("ns5.tall", ns5(inputs(3 * 2, 15), 3, 2))
emit("ns5.wide", ns5(inputs(2 * 3, 16), 2, 3))
x = inputs(3 * 4, 17)
norms = [math.sqrt(sum(v * v for v in r)) for r in rows(x, 4)]
mean_norm = sum(norms) / 3
emit("rownorms", norms)
emit("rownormcv", [math.sqrt(sum((v - mean_norm) ** 2 for v in norms) / 3) / mean_norm])
emit("reductions", [sum(x), max(x), sum(x) / len(x)])

# --- optimizer steps: two steps from zero state, with the fixed gradients of steps 1 and 2 ---------------
N = 6
params, m, v = inputs(N, 18), [0.0] * N, [0.0] * N
lr, b1, b2, eps, wd = 0.01, 0.9, 0.95, 1e-8, 0.1
for t, g in ((1, inputs(N, 19)), (2, inputs(N, 20))):
    upd = []
    for i in range(N):
        m[i] = b1 * m[i] + (1 - b1) * g[i]
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
        u = (m[i] / (1 - b1 ** t)) / (math.sqrt(v[i] / (1 - b2 ** t)) + eps)
        upd.append(u)
        params[i] = params[i] * (1 - lr * wd) - lr * u
emit("adamw.params", params)
emit("adamw.m", m)
emit("adamw.v", v)
emit("adamw.update", upd)

mm, nn = 3, 2
for kind in ("spectral", "rms"):
    for norm_muon in (False, True):
        W, Mo, sv = inputs(mm * nn, 21), [0.0] * (mm * nn), [0.0] * mm
        lr, beta, beta2, eps, wd = 0.02, 0.95, 0.95, 1e-10, 0.01
        for g in (inputs(mm * nn, 22), inputs(mm * nn, 23)):
            Mo = [beta * Mo[i] + (1 - beta) * g[i] for i in range(mm * nn)]
            U = [(1 - beta) * g[i] + beta * Mo[i] for i in range(mm * nn)]  # Nesterov
            O = ns5(U, mm, nn)
            if norm_muon:
                n0 = math.sqrt(sum(o * o for o in O))
                for r in range(mm):
                    sv[r] = beta2 * sv[r] + (1 - beta2) * sum(O[r * nn + j] ** 2 for j in range(nn)) / nn
                    for j in range(nn):
                        O[r * nn + j] /= math.sqrt(sv[r]) + eps
                n1 = math.sqrt(sum(o * o for o in O))
                O = [o * n0 / (n1 + eps) for o in O]
            s = scale(kind, mm, nn)
            W = [W[i] * (1 - lr * wd) - lr * s * O[i] for i in range(mm * nn)]
        name = ("normuon." if norm_muon else "muon.") + kind
        emit(name + ".params", W)
        emit(name + ".momentum", Mo)
        emit(name + ".update", [s * o for o in O])
        if norm_muon:
            emit(name + ".v", sv)

print("\n".join(OUT))
