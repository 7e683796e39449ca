//! Reductions as module functions and ndarray methods: sum, prod, min/max (amin/amax),
//! any, all over the ufunc reduce engine, and argmin/argmax over their own kernel. The
//! statistics composed from these (mean, var, quantiles, ...) live in `_reductions.py`.

use oxnp_core::{Array, DType, Order};
use oxnp_kernels::registry::{self, Ufunc};
use oxnp_kernels::{exec, reduce, stats};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use smallvec::SmallVec;
use std::sync::LazyLock;

use crate::dtype::optional_dtype;
use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, wrap};
use crate::scalar::element_to_scalar;
use crate::ufunc::{as_input_array, check_fpe, number_to_array, parse_where, reduce_loop, wrap_reduction_result};

struct Ufs {
    add: &'static Ufunc,
    multiply: &'static Ufunc,
    maximum: &'static Ufunc,
    minimum: &'static Ufunc,
}

static UFS: LazyLock<Ufs> = LazyLock::new(|| {
    let get = |n: &str| registry::get(n).unwrap_or_else(|| panic!("ufunc {n} is in the registry"));
    Ufs {
        add: get("add"),
        multiply: get("multiply"),
        maximum: get("maximum"),
        minimum: get("minimum"),
    }
});

/// The reduced axes as a mask; `None` (or Python None) means all of them.
fn axis_mask(axis: Option<&Bound<'_, PyAny>>, ndim: usize) -> PyResult<Vec<bool>> {
    let Some(axis) = axis.filter(|a| !a.is_none()) else {
        return Ok(vec![true; ndim]);
    };
    let mut mask = vec![false; ndim];
    let list: Vec<isize> = match axis.cast::<PyTuple>() {
        Ok(t) => t.extract()?,
        Err(_) => vec![axis.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "'{}' object cannot be interpreted as an integer",
                axis.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            ))
        })?],
    };
    for a in list {
        let k = oxnp_core::error::normalize_axis(a, ndim).py()?;
        if mask[k] {
            return Err(PyValueError::new_err("duplicate value in 'axis'"));
        }
        mask[k] = true;
    }
    Ok(mask)
}

/// The array an `out=` argument names, if any.
fn out_array<'py>(out: Option<&Bound<'py, PyAny>>) -> PyResult<Option<Bound<'py, PyNdArray>>> {
    let Some(o) = out.filter(|o| !o.is_none()) else { return Ok(None) };
    let o = match o.cast::<PyTuple>() {
        Ok(t) if t.len() == 1 => t.get_item(0)?,
        _ => o.clone(),
    };
    o.cast::<PyNdArray>()
        .map(|a| Some(a.clone()))
        .map_err(|_| PyTypeError::new_err("output must be an array"))
}

/// Returns `result` (keepdims shape, length 1 on reduced axes) as NumPy does: into `out`
/// when given, else with reduced axes dropped unless `keepdims`, 0-d as a scalar.
fn finish<'py>(
    py: Python<'py>,
    name: &str,
    result: Array,
    mask: &[bool],
    keepdims: bool,
    out: Option<Bound<'py, PyNdArray>>,
) -> PyResult<Bound<'py, PyAny>> {
    let shape: SmallVec<[usize; 4]> = (0..mask.len()).filter(|&k| keepdims || !mask[k]).map(|k| result.shape()[k]).collect();
    let strides: SmallVec<[isize; 4]> = (0..mask.len()).filter(|&k| keepdims || !mask[k]).map(|k| result.strides()[k]).collect();
    // SAFETY: only length-1 axes are dropped.
    let r = unsafe { result.view_unchecked(result.offset(), shape, strides, result.dtype()) };
    if let Some(o) = out {
        let target = o.get().arr().clone();
        if target.shape() != r.shape() {
            return Err(PyValueError::new_err(if target.ndim() != r.ndim() {
                format!(
                    "output parameter for reduction operation {name} has the wrong number of dimensions: Found {} but expected {}",
                    target.ndim(),
                    r.ndim()
                )
            } else {
                format!("output parameter for reduction operation {name} has a non-reduction dimension not equal to the input one.")
            }));
        }
        target.check_writeable().py()?;
        oxnp_core::cast::copy_into(&target, &r).py()?;
        return Ok(o.into_any());
    }
    if r.ndim() == 0 {
        return Ok(element_to_scalar(py, &r, 0)?.into_bound(py));
    }
    Ok(wrap(py, r)?.into_any())
}

