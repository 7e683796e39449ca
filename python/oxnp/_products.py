"""Products composed from the Rust `matmul`/`dot` kernels: tensordot, einsum and einsum_path,
kron, cross, vecdot/matvec/vecmat, cov, corrcoef, trapezoid.

Float results go through faer's GEMM (see crates/oxnp-kernels/src/matmul.rs), whose
summation order differs from OpenBLAS's: they agree with NumPy to rounding, not bit for bit.
Integer and bool results are exact (integers wrap as NumPy's do).

The einsum subscript parser and the contraction-order search of `einsum_path` are our own
implementation of NumPy's documented behaviour: its 'greedy' strategy (merge the pair that
removes the most elements first) and 'optimal' strategy (exhaustive search for the fewest
FLOPs), under the same memory limit and cost model, checked against NumPy's paths and
reports by tests/test_einsum_path.py.
"""

import itertools
import math
import operator
import warnings

from ._oxnp import (
    add, asanyarray, asarray, broadcast_shapes, broadcast_to, can_cast, concatenate, conjugate,
    dot, empty, matmul, moveaxis, multiply, negative, promote_types, result_type, sqrt,
    true_divide,
)
from ._manip import diagonal

__all__ = [
    "corrcoef", "cov", "cross", "einsum", "einsum_path", "kron", "matvec", "tensordot",
    "trapezoid", "vecdot", "vecmat",
]

einsum_symbols = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
einsum_symbols_set = set(einsum_symbols)


# --- einsum subscripts and contraction order (our implementation, see the module docstring) ---

def _label_of(item):
    """One sublist entry of the interleaved einsum form as subscript text."""
    if item is Ellipsis:
        return "..."
    try:
        number = operator.index(item)
    except TypeError:
        raise TypeError("For this input type lists must contain either int or Ellipsis") from None
    return einsum_symbols[number]


def _sublist_text(sublist):
    return "".join(_label_of(item) for item in sublist)


def _split_operands(args):
    """(subscript text, arrays) from either calling form of einsum / einsum_path."""
    if len(args) == 0:
        raise ValueError("No input operands")
    if isinstance(args[0], str):
        return args[0].replace(" ", ""), [asanyarray(a) for a in args[1:]]
    pairs, output = (args, None) if len(args) % 2 == 0 else (args[:-1], args[-1])
    arrays = [asanyarray(a) for a in pairs[0::2]]
    text = ",".join(_sublist_text(s) for s in pairs[1::2])
    if output is not None:
        text += "->" + _sublist_text(output)
    return text, arrays


def _check_symbols(text):
    for ch in text:
        if ch not in ".,->" and ch not in einsum_symbols_set:
            raise ValueError(f"Character {ch} is not a valid symbol.")
    if "-" in text or ">" in text:
        if text.count("-") != 1 or text.count(">") != 1 or text.count("->") != 1:
            raise ValueError("Subscripts can only contain one '->'.")


def _expand_ellipses(terms, output, arrays, text):
    """Replaces '...' in each term (and the output) by letters the expression leaves unused."""
    # The spare letters are taken from the end of the set's iteration order (hash-seeded,
    # as NumPy's are: the same letters as NumPy's within one process).
    free = list(einsum_symbols_set - {ch for ch in text if ch in einsum_symbols_set})
    widths = []
    for pos, term in enumerate(terms):
        if "." not in term:
            widths.append(None)
            continue
        if term.count(".") != 3 or term.count("...") != 1:
            raise ValueError("Invalid Ellipses.")
        width = len(arrays[pos].shape) - (len(term) - 3)
        if width < 0:
            raise ValueError("Ellipses lengths do not match.")
        widths.append(width)
    widest = max([w for w in widths if w is not None], default=0)
    fill = "".join(free[len(free) - widest:]) if widest else ""
    new_terms = []
    for term, width in zip(terms, widths):
        if width is None:
            new_terms.append(term)
        else:
            new_terms.append(term.replace("...", fill[len(fill) - width:] if width else ""))
    if output is None:
        return new_terms, None, fill
    return new_terms, output.replace("...", fill), fill


def _implicit_output(terms, fill):
    counts = {}
    for term in terms:
        for ch in term:
            counts[ch] = counts.get(ch, 0) + 1
    singles = sorted(ch for ch, n in counts.items() if n == 1 and ch not in fill)
    return fill + "".join(singles)


