//! Sorting and searching: `sort`, `argsort`, `partition`, `argpartition` (module functions
//! and ndarray methods) over `oxnp_kernels::sort`, plus the raw kernels `_searchsorted` and
//! `_interp` that `python/oxnp/_sorting.py` wraps with NumPy's argument handling.

use num_complex::Complex64;
use oxnp_core::cast::{astype, copy_into};
use oxnp_core::error::normalize_axis;
use oxnp_core::shape::{AnyOrder, moveaxis, ravel};
use oxnp_core::{Array, Casting, DType, Order};
use oxnp_kernels::search;
use oxnp_kernels::sort as kern;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::convert::array_from_py;
use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, wrap};

/// Arrays at least this big are sorted with the GIL released.
const DETACH_MIN: usize = 1 << 14;

/// Whether `kind`/`stable` ask for a stable sort (NumPy's `PyArray_SortkindConverter` plus
/// the NumPy 2 `stable=` keyword).
fn parse_kind(kind: Option<&Bound<'_, PyAny>>, stable: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
    let kind = kind.filter(|k| !k.is_none());
    let stable = stable.filter(|s| !s.is_none());
    if let Some(s) = stable {
        if kind.is_some() {
            return Err(PyValueError::new_err(
                "`kind` and keyword parameters can't be provided at the same time. Use only one of them.",
            ));
        }
        return s.is_truthy();
    }
    let Some(kind) = kind else { return Ok(false) };
    let s: String = kind.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "sort kind must be str, not {}",
            kind.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
    })?;
    match s.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('q') | Some('h') => Ok(false),
        Some('m') | Some('s') => Ok(true),
        _ => Err(PyValueError::new_err(format!(
            "sort kind must be one of 'quick', 'heap', or 'stable' (got '{s}')"
        ))),
    }
}

fn check_order(order: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    match order {
        Some(o) if !o.is_none() => Err(PyValueError::new_err("Cannot specify order when the array has no fields.")),
        _ => Ok(()),
    }
}

/// The array to work on and the (normalized) axis: the flattened array and 0 for axis=None.
fn prepare(arr: &Array, axis: Option<isize>) -> PyResult<(Array, usize)> {
    match axis {
        None => Ok((ravel(arr, AnyOrder::C).py()?.0, 0)),
        Some(a) => Ok((arr.clone(), normalize_axis(a, arr.ndim()).py()?)),
    }
}

/// A fresh C-contiguous copy of `a` with `axis` moved last (as `dtype`).
fn moved_copy(a: &Array, axis: usize, dtype: DType) -> PyResult<Array> {
    let moved = moveaxis(a, &[axis as isize], &[-1]).py()?;
    let out = Array::empty(moved.shape(), dtype, Order::C).py()?;
    copy_into(&out, &moved).py()?;
    Ok(out)
}

/// Moves the last axis of the C-contiguous `work` back to `axis`, as a C-contiguous array.
fn moved_back(work: Array, axis: usize) -> PyResult<Array> {
    let nd = work.ndim();
    if nd == 0 || axis == nd - 1 {
        return Ok(work);
    }
    let back = moveaxis(&work, &[-1], &[axis as isize]).py()?;
    back.copy(Order::C).py()
}

fn run<R: Send>(py: Python<'_>, size: usize, f: impl FnOnce() -> R + Send) -> R {
    if size >= DETACH_MIN { py.detach(f) } else { f() }
}

/// A sorted copy of `a` along `axis`.
fn sorted(py: Python<'_>, a: &Array, axis: Option<isize>, stable: bool) -> PyResult<Array> {
    let (src, ax) = prepare(a, axis)?;
    let work = moved_copy(&src, ax, src.dtype())?;
    run(py, work.size(), || kern::sort_last(&work, stable)).py()?;
    moved_back(work, ax)
}

fn argsorted(py: Python<'_>, a: &Array, axis: Option<isize>, stable: bool) -> PyResult<Array> {
    let _ = stable; // the kernel's argsort is always stable
    if a.ndim() == 0 {
        return Array::from_vec(&[1], vec![0i64]).py();
    }
    let (src, ax) = prepare(a, axis)?;
    let work = moved_copy(&src, ax, src.dtype())?;
    let out = Array::empty(work.shape(), DType::Int64, Order::C).py()?;
    run(py, work.size(), || kern::argsort_last(&work, &out)).py()?;
    moved_back(out, ax)
}