/// `uf.reduce` with NumPy's function defaults (axis=None reduces everything).
#[allow(clippy::too_many_arguments)]
fn run_reduce<'py>(
    py: Python<'py>,
    uf: &'static Ufunc,
    x: Array,
    axis: Option<&Bound<'py, PyAny>>,
    dtype: Option<DType>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    initial: Option<&Bound<'py, PyAny>>,
    where_: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let mask = axis_mask(axis, x.ndim())?;
    let out = out_array(out)?;
    // Without dtype=, a given out= sets the dtype the reduction runs in.
    let dtype = dtype.or_else(|| out.as_ref().map(|o| o.get().arr().dtype()));
    let loop_idx = reduce_loop(uf, x.dtype(), dtype)?;
    let dt = uf.loops[loop_idx].outs[0];
    let kshape: SmallVec<[usize; 4]> = (0..x.ndim()).map(|k| if mask[k] { 1 } else { x.shape()[k] }).collect();
    let result = Array::empty(&kshape, dt, Order::C).py()?;
    let where_ = parse_where(where_)?;
    if let Some(w) = &where_ {
        exec::broadcast_shapes(&[w.shape(), x.shape()]).py()?;
    }
    let init = match initial.filter(|i| !i.is_none()) {
        Some(i) => Some(number_to_array(i, dt)?),
        None => reduce::identity_array(uf, dt).py()?,
    };
    let r = reduce::Reduce {
        uf,
        loop_idx,
        input: &x,
        axes: &mask,
        out: &result,
        initial: init.as_ref(),
        where_: where_.as_ref(),
    };
    let flags = if x.size() >= exec::PARALLEL_MIN { py.detach(|| reduce::reduce(&r)) } else { reduce::reduce(&r) }.py()?;
    check_fpe(py, "reduce", flags)?;
    finish(py, uf.name, result, &mask, keepdims, out)
}

fn truthy(k: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
    match k {
        Some(k) => k.is_truthy(),
        None => Ok(false),
    }
}

/// any/all: the input seen as bool, reduced by maximum/minimum from False/True (bool's
/// logical or/and, with an identity so empty and masked reductions work).
#[allow(clippy::too_many_arguments)]
fn logical<'py>(
    py: Python<'py>,
    any: bool,
    x: Array,
    axis: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: Option<&Bound<'py, PyAny>>,
    where_: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (uf, start) = if any { (UFS.maximum, false) } else { (UFS.minimum, true) };
    let init = pyo3::types::PyBool::new(py, start).to_owned().into_any();
    run_reduce(py, uf, x, axis, Some(DType::Bool), out, truthy(keepdims)?, Some(&init), where_)
}

/// argmin/argmax: int64 indices of the first extreme (first NaN) along `axis` or overall.
fn arg<'py>(
    py: Python<'py>,
    x: Array,
    axis: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    max: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let name = if max { "argmax" } else { "argmin" };
    let ax = match axis.filter(|a| !a.is_none()) {
        Some(a) => {
            let k: isize = a.extract()?;
            Some(oxnp_core::error::normalize_axis(k, x.ndim().max(1)).py()?)
        }
        None => None,
    };
    let was_0d = x.ndim() == 0;
    let x = if was_0d {
        // SAFETY: a 0-d array seen as one element along a new axis.
        unsafe { x.view_unchecked(x.offset(), [1usize].as_slice().into(), [0isize].as_slice().into(), x.dtype()) }
    } else {
        x
    };
    let empty = match ax {
        Some(k) => x.shape()[k] == 0,
        None => x.size() == 0,
    };
    if empty {
        return Err(PyValueError::new_err(format!("attempt to get {name} of an empty sequence")));
    }
    // The whole-array answer of a contiguous array: one index straight to a scalar.
    if ax.is_none() && !keepdims && !was_0d && out.is_none_or(|o| o.is_none()) && x.is_c_contiguous() {
        let flat = if x.size() >= exec::PARALLEL_MIN { py.detach(|| stats::arg_flat(&x, max)) } else { stats::arg_flat(&x, max) };
        if let Some(i) = flat {
            return Ok(crate::scalar::make_scalar(py, DType::Int64, crate::scalar::write_num(DType::Int64, oxnp_core::cast::Num::Int(i as i64)))?.into_bound(py));
        }
    }
    let idx = if x.size() >= exec::PARALLEL_MIN {
        py.detach(|| stats::arg_reduce(&x, ax, max))
    } else {
        stats::arg_reduce(&x, ax, max)
    }
    .py()?;
    let nd = if was_0d { 0 } else { x.ndim() };
    let mask: Vec<bool> = (0..nd).map(|k| ax.is_none_or(|a| a == k)).collect();
    let kshape: SmallVec<[usize; 4]> = (0..nd).map(|k| if mask[k] { 1 } else { x.shape()[k] }).collect();
    let result = Array::from_vec(&kshape, idx).py()?;
    let out = out_array(out)?;
    if let Some(o) = &out {
        if o.get().arr().dtype() != DType::Int64 {
            return Err(PyTypeError::new_err(format!(
                "Cannot cast array data from dtype('int64') to dtype('{}') according to the rule 'safe'",
                o.get().arr().dtype().name()
            )));
        }
    }
    finish(py, name, result, &mask, keepdims, out)
}