def _parse_einsum_input(operands):
    """Normalises einsum's arguments: returns (input subscripts joined by ',', output
    subscripts, operands as arrays), every '...' replaced by letters of its own."""
    text, arrays = _split_operands(operands)
    _check_symbols(text)
    if "->" in text:
        lhs, output = text.split("->")
    else:
        lhs, output = text, None
    terms = lhs.split(",")
    if "." in text:
        terms, output, fill = _expand_ellipses(terms, output, arrays, text)
    else:
        fill = ""
    if output is None:
        output = _implicit_output(terms, fill)
    else:
        seen_inputs = set("".join(terms))
        for ch in output:
            if output.count(ch) != 1:
                raise ValueError(f"Output character {ch} appeared more than once in the output.")
            if ch not in seen_inputs:
                raise ValueError(f"Output character {ch} did not appear in the input")
    if len(terms) != len(arrays):
        raise ValueError("Number of einsum subscripts must be equal to the number of operands.")
    return ",".join(terms), output, arrays


def _label_sizes(terms, arrays, joined):
    """Size of every label; a size-1 dimension broadcasts against any other."""
    sizes = {}
    for pos, term in enumerate(terms):
        shape = arrays[pos].shape
        if len(shape) != len(term):
            raise ValueError(f"Einstein sum subscript {joined[pos]} does not contain the correct "
                             f"number of indices for operand {pos}.")
        for ch, n in zip(term, shape):
            known = sizes.get(ch)
            if known is None or known == 1:
                sizes[ch] = n
            elif n != 1 and n != known:
                raise ValueError(f"Size of label '{ch}' for operand {pos} ({known}) does not match "
                                 f"previous terms ({n}).")
    return sizes


class _Contraction:
    """Cost model of one step: merging the terms at `picked` of `terms` (a list of label sets)
    into one, keeping the labels the output or the other terms still need."""

    def __init__(self, picked, terms, output, sizes):
        merged = set()
        needed = set(output)
        for pos, term in enumerate(terms):
            if pos in picked:
                merged |= term
            else:
                needed |= term
        self.result = merged & needed
        self.result_size = _volume(self.result, sizes)
        self.scaling = len(merged)
        self.flops = _flops(merged, self.result != merged, len(picked), sizes)
        self.rest = [t for pos, t in enumerate(terms) if pos not in picked] + [self.result]


def _volume(labels, sizes):
    return math.prod(sizes[ch] for ch in labels)


def _flops(labels, summing, nterms, sizes):
    """NumPy's FLOP estimate: one multiply per extra term (at least one), one more add
    when a label is summed, per point of the joint index space."""
    factor = max(nterms - 1, 1) + (1 if summing else 0)
    return _volume(labels, sizes) * factor


def _greedy_order(terms, output, sizes, memory_limit):
    """Pairwise greedy: repeatedly merge the pair whose merge removes the most elements
    (ties: fewer FLOPs, then the earliest candidate). A merge that would take the path's
    FLOPs past those of contracting everything at once is not a candidate (so a zero-size
    label steers the path, as in NumPy)."""
    terms = list(terms)
    order = []
    naive_flops = _Contraction(tuple(range(len(terms))), terms, output, sizes).flops
    path_flops = 0

    def candidate(i, j):
        step = _Contraction((i, j), terms, output, sizes)
        if step.result_size > memory_limit or path_flops + step.flops > naive_flops:
            return None
        shrink = _volume(terms[i], sizes) + _volume(terms[j], sizes) - step.result_size
        return (-shrink, step.flops), (i, j)

    def scan(pairs, require_shared):
        found = []
        for i, j in pairs:
            if require_shared and terms[i].isdisjoint(terms[j]):
                continue
            c = candidate(i, j)
            if c is not None:
                found.append(c)
        return found

    pool = scan(itertools.combinations(range(len(terms)), 2), True)
    while len(terms) > 1:
        if not pool:
            pool = scan(itertools.combinations(range(len(terms)), 2), False)
            if not pool:
                order.append(tuple(range(len(terms))))
                break
        (_, flops), (i, j) = min(pool, key=lambda c: c[0])
        order.append((i, j))
        path_flops += flops
        terms = _Contraction((i, j), terms, output, sizes).rest
        newest = len(terms) - 1

        def shift(p):
            return p - (p > i) - (p > j)

        kept = []
        for key, (a, b) in pool:
            if a not in (i, j) and b not in (i, j):
                kept.append((key, (shift(a), shift(b))))
        pool = kept + scan(((p, newest) for p in range(newest)), True)
    return order


