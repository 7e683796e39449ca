//! File I/O methods of `ndarray` (`tofile`, `dump`, `dumps`). The work is done in Python by
//! `python/oxnp/_npyio.py`; these methods only forward to it.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::ndarray::PyNdArray;

fn forward<'py>(
    slf: &Bound<'py, PyNdArray>,
    name: &str,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = slf.py();
    let mut all = vec![slf.clone().into_any()];
    all.extend(args.iter());
    py.import("oxnp._npyio")?.getattr(name)?.call(PyTuple::new(py, all)?, kwargs)
}

#[pymethods]
impl PyNdArray {
    /// `a.tofile(fid, sep="", format="%s")`.
    #[pyo3(signature = (*args, **kwargs))]
    fn tofile<'py>(
        slf: &Bound<'py, Self>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        forward(slf, "_method_tofile", args, kwargs)
    }

    /// `a.dump(file)`: pickle the array into a file.
    #[pyo3(signature = (*args, **kwargs))]
    fn dump<'py>(
        slf: &Bound<'py, Self>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        forward(slf, "_method_dump", args, kwargs)
    }

    /// `a.dumps()`: the pickle of the array as bytes.
    #[pyo3(signature = (*args, **kwargs))]
    fn dumps<'py>(
        slf: &Bound<'py, Self>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        forward(slf, "_method_dumps", args, kwargs)
    }
}

pub fn register(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