/// argmin/argmax's result of `src`'s class (as NumPy allocates it; a scalar stays one), or
/// the `out=` array as given.
fn arg_result<'py>(src: &Bound<'py, PyAny>, r: Bound<'py, PyAny>, out: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    if out.is_some_and(|o| !o.is_none()) {
        return Ok(r);
    }
    crate::subclass::keep_class_any(src, r, false)
}

/// NEP 18: when `a` is of a type (not an array or number) that defines `__array_function__`,
/// calls it as NumPy does — `(func, types, args, kwargs)` with the public function `oxnp.name`
/// — and returns its result. `Ok(None)`: no override, convert as usual.
pub(crate) fn dispatch_function<'py>(
    py: Python<'py>,
    name: &str,
    a: &Bound<'py, PyAny>,
    kwargs: &[(&str, Option<&Bound<'py, PyAny>>)],
) -> PyResult<Option<Bound<'py, PyAny>>> {
    use pyo3::types::{PyComplex, PyDict, PyFloat, PyInt, PyList};
    if a.is_instance_of::<PyNdArray>()
        || a.is_instance_of::<PyFloat>()
        || a.is_instance_of::<PyInt>()
        || a.is_instance_of::<PyComplex>()
        || a.is_instance_of::<PyList>()
        || a.is_instance_of::<PyTuple>()
    {
        return Ok(None);
    }
    let ty = a.get_type();
    match ty.getattr(pyo3::intern!(py, "__array_function__")) {
        Ok(m) if !m.is_none() && !crate::ufunc::from_numpy(&m) => {}
        _ => return Ok(None),
    }
    let func = py.import("oxnp")?.getattr(name)?;
    let types = PyTuple::new(py, [ty.clone()])?;
    let args = PyTuple::new(py, [a.clone()])?;
    let kw = PyDict::new(py);
    for (k, v) in kwargs {
        if let Some(v) = v {
            kw.set_item(*k, v)?;
        }
    }
    let r = a.call_method1(pyo3::intern!(py, "__array_function__"), (func, types, args, kw))?;
    if r.is(&py.NotImplemented()) {
        return Err(PyTypeError::new_err(format!(
            "no implementation found for 'numpy.{name}' on types that implement __array_function__: [{}]",
            ty.repr()?
        )));
    }
    Ok(Some(r))
}