def _optimal_order(terms, output, sizes, memory_limit):
    """Exhaustive search over pairwise merge orders for the fewest total FLOPs. Orders are
    visited lexicographically and the first cheapest wins; branches that would build a
    term over `memory_limit` are dropped, and if every branch stops early the deepest
    level reached finishes with one merge of everything left."""
    best = {"depth": -1, "cost": None, "order": None}

    def visit(current, cost, order):
        n = len(current)
        grew = False
        if n > 1:
            for i, j in itertools.combinations(range(n), 2):
                step = _Contraction((i, j), current, output, sizes)
                if step.result_size > memory_limit:
                    continue
                grew = True
                visit(step.rest, cost + step.flops, order + [(i, j)])
        if not grew:
            depth = len(order)
            if depth > best["depth"] or (depth == best["depth"] and cost < best["cost"]):
                best.update(depth=depth, cost=cost, order=order)

    visit(list(terms), 0, [])
    order = list(best["order"])
    remaining = len(terms) - len(order)
    if remaining > 1:
        order.append(tuple(range(remaining)))
    return order


def _path_kind(optimize):
    """(strategy, memory limit or None, explicit path or None) from einsum's `optimize`."""
    if optimize is False or optimize is None:
        return None, None, None
    if optimize is True:
        return "greedy", None, None
    if isinstance(optimize, str):
        if optimize not in ("greedy", "optimal"):
            raise KeyError("Path name %s not found", optimize)
        return optimize, None, None
    if len(optimize) and optimize[0] == "einsum_path":
        return "explicit", None, list(optimize[1:])
    if len(optimize) == 2 and isinstance(optimize[1], (int, float)):
        strategy = optimize[0]
        if strategy not in ("greedy", "optimal"):
            raise KeyError("Path name %s not found", strategy)
        return strategy, optimize[1], None
    raise TypeError(f"Did not understand the path: {optimize}")


def _report(whole, distinct, naive_cost, steps, output):
    opt_cost = sum(s["flops"] for s in steps) + 1
    lines = [
        f"  Complete contraction:  {whole}",
        f"         Naive scaling:  {distinct}",
        f"     Optimized scaling:  {max(s['scaling'] for s in steps)}",
        "      Naive FLOP count:  %.3e" % naive_cost,
        "  Optimized FLOP count:  %.3e" % opt_cost,
        "   Theoretical speedup:  %3.3f" % (naive_cost / opt_cost),
        "  Largest intermediate:  %.3e elements" % max(s["size"] for s in steps),
        "-" * 74,
        "%6s %24s %40s" % ("scaling", "current", "remaining"),
        "-" * 74,
    ]
    text = "\n".join(lines)
    for s in steps:
        text += "\n%4d    %24s %40s" % (s["scaling"], s["text"], ",".join(s["left"]) + "->" + output)
    return text


def einsum_path(*operands, optimize="greedy", einsum_call=False):
    """einsum_path(subscripts, *operands, optimize='greedy')

    Returns ``(path, report)``: the contraction order as ``['einsum_path', (i, j), ...]``
    and a printable summary of its cost. With ``einsum_call=True`` returns instead the
    operands and the list of steps ``(positions, 'in,in->out', remaining terms)`` that
    `einsum` evaluates in turn (positions in decreasing order, to pop)."""
    strategy, memory_limit, explicit = _path_kind(optimize)
    joined, output, arrays = _parse_einsum_input(operands)
    terms = joined.split(",")
    sizes = _label_sizes(terms, arrays, joined)
    label_sets = [set(t) for t in terms]
    every = set(joined.replace(",", ""))
    shared = sum(len(s) for s in label_sets) > len(every)
    naive_cost = _flops(every, shared, len(terms), sizes)
    if memory_limit is None:
        memory_limit = max(_volume(t, sizes) for t in terms + [output])

    if explicit is not None:
        order = explicit
    elif strategy is None or len(terms) <= 2 or every == set(output):
        order = [tuple(range(len(terms)))]
    elif strategy == "greedy":
        order = _greedy_order(label_sets, set(output), sizes, memory_limit)
    else:
        order = _optimal_order(label_sets, set(output), sizes, memory_limit)

    left = list(terms)
    current = list(label_sets)
    steps = []
    for number, picked in enumerate(order):
        picked = tuple(sorted(picked, reverse=True))
        step = _Contraction(picked, current, set(output), sizes)
        current = step.rest
        inputs = [left.pop(p) for p in picked]
        if number == len(order) - 1:
            result = output
        else:
            result = "".join(sorted(step.result, key=lambda ch: (sizes[ch], ch)))
        left.append(result)
        steps.append({"picked": picked, "text": ",".join(inputs) + "->" + result,
                      "left": list(left), "flops": step.flops, "scaling": step.scaling,
                      "size": step.result_size})
    if len(left) != 1:
        raise RuntimeError(f"Invalid einsum_path is specified: {len(left) - 1} more operands has "
                           "to be contracted.")
    if einsum_call:
        return arrays, [(s["picked"], s["text"], s["left"]) for s in steps]
    report = _report(joined + "->" + output, len(every), naive_cost, steps, output)
    return ["einsum_path"] + list(order), report


