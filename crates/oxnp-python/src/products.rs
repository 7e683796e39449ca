//! Matrix and vector products: `matmul` (and the `@` operators), `dot` (function and method),
//! `vdot`, `inner`. The shape rules and kernels live in `oxnp_kernels::matmul`; this file
//! parses arguments, releases the GIL for big products and wraps results.

use oxnp_core::shape::moveaxis;
use oxnp_core::{Array, Casting, DType};
use oxnp_kernels::matmul;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::convert::array_from_py;
use crate::dtype::optional_dtype;
use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, wrap};
use crate::scalar::element_to_scalar;

fn parse_casting(s: &str) -> PyResult<Casting> {
    Casting::parse(s).map_err(|_| {
        PyValueError::new_err(format!(
            "casting must be one of 'no', 'equiv', 'safe', 'same_kind', or 'unsafe' (got '{s}')"
        ))
    })
}

/// The `out=` argument of a one-output gufunc: an ndarray, a 1-tuple of one, or None.
fn parse_out<'py>(out: Option<&Bound<'py, PyAny>>) -> PyResult<Option<Bound<'py, PyNdArray>>> {
    let Some(o) = out.filter(|o| !o.is_none()) else { return Ok(None) };
    let o = match o.cast::<PyTuple>() {
        Ok(t) if t.len() == 1 => t.get_item(0)?,
        Ok(_) => {
            return Err(PyValueError::new_err("The 'out' tuple must have exactly one entry per ufunc output"));
        }
        Err(_) => o.clone(),
    };
    if o.is_none() {
        return Ok(None);
    }
    o.cast::<PyNdArray>()
        .map(|a| Some(a.clone()))
        .map_err(|_| PyTypeError::new_err("return arrays must be of ArrayType"))
}

/// Runs `f` without the GIL when the product is big.
fn run<T: Send>(py: Python<'_>, big: bool, f: impl FnOnce() -> oxnp_core::Result<T> + Send) -> PyResult<T> {
    if big { py.detach(f).py() } else { f().py() }
}

/// A result array as Python returns it: 0-d becomes a scalar.
fn finish<'py>(py: Python<'py>, r: Array) -> PyResult<Bound<'py, PyAny>> {
    if r.ndim() == 0 {
        return Ok(element_to_scalar(py, &r, 0)?.into_bound(py));
    }
    Ok(wrap(py, r)?.into_any())
}

/// One entry of `axes=`: a tuple of ints (or one int) naming an operand's core axes.
fn axes_entry(item: &Bound<'_, PyAny>) -> PyResult<Vec<isize>> {
    if let Ok(i) = item.extract::<isize>() {
        return Ok(vec![i]);
    }
    item.extract::<Vec<isize>>()
        .map_err(|_| PyTypeError::new_err("axes item must be a tuple of ints"))
}

/// `x` with its core axes (named by `axes`) moved to the end.
fn core_last(x: &Array, axes: &[isize]) -> PyResult<Array> {
    let nd = x.ndim();
    let ncore = if nd == 1 { 1 } else { 2.min(nd) };
    if axes.len() != ncore {
        return Err(PyValueError::new_err(format!(
            "axes item should have {ncore} entries for an operand with {nd} dimension(s), got {}",
            axes.len()
        )));
    }
    let dst: Vec<isize> = (0..ncore).map(|k| k as isize - ncore as isize).collect();
    moveaxis(x, axes, &dst).py()
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn matmul_impl<'py>(
    py: Python<'py>,
    x1: &Bound<'py, PyAny>,
    x2: &Bound<'py, PyAny>,
    out: Option<Bound<'py, PyNdArray>>,
    dtype: Option<DType>,
    casting: Casting,
    axes: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut a = array_from_py(x1)?;
    let mut b = array_from_py(x2)?;
    let mut out_arr = out.as_ref().map(|o| o.get().arr().clone());
    let mut out_axes: Option<Vec<isize>> = None;
    if let Some(ax) = axes.filter(|a| !a.is_none()) {
        let items: Vec<Bound<'py, PyAny>> = ax.try_iter()?.collect::<PyResult<_>>()?;
        if items.len() != 3 {
            return Err(PyValueError::new_err(format!(
                "axes should be a list with an entry for all 3 inputs and outputs; entries for outputs can only be omitted if none of them has core axes."
            )));
        }
        for (i, x) in [&mut a, &mut b].into_iter().enumerate() {
            if x.ndim() > 0 {
                *x = core_last(x, &axes_entry(&items[i])?)?;
            }
        }
        let oa = axes_entry(&items[2])?;
        if let Some(o) = out_arr.as_mut() {
            *o = core_last(o, &oa)?;
        }
        out_axes = Some(oa);
    }
    let big = matmul::matmul_flops(&a, &b) >= matmul::DETACH_FLOPS;
    let r = run(py, big, || matmul::matmul(&a, &b, out_arr.as_ref(), dtype, casting))?;
    crate::ufunc::check_fpe(py, "matmul", matmul::inferred_fp_flags(&a, &b, &r))?;
    if let Some(o) = out {
        return Ok(o.into_any());
    }
    match out_axes {
        Some(oa) if r.ndim() > 0 => {
            let ncore = oa.len();
            let src: Vec<isize> = (0..ncore).map(|k| k as isize - ncore as isize).collect();
            finish(py, moveaxis(&r, &src, &oa).py()?)
        }
        _ => finish(py, r),
    }
}

