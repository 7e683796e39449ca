//! File I/O methods of `ndarray` (`tofile`, `dump`, `dumps`). The work is done in Python by
//! `python/oxnp/_npyio.py`; these methods only forward to it.

use oxnp_core::Array;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, wrap};

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

/// The float table of plain numeric text for `loadtxt`'s bulk path, or None when the text needs
/// the general reader (which then also gives NumPy's error messages).
///
/// The caller has checked that `data` is ASCII without '\r', '_' or the rarer whitespace
/// characters. Lines end at '\n'; the first `skiprows` are skipped; a comment character cuts
/// its line; fields are split at runs of ' '/'\t' (no delimiter) or at `delimiter` (fields then
/// trimmed of ' '/'\t'; an empty line is skipped). Every row must have the first row's field
/// count and every field must be a plain decimal number (digits, '.', exponent, sign): text
/// such as inf/nan goes to the general reader. Rust's float parsing is correctly rounded, as is
/// NumPy's (and Python's).
fn float_table(
    data: &str,
    delimiter: Option<char>,
    comment: Option<char>,
    skiprows: usize,
) -> Option<(Vec<f64>, usize, usize)> {
    let mut values = Vec::new();
    let mut ncols = None;
    let mut nrows = 0usize;
    let mut lines = data.split('\n');
    let trailing_empty = data.ends_with('\n') || data.is_empty();
    for _ in 0..skiprows {
        lines.next()?;
    }
    let parse = |field: &str, values: &mut Vec<f64>| -> Option<()> {
        let f = field.trim_matches(|c| c == ' ' || c == '\t');
        if f.is_empty()
            || !f.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        {
            return None;
        }
        values.push(f.parse::<f64>().ok()?);
        Some(())
    };
    let mut lines = lines.peekable();
    while let Some(line) = lines.next() {
        if trailing_empty && lines.peek().is_none() && line.is_empty() {
            break;
        }
        let line = match comment {
            Some(c) => line.split(c).next().unwrap_or(""),
            None => line,
        };
        let before = values.len();
        match delimiter {
            None => {
                for f in line.split([' ', '\t']).filter(|f| !f.is_empty()) {
                    parse(f, &mut values)?;
                }
            }
            Some(d) => {
                if line.is_empty() {
                    continue;
                }
                for f in line.split(d) {
                    parse(f, &mut values)?;
                }
            }
        }
        let n = values.len() - before;
        if n == 0 {
            continue;
        }
        match ncols {
            None => ncols = Some(n),
            Some(c) if c != n => return None,
            _ => {}
        }
        nrows += 1;
    }
    Some((values, nrows, ncols?))
}

#[pyfunction]
#[pyo3(signature = (data, delimiter, comment, skiprows))]
fn _loadtxt_floats<'py>(
    py: Python<'py>,
    data: &str,
    delimiter: Option<char>,
    comment: Option<char>,
    skiprows: usize,
) -> PyResult<Option<Bound<'py, PyNdArray>>> {
    let table = py.detach(|| float_table(data, delimiter, comment, skiprows));
    match table {
        None => Ok(None),
        Some((values, nrows, ncols)) => Ok(Some(wrap(py, Array::from_vec(&[nrows, ncols], values).py()?)?)),
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_loadtxt_floats, m)?)?;
    Ok(())
}
