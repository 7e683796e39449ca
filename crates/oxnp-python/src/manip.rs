//! Joining and selection primitives: `concatenate`, `nonzero` (function and method), and the
//! kernels behind `where` and `take` that `python/oxnp/_manip.py` builds its composites on.

use oxnp_core::broadcast::{broadcast_shapes, broadcast_view};
use oxnp_core::cast::{can_cast, cast_error};
use oxnp_core::error::normalize_axis;
use oxnp_core::promote::promote_types;
use oxnp_core::shape::{AnyOrder, ravel};
use oxnp_core::{Array, Casting, DType, Kind, Order, Shape, Strides};
use oxnp_kernels::select;
use pyo3::exceptions::{PyIndexError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};

use crate::convert::array_from_py;
use crate::dtype::optional_dtype;
use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, wrap, wrap_view};

fn casting_from(s: &str) -> PyResult<Casting> {
    match s {
        "no" => Ok(Casting::No),
        "equiv" => Ok(Casting::Equiv),
        "safe" => Ok(Casting::Safe),
        "same_kind" => Ok(Casting::SameKind),
        "unsafe" => Ok(Casting::Unsafe),
        _ => Err(PyValueError::new_err(format!(
            "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe' (got '{s}')"
        ))),
    }
}

/// `concatenate((a1, a2, ...), axis=0, out=None, dtype=None, casting="same_kind")`.
#[pyfunction]
#[pyo3(signature = (arrays, /, axis = Some(0), out = None, *, dtype = None, casting = "same_kind"))]
fn concatenate<'py>(
    py: Python<'py>,
    arrays: &Bound<'py, PyAny>,
    axis: Option<isize>,
    out: Option<&Bound<'py, PyNdArray>>,
    dtype: Option<&Bound<'py, PyAny>>,
    casting: &str,
) -> PyResult<Bound<'py, PyNdArray>> {
    let casting = casting_from(casting)?;
    let dtype = optional_dtype(dtype)?;
    if out.is_some() && dtype.is_some() {
        return Err(PyTypeError::new_err(
            "concatenate() only takes `out` or `dtype` as an argument, but both were provided.",
        ));
    }
    let mut parts = Vec::new();
    for item in arrays.try_iter()? {
        let a = array_from_py(&item?)?;
        parts.push(if axis.is_none() { ravel(&a, AnyOrder::C).py()?.0 } else { a });
    }
    let Some(first) = parts.first() else {
        return Err(PyValueError::new_err("need at least one array to concatenate"));
    };
    let nd = first.ndim();
    if nd == 0 {
        return Err(PyValueError::new_err("zero-dimensional arrays cannot be concatenated"));
    }
    let ax = normalize_axis(axis.unwrap_or(0), nd).py()?;
    let mut shape: Vec<usize> = first.shape().to_vec();
    for (i, p) in parts.iter().enumerate().skip(1) {
        if p.ndim() != nd {
            return Err(PyValueError::new_err(format!(
                "all the input arrays must have same number of dimensions, but the array at index 0 \
                 has {nd} dimension(s) and the array at index {i} has {} dimension(s)",
                p.ndim()
            )));
        }
        for d in 0..nd {
            if d == ax {
                shape[d] += p.shape()[d];
            } else if p.shape()[d] != first.shape()[d] {
                return Err(PyValueError::new_err(format!(
                    "all the input array dimensions except for the concatenation axis must match \
                     exactly, but along dimension {d}, the array at index 0 has size {} and the \
                     array at index {i} has size {}",
                    first.shape()[d],
                    p.shape()[d]
                )));
            }
        }
    }
    let common = parts.iter().skip(1).fold(first.dtype(), |acc, p| promote_types(acc, p.dtype()));
    let target = match (out, dtype) {
        (Some(o), _) => o.get().arr().dtype(),
        (None, Some(d)) => d,
        (None, None) => common,
    };
    for p in &parts {
        if !can_cast(p.dtype(), target, casting) {
            return Err(cast_error(p.dtype(), target, casting)).py();
        }
    }
    let result = match out {
        Some(o) => {
            let arr = o.get().arr().clone();
            if arr.shape() != shape.as_slice() {
                return Err(PyValueError::new_err("Output array is the wrong shape"));
            }
            arr
        }
        None => Array::empty(&shape, target, Order::C).py()?,
    };
    select::concat_into(&result, &parts, ax).py()?;
    match out {
        Some(o) => Ok(o.clone()),
        None => wrap(py, result),
    }
}