macro_rules! reduce_fn {
    ($fname:ident, $pyname:literal, $uf:ident) => {
        #[pyfunction]
        #[pyo3(name = $pyname, signature = (a, axis=None, dtype=None, out=None, keepdims=None, initial=None, r#where=None))]
        #[allow(clippy::too_many_arguments)]
        fn $fname<'py>(
            py: Python<'py>,
            a: &Bound<'py, PyAny>,
            axis: Option<&Bound<'py, PyAny>>,
            dtype: Option<&Bound<'py, PyAny>>,
            out: Option<&Bound<'py, PyAny>>,
            keepdims: Option<&Bound<'py, PyAny>>,
            initial: Option<&Bound<'py, PyAny>>,
            r#where: Option<&Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyAny>> {
            let kw = [("axis", axis), ("dtype", dtype), ("out", out), ("keepdims", keepdims), ("initial", initial), ("where", r#where)];
            if let Some(r) = dispatch_function(py, $pyname, a, &kw)? {
                return Ok(r);
            }
            let x = as_input_array(a)?;
            let r = run_reduce(py, UFS.$uf, x, axis, optional_dtype(dtype)?, out, truthy(keepdims)?, initial, r#where)?;
            wrap_reduction_result(a, r, out)
        }
    };
}
reduce_fn!(sum, "sum", add);
reduce_fn!(prod, "prod", multiply);

macro_rules! extreme_fn {
    ($fname:ident, $pyname:literal, $uf:ident) => {
        #[pyfunction]
        #[pyo3(name = $pyname, signature = (a, axis=None, out=None, keepdims=None, initial=None, r#where=None))]
        fn $fname<'py>(
            py: Python<'py>,
            a: &Bound<'py, PyAny>,
            axis: Option<&Bound<'py, PyAny>>,
            out: Option<&Bound<'py, PyAny>>,
            keepdims: Option<&Bound<'py, PyAny>>,
            initial: Option<&Bound<'py, PyAny>>,
            r#where: Option<&Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyAny>> {
            let kw = [("axis", axis), ("out", out), ("keepdims", keepdims), ("initial", initial), ("where", r#where)];
            if let Some(r) = dispatch_function(py, $pyname, a, &kw)? {
                return Ok(r);
            }
            let x = as_input_array(a)?;
            let r = run_reduce(py, UFS.$uf, x, axis, None, out, truthy(keepdims)?, initial, r#where)?;
            wrap_reduction_result(a, r, out)
        }
    };
}
extreme_fn!(amax, "amax", maximum);
extreme_fn!(amin, "amin", minimum);
extreme_fn!(max_, "max", maximum);
extreme_fn!(min_, "min", minimum);

#[pyfunction]
#[pyo3(signature = (a, axis=None, out=None, keepdims=None, *, r#where=None))]
fn any<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    axis: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: Option<&Bound<'py, PyAny>>,
    r#where: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let r = logical(py, true, as_input_array(a)?, axis, out, keepdims, r#where)?;
    wrap_reduction_result(a, r, out)
}

#[pyfunction]
#[pyo3(signature = (a, axis=None, out=None, keepdims=None, *, r#where=None))]
fn all<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    axis: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: Option<&Bound<'py, PyAny>>,
    r#where: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let r = logical(py, false, as_input_array(a)?, axis, out, keepdims, r#where)?;
    wrap_reduction_result(a, r, out)
}

macro_rules! arg_fn {
    ($fname:ident, $pyname:literal, $is_max:expr) => {
        #[pyfunction]
        #[pyo3(name = $pyname, signature = (a, axis=None, out=None, *, keepdims=false))]
        fn $fname<'py>(
            py: Python<'py>,
            a: &Bound<'py, PyAny>,
            axis: Option<&Bound<'py, PyAny>>,
            out: Option<&Bound<'py, PyAny>>,
            keepdims: bool,
        ) -> PyResult<Bound<'py, PyAny>> {
            let kd = keepdims.then(|| pyo3::types::PyBool::new(py, true).to_owned().into_any());
            if let Some(r) = dispatch_function(py, $pyname, a, &[("axis", axis), ("out", out), ("keepdims", kd.as_ref())])? {
                return Ok(r);
            }
            let r = arg(py, as_input_array(a)?, axis, out, keepdims, $is_max)?;
            arg_result(a, r, out)
        }
    };
}
arg_fn!(argmax, "argmax", true);
arg_fn!(argmin, "argmin", false);

/// A copy of `a` sorted along `axis` (NaNs last), for median and the quantiles.
#[pyfunction]
fn _sorted_along<'py>(py: Python<'py>, a: &Bound<'py, PyAny>, axis: isize) -> PyResult<Bound<'py, PyNdArray>> {
    let x = as_input_array(a)?;
    let k = oxnp_core::error::normalize_axis(axis, x.ndim()).py()?;
    let s = stats::sorted_axis_last(&x, k).py()?;
    // Move the sorted (last) axis back to position k.
    let nd = s.ndim();
    let mut perm: Vec<usize> = (0..nd - 1).collect();
    perm.insert(k, nd - 1);
    let shape: SmallVec<[usize; 4]> = perm.iter().map(|&p| s.shape()[p]).collect();
    let strides: SmallVec<[isize; 4]> = perm.iter().map(|&p| s.strides()[p]).collect();
    // SAFETY: a permutation of the sorted array's own geometry.
    let v = unsafe { s.view_unchecked(s.offset(), shape, strides, s.dtype()) };
    wrap(py, v)
}