/// `matmul(x1, x2, /, out=None, *, casting='same_kind', order='K', dtype=None, subok=True,
/// signature=None, axes=None, axis=None)`.
#[pyfunction(name = "matmul")]
#[pyo3(signature = (x1, x2, /, out=None, *, casting="same_kind", order="K", dtype=None, subok=true, signature=None, axes=None, axis=None))]
#[allow(clippy::too_many_arguments, unused_variables)]
fn matmul_py<'py>(
    py: Python<'py>,
    x1: &Bound<'py, PyAny>,
    x2: &Bound<'py, PyAny>,
    out: Option<&Bound<'py, PyAny>>,
    casting: &str,
    order: &str,
    dtype: Option<&Bound<'py, PyAny>>,
    subok: bool,
    signature: Option<&Bound<'py, PyAny>>,
    axes: Option<&Bound<'py, PyAny>>,
    axis: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    if axis.is_some_and(|a| !a.is_none()) {
        return Err(PyTypeError::new_err("matmul: axis can only be used with a single shared core dimension, not with the 3 distinct ones implied by signature (n?,k),(k,m?)->(n?,m?)."));
    }
    let casting = parse_casting(casting)?;
    let mut dtype = optional_dtype(dtype)?;
    if dtype.is_none() {
        if let Some(sig) = signature.filter(|s| !s.is_none()) {
            dtype = signature_dtype(sig)?;
        }
    }
    matmul_impl(py, x1, x2, parse_out(out)?, dtype, casting, axes)
}

/// The output dtype named by a `signature=` (a tuple or a 'dd->d' string).
fn signature_dtype(sig: &Bound<'_, PyAny>) -> PyResult<Option<DType>> {
    if let Ok(s) = sig.extract::<String>() {
        let c = s.chars().last().unwrap_or(' ');
        return Ok(DType::ALL.into_iter().find(|d| d.char() == c));
    }
    if let Ok(t) = sig.cast::<PyTuple>() {
        if let Some(last) = t.iter().last() {
            return optional_dtype(Some(&last));
        }
    }
    Ok(None)
}

/// Calls the `multiply` ufunc (dot and inner with a scalar operand).
fn multiply<'py>(py: Python<'py>, a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>, out: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    let f = py.import("oxnp")?.getattr("multiply")?;
    match out.filter(|o| !o.is_none()) {
        Some(o) => {
            let kw = PyDict::new(py);
            kw.set_item("out", o)?;
            f.call((a, b), Some(&kw))
        }
        None => f.call1((a, b)),
    }
}

pub(crate) fn dot_impl<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
    out: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let aa = array_from_py(a)?;
    let bb = array_from_py(b)?;
    if aa.ndim() == 0 || bb.ndim() == 0 {
        // dot converts Python scalars to arrays first: they are strong (no NEP 50 weakness).
        return multiply(py, wrap(py, aa)?.as_any(), wrap(py, bb)?.as_any(), out);
    }
    let big = matmul::matmul_flops(&aa, &bb) >= matmul::DETACH_FLOPS;
    let r = run(py, big, || matmul::dot(&aa, &bb))?;
    crate::ufunc::check_fpe(py, "dot", matmul::inferred_fp_flags(&aa, &bb, &r))?;
    with_out(py, r, out)
}

