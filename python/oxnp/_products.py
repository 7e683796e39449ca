"""Products composed from the Rust `matmul`/`dot` kernels: tensordot, einsum and einsum_path,
kron, cross, vecdot/matvec/vecmat, cov, corrcoef, trapezoid.

Float results go through faer's GEMM (see crates/oxnp-kernels/src/matmul.rs), whose
summation order differs from OpenBLAS's: they agree with NumPy to rounding, not bit for bit.
Integer and bool results are exact (integers wrap as NumPy's do).

The einsum path search (`_greedy_path`, `_optimal_path` and their helpers) and the subscript
parser follow NumPy's ``numpy/_core/einsumfunc.py`` (BSD-3-Clause) step for step, so
`einsum_path` returns NumPy's paths and report.
"""

import functools
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


# --- einsum path search and parsing (NumPy's algorithm, see the module docstring) ---------

def _flop_count(idx_contraction, inner, num_terms, size_dictionary):
    overall_size = _compute_size_by_dict(idx_contraction, size_dictionary)
    op_factor = max(1, num_terms - 1)
    if inner:
        op_factor += 1
    return overall_size * op_factor


def _compute_size_by_dict(indices, idx_dict):
    ret = 1
    for i in indices:
        ret *= idx_dict[i]
    return ret


def _find_contraction(positions, input_sets, output_set):
    idx_contract = set()
    idx_remain = output_set.copy()
    remaining = []
    for ind, value in enumerate(input_sets):
        if ind in positions:
            idx_contract |= value
        else:
            remaining.append(value)
            idx_remain |= value
    new_result = idx_remain & idx_contract
    idx_removed = idx_contract - new_result
    remaining.append(new_result)
    return (new_result, remaining, idx_removed, idx_contract)


def _optimal_path(input_sets, output_set, idx_dict, memory_limit):
    full_results = [(0, [], input_sets)]
    for iteration in range(len(input_sets) - 1):
        iter_results = []
        for curr in full_results:
            cost, positions, remaining = curr
            for con in itertools.combinations(range(len(input_sets) - iteration), 2):
                cont = _find_contraction(con, remaining, output_set)
                new_result, new_input_sets, idx_removed, idx_contract = cont
                new_size = _compute_size_by_dict(new_result, idx_dict)
                if new_size > memory_limit:
                    continue
                total_cost = cost + _flop_count(idx_contract, idx_removed, len(con), idx_dict)
                new_pos = positions + [con]
                iter_results.append((total_cost, new_pos, new_input_sets))
        if iter_results:
            full_results = iter_results
        else:
            path = min(full_results, key=lambda x: x[0])[1]
            path += [tuple(range(len(input_sets) - iteration))]
            return path
    if len(full_results) == 0:
        return [tuple(range(len(input_sets)))]
    path = min(full_results, key=lambda x: x[0])[1]
    return path


def _parse_possible_contraction(positions, input_sets, output_set, idx_dict, memory_limit, path_cost, naive_cost):
    contract = _find_contraction(positions, input_sets, output_set)
    idx_result, new_input_sets, idx_removed, idx_contract = contract
    new_size = _compute_size_by_dict(idx_result, idx_dict)
    if new_size > memory_limit:
        return None
    old_sizes = (_compute_size_by_dict(input_sets[p], idx_dict) for p in positions)
    removed_size = sum(old_sizes) - new_size
    cost = _flop_count(idx_contract, idx_removed, len(positions), idx_dict)
    sort = (-removed_size, cost)
    if path_cost + cost > naive_cost:
        return None
    return [sort, positions, new_input_sets]


def _update_other_results(results, best):
    best_con = best[1]
    bx, by = best_con
    mod_results = []
    for cost, (x, y), con_sets in results:
        if x in best_con or y in best_con:
            continue
        del con_sets[by - int(by > x) - int(by > y)]
        del con_sets[bx - int(bx > x) - int(bx > y)]
        con_sets.insert(-1, best[2][-1])
        mod_con = (x - int(x > bx) - int(x > by), y - int(y > bx) - int(y > by))
        mod_results.append((cost, mod_con, con_sets))
    return mod_results


def _greedy_path(input_sets, output_set, idx_dict, memory_limit):
    if len(input_sets) == 1:
        return [(0,)]
    elif len(input_sets) == 2:
        return [(0, 1)]
    contract = _find_contraction(range(len(input_sets)), input_sets, output_set)
    idx_result, new_input_sets, idx_removed, idx_contract = contract
    naive_cost = _flop_count(idx_contract, idx_removed, len(input_sets), idx_dict)
    comb_iter = itertools.combinations(range(len(input_sets)), 2)
    known_contractions = []
    path_cost = 0
    path = []
    for iteration in range(len(input_sets) - 1):
        for positions in comb_iter:
            if input_sets[positions[0]].isdisjoint(input_sets[positions[1]]):
                continue
            result = _parse_possible_contraction(positions, input_sets, output_set, idx_dict, memory_limit, path_cost, naive_cost)
            if result is not None:
                known_contractions.append(result)
        if len(known_contractions) == 0:
            for positions in itertools.combinations(range(len(input_sets)), 2):
                result = _parse_possible_contraction(positions, input_sets, output_set, idx_dict, memory_limit, path_cost, naive_cost)
                if result is not None:
                    known_contractions.append(result)
            if len(known_contractions) == 0:
                path.append(tuple(range(len(input_sets))))
                break
        best = min(known_contractions, key=lambda x: x[0])
        known_contractions = _update_other_results(known_contractions, best)
        input_sets = best[2]
        new_tensor_pos = len(input_sets) - 1
        comb_iter = ((i, new_tensor_pos) for i in range(new_tensor_pos))
        path.append(best[1])
        path_cost += best[0][1]
    return path