def _dimensions(input_list, operands):
    """Size of every label; a label of size 1 broadcasts against a larger one."""
    dimension_dict = {}
    for tnum, term in enumerate(input_list):
        sh = operands[tnum].shape
        if len(sh) != len(term):
            raise ValueError("Einstein sum subscript %s does not contain the correct number of "
                             "indices for operand %d." % (input_list[tnum], tnum))
        for cnum, char in enumerate(term):
            dim = sh[cnum]
            if char in dimension_dict:
                if dimension_dict[char] == 1:
                    dimension_dict[char] = dim
                elif dim not in (1, dimension_dict[char]):
                    raise ValueError("Size of label '%s' for operand %d (%d) does not match previous "
                                     "terms (%d)." % (char, tnum, dimension_dict[char], dim))
            else:
                dimension_dict[char] = dim
    return dimension_dict


# --- einsum ------------------------------------------------------------------------------------

def _sum_axes(x, axes):
    if not axes:
        return x
    if x.dtype.kind == "b":
        return asarray(x.any(axis=tuple(axes)))
    return asarray(x.sum(axis=tuple(axes), dtype=x.dtype))


def _sum_out(x, term, keep):
    """Sums the axes of `x` whose labels are not in `keep`."""
    axes = [i for i, c in enumerate(term) if c not in keep]
    if not axes:
        return x, term
    return _sum_axes(x, axes), "".join(c for c in term if c in keep)


def _take_diagonals(x, term, tnum):
    """Collapses repeated labels of one operand to their diagonal (a view)."""
    while len(set(term)) != len(term):
        for i, c in enumerate(term):
            j = term.find(c, i + 1)
            if j >= 0:
                break
        if x.shape[i] != x.shape[j]:
            raise ValueError(f"dimensions in operand {tnum} for collapsing index '{c}' don't match "
                             f"({x.shape[i]} != {x.shape[j]})")
        x = diagonal(x, 0, i, j)
        term = term[:i] + term[i + 1:j] + term[j + 1:] + c
    return x, term


def _pair(a, ta, b, tb, keep, sizes):
    """Contracts two operands through one batched matmul; returns (result, labels)."""
    batch = [c for c in ta if c in tb and c in keep]
    con = [c for c in ta if c in tb and c not in keep]
    left = [c for c in ta if c not in tb]
    right = [c for c in tb if c not in ta]
    size = lambda labels: math.prod(sizes[c] for c in labels)  # noqa: E731
    at = a.transpose([ta.index(c) for c in batch + left + con]).reshape(size(batch), size(left), size(con))
    bt = b.transpose([tb.index(c) for c in batch + con + right]).reshape(size(batch), size(con), size(right))
    r = matmul(at, bt)
    labels = batch + left + right
    return r.reshape(tuple(sizes[c] for c in labels)), "".join(labels)