#[pymethods]
impl PyNdArray {
    #[pyo3(signature = (axis=None, dtype=None, out=None, keepdims=None, initial=None, r#where=None))]
    #[allow(clippy::too_many_arguments)]
    fn sum<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: Option<&Bound<'py, PyAny>>,
        initial: Option<&Bound<'py, PyAny>>,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let r = run_reduce(py, UFS.add, slf.get().arr().clone(), axis, optional_dtype(dtype)?, out, truthy(keepdims)?, initial, r#where)?;
        wrap_reduction_result(slf.as_any(), r, out)
    }

    #[pyo3(signature = (axis=None, dtype=None, out=None, keepdims=None, initial=None, r#where=None))]
    #[allow(clippy::too_many_arguments)]
    fn prod<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: Option<&Bound<'py, PyAny>>,
        initial: Option<&Bound<'py, PyAny>>,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let r = run_reduce(py, UFS.multiply, slf.get().arr().clone(), axis, optional_dtype(dtype)?, out, truthy(keepdims)?, initial, r#where)?;
        wrap_reduction_result(slf.as_any(), r, out)
    }

    #[pyo3(signature = (axis=None, out=None, keepdims=None, initial=None, r#where=None))]
    fn max<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: Option<&Bound<'py, PyAny>>,
        initial: Option<&Bound<'py, PyAny>>,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let r = run_reduce(py, UFS.maximum, slf.get().arr().clone(), axis, None, out, truthy(keepdims)?, initial, r#where)?;
        wrap_reduction_result(slf.as_any(), r, out)
    }

    #[pyo3(signature = (axis=None, out=None, keepdims=None, initial=None, r#where=None))]
    fn min<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: Option<&Bound<'py, PyAny>>,
        initial: Option<&Bound<'py, PyAny>>,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let r = run_reduce(py, UFS.minimum, slf.get().arr().clone(), axis, None, out, truthy(keepdims)?, initial, r#where)?;
        wrap_reduction_result(slf.as_any(), r, out)
    }

    #[pyo3(signature = (axis=None, out=None, keepdims=None, *, r#where=None))]
    fn any<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: Option<&Bound<'py, PyAny>>,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let r = logical(py, true, slf.get().arr().clone(), axis, out, keepdims, r#where)?;
        wrap_reduction_result(slf.as_any(), r, out)
    }

    #[pyo3(signature = (axis=None, out=None, keepdims=None, *, r#where=None))]
    fn all<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: Option<&Bound<'py, PyAny>>,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let r = logical(py, false, slf.get().arr().clone(), axis, out, keepdims, r#where)?;
        wrap_reduction_result(slf.as_any(), r, out)
    }

    #[pyo3(signature = (axis=None, out=None, *, keepdims=false))]
    fn argmax<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let r = arg(py, slf.get().arr().clone(), axis, out, keepdims, true)?;
        arg_result(slf.as_any(), r, out)
    }

    #[pyo3(signature = (axis=None, out=None, *, keepdims=false))]
    fn argmin<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let r = arg(py, slf.get().arr().clone(), axis, out, keepdims, false)?;
        arg_result(slf.as_any(), r, out)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sum, m)?)?;
    m.add_function(wrap_pyfunction!(prod, m)?)?;
    m.add_function(wrap_pyfunction!(amax, m)?)?;
    m.add_function(wrap_pyfunction!(amin, m)?)?;
    m.add_function(wrap_pyfunction!(max_, m)?)?;
    m.add_function(wrap_pyfunction!(min_, m)?)?;
    m.add_function(wrap_pyfunction!(any, m)?)?;
    m.add_function(wrap_pyfunction!(all, m)?)?;
    m.add_function(wrap_pyfunction!(argmax, m)?)?;
    m.add_function(wrap_pyfunction!(argmin, m)?)?;
    m.add_function(wrap_pyfunction!(_sorted_along, m)?)?;
    Ok(())
}