/// The kth positions, normalized, checked and sorted.
fn parse_kth(kth: &Bound<'_, PyAny>, n: usize) -> PyResult<Vec<usize>> {
    let k = array_from_py(kth)?;
    if !matches!(k.dtype().kind(), oxnp_core::Kind::Int | oxnp_core::Kind::UInt) {
        if k.dtype() == DType::Bool {
            return Err(PyValueError::new_err(
                "Booleans unacceptable as partition index",
            ));
        }
        return Err(PyTypeError::new_err("Partition index must be integer"));
    }
    if k.ndim() > 1 {
        return Err(PyValueError::new_err("kth array must have dimension <= 1"));
    }
    let k = astype(&k, DType::Int64, Casting::Unsafe).py()?;
    let mut out = Vec::new();
    for v in k.to_vec::<i64>() {
        let w = if v < 0 { v + n as i64 } else { v };
        if w < 0 || w >= n as i64 {
            return Err(PyValueError::new_err(format!("kth(={w}) out of bounds ({n})")));
        }
        out.push(w as usize);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

fn check_select_kind(kind: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    let Some(kind) = kind.filter(|k| !k.is_none()) else { return Ok(()) };
    let s: String = kind.extract()?;
    if s != "introselect" {
        return Err(PyValueError::new_err(format!("select kind must be 'introselect' (got '{s}')")));
    }
    Ok(())
}

fn partitioned(py: Python<'_>, a: &Array, kth: &Bound<'_, PyAny>, axis: Option<isize>) -> PyResult<Array> {
    let (src, ax) = prepare(a, axis)?;
    let n = src.shape()[ax];
    let ks = if n == 0 { parse_kth(kth, 1 << 62)?; Vec::new() } else { parse_kth(kth, n)? };
    let work = moved_copy(&src, ax, src.dtype())?;
    run(py, work.size(), || kern::partition_last(&work, &ks)).py()?;
    moved_back(work, ax)
}

fn argpartitioned(py: Python<'_>, a: &Array, kth: &Bound<'_, PyAny>, axis: Option<isize>) -> PyResult<Array> {
    let (src, ax) = if a.ndim() == 0 {
        (Array::from_vec(&[1], vec![0u8]).py()?, 0)
    } else {
        prepare(a, axis)?
    };
    let n = src.shape()[ax];
    let ks = if n == 0 { parse_kth(kth, 1 << 62)?; Vec::new() } else { parse_kth(kth, n)? };
    let work = moved_copy(&src, ax, src.dtype())?;
    let out = Array::empty(work.shape(), DType::Int64, Order::C).py()?;
    run(py, work.size(), || kern::argpartition_last(&work, &ks, &out)).py()?;
    moved_back(out, ax)
}

/// `sort(a, axis=-1, kind=None, order=None, *, stable=None)`.
#[pyfunction]
#[pyo3(signature = (a, axis = Some(-1), kind = None, order = None, *, stable = None))]
fn sort<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    axis: Option<isize>,
    kind: Option<&Bound<'py, PyAny>>,
    order: Option<&Bound<'py, PyAny>>,
    stable: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let st = parse_kind(kind, stable)?;
    let arr = array_from_py(a)?;
    check_order(order)?;
    wrap(py, sorted(py, &arr, axis, st)?)
}

/// `argsort(a, axis=-1, kind=None, order=None, *, stable=None)`.
#[pyfunction]
#[pyo3(signature = (a, axis = Some(-1), kind = None, order = None, *, stable = None))]
fn argsort<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    axis: Option<isize>,
    kind: Option<&Bound<'py, PyAny>>,
    order: Option<&Bound<'py, PyAny>>,
    stable: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let st = parse_kind(kind, stable)?;
    let arr = array_from_py(a)?;
    check_order(order)?;
    wrap(py, argsorted(py, &arr, axis, st)?)
}

/// `partition(a, kth, axis=-1, kind='introselect', order=None)`.
#[pyfunction]
#[pyo3(signature = (a, kth, axis = Some(-1), kind = None, order = None))]
fn partition<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    kth: &Bound<'py, PyAny>,
    axis: Option<isize>,
    kind: Option<&Bound<'py, PyAny>>,
    order: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    check_select_kind(kind)?;
    let arr = array_from_py(a)?;
    check_order(order)?;
    wrap(py, partitioned(py, &arr, kth, axis)?)
}