def _einsum_terms(inputs, output, ops):
    """Evaluates one einsum over already-cast operands: diagonals, lone-label sums, then
    pairwise contractions left to right."""
    work = []
    for tnum, (term, op) in enumerate(zip(inputs, ops)):
        op, term = _take_diagonals(op, term, tnum)
        work.append((term, op))
    sizes = {}
    for term, op in work:
        for c, d in zip(term, op.shape):
            if sizes.get(c, 1) == 1:
                sizes[c] = d
    work = [(t, op if op.shape == tuple(sizes[c] for c in t) else broadcast_to(op, tuple(sizes[c] for c in t)))
            for t, op in work]
    out_set = set(output)
    counts = {}
    for t, _ in work:
        for c in set(t):
            counts[c] = counts.get(c, 0) + 1
    # Labels that occur in one operand only and not in the output are summed at once.
    work = [_sum_out(op, t, {c for c in t if c in out_set or counts[c] > 1})[::-1] for t, op in work]
    while len(work) > 1:
        (ta, a), (tb, b) = work[0], work[1]
        rest = work[2:]
        keep = set(out_set)
        for t, _ in rest:
            keep.update(t)
        a, ta = _sum_out(a, ta, keep | set(tb))
        b, tb = _sum_out(b, tb, keep | set(ta))
        r, tr = _pair(a, ta, b, tb, keep, sizes)
        work = [(tr, r)] + rest
    t, x = work[0]
    x, t = _sum_out(x, t, out_set)
    return x.transpose([t.index(c) for c in output])


def _einsum_one(subscripts, operands, dtype, casting):
    """One einsum call: NumPy's c_einsum semantics (result dtype, dtype=, casting=)."""
    if "->" in subscripts:
        ins, output = subscripts.split("->")
    else:
        ins, output = subscripts, None
    inputs = ins.split(",")
    if dtype is None:
        dt = result_type(*operands) if operands else None
    else:
        from ._dtypes import dtype as _dtype_cls  # noqa: F401  (dtype objects come from _oxnp)
        dt = asarray(0, dtype=dtype).dtype
    for op in operands:
        if not can_cast(op.dtype, dt, casting):
            raise TypeError(f"Cannot cast array data from {op.dtype!r} to {dt!r} according to the rule "
                            f"'{casting}'")
    work_dt = "float32" if dt.kind == "f" and dt.itemsize == 2 else dt
    ops = [op.astype(work_dt, copy=False) for op in operands]
    _dimensions(inputs, ops)
    r = _einsum_terms(inputs, output, ops)
    if r.dtype != dt:
        r = r.astype(dt)
    return r


def _pure_multiplication(eq, shape_a, shape_b):
    """Whether NumPy's pairwise step (bmm_einsum) multiplies instead of calling matmul: no
    label of size > 1 is summed between the two operands."""
    lhs, out = eq.split("->")
    a_term, b_term = lhs.split(",")
    left = {ix for ix, d in zip(a_term, shape_a) if d != 1}
    right = {ix for ix, d in zip(b_term, shape_b) if d != 1}
    return not any(ix in right and ix not in out for ix in left)


def einsum(*operands, out=None, optimize=False, dtype=None, order="K", casting="safe", **kwargs):
    """einsum(subscripts, *operands, out=None, dtype=None, order='K', casting='safe',
    optimize=False)"""
    if kwargs:
        raise TypeError(f"Did not understand the following kwargs: {list(kwargs)}")
    # A 0-d result is a scalar, except where NumPy's optimized path ends in a pairwise
    # (matmul) contraction, which returns a 0-d array.
    scalar = True
    if optimize is False or optimize is None:
        input_subscripts, output_subscript, ops = _parse_einsum_input(operands)
        r = _einsum_one(input_subscripts + "->" + output_subscript, ops, dtype, casting)
    else:
        ops, contraction_list = einsum_path(*operands, optimize=optimize, einsum_call=True)
        for inds, einsum_str, _ in contraction_list:
            tmp = [ops.pop(x) for x in inds]
            ops.append(_einsum_one(einsum_str, tmp, dtype, casting))
            scalar = len(tmp) != 2 or _pure_multiplication(einsum_str, tmp[0].shape, tmp[1].shape)
        r = ops[0]
    if out is not None:
        out[...] = r
        return out
    if r.ndim == 0 and scalar:
        return r[()]
    return r


# --- tensordot, kron, cross ---------------------------------------------------------------

