//! Index grids: `indices` (and, in Python, `fromfunction` on top of it).

use oxnp_core::cast::Convert;
use oxnp_core::fill::{ArangeFill, arange_count};
use oxnp_core::{Array, DType, dispatch};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::dtype::optional_dtype;
use crate::errors::IntoPyResult;
use crate::ndarray::PyNdArray;

fn dense<T: ArangeFill + Convert>(dims: &[usize]) -> PyResult<Array> {
    let mut shape = vec![dims.len()];
    shape.extend_from_slice(dims);
    let n = oxnp_core::array::checked_size(&shape).py()?;
    let mut out = vec![oxnp_core::cast::convert::<i64, T>(0); n];
    oxnp_core::fill::indices(dims, &mut out);
    Array::from_vec(&shape, out).py()
}

fn sparse<T: ArangeFill + Convert>(dims: &[usize]) -> PyResult<Vec<Array>> {
    (0..dims.len())
        .map(|axis| {
            let mut shape = vec![1; dims.len()];
            shape[axis] = dims[axis];
            Array::from_vec(&shape, arange_count::<T>(dims[axis])).py()
        })
        .collect()
}

/// `dtype=` of `indices`: int64 when omitted; an explicit None is float64 for the dense grid
/// (NumPy fills `empty(dtype=None)`) and int64 for sparse ones (`arange(dtype=None)`).
enum IndicesDtype {
    Omitted,
    Given(Option<DType>),
}

impl<'a, 'py> FromPyObject<'a, 'py> for IndicesDtype {
    type Error = PyErr;
    fn extract(obj: pyo3::Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        optional_dtype(Some(&*obj)).map(IndicesDtype::Given)
    }
}

/// `indices(dimensions, dtype=int, sparse=False)`: the grid of each axis' index.
#[pyfunction]
#[pyo3(signature = (dimensions, dtype = IndicesDtype::Omitted, sparse = false))]
fn indices<'py>(
    py: Python<'py>,
    dimensions: &Bound<'py, PyAny>,
    dtype: IndicesDtype,
    sparse: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let mut raw = Vec::new();
    for d in dimensions.try_iter()? {
        raw.push(d?.extract::<isize>()?);
    }
    let dtype = match dtype {
        IndicesDtype::Given(Some(d)) => d,
        IndicesDtype::Given(None) if !sparse => DType::Float64,
        _ => DType::Int64,
    };
    // A sparse axis is `arange(d).reshape(1, .., d, .., 1)`: a negative d is the unknown
    // dimension of that reshape, so it becomes 0; the dense grid rejects it.
    let dims: Vec<usize> = if sparse {
        raw.iter().map(|&d| d.max(0) as usize).collect()
    } else {
        raw.iter()
            .map(|&d| usize::try_from(d).map_err(|_| PyValueError::new_err("negative dimensions are not allowed")))
            .collect::<PyResult<_>>()?
    };
    if dtype == DType::Bool && dims.iter().any(|&d| d > 2) {
        return Err(PyTypeError::new_err("arange() is only supported for booleans when the result has at most length 2."));
    }
    if sparse {
        let arrays = dispatch!(dtype, T => self::sparse::<T>(&dims))?;
        let items = arrays.into_iter().map(|a| Bound::new(py, PyNdArray::new(a))).collect::<PyResult<Vec<_>>>()?;
        Ok(PyTuple::new(py, items)?.into_any())
    } else {
        let arr = dispatch!(dtype, T => dense::<T>(&dims))?;
        Ok(Bound::new(py, PyNdArray::new(arr))?.into_any())
    }
}

/// The planes of the dense `indices` grid as views of it, as `*indices(shape)` unpacks them:
/// `fromfunction` passes these to the user's function.
#[pyfunction]
fn _indices_planes<'py>(py: Python<'py>, shape: &Bound<'py, PyAny>, dtype: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    let dtype = IndicesDtype::Given(optional_dtype(Some(dtype))?);
    let grid = indices(py, shape, dtype, false)?.cast_into::<PyNdArray>()?;
    let arr = grid.get().arr().clone();
    let dims = &arr.shape()[1..];
    let plane_bytes = arr.strides()[0];
    let mut planes = Vec::with_capacity(arr.shape()[0]);
    for i in 0..arr.shape()[0] {
        let offset = arr.offset() + i * plane_bytes as usize;
        let view = Array::from_parts(arr.buffer().clone(), offset, dims.into(), arr.strides()[1..].into(), arr.dtype()).py()?;
        planes.push(crate::ndarray::wrap_view(&grid, view)?);
    }
    PyTuple::new(py, planes)
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(indices, m)?)?;
    m.add_function(wrap_pyfunction!(_indices_planes, m)?)?;
    Ok(())
}