/// `argpartition(a, kth, axis=-1, kind='introselect', order=None)`.
#[pyfunction]
#[pyo3(signature = (a, kth, axis = Some(-1), kind = None, order = None))]
fn argpartition<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    kth: &Bound<'py, PyAny>,
    axis: Option<isize>,
    kind: Option<&Bound<'py, PyAny>>,
    order: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    check_select_kind(kind)?;
    let arr = array_from_py(a)?;
    check_order(order)?;
    wrap(py, argpartitioned(py, &arr, kth, axis)?)
}

/// Writes `result` (same shape) into the array `dst` in place.
fn write_back(py: Python<'_>, dst: &Array, result: &Array) -> PyResult<()> {
    run(py, dst.size(), || copy_into(dst, result)).py()
}

#[pymethods]
impl PyNdArray {
    /// `a.sort(axis=-1, kind=None, order=None, *, stable=None)`: sorts in place.
    #[pyo3(name = "sort", signature = (axis = -1, kind = None, order = None, *, stable = None))]
    fn sort_method(
        &self,
        py: Python<'_>,
        axis: isize,
        kind: Option<&Bound<'_, PyAny>>,
        order: Option<&Bound<'_, PyAny>>,
        stable: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let st = parse_kind(kind, stable)?;
        check_order(order)?;
        let arr = &self.arr();
        let ax = normalize_axis(axis, arr.ndim()).py()?;
        arr.check_writeable().py()?;
        if ax == arr.ndim() - 1 && arr.is_c_contiguous() && (arr.as_ptr() as usize) % arr.itemsize().max(1) == 0 {
            // Sort the array's own memory.
            return run(py, arr.size(), || kern::sort_last(arr, st)).py();
        }
        let result = sorted(py, arr, Some(ax as isize), st)?;
        write_back(py, arr, &result)
    }

    /// `a.argsort(axis=-1, kind=None, order=None, *, stable=None)`.
    #[pyo3(name = "argsort", signature = (axis = Some(-1), kind = None, order = None, *, stable = None))]
    fn argsort_method<'py>(
        &self,
        py: Python<'py>,
        axis: Option<isize>,
        kind: Option<&Bound<'py, PyAny>>,
        order: Option<&Bound<'py, PyAny>>,
        stable: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyNdArray>> {
        let st = parse_kind(kind, stable)?;
        check_order(order)?;
        wrap(py, argsorted(py, self.arr(), axis, st)?)
    }

    /// `a.partition(kth, axis=-1, kind='introselect', order=None)`: partitions in place.
    #[pyo3(name = "partition", signature = (kth, axis = -1, kind = None, order = None))]
    fn partition_method(
        &self,
        py: Python<'_>,
        kth: &Bound<'_, PyAny>,
        axis: isize,
        kind: Option<&Bound<'_, PyAny>>,
        order: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        check_select_kind(kind)?;
        check_order(order)?;
        let arr = &self.arr();
        let ax = normalize_axis(axis, arr.ndim()).py()?;
        arr.check_writeable().py()?;
        let result = partitioned(py, arr, kth, Some(ax as isize))?;
        write_back(py, arr, &result)
    }

    /// `a.argpartition(kth, axis=-1, kind='introselect', order=None)`.
    #[pyo3(name = "argpartition", signature = (kth, axis = Some(-1), kind = None, order = None))]
    fn argpartition_method<'py>(
        &self,
        py: Python<'py>,
        kth: &Bound<'py, PyAny>,
        axis: Option<isize>,
        kind: Option<&Bound<'py, PyAny>>,
        order: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyNdArray>> {
        check_select_kind(kind)?;
        check_order(order)?;
        wrap(py, argpartitioned(py, self.arr(), kth, axis)?)
    }

    /// `a.searchsorted(v, side='left', sorter=None)`: the composite in `_sorting.py`.
    #[pyo3(name = "searchsorted", signature = (*args, **kwargs))]
    fn searchsorted_method<'py>(
        slf: &Bound<'py, Self>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let mut all = vec![slf.clone().into_any()];
        all.extend(args.iter());
        py.import("oxnp._sorting")?.getattr("searchsorted")?.call(PyTuple::new(py, all)?, kwargs)
    }
}

/// `_searchsorted(a, v, right)`: positions of `v`'s elements in the sorted 1-D `a` (both of
/// one dtype), shaped like `v`.
#[pyfunction]
fn _searchsorted<'py>(py: Python<'py>, a: &Bound<'py, PyAny>, v: &Bound<'py, PyAny>, right: bool) -> PyResult<Bound<'py, PyNdArray>> {
    let a = array_from_py(a)?;
    let v = array_from_py(v)?;
    let shape = v.shape().to_vec();
    let pos = run(py, v.size() + a.size(), || kern::searchsorted(&a, &v, right)).py()?;
    wrap(py, Array::from_vec(&shape, pos).py()?)
}