/// The index arrays of the non-zero elements (one per axis; a 0-d input counts as 1-d).
fn nonzero_tuple<'py>(py: Python<'py>, a: &Array) -> PyResult<Bound<'py, PyTuple>> {
    if a.ndim() == 0 {
        return Err(PyValueError::new_err(
            "Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead.",
        ));
    }
    let cols = select::nonzero(a).py()?;
    let objs = cols.into_iter().map(|c| wrap(py, c)).collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(py, objs)
}

/// `nonzero(a)`.
#[pyfunction]
fn nonzero<'py>(py: Python<'py>, a: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    nonzero_tuple(py, &array_from_py(a)?)
}

/// Calls the Python composite `<module>.<name>(slf, *args, **kwargs)` (looked up once, into
/// `function`): the methods that NumPy defines as the same function as the module-level one.
fn call_composite<'py>(
    slf: &Bound<'py, PyNdArray>,
    function: &PyOnceLock<Py<PyAny>>,
    module: &str,
    name: &str,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = slf.py();
    let mut all = vec![slf.clone().into_any()];
    all.extend(args.iter());
    let result = function.import(py, module, name)?.call(PyTuple::new(py, all)?, kwargs)?;
    // NumPy's methods return the caller's class; its statistics give 0-d arrays of it.
    crate::subclass::keep_class_any(slf.as_any(), result, matches!(name, "mean" | "var" | "std"))
}

macro_rules! composite_methods {
    ($($name:ident => $module:literal . $function:literal),* $(,)?) => {
        #[pymethods]
        impl PyNdArray {
            #[pyo3(name = "nonzero")]
            fn nonzero_method<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
                nonzero_tuple(py, self.arr())
            }
            $(
                #[pyo3(signature = (*args, **kwargs))]
                fn $name<'py>(
                    slf: &Bound<'py, Self>,
                    args: &Bound<'py, PyTuple>,
                    kwargs: Option<&Bound<'py, PyDict>>,
                ) -> PyResult<Bound<'py, PyAny>> {
                    static FUNCTION: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
                    call_composite(slf, &FUNCTION, $module, $function, args, kwargs)
                }
            )*
        }
    };
}

composite_methods!(
    clip => "oxnp._manip"."_method_clip",
    round => "oxnp._manip"."_method_round",
    diagonal => "oxnp._manip"."_method_diagonal",
    trace => "oxnp._manip"."_method_trace",
    take => "oxnp._manip"."_method_take",
    put => "oxnp._manip"."_method_put",
    repeat => "oxnp._manip"."_method_repeat",
    compress => "oxnp._manip"."_method_compress",
    choose => "oxnp._manip"."_method_choose",
    mean => "oxnp._reductions"."mean",
    var => "oxnp._reductions"."var",
    std => "oxnp._reductions"."std",
    cumsum => "oxnp._reductions"."cumsum",
    cumprod => "oxnp._reductions"."cumprod",
    conj => "oxnp._manip"."_method_conj",
    conjugate => "oxnp._manip"."_method_conj",
);

#[pymethods]
impl PyNdArray {
    /// `operator.concat(a, b)`: arrays are not sequences that concatenate (NumPy's error; `+`
    /// stays the ufunc, which Python tries first).
    fn __concat__(&self, _other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        Err(PyTypeError::new_err(
            "Concatenation operation is not implemented for NumPy arrays, use np.concatenate() \
             instead. Please do not rely on this error; it may not be given on all Python \
             implementations.",
        ))
    }
}

/// `a.diagonal(offset, axis1, axis2)`: a read-only view whose last axis walks the diagonal.
#[pyfunction]
#[pyo3(signature = (a, offset = 0, axis1 = 0, axis2 = 1))]
fn _diagonal_view<'py>(
    a: &Bound<'py, PyNdArray>,
    offset: isize,
    axis1: isize,
    axis2: isize,
) -> PyResult<Bound<'py, PyNdArray>> {
    let arr = a.get().arr().clone();
    let nd = arr.ndim();
    if nd < 2 {
        return Err(PyValueError::new_err("diag requires an array of at least two dimensions"));
    }
    let ax1 = normalize_axis(axis1, nd).py()?;
    let ax2 = normalize_axis(axis2, nd).py()?;
    if ax1 == ax2 {
        return Err(PyValueError::new_err("axis1 and axis2 cannot be the same"));
    }
    let (n1, n2) = (arr.shape()[ax1] as isize, arr.shape()[ax2] as isize);
    let (s1, s2) = (arr.strides()[ax1], arr.strides()[ax2]);
    let (start, len) = if offset >= 0 {
        (offset * s2, (n2 - offset).min(n1).max(0))
    } else {
        (-offset * s1, (n1 + offset).min(n2).max(0))
    };
    let mut shape: Shape = Shape::new();
    let mut strides: Strides = Strides::new();
    for d in 0..nd {
        if d != ax1 && d != ax2 {
            shape.push(arr.shape()[d]);
            strides.push(arr.strides()[d]);
        }
    }
    shape.push(len as usize);
    strides.push(s1 + s2);
    let off = if len > 0 { arr.offset() as isize + start } else { arr.offset() as isize };
    // SAFETY: the diagonal's len elements lie inside the (ax1, ax2) plane of arr.
    let mut view = unsafe { arr.view_unchecked(off as usize, shape, strides, arr.dtype()) };
    view.set_writeable(false).py()?;
    wrap_view(a, view)
}