def tensordot(a, b, axes=2):
    """Sum of products over the given axes (NumPy's algorithm: transpose, reshape, dot)."""
    try:
        iter(axes)
    except Exception:
        axes_a = list(range(-axes, 0))
        axes_b = list(range(axes))
    else:
        axes_a, axes_b = axes
    try:
        na = len(axes_a)
        axes_a = list(axes_a)
    except TypeError:
        axes_a = [axes_a]
        na = 1
    try:
        nb = len(axes_b)
        axes_b = list(axes_b)
    except TypeError:
        axes_b = [axes_b]
        nb = 1
    if len(set(axes_a)) != len(axes_a):
        raise ValueError("duplicate axes are not allowed in tensordot")
    if len(set(axes_b)) != len(axes_b):
        raise ValueError("duplicate axes are not allowed in tensordot")
    a, b = asarray(a), asarray(b)
    as_, nda = a.shape, a.ndim
    bs, ndb = b.shape, b.ndim
    equal = True
    if na != nb:
        equal = False
    else:
        for k in range(na):
            if as_[axes_a[k]] != bs[axes_b[k]]:
                equal = False
                break
            if axes_a[k] < 0:
                axes_a[k] += nda
            if axes_b[k] < 0:
                axes_b[k] += ndb
    if not equal:
        raise ValueError("shape-mismatch for sum")
    notin = [k for k in range(nda) if k not in axes_a]
    newaxes_a = notin + axes_a
    n2 = math.prod(as_[axis] for axis in axes_a)
    newshape_a = (math.prod(as_[ax] for ax in notin), n2)
    olda = [as_[axis] for axis in notin]
    notin = [k for k in range(ndb) if k not in axes_b]
    newaxes_b = axes_b + notin
    n2 = math.prod(bs[axis] for axis in axes_b)
    newshape_b = (n2, math.prod(bs[ax] for ax in notin))
    oldb = [bs[axis] for axis in notin]
    at = a.transpose(newaxes_a).reshape(newshape_a)
    bt = b.transpose(newaxes_b).reshape(newshape_b)
    res = dot(at, bt)
    return res.reshape(olda + oldb)


def kron(a, b):
    """Kronecker product: the outer product with axes interleaved, reshaped."""
    from ._manip import expand_dims
    b = asanyarray(b)
    a = asanyarray(a)
    if a.ndim < b.ndim:
        a = a.reshape((1,) * (b.ndim - a.ndim) + a.shape)
    ndb, nda = b.ndim, a.ndim
    nd = max(ndb, nda)
    if nda == 0 or ndb == 0:
        return multiply(a, b)
    as_ = (1,) * max(0, ndb - nda) + a.shape
    bs = (1,) * max(0, nda - ndb) + b.shape
    a_arr = a.reshape(as_)
    b_arr = b.reshape(bs)
    a_arr = a_arr.reshape(sum(((d, 1) for d in as_), ()))
    b_arr = b_arr.reshape(sum(((1, d) for d in bs), ()))
    result = multiply(a_arr, b_arr)
    return result.reshape(tuple(x * y for x, y in zip(as_, bs)))