def _parse_einsum_input(operands):
    if len(operands) == 0:
        raise ValueError('No input operands')
    if isinstance(operands[0], str):
        subscripts = operands[0].replace(' ', '')
        operands = [asanyarray(v) for v in operands[1:]]
        for s in subscripts:
            if s in '.,->':
                continue
            if s not in einsum_symbols:
                raise ValueError(f'Character {s} is not a valid symbol.')
    else:
        tmp_operands = list(operands)
        operand_list = []
        subscript_list = []
        for p in range(len(operands) // 2):
            operand_list.append(tmp_operands.pop(0))
            subscript_list.append(tmp_operands.pop(0))
        output_list = tmp_operands[-1] if len(tmp_operands) else None
        operands = [asanyarray(v) for v in operand_list]
        subscripts = ''
        last = len(subscript_list) - 1
        for num, sub in enumerate(subscript_list):
            for s in sub:
                if s is Ellipsis:
                    subscripts += '...'
                else:
                    try:
                        s = operator.index(s)
                    except TypeError as e:
                        raise TypeError('For this input type lists must contain either int or Ellipsis') from e
                    subscripts += einsum_symbols[s]
            if num != last:
                subscripts += ','
        if output_list is not None:
            subscripts += '->'
            for s in output_list:
                if s is Ellipsis:
                    subscripts += '...'
                else:
                    try:
                        s = operator.index(s)
                    except TypeError as e:
                        raise TypeError('For this input type lists must contain either int or Ellipsis') from e
                    subscripts += einsum_symbols[s]
    if '-' in subscripts or '>' in subscripts:
        invalid = subscripts.count('-') > 1 or subscripts.count('>') > 1
        if invalid or subscripts.count('->') != 1:
            raise ValueError("Subscripts can only contain one '->'.")
    if '.' in subscripts:
        used = subscripts.replace('.', '').replace(',', '').replace('->', '')
        unused = list(einsum_symbols_set - set(used))
        ellipse_inds = ''.join(unused)
        longest = 0
        if '->' in subscripts:
            input_tmp, output_sub = subscripts.split('->')
            split_subscripts = input_tmp.split(',')
            out_sub = True
        else:
            split_subscripts = subscripts.split(',')
            out_sub = False
        for num, sub in enumerate(split_subscripts):
            if '.' in sub:
                if sub.count('.') != 3 or sub.count('...') != 1:
                    raise ValueError('Invalid Ellipses.')
                if operands[num].shape == ():
                    ellipse_count = 0
                else:
                    ellipse_count = max(operands[num].ndim, 1)
                    ellipse_count -= len(sub) - 3
                if ellipse_count > longest:
                    longest = ellipse_count
                if ellipse_count < 0:
                    raise ValueError('Ellipses lengths do not match.')
                elif ellipse_count == 0:
                    split_subscripts[num] = sub.replace('...', '')
                else:
                    rep_inds = ellipse_inds[-ellipse_count:]
                    split_subscripts[num] = sub.replace('...', rep_inds)
        subscripts = ','.join(split_subscripts)
        if longest == 0:
            out_ellipse = ''
        else:
            out_ellipse = ellipse_inds[-longest:]
        if out_sub:
            subscripts += '->' + output_sub.replace('...', out_ellipse)
        else:
            output_subscript = ''
            tmp_subscripts = subscripts.replace(',', '')
            for s in sorted(set(tmp_subscripts)):
                if s not in einsum_symbols:
                    raise ValueError(f'Character {s} is not a valid symbol.')
                if tmp_subscripts.count(s) == 1:
                    output_subscript += s
            normal_inds = ''.join(sorted(set(output_subscript) - set(out_ellipse)))
            subscripts += '->' + out_ellipse + normal_inds
    if '->' in subscripts:
        input_subscripts, output_subscript = subscripts.split('->')
    else:
        input_subscripts = subscripts
        tmp_subscripts = subscripts.replace(',', '')
        output_subscript = ''
        for s in sorted(set(tmp_subscripts)):
            if s not in einsum_symbols:
                raise ValueError(f'Character {s} is not a valid symbol.')
            if tmp_subscripts.count(s) == 1:
                output_subscript += s
    for char in output_subscript:
        if output_subscript.count(char) != 1:
            raise ValueError('Output character %s appeared more than once in the output.' % char)
        if char not in input_subscripts:
            raise ValueError(f'Output character {char} did not appear in the input')
    if len(input_subscripts.split(',')) != len(operands):
        raise ValueError('Number of einsum subscripts must be equal to the number of operands.')
    return (input_subscripts, output_subscript, operands)


# --- einsum_path ---------------------------------------------------------------------------

def einsum_path(*operands, optimize="greedy", einsum_call=False):
    """Evaluates the lowest-cost contraction order for an einsum expression (as NumPy)."""
    path_type = optimize
    if path_type is True:
        path_type = "greedy"
    if path_type is None:
        path_type = False
    explicit_einsum_path = False
    memory_limit = None
    if path_type is False or isinstance(path_type, str):
        pass
    elif len(path_type) and path_type[0] == "einsum_path":
        explicit_einsum_path = True
    elif len(path_type) == 2 and isinstance(path_type[0], str) and isinstance(path_type[1], (int, float)):
        memory_limit = int(path_type[1])
        path_type = path_type[0]
    else:
        raise TypeError(f"Did not understand the path: {str(path_type)}")
    input_subscripts, output_subscript, operands = _parse_einsum_input(operands)
    input_list = input_subscripts.split(",")
    num_inputs = len(input_list)
    input_sets = [set(x) for x in input_list]
    output_set = set(output_subscript)
    indices = set(input_subscripts.replace(",", ""))
    num_indices = len(indices)
    dimension_dict = _dimensions(input_list, operands)
    size_list = [_compute_size_by_dict(term, dimension_dict) for term in input_list + [output_subscript]]
    max_size = max(size_list)
    memory_arg = max_size if memory_limit is None else memory_limit
    if explicit_einsum_path:
        path = path_type[1:]
    elif path_type is False or num_inputs in [1, 2] or indices == output_set:
        path = [tuple(range(num_inputs))]
    elif path_type == "greedy":
        path = _greedy_path(input_sets, output_set, dimension_dict, memory_arg)
    elif path_type == "optimal":
        path = _optimal_path(input_sets, output_set, dimension_dict, memory_arg)
    else:
        raise KeyError("Path name %s not found", path_type)
    cost_list, scale_list, size_list, contraction_list = [], [], [], []
    for cnum, contract_inds in enumerate(path):
        contract_inds = tuple(sorted(contract_inds, reverse=True))
        contract = _find_contraction(contract_inds, input_sets, output_set)
        out_inds, input_sets, idx_removed, idx_contract = contract
        if not einsum_call:
            cost = _flop_count(idx_contract, idx_removed, len(contract_inds), dimension_dict)
            cost_list.append(cost)
            scale_list.append(len(idx_contract))
            size_list.append(_compute_size_by_dict(out_inds, dimension_dict))
        tmp_inputs = [input_list.pop(x) for x in contract_inds]
        if cnum - len(path) == -1:
            idx_result = output_subscript
        else:
            sort_result = [(dimension_dict[ind], ind) for ind in out_inds]
            idx_result = "".join([x[1] for x in sorted(sort_result)])
        input_list.append(idx_result)
        einsum_str = ",".join(tmp_inputs) + "->" + idx_result
        contraction_list.append((contract_inds, einsum_str, input_list[:]))
    if len(input_list) != 1:
        raise RuntimeError(
            f"Invalid einsum_path is specified: {len(input_list) - 1} more operands has to be contracted.")
    if einsum_call:
        return (operands, contraction_list)
    overall_contraction = input_subscripts + "->" + output_subscript
    header = ("scaling", "current", "remaining")
    inner_product = (sum(len(set(x)) for x in input_subscripts.split(",")) - num_indices) > 0
    naive_cost = _flop_count(indices, inner_product, num_inputs, dimension_dict)
    opt_cost = sum(cost_list) + 1
    speedup = naive_cost / opt_cost
    max_i = max(size_list)
    path_print = f"  Complete contraction:  {overall_contraction}\n"
    path_print += f"         Naive scaling:  {num_indices}\n"
    path_print += "     Optimized scaling:  %d\n" % max(scale_list)
    path_print += f"      Naive FLOP count:  {naive_cost:.3e}\n"
    path_print += f"  Optimized FLOP count:  {opt_cost:.3e}\n"
    path_print += f"   Theoretical speedup:  {speedup:3.3f}\n"
    path_print += f"  Largest intermediate:  {max_i:.3e} elements\n"
    path_print += "-" * 74 + "\n"
    path_print += "%6s %24s %40s\n" % header
    path_print += "-" * 74
    for n, contraction in enumerate(contraction_list):
        _, einsum_str, remaining = contraction
        remaining_str = ",".join(remaining) + "->" + output_subscript
        path_print += "\n%4d    %24s %40s" % (scale_list[n], einsum_str, remaining_str)
    return (["einsum_path"] + path, path_print)


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