/// `_interp(x, xp, fp, left, right)`: float64 `x` and `xp`, float64 or complex128 `fp`
/// (contiguous 1-D `xp`/`fp` of one length), `left`/`right` already resolved (as `(re, im)`
/// pairs for complex `fp`).
#[pyfunction]
fn _interp<'py>(
    py: Python<'py>,
    x: &Bound<'py, PyAny>,
    xp: &Bound<'py, PyAny>,
    fp: &Bound<'py, PyAny>,
    left: &Bound<'py, PyAny>,
    right: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let x = array_from_py(x)?;
    let xp = array_from_py(xp)?;
    let fp = array_from_py(fp)?;
    if x.dtype() != DType::Float64 || xp.dtype() != DType::Float64 || xp.size() != fp.size() || xp.size() == 0 {
        return Err(PyValueError::new_err("_interp: bad operands"));
    }
    let shape = x.shape().to_vec();
    let (xs, xps) = (x.to_vec::<f64>(), xp.to_vec::<f64>());
    let out = match fp.dtype() {
        DType::Float64 => {
            let fps = fp.to_vec::<f64>();
            let (l, r): (f64, f64) = (left.extract()?, right.extract()?);
            let res = run(py, xs.len(), || search::interp(&xs, &xps, &fps, l, r));
            Array::from_vec(&shape, res)
        }
        DType::Complex128 => {
            let fps = fp.to_vec::<Complex64>();
            let (l, r): ((f64, f64), (f64, f64)) = (left.extract()?, right.extract()?);
            let (l, r) = (Complex64::new(l.0, l.1), Complex64::new(r.0, r.1));
            let res = run(py, xs.len(), || search::interp_complex(&xs, &xps, &fps, l, r));
            Array::from_vec(&shape, res)
        }
        _ => return Err(PyValueError::new_err("_interp: fp must be float64 or complex128")),
    };
    wrap(py, out.py()?)
}

/// `_histogram_uniform(a, weights, lo, hi, first, denom, edges)`: the equal-bin histogram
/// kernel for float64 `a`, `edges` and (optional) `weights` (see `search::histogram_uniform`).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _histogram_uniform<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    weights: Option<&Bound<'py, PyAny>>,
    lo: f64,
    hi: f64,
    first: f64,
    denom: f64,
    edges: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let a = array_from_py(a)?;
    let edges = array_from_py(edges)?;
    let w = match weights {
        Some(w) if !w.is_none() => Some(array_from_py(w)?),
        _ => None,
    };
    let f64_1d = |x: &Array| x.dtype() == DType::Float64 && x.ndim() == 1;
    if !f64_1d(&a) || !f64_1d(&edges) || edges.size() < 2 || w.as_ref().is_some_and(|w| !f64_1d(w) || w.size() != a.size()) {
        return Err(PyValueError::new_err("_histogram_uniform: bad operands"));
    }
    let (av, ev) = (a.to_vec::<f64>(), edges.to_vec::<f64>());
    let wv = w.map(|w| w.to_vec::<f64>());
    let (counts, sums) = run(py, av.len(), || search::histogram_uniform(&av, wv.as_deref(), lo, hi, first, denom, &ev));
    let n = ev.len() - 1;
    let out = if wv.is_some() { Array::from_vec(&[n], sums) } else { Array::from_vec(&[n], counts) };
    wrap(py, out.py()?)
}

/// `_unique_exact(a)`: the sorted distinct values of an integer or bool array.
#[pyfunction]
fn _unique_exact<'py>(py: Python<'py>, a: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyNdArray>> {
    let a = array_from_py(a)?;
    let out = run(py, a.size(), || kern::unique_exact(&a)).py()?;
    wrap(py, out)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_histogram_uniform, m)?)?;
    m.add_function(wrap_pyfunction!(_unique_exact, m)?)?;
    m.add_function(wrap_pyfunction!(sort, m)?)?;
    m.add_function(wrap_pyfunction!(argsort, m)?)?;
    m.add_function(wrap_pyfunction!(partition, m)?)?;
    m.add_function(wrap_pyfunction!(argpartition, m)?)?;
    m.add_function(wrap_pyfunction!(_searchsorted, m)?)?;
    m.add_function(wrap_pyfunction!(_interp, m)?)?;
    Ok(())
}