def _normalize_axis_index(axis, ndim, msg_prefix=None):
    from .exceptions import AxisError
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise AxisError(axis, ndim, msg_prefix)
    return axis % ndim


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Cross product of 3-vectors (2-vectors deprecated, as in NumPy 2)."""
    if axis is not None:
        axisa, axisb, axisc = (axis,) * 3
    a = asarray(a)
    b = asarray(b)
    if a.ndim < 1 or b.ndim < 1:
        raise ValueError("At least one array has zero dimension")
    axisa = _normalize_axis_index(axisa, a.ndim, msg_prefix="axisa")
    axisb = _normalize_axis_index(axisb, b.ndim, msg_prefix="axisb")
    a = moveaxis(a, axisa, -1)
    b = moveaxis(b, axisb, -1)
    msg = "incompatible dimensions for cross product\n(dimension must be 2 or 3)"
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError(msg)
    if a.shape[-1] == 2 or b.shape[-1] == 2:
        warnings.warn("Arrays of 2-dimensional vectors are deprecated. Use arrays of "
                      "3-dimensional vectors instead. (deprecated in NumPy 2.0)",
                      DeprecationWarning, stacklevel=2)
    shape = tuple(broadcast_shapes(a.shape[:-1], b.shape[:-1]))
    if a.shape[-1] == 3 or b.shape[-1] == 3:
        shape += (3,)
        axisc = _normalize_axis_index(axisc, len(shape), msg_prefix="axisc")
    dtype = promote_types(a.dtype, b.dtype)
    cp = empty(shape, dtype)
    a = a.astype(dtype)
    b = b.astype(dtype)
    a0, a1 = a[..., 0], a[..., 1]
    a2 = a[..., 2] if a.shape[-1] == 3 else None
    b0, b1 = b[..., 0], b[..., 1]
    b2 = b[..., 2] if b.shape[-1] == 3 else None
    if cp.ndim != 0 and cp.shape[-1] == 3:
        cp0, cp1, cp2 = cp[..., 0], cp[..., 1], cp[..., 2]
    if a.shape[-1] == 2:
        if b.shape[-1] == 2:
            multiply(a0, b1, out=cp)
            cp -= a1 * b0
            return cp
        multiply(a1, b2, out=cp0)
        multiply(a0, b2, out=cp1)
        negative(cp1, out=cp1)
        multiply(a0, b1, out=cp2)
        cp2 -= a1 * b0
    elif b.shape[-1] == 3:
        multiply(a1, b2, out=cp0)
        tmp = asarray(multiply(a2, b1))  # an array even for 0-d operands
        cp0 -= tmp
        multiply(a2, b0, out=cp1)
        multiply(a0, b2, out=tmp)
        cp1 -= tmp
        multiply(a0, b1, out=cp2)
        multiply(a1, b0, out=tmp)
        cp2 -= tmp
    else:
        multiply(a2, b1, out=cp0)
        negative(cp0, out=cp0)
        multiply(a2, b0, out=cp1)
        multiply(a0, b1, out=cp2)
        cp2 -= a1 * b0
    return moveaxis(cp, -1, axisc)


# --- vecdot, matvec, vecmat (NumPy 2.2 gufuncs, composed on matmul) ------------------------

def _gufunc_core_check(name, sig, x, i, need):
    if x.ndim < need:
        raise ValueError(f"{name}: Input operand {i} does not have enough dimensions (has {x.ndim}, "
                         f"gufunc core with signature {sig} requires {need})")


def _mismatch(name, sig, i, dim, got, want):
    return ValueError(f"{name}: Input operand {i} has a mismatch in its core dimension {dim}, with gufunc "
                      f"signature {sig} (size {got} is different from {want})")


def _conj(x):
    return conjugate(x) if x.dtype.kind == "c" else x


def _finish(r, out):
    if out is not None:
        if isinstance(out, tuple):
            (out,) = out
        out[...] = r
        return out
    return r[()] if r.ndim == 0 else r


def vecdot(x1, x2, /, out=None, *, casting="same_kind", order="K", dtype=None, subok=True,
           signature=None, axes=None, axis=None):
    """Vector dot product over the last axis (the first argument conjugated)."""
    sig = "(n),(n)->()"
    a, b = asanyarray(x1), asanyarray(x2)
    if axes is not None:
        (ax_a,), (ax_b,) = axes[0], axes[1]
        a, b = moveaxis(a, ax_a, -1), moveaxis(b, ax_b, -1)
    elif axis is not None:
        a, b = moveaxis(a, axis, -1), moveaxis(b, axis, -1)
    _gufunc_core_check("vecdot", sig, a, 0, 1)
    _gufunc_core_check("vecdot", sig, b, 1, 1)
    if a.shape[-1] != b.shape[-1]:
        raise _mismatch("vecdot", sig, 1, 0, b.shape[-1], a.shape[-1])
    r = matmul(_conj(a)[..., None, :], b[..., :, None], dtype=dtype, casting=casting)[..., 0, 0]
    return _finish(r, out)


def matvec(x1, x2, /, out=None, *, casting="same_kind", order="K", dtype=None, subok=True,
           signature=None, axes=None, axis=None):
    """Matrix-vector product: (..., m, n) x (..., n) -> (..., m)."""
    sig = "(m,n),(n)->(m)"
    a, b = asanyarray(x1), asanyarray(x2)
    _gufunc_core_check("matvec", sig, a, 0, 2)
    _gufunc_core_check("matvec", sig, b, 1, 1)
    if a.shape[-1] != b.shape[-1]:
        raise _mismatch("matvec", sig, 1, 0, b.shape[-1], a.shape[-1])
    r = matmul(a, b[..., :, None], dtype=dtype, casting=casting)[..., 0]
    return _finish(r, out)


def vecmat(x1, x2, /, out=None, *, casting="same_kind", order="K", dtype=None, subok=True,
           signature=None, axes=None, axis=None):
    """Vector-matrix product: (..., n) x (..., n, m) -> (..., m), the vector conjugated."""
    sig = "(n),(n,m)->(m)"
    a, b = asanyarray(x1), asanyarray(x2)
    _gufunc_core_check("vecmat", sig, a, 0, 1)
    _gufunc_core_check("vecmat", sig, b, 1, 2)
    if a.shape[-1] != b.shape[-2]:
        raise _mismatch("vecmat", sig, 1, 0, b.shape[-2], a.shape[-1])
    r = matmul(_conj(a)[..., None, :], b, dtype=dtype, casting=casting)[..., 0, :]
    return _finish(r, out)


# --- statistics: cov, corrcoef; integration: trapezoid ---------------------------------------

def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None):
    """Covariance matrix (NumPy's algorithm: weighted average, centre, one dot)."""
    from ._oxnp import array
    from ._scalars import float64
    from ._reductions import average
    from ._manip import around
    if ddof is not None and ddof != int(ddof):
        raise ValueError("ddof must be integer")
    m = asarray(m)
    if m.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    if y is not None:
        y = asarray(y)
        if y.ndim > 2:
            raise ValueError("y has more than 2 dimensions")
    if dtype is None:
        dtype = result_type(m, float64) if y is None else result_type(m, y, float64)
    X = array(m, ndmin=2, dtype=dtype)
    if not rowvar and m.ndim != 1:
        X = X.T
    if X.shape[0] == 0:
        return array([]).reshape(0, 0)
    if y is not None:
        y = array(y, copy=None, ndmin=2, dtype=dtype)
        if not rowvar and y.shape[0] != 1:
            y = y.T
        X = concatenate((X, y), axis=0)
    if ddof is None:
        ddof = 1 if bias == 0 else 0
    w = None
    if fweights is not None:
        fweights = asarray(fweights, dtype=float)
        if not (fweights == around(fweights)).all():
            raise TypeError("fweights must be integer")
        if fweights.ndim > 1:
            raise RuntimeError("cannot handle multidimensional fweights")
        if fweights.shape[0] != X.shape[1]:
            raise RuntimeError("incompatible numbers of samples and fweights")
        if (fweights < 0).any():
            raise ValueError("fweights cannot be negative")
        w = fweights
    if aweights is not None:
        aweights = asarray(aweights, dtype=float)
        if aweights.ndim > 1:
            raise RuntimeError("cannot handle multidimensional aweights")
        if aweights.shape[0] != X.shape[1]:
            raise RuntimeError("incompatible numbers of samples and aweights")
        if (aweights < 0).any():
            raise ValueError("aweights cannot be negative")
        if w is None:
            w = aweights
        else:
            w *= aweights
    avg, w_sum = average(X, axis=1, weights=w, returned=True)
    w_sum = w_sum[0]
    if w is None:
        fact = X.shape[1] - ddof
    elif ddof == 0:
        fact = w_sum
    elif aweights is None:
        fact = w_sum - ddof
    else:
        fact = w_sum - ddof * (w * aweights).sum() / w_sum
    if fact <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        fact = 0.0
    X -= avg[:, None]
    X_T = X.T if w is None else (X * w).T
    c = dot(X, X_T.conj())
    c *= true_divide(1, fact)
    return c.squeeze()


def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """Pearson correlation coefficients: cov scaled by the standard deviations, clipped."""
    from ._manip import clip, diag
    c = cov(x, y, rowvar, dtype=dtype)
    try:
        d = diag(c)
    except ValueError:
        return c / c
    stddev = sqrt(d.real)
    c /= stddev[:, None]
    c /= stddev[None, :]
    clip(c.real, -1, 1, out=c.real)
    if c.dtype.kind == "c":
        clip(c.imag, -1, 1, out=c.imag)
    return c


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral along `axis` by the composite trapezoidal rule."""
    from ._manip import diff
    y = asanyarray(y)
    if x is None:
        d = dx
    else:
        x = asanyarray(x)
        if x.ndim == 1:
            d = diff(x)
            shape = [1] * y.ndim
            shape[axis] = d.shape[0]
            d = d.reshape(shape)
        else:
            d = diff(x, axis=axis)
    nd = y.ndim
    slice1 = [slice(None)] * nd
    slice2 = [slice(None)] * nd
    slice1[axis] = slice(1, None)
    slice2[axis] = slice(None, -1)
    try:
        ret = (d * (y[tuple(slice1)] + y[tuple(slice2)]) / 2.0).sum(axis)
    except ValueError:
        d = asarray(d)
        y = asarray(y)
        ret = add.reduce(d * (y[tuple(slice1)] + y[tuple(slice2)]) / 2.0, axis)
    return ret