/// NumPy's `dot`/`inner` `out=`: exactly the result's dtype and shape, C-contiguous.
fn with_out<'py>(py: Python<'py>, r: Array, out: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    let Some(o) = out.filter(|o| !o.is_none()) else { return finish(py, r) };
    let bad = || PyValueError::new_err("output array is not acceptable (must have the right datatype, number of dimensions, and be a C-Array)");
    let oa = o.cast::<PyNdArray>().map_err(|_| PyTypeError::new_err("'out' must be an array"))?;
    let target = oa.get().arr().clone();
    if target.dtype() != r.dtype() || target.shape() != r.shape() || !target.is_c_contiguous() {
        return Err(bad());
    }
    target.check_writeable().py()?;
    oxnp_core::cast::copy_into(&target, &r).py()?;
    Ok(o.clone())
}

/// `dot(a, b, out=None)`.
#[pyfunction]
#[pyo3(signature = (a, b, out=None))]
fn dot<'py>(py: Python<'py>, a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>, out: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    dot_impl(py, a, b, out)
}

/// `vdot(a, b, /)`.
#[pyfunction]
#[pyo3(signature = (a, b, /))]
fn vdot<'py>(py: Python<'py>, a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let aa = array_from_py(a)?;
    let bb = array_from_py(b)?;
    let big = aa.size() >= matmul::DETACH_FLOPS;
    let r = run(py, big, || matmul::vdot(&aa, &bb))?;
    finish(py, r)
}

/// `inner(a, b, /)`.
#[pyfunction]
#[pyo3(signature = (a, b, /))]
fn inner<'py>(py: Python<'py>, a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let aa = array_from_py(a)?;
    let bb = array_from_py(b)?;
    if aa.ndim() == 0 || bb.ndim() == 0 {
        return multiply(py, wrap(py, aa)?.as_any(), wrap(py, bb)?.as_any(), None);
    }
    let big = matmul::matmul_flops(&aa, &bb) >= matmul::DETACH_FLOPS;
    let r = run(py, big, || matmul::inner(&aa, &bb))?;
    crate::ufunc::check_fpe(py, "dot", matmul::inferred_fp_flags(&aa, &bb, &r))?;
    finish(py, r)
}

/// Whether `@` should hand over to the other operand's reflected method.
fn defers(other: &Bound<'_, PyAny>) -> bool {
    if other.is_instance_of::<PyNdArray>() {
        return false;
    }
    let py = other.py();
    if let Ok(v) = other.getattr(pyo3::intern!(py, "__array_ufunc__")) {
        if v.is_none() {
            return true;
        }
    }
    array_from_py(other).is_err()
}

#[pymethods]
impl PyNdArray {
    fn __matmul__<'py>(slf: &Bound<'py, Self>, o: &Bound<'py, PyAny>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        if defers(o) {
            return Ok(py.NotImplemented());
        }
        Ok(matmul_impl(py, slf.as_any(), o, None, None, Casting::SameKind, None)?.unbind())
    }

    fn __rmatmul__<'py>(slf: &Bound<'py, Self>, o: &Bound<'py, PyAny>) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        if defers(o) {
            return Ok(py.NotImplemented());
        }
        Ok(matmul_impl(py, o, slf.as_any(), None, None, Casting::SameKind, None)?.unbind())
    }

    /// `a @= b`: `matmul(a, b, out=a)`, which needs `b` to be at least 2-D and raises when
    /// the product's shape is not `a`'s.
    fn __imatmul__<'py>(slf: &Bound<'py, Self>, o: &Bound<'py, PyAny>) -> PyResult<()> {
        let py = slf.py();
        if defers(o) {
            return Err(PyTypeError::new_err(format!(
                "unsupported operand type(s) for @=: 'ndarray' and '{}'",
                o.get_type().name()?
            )));
        }
        let b = array_from_py(o)?;
        if slf.get().arr().ndim() == 0 || b.ndim() < 2 {
            return Err(PyValueError::new_err(
                "inplace matrix multiplication requires the first operand to have at least one and the second at least two dimensions.",
            ));
        }
        matmul_impl(py, slf.as_any(), o, Some(slf.clone()), None, Casting::SameKind, None)?;
        Ok(())
    }

    #[pyo3(name = "dot", signature = (b, out=None))]
    fn dot_method<'py>(slf: &Bound<'py, Self>, b: &Bound<'py, PyAny>, out: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        dot_impl(slf.py(), slf.as_any(), b, out)
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(matmul_py, m)?)?;
    m.add_function(wrap_pyfunction!(dot, m)?)?;
    m.add_function(wrap_pyfunction!(vdot, m)?)?;
    m.add_function(wrap_pyfunction!(inner, m)?)?;
    Ok(())
}