/// `where(cond, x, y)` after dtype resolution: `x` and `y` already of one dtype.
#[pyfunction]
fn _where3<'py>(
    py: Python<'py>,
    cond: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
    y: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let c = array_from_py(cond)?;
    let (x, y) = (array_from_py(x)?, array_from_py(y)?);
    let c = if c.dtype() == DType::Bool { c } else { select::truth(&c).py()? };
    let shape = broadcast_shapes(&[c.shape(), x.shape(), y.shape()]).py()?;
    let out = Array::empty(&shape, x.dtype(), Order::C).py()?;
    let y = if y.dtype() == x.dtype() { y } else { oxnp_core::cast::astype(&y, x.dtype(), Casting::Unsafe).py()? };
    let (cb, xb, yb) = (broadcast_view(&c, &shape).py()?, broadcast_view(&x, &shape).py()?, broadcast_view(&y, &shape).py()?);
    if out.size() > 1 << 16 {
        py.detach(|| select::where_into(&out, &cb, &xb, &yb)).py()?;
    } else {
        select::where_into(&out, &cb, &xb, &yb).py()?;
    }
    wrap(py, out)
}

/// `take(a, indices, axis, mode)` without `out=`: a gather along one axis (the flattened array
/// when `axis` is None) with NumPy's index modes 'raise', 'wrap' and 'clip'.
#[pyfunction]
#[pyo3(signature = (a, indices, axis = None, mode = "raise"))]
fn _take<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    indices: &Bound<'py, PyAny>,
    axis: Option<isize>,
    mode: &str,
) -> PyResult<Bound<'py, PyNdArray>> {
    let a = array_from_py(a)?;
    let (a, ax) = match axis {
        None => (ravel(&a, AnyOrder::C).py()?.0, 0),
        Some(ax) => {
            let nd = a.ndim();
            (a, normalize_axis(ax, nd).py()?)
        }
    };
    let idx = array_from_py(indices)?;
    if !matches!(idx.dtype().kind(), Kind::Int | Kind::UInt | Kind::Bool) {
        return Err(cast_error(idx.dtype(), DType::Int64, Casting::Safe)).py();
    }
    let idx = oxnp_core::cast::astype(&idx, DType::Int64, Casting::Unsafe).py()?;
    let values = idx.as_slice::<i64>().ok_or_else(|| PyValueError::new_err("take: index conversion failed"))?;
    let n = a.shape()[ax] as i64;
    if n == 0 && !values.is_empty() && mode != "raise" {
        return Err(PyIndexError::new_err("cannot do a non-empty take from an empty axes."));
    }
    let mut pos = Vec::with_capacity(values.len());
    for &i in values {
        let j = match mode {
            "raise" => {
                if i < -n || i >= n {
                    return Err(PyIndexError::new_err(format!(
                        "index {i} is out of bounds for axis {ax} with size {n}"
                    )));
                }
                if i < 0 { i + n } else { i }
            }
            "wrap" => i.rem_euclid(n),
            "clip" => i.clamp(0, n - 1),
            _ => {
                return Err(PyValueError::new_err(format!(
                    "clipmode must be one of 'clip', 'raise', or 'wrap' (got '{mode}')"
                )));
            }
        };
        pos.push(j as usize);
    }
    wrap(py, select::take_axis(&a, &pos, idx.shape(), ax).py()?)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(concatenate, m)?)?;
    m.add_function(wrap_pyfunction!(nonzero, m)?)?;
    m.add_function(wrap_pyfunction!(_where3, m)?)?;
    m.add_function(wrap_pyfunction!(_take, m)?)?;
    m.add_function(wrap_pyfunction!(_diagonal_view, m)?)?;
    Ok(())
}
