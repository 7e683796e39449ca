//! `oxnp.random`: the Python face of `oxnp-random` (legacy `RandomState`, `Generator`, the bit
//! generators and `SeedSequence`). Parameters are broadcast here; the crate draws into slices.

use oxnp_core::cast::astype;
use oxnp_core::{Array, Casting, DType, Element, Order};
use oxnp_random::{self as rnd, BitGen, IntDtype, RandomError};
use pyo3::exceptions::{PyIndexError, PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyInt, PyTuple};

use crate::convert::array_from_py;
use oxnp_core::array::shape_repr;
use crate::creation::shape_from_py;
use crate::dtype::optional_dtype;
use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, wrap};
use crate::scalar::{element_to_builtin, element_to_scalar};


fn rerr(e: RandomError) -> PyErr {
    match e {
        RandomError::Value(m) => PyValueError::new_err(m),
        RandomError::Type(m) => PyTypeError::new_err(m),
        RandomError::Overflow(m) => PyOverflowError::new_err(m),
    }
}

trait RPy<T> {
    fn rpy(self) -> PyResult<T>;
}
impl<T> RPy<T> for rnd::Result<T> {
    fn rpy(self) -> PyResult<T> {
        self.map_err(rerr)
    }
}

// ---- parameters and broadcasting ---------------------------------------------------------

/// A distribution parameter as float64 values; `shape` None for a scalar (or 0-d array).
struct Param {
    shape: Option<Vec<usize>>,
    data: PData,
}

/// A parameter's values: a converted copy, or the caller's own array when it already is
/// C-contiguous float64 (read in place, as NumPy does, instead of copied).
enum PData {
    Owned(Vec<f64>),
    Shared(Array),
}

impl std::ops::Deref for PData {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        match self {
            PData::Owned(v) => v,
            PData::Shared(a) => a.as_slice::<f64>().unwrap_or_default(),
        }
    }
}

impl std::ops::DerefMut for PData {
    fn deref_mut(&mut self) -> &mut [f64] {
        if let PData::Shared(a) = self {
            *self = PData::Owned(a.to_vec());
        }
        match self {
            PData::Owned(v) => v,
            PData::Shared(_) => &mut [],
        }
    }
}

impl From<Vec<f64>> for PData {
    fn from(v: Vec<f64>) -> Self {
        PData::Owned(v)
    }
}

fn scalar_param(v: f64) -> Param {
    Param { shape: None, data: vec![v].into() }
}

fn param(obj: Option<&Bound<'_, PyAny>>, default: f64) -> PyResult<Param> {
    let Some(obj) = obj else { return Ok(scalar_param(default)) };
    if obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyInt>() {
        return Ok(scalar_param(obj.extract::<f64>()?));
    }
    if subclass_0d(obj) {
        // NumPy reads a 0-d parameter with `float(obj)`: a subclass's `__float__` decides.
        return Ok(scalar_param(obj.extract::<f64>()?));
    }
    match array_from_py(obj) {
        Ok(a) => {
            if a.dtype().kind() == oxnp_core::Kind::Complex {
                return Err(PyTypeError::new_err("Cannot cast array data from complex to float64"));
            }
            let a = if a.dtype() == DType::Float64 { a } else { astype(&a, DType::Float64, Casting::Unsafe).py()? };
            let shape = (a.ndim() > 0).then(|| a.shape().to_vec());
            let data = if a.as_slice::<f64>().is_some() { PData::Shared(a) } else { a.to_vec::<f64>().into() };
            Ok(Param { shape, data })
        }
        // Objects that are not array-like but convert to a float (`__float__`).
        Err(e) => obj.extract::<f64>().map(scalar_param).map_err(|_| e),
    }
}

/// A 0-d array of an ndarray subclass (read through its own `__float__` / `__int__`).
fn subclass_0d(obj: &Bound<'_, PyAny>) -> bool {
    obj.cast::<PyNdArray>().is_ok_and(|a| a.get().arr().ndim() == 0 && a.get().arr().dtype().kind() != oxnp_core::Kind::Complex)
        && !obj.is_exact_instance_of::<PyNdArray>()
}

/// An integer parameter of the legacy discrete distributions (a 0-d subclass via `__int__`).
fn legacy_int_param(obj: &Bound<'_, PyAny>) -> PyResult<Param> {
    if subclass_0d(obj) {
        return Ok(scalar_param(obj.call_method0("__int__")?.extract::<i64>()? as f64));
    }
    param(Some(obj), 0.0)
}

/// NumPy's broadcast of `shapes`, with its "shape mismatch" message naming the two args.
fn broadcast_shapes(shapes: &[&[usize]]) -> PyResult<Vec<usize>> {
    let nd = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out = vec![1usize; nd];
    let mut setter = vec![usize::MAX; nd];
    for (i, s) in shapes.iter().enumerate() {
        for (k, &d) in s.iter().enumerate() {
            let j = nd - s.len() + k;
            if d == 1 {
                continue;
            }
            if out[j] == 1 {
                out[j] = d;
                setter[j] = i;
            } else if out[j] != d {
                let a = setter[j];
                return Err(PyValueError::new_err(format!(
                    "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between arg {a} with shape {} and arg {i} with shape {}.",
                    shape_repr(shapes[a]),
                    shape_repr(s)
                )));
            }
        }
    }
    Ok(out)
}

/// For each element of `out` (C order), the index into a C-contiguous parameter of shape `ps`.
fn bcast_index(out: &[usize], ps: &[usize]) -> Vec<usize> {
    let nd = out.len();
    let mut strides = vec![0usize; nd];
    let mut acc = 1;
    for k in (0..ps.len()).rev() {
        let j = nd - ps.len() + k;
        strides[j] = if ps[k] == 1 { 0 } else { acc };
        acc *= ps[k];
    }
    let n: usize = out.iter().product();
    let mut idx = Vec::with_capacity(n);
    let mut ctr = vec![0usize; nd];
    let mut cur = 0usize;
    for _ in 0..n {
        idx.push(cur);
        for j in (0..nd).rev() {
            ctr[j] += 1;
            cur += strides[j];
            if ctr[j] < out[j] {
                break;
            }
            cur -= strides[j] * ctr[j];
            ctr[j] = 0;
        }
    }
    idx
}

fn size_shape(size: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<usize>>> {
    match size {
        // A 1-d integer array works as a tuple of its values (`size=np.array((2, 2))`).
        Some(s) if s.cast::<PyNdArray>().is_ok_and(|a| a.get().arr().ndim() == 1) => {
            Ok(Some(shape_from_py(&s.call_method0("tolist")?)?.to_vec()))
        }
        Some(s) if !s.is_none() => Ok(Some(shape_from_py(s)?.to_vec())),
        _ => Ok(None),
    }
}

/// A fresh C-contiguous array of `shape` filled by `fill`. The GIL stays held: it is what
/// serialises threads sharing a generator (NumPy takes the generator's lock; releasing the GIL
/// here let a second thread find the generator borrowed: "Already borrowed").
fn fill_new<'py, T: Element + Send, F>(_py: Python<'py>, shape: &[usize], fill: F) -> PyResult<Array>
where
    F: FnOnce(&mut [T]) -> rnd::Result<()> + Send,
{
    let arr = Array::empty(shape, T::DTYPE, Order::C).py()?;
    // SAFETY: `arr` is fresh, so no other reference covers its memory.
    let out = unsafe { arr.as_slice_mut::<T>() }.ok_or_else(|| PyValueError::new_err("cannot fill array"))?;
    fill(out).rpy()?;
    Ok(arr)
}

fn builtin_of<T: Element>(py: Python<'_>, v: T) -> PyResult<Py<PyAny>> {
    element_to_builtin(py, &Array::scalar(v), 0)
}

/// NumPy words its NaN checks "is NaN" for scalar parameters and "contains NaNs" for arrays.
fn scalar_message(e: RandomError) -> RandomError {
    match e {
        // ... except for the (0, 1] constraint, whose scalar check keeps "contains NaNs".
        RandomError::Value(m) if !m.contains(" <= 0, ") => RandomError::Value(m.replace(" contains NaNs", " is NaN")),
        e => e,
    }
}

/// Draws with NumPy's `cont`/`disc` semantics: scalar parameters and `size=None` give one
/// Python number; otherwise an array of `size` (or the broadcast shape of the parameters),
/// every parameter value checked before the first draw. `f(values, out)` checks and fills.
fn draw<T: Element + Send + Default, const N: usize, F>(
    py: Python<'_>,
    params: [Param; N],
    size: Option<&Bound<'_, PyAny>>,
    f: F,
) -> PyResult<Py<PyAny>>
where
    F: FnMut(&[f64; N], &mut [T]) -> rnd::Result<()> + Send,
{
    draw_with(py, params, size, f, true)
}

/// NumPy's check of one parameter, the whole array in order (before any broadcasting), for
/// the distributions whose only constraint is this one: their draws then skip the check pass.
fn check_param(p: &Param, c: fn(f64, &str) -> rnd::Result<()>, name: &str) -> PyResult<()> {
    let scalar = p.shape.is_none();
    p.data.iter().try_for_each(|&v| c(v, name)).map_err(|e| if scalar { scalar_message(e) } else { e }).rpy()
}

/// [`draw`]; `check` false skips the check pass over array parameters when the caller has
/// already checked everything `f` checks.
fn draw_with<T: Element + Send + Default, const N: usize, F>(
    py: Python<'_>,
    params: [Param; N],
    size: Option<&Bound<'_, PyAny>>,
    mut f: F,
    check: bool,
) -> PyResult<Py<PyAny>>
where
    F: FnMut(&[f64; N], &mut [T]) -> rnd::Result<()> + Send,
{
    let size = size_shape(size)?;
    if params.iter().all(|p| p.shape.is_none()) {
        let vals: [f64; N] = std::array::from_fn(|i| params[i].data[0]);
        return match size {
            None => {
                let mut o = [T::default()];
                f(&vals, &mut o).map_err(scalar_message).rpy()?;
                builtin_of(py, o[0])
            }
            Some(shape) => {
                let arr = fill_new::<T, _>(py, &shape, |out| f(&vals, out).map_err(scalar_message))?;
                Ok(wrap(py, arr)?.into_any().unbind())
            }
        };
    }
    let pshapes: Vec<&[usize]> = params.iter().map(|p| p.shape.as_deref().unwrap_or(&[])).collect();
    let shape = match &size {
        Some(s) => {
            let mut all = vec![s.as_slice()];
            all.extend(pshapes.iter().copied());
            let b = broadcast_shapes(&all)?;
            if &b != s {
                return Err(PyValueError::new_err(format!(
                    "Output size {} is not compatible with broadcast dimensions of inputs {}.",
                    shape_repr(s),
                    shape_repr(&b)
                )));
            }
            b
        }
        None => broadcast_shapes(&pshapes)?,
    };
    let walk = Bcast::new(&shape, &pshapes);
    let data: [&[f64]; N] = std::array::from_fn(|i| &*params[i].data);
    if check && N == 1 {
        // As NumPy, a lone parameter array is checked whole, in order (even for an empty
        // output): the first bad value is the one the broadcast would meet first.
        for &v in data[0] {
            f(&std::array::from_fn(|_| v), &mut []).rpy()?;
        }
    } else if check {
        // Every value is checked (in C order) before the first draw.
        walk.runs(|_, len, base| {
            for t in 0..if walk.inner_const { 1 } else { len } {
                f(&walk.vals(&data, base, t), &mut [])?;
            }
            Ok(())
        })
        .rpy()?;
    }
    let arr = fill_new::<T, _>(py, &shape, |out| {
        walk.runs(|at, len, base| {
            let run = &mut out[at..at + len];
            if walk.inner_const {
                // The parameters are the same all along the run: one call fills it.
                return f(&walk.vals(&data, base, 0), run);
            }
            for (t, o) in run.iter_mut().enumerate() {
                f(&walk.vals(&data, base, t), std::slice::from_mut(o))?;
            }
            Ok(())
        })
    })?;
    Ok(wrap(py, arr)?.into_any().unbind())
}

/// The broadcast of C-contiguous parameters over an output shape, walked as runs along the
/// last axis (the output's C order): no per-element index tables.
struct Bcast<const N: usize> {
    shape: Vec<usize>,
    /// Element strides of each parameter per output axis (0 where it broadcasts).
    strides: Vec<[usize; N]>,
    /// The strides along the last axis.
    inner: [usize; N],
    /// No parameter varies along the last axis.
    inner_const: bool,
}

impl<const N: usize> Bcast<N> {
    fn new(shape: &[usize], pshapes: &[&[usize]]) -> Self {
        let nd = shape.len();
        let mut strides = vec![[0usize; N]; nd];
        for (i, ps) in pshapes.iter().enumerate() {
            let mut acc = 1;
            for k in (0..ps.len()).rev() {
                if ps[k] != 1 {
                    strides[nd - ps.len() + k][i] = acc;
                }
                acc *= ps[k];
            }
        }
        let inner = strides.last().copied().unwrap_or([0; N]);
        Bcast { shape: shape.to_vec(), strides, inner, inner_const: inner.iter().all(|&v| v == 0) }
    }

    /// The parameter values of element `t` of the run whose offsets are `base`.
    #[inline(always)]
    fn vals<V: Copy>(&self, data: &[&[V]; N], base: &[usize; N], t: usize) -> [V; N] {
        std::array::from_fn(|i| data[i][base[i] + t * self.inner[i]])
    }

    /// Calls `run(at, len, base)` for each run of `len` outputs starting at flat index `at`,
    /// `base` the parameters' offsets at its first element.
    fn runs<E>(&self, mut run: impl FnMut(usize, usize, &[usize; N]) -> Result<(), E>) -> Result<(), E> {
        if self.shape.contains(&0) {
            return Ok(());
        }
        let outer = self.shape.len().saturating_sub(1);
        let len = self.shape.last().copied().unwrap_or(1);
        let mut ctr = vec![0usize; outer];
        let mut base = [0usize; N];
        let mut at = 0;
        loop {
            run(at, len, &base)?;
            at += len;
            // Next outer index (odometer over the leading axes).
            let mut j = outer;
            loop {
                if j == 0 {
                    return Ok(());
                }
                j -= 1;
                ctr[j] += 1;
                for i in 0..N {
                    base[i] += self.strides[j][i];
                }
                if ctr[j] < self.shape[j] {
                    break;
                }
                for i in 0..N {
                    base[i] -= self.strides[j][i] * ctr[j];
                }
                ctr[j] = 0;
            }
        }
    }
}

// ---- integers (randint / integers) -------------------------------------------------------

/// A Python int as i128, saturated (any value beyond i128 is out of bounds for every dtype).
fn py_int_sat(obj: &Bound<'_, PyAny>) -> PyResult<i128> {
    match obj.extract::<i128>() {
        Ok(v) => Ok(v),
        Err(e) => {
            if !obj.is_instance_of::<PyInt>() {
                return Err(e);
            }
            Ok(if obj.lt(0)? { i128::MIN } else { i128::MAX })
        }
    }
}

/// Nested lists/tuples of Python ints (values beyond int64/uint64 included, which NumPy
/// holds as an object array) as a shape and i128 values; None when `obj` is not such a nest.
fn py_int_nest(obj: &Bound<'_, PyAny>) -> PyResult<Option<(Vec<usize>, Vec<i128>)>> {
    fn walk(o: &Bound<'_, PyAny>, depth: usize, shape: &mut Vec<usize>, vals: &mut Vec<i128>) -> PyResult<bool> {
        if o.is_instance_of::<pyo3::types::PyList>() || o.is_instance_of::<PyTuple>() {
            let n = o.len()?;
            if shape.len() == depth {
                shape.push(n);
            } else if shape.len() < depth || shape[depth] != n {
                return Ok(false);
            }
            for item in o.try_iter()? {
                if !walk(&item?, depth + 1, shape, vals)? {
                    return Ok(false);
                }
            }
            return Ok(true);
        }
        if o.is_instance_of::<PyInt>() && shape.len() == depth {
            vals.push(py_int_sat(o)?);
            return Ok(true);
        }
        Ok(false)
    }
    let (mut shape, mut vals) = (Vec::new(), Vec::new());
    if !walk(obj, 0, &mut shape, &mut vals)? || shape.is_empty() || vals.len() != shape.iter().product::<usize>() {
        return Ok(None);
    }
    Ok(Some((shape, vals)))
}

/// Integer bounds: int64 values (an int64 array read in place) or, beyond int64, i128.
enum IntVals {
    Narrow(Vec<i64>),
    Shared(Array),
    Wide(Vec<i128>),
}

impl IntVals {
    fn from_wide(v: Vec<i128>) -> Self {
        match v.iter().map(|&x| i64::try_from(x)).collect::<Result<Vec<i64>, _>>() {
            Ok(n) => IntVals::Narrow(n),
            Err(_) => IntVals::Wide(v),
        }
    }
    fn narrow(&self) -> Option<&[i64]> {
        match self {
            IntVals::Narrow(v) => Some(v),
            IntVals::Shared(a) => a.as_slice::<i64>(),
            IntVals::Wide(_) => None,
        }
    }
    fn wide(&self) -> Vec<i128> {
        match self {
            IntVals::Wide(v) => v.clone(),
            _ => self.narrow().unwrap_or_default().iter().map(|&x| i128::from(x)).collect(),
        }
    }
    fn first(&self) -> i128 {
        match self {
            IntVals::Wide(v) => v[0],
            _ => i128::from(self.narrow().unwrap_or_default()[0]),
        }
    }
}

fn int_param(obj: &Bound<'_, PyAny>) -> PyResult<(Option<Vec<usize>>, IntVals)> {
    if obj.is_instance_of::<PyInt>() {
        return Ok((None, IntVals::from_wide(vec![py_int_sat(obj)?])));
    }
    match array_from_py(obj) {
        Ok(a) => {
            if matches!(a.dtype().kind(), oxnp_core::Kind::Float | oxnp_core::Kind::Complex) && a.ndim() > 0 {
                return Err(PyTypeError::new_err(format!("Unsupported dtype dtype('{}') for integers", a.dtype().name())));
            }
            let shape = (a.ndim() > 0).then(|| a.shape().to_vec());
            let vals = if a.dtype() == DType::UInt64 {
                IntVals::Wide(a.to_vec::<u64>().into_iter().map(i128::from).collect())
            } else {
                let a = if a.dtype() == DType::Int64 { a } else { astype(&a, DType::Int64, Casting::Unsafe).py()? };
                if a.as_slice::<i64>().is_some() { IntVals::Shared(a) } else { IntVals::Narrow(a.to_vec::<i64>()) }
            };
            Ok((shape, vals))
        }
        Err(e) => {
            if let Some((shape, vals)) = py_int_nest(obj)? {
                return Ok((Some(shape), IntVals::Wide(vals)));
            }
            obj.extract::<i128>().map(|v| (None, IntVals::from_wide(vec![v]))).map_err(|_| e)
        }
    }
}

/// NumPy's checks of array bounds, in its order: any low out of bounds (for the 64-bit dtypes
/// also above the maximum), then any high out of bounds, then any low above high ("high <= 0"
/// when every low is 0); uint64 with an open interval checks high and order element by element.
/// `walk` pairs the values of `lo` and `hi` in C order.
fn array_bounds_check<T: IntDtype, V: Copy + Into<i128>>(lo: &[V], hi: &[V], walk: &Bcast<2>, closed: bool) -> PyResult<()> {
    let wide = T::BITS == 64;
    let err = |m: String| Err(PyValueError::new_err(m));
    if lo.iter().any(|&l| l.into() < T::MIN || (wide && l.into() > T::MAX)) {
        return err(format!("low is out of bounds for {}", T::NAME));
    }
    let adj = |h: i128| if closed { h } else { h.saturating_sub(1) };
    let order_msg = || {
        let zero = lo.iter().all(|&l| l.into() == 0);
        match (zero, closed) {
            (true, true) => "high < 0",
            (true, false) => "high <= 0",
            (false, true) => "low > high",
            (false, false) => "low >= high",
        }
        .to_string()
    };
    if wide && T::MIN == 0 && !closed {
        let mut msg = None;
        bcast_all(walk, &[lo, hi], |[l, h]| {
            let (l, h) = (l.into(), h.into());
            if adj(h) > T::MAX {
                msg = Some(format!("high is out of bounds for {}", T::NAME));
            } else if l > adj(h) {
                msg = Some(order_msg());
            }
            msg.is_none()
        });
        return msg.map_or(Ok(()), err);
    }
    if hi.iter().any(|&h| adj(h.into()) > T::MAX) {
        return err(format!("high is out of bounds for {}", T::NAME));
    }
    if !bcast_all(walk, &[lo, hi], |[l, h]| l.into() <= adj(h.into())) {
        return err(order_msg());
    }
    Ok(())
}

/// Calls `g(values)` over the broadcast parameter values in C order until it says stop
/// (false); true if it saw them all.
fn bcast_all<V: Copy, const N: usize>(walk: &Bcast<N>, data: &[&[V]; N], mut g: impl FnMut([V; N]) -> bool) -> bool {
    walk.runs(|_, len, base| {
        for t in 0..if walk.inner_const { 1 } else { len } {
            if !g(walk.vals(data, base, t)) {
                return Err(());
            }
        }
        Ok(())
    })
    .is_ok()
}

/// Bounded integers of dtype `T` in [low, high) (or [low, high] with `closed`), broadcast;
/// `fill_n(sampler, off, rng, out)` fills `out` with draws in [off, off + rng].
fn bounded<'py, T: IntDtype + Element + Send>(
    py: Python<'py>,
    low: &Bound<'py, PyAny>,
    high: Option<&Bound<'py, PyAny>>,
    size: Option<&Bound<'py, PyAny>>,
    closed: bool,
    masked: bool,
    scalar_builtin: bool,
    mut fill_n: impl FnMut(&mut rnd::BoundedSampler, u64, u64, &mut [T]) + Send,
) -> PyResult<Py<PyAny>> {
    let (lo, hi) = match high {
        Some(h) if !h.is_none() => (int_param(low)?, int_param(h)?),
        _ => ((None, IntVals::Narrow(vec![0])), int_param(low)?),
    };
    let size = size_shape(size)?;
    // NumPy returns an empty array for an empty size before looking at the bounds.
    if let Some(s) = size.as_ref().filter(|s| s.iter().product::<usize>() == 0) {
        let arr = fill_new::<T, _>(py, s, |_| Ok(()))?;
        return Ok(wrap(py, arr)?.into_any().unbind());
    }
    if lo.0.is_none() && hi.0.is_none() {
        let (off, rng) = rnd::int_bounds::<T>(lo.1.first(), hi.1.first(), closed).rpy()?;
        let mut s = rnd::BoundedSampler::new(masked);
        return match size {
            None => {
                let mut one = [T::from_u64(0)];
                fill_n(&mut s, off, rng, &mut one);
                let v = Array::scalar(one[0]);
                if scalar_builtin { element_to_builtin(py, &v, 0) } else { element_to_scalar(py, &v, 0) }
            }
            Some(shape) => {
                let arr = fill_new::<T, _>(py, &shape, |out| {
                    fill_n(&mut s, off, rng, out);
                    Ok(())
                })?;
                Ok(wrap(py, arr)?.into_any().unbind())
            }
        };
    }
    let ls = lo.0.as_deref().unwrap_or(&[]);
    let hs = hi.0.as_deref().unwrap_or(&[]);
    let shape = match &size {
        Some(s) => {
            let b = broadcast_shapes(&[s, ls, hs])?;
            if &b != s {
                return Err(PyValueError::new_err(format!(
                    "Output size {} is not compatible with broadcast dimensions of inputs {}.",
                    shape_repr(s),
                    shape_repr(&b)
                )));
            }
            b
        }
        None => broadcast_shapes(&[ls, hs])?,
    };
    let walk = Bcast::<2>::new(&shape, &[ls, hs]);
    let arr = match (lo.1.narrow(), hi.1.narrow()) {
        (Some(l), Some(h)) => bounded_walk::<T, i64>(py, &shape, &walk, [l, h], closed, masked, fill_n)?,
        _ => bounded_walk::<T, i128>(py, &shape, &walk, [&lo.1.wide(), &hi.1.wide()], closed, masked, fill_n)?,
    };
    Ok(wrap(py, arr)?.into_any().unbind())
}

/// The broadcast part of [`bounded`]: bounds checked in NumPy's order, then one fill.
fn bounded_walk<T: IntDtype + Element + Send, V: Copy + Into<i128> + Sync>(
    py: Python<'_>,
    shape: &[usize],
    walk: &Bcast<2>,
    data: [&[V]; 2],
    closed: bool,
    masked: bool,
    mut fill_n: impl FnMut(&mut rnd::BoundedSampler, u64, u64, &mut [T]) + Send,
) -> PyResult<Array> {
    array_bounds_check::<T, V>(data[0], data[1], walk, closed)?;
    let mut s = rnd::BoundedSampler::new(masked);
    fill_new::<T, _>(py, shape, |out| {
        walk.runs(|at, len, base| {
            let run = &mut out[at..at + len];
            if walk.inner_const {
                let [l, h] = walk.vals(&data, base, 0);
                let (off, rng) = rnd::int_bounds::<T>(l.into(), h.into(), closed)?;
                fill_n(&mut s, off, rng, run);
                return Ok(());
            }
            for (t, o) in run.iter_mut().enumerate() {
                let [l, h] = walk.vals(&data, base, t);
                let (off, rng) = rnd::int_bounds::<T>(l.into(), h.into(), closed)?;
                fill_n(&mut s, off, rng, std::slice::from_mut(o));
            }
            Ok(())
        })
    })
}

/// Calls `$body` with `$T` bound to the Rust type of an integer (or bool) dtype.
macro_rules! int_dtype {
    ($dt:expr, $fname:expr, $T:ident => $body:expr) => {
        match $dt {
            DType::Bool => { type $T = bool; $body }
            DType::Int8 => { type $T = i8; $body }
            DType::Int16 => { type $T = i16; $body }
            DType::Int32 => { type $T = i32; $body }
            DType::Int64 => { type $T = i64; $body }
            DType::UInt8 => { type $T = u8; $body }
            DType::UInt16 => { type $T = u16; $body }
            DType::UInt32 => { type $T = u32; $body }
            DType::UInt64 => { type $T = u64; $body }
            d => Err(PyTypeError::new_err(format!("Unsupported dtype dtype('{}') for {}", d.name(), $fname))),
        }
    };
}

// ---- shuffling, choice ----------------------------------------------------------------------

/// Fisher–Yates over the rows of `x` (an oxnp array, along axis 0, or a mutable sequence)
/// with NumPy's draw order: j = interval(i) for i = n-1 down to 1.
fn shuffle_obj(x: &Bound<'_, PyAny>, mut interval: impl FnMut(u64) -> u64) -> PyResult<()> {
    if let Ok(a) = x.cast::<PyNdArray>() {
        let arr = a.get().arr().clone();
        return shuffle_array(&arr, interval);
    }
    let py = x.py();
    let seq = py.import("collections.abc")?.getattr("Sequence")?;
    if !x.is_instance(&seq)? {
        let msg = format!(
            "you are shuffling a '{}' object which is not a subclass of 'Sequence'; `shuffle` is not guaranteed to behave correctly. E.g., non-numpy array/tensor objects with view semantics may contain duplicates after shuffling.",
            x.get_type().name()?
        );
        let cat = py.get_type::<pyo3::exceptions::PyUserWarning>();
        PyErr::warn(py, &cat, &std::ffi::CString::new(msg).unwrap_or_default(), 1)?;
    }
    let n = x.len()?;
    for i in (1..n).rev() {
        let j = interval(i as u64) as usize;
        let (xi, xj) = (x.get_item(i)?, x.get_item(j)?);
        x.set_item(i, xj)?;
        x.set_item(j, xi)?;
    }
    Ok(())
}

/// In-place Fisher–Yates over axis 0 of `arr` (any strides; views write through).
fn shuffle_array(arr: &Array, mut interval: impl FnMut(u64) -> u64) -> PyResult<()> {
    {
        arr.check_writeable().py()?;
        if arr.ndim() == 0 {
            return Err(PyValueError::new_err("array must be at least 1-dimensional"));
        }
        let n = arr.shape()[0];
        let work = if arr.is_c_contiguous() { arr.clone() } else { arr.copy(Order::C).py()? };
        let row = work.nbytes() / n.max(1);
        // Rows of one machine word swap as such (1-D numeric arrays), not byte by byte.
        macro_rules! typed {
            ($t:ty) => {
                if row == std::mem::size_of::<$t>() && (work.as_ptr() as usize) % std::mem::align_of::<$t>() == 0 {
                    // SAFETY: C-contiguous, aligned, `n` rows of one `$t` each; the GIL is held
                    // and nothing else touches `work` meanwhile.
                    let data = unsafe { std::slice::from_raw_parts_mut(work.as_ptr().cast::<$t>(), n) };
                    for i in (1..n).rev() {
                        data.swap(i, interval(i as u64) as usize);
                    }
                    return finish(arr, &work);
                }
            };
        }
        typed!(u64);
        typed!(u32);
        typed!(u16);
        typed!(u8);
        // SAFETY: `work` is C-contiguous; the GIL is held and nothing else touches it meanwhile.
        let bytes = unsafe { std::slice::from_raw_parts_mut(work.as_ptr(), work.nbytes()) };
        for i in (1..n).rev() {
            let j = interval(i as u64) as usize;
            if i != j && row > 0 {
                let (lo, hi) = bytes.split_at_mut(i * row);
                lo[j * row..(j + 1) * row].swap_with_slice(&mut hi[..row]);
            }
        }
        finish(arr, &work)
    }
}

/// Writes a shuffled copy back into a non-contiguous `arr`.
fn finish(arr: &Array, work: &Array) -> PyResult<()> {
    if !arr.is_c_contiguous() {
        oxnp_core::cast::copy_into(arr, work).py()?;
    }
    Ok(())
}

fn arange_into(o: &mut [i64]) {
    for (k, v) in o.iter_mut().enumerate() {
        *v = k as i64;
    }
}

/// The population of `choice`: a size (from an int) or a 1-D array.
enum Pop {
    Int(usize),
    Arr(Array),
}

fn choice_pop(a: &Bound<'_, PyAny>, legacy: bool) -> PyResult<Pop> {
    if a.is_instance_of::<PyInt>() {
        let n: i64 = a.extract()?;
        if n < 0 || (legacy && n == 0) {
            let msg = if legacy { "a must be greater than 0 unless no samples are taken" } else { "a must be a positive integer unless no samples are taken" };
            return Err(PyValueError::new_err(msg));
        }
        return Ok(Pop::Int(n as usize));
    }
    let arr = array_from_py(a)?;
    if arr.ndim() == 0 {
        let msg = if legacy { "a must be 1-dimensional or an integer" } else { "a must be a sequence or an integer, not 0-d array" };
        return Err(PyValueError::new_err(msg));
    }
    if legacy && arr.ndim() != 1 {
        return Err(PyValueError::new_err("a must be 1-dimensional"));
    }
    Ok(Pop::Arr(arr))
}

fn choice_p(p: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<f64>>> {
    let Some(p) = p.filter(|p| !p.is_none()) else { return Ok(None) };
    let prm = match param(Some(p), 0.0) {
        Ok(prm) => prm,
        // NumPy reads a list holding None through an object array: None becomes NaN.
        Err(e) if p.is_instance_of::<pyo3::types::PyList>() || p.is_instance_of::<PyTuple>() => {
            let data = p
                .try_iter()?
                .map(|v| v.and_then(|v| if v.is_none() { Ok(f64::NAN) } else { v.extract::<f64>() }))
                .collect::<PyResult<Vec<f64>>>()
                .map_err(|_| e)?;
            Param { shape: Some(vec![data.len()]), data: data.into() }
        }
        Err(e) => return Err(e),
    };
    match prm.shape {
        Some(s) if s.len() == 1 => Ok(Some(prm.data.to_vec())),
        _ => Err(PyValueError::new_err("p must be 1-dimensional")),
    }
}

/// Rows `idx` of `arr` along axis 0, as a new array of shape `lead + arr.shape[1:]`.
fn take_rows(arr: &Array, idx: &[i64], lead: &[usize]) -> PyResult<Array> {
    let src = if arr.is_c_contiguous() { arr.clone() } else { arr.copy(Order::C).py()? };
    let n = src.shape()[0];
    let row = if n == 0 { 0 } else { src.nbytes() / n };
    let mut shape = lead.to_vec();
    shape.extend_from_slice(&src.shape()[1..]);
    let out = Array::empty(&shape, src.dtype(), Order::C).py()?;
    // SAFETY: both C-contiguous; `out` is fresh; indices come from draws below `n`.
    unsafe {
        let (s, d) = (src.as_ptr(), out.as_ptr());
        for (k, &i) in idx.iter().enumerate() {
            std::ptr::copy_nonoverlapping(s.add(i as usize * row), d.add(k * row), row);
        }
    }
    Ok(out)
}

/// A fresh int64 array for `choice`'s draws: `size`'s shape (one element for `size=None`),
/// so that an int population's result is the array itself.
fn choice_idx(shape: Option<&[usize]>) -> PyResult<Array> {
    Array::empty(shape.unwrap_or(&[1]), DType::Int64, Order::C).py()
}

/// The draws of `choice_idx` as a mutable slice.
fn idx_slice(idx: &Array) -> &mut [i64] {
    // SAFETY: `idx` is a fresh C-contiguous int64 array from `choice_idx`, not yet shared.
    unsafe { idx.as_slice_mut::<i64>() }.unwrap_or_default()
}

fn choice_result(py: Python<'_>, pop: &Pop, idx_arr: Array, shape: Option<&[usize]>) -> PyResult<Py<PyAny>> {
    let idx = idx_arr.as_slice::<i64>().unwrap_or_default();
    match (pop, shape) {
        (Pop::Int(_), None) => idx[0].into_pyobject(py).map(|v| v.into_any().unbind()).map_err(Into::into),
        (Pop::Int(_), Some(_)) => Ok(wrap(py, idx_arr)?.into_any().unbind()),
        (Pop::Arr(a), None) => {
            let r = take_rows(a, idx, &[])?;
            if r.ndim() == 0 { element_to_scalar(py, &r, 0) } else { Ok(wrap(py, r)?.into_any().unbind()) }
        }
        (Pop::Arr(a), Some(s)) => Ok(wrap(py, take_rows(a, idx, s)?)?.into_any().unbind()),
    }
}

fn key_words(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u32>> {
    if let Ok(a) = array_from_py(obj) {
        if a.ndim() > 0 {
            let a = astype(&a, DType::UInt32, Casting::Unsafe).py()?;
            return Ok(a.to_vec::<u32>());
        }
    }
    obj.extract::<Vec<u32>>()
}

// ---- RandomState -------------------------------------------------------------------------

/// An MT19937 seeded the legacy way (NumPy's `MT19937._legacy_seeding`): an integer (or
/// anything `operator.index` accepts, ndarrays squeezed first) seeds `init_genrand`; otherwise
/// the seed is read as a 1-d array of uint32 values for `init_by_array`.
fn legacy_mt(py: Python<'_>, seed: Option<&Bound<'_, PyAny>>) -> PyResult<rnd::Mt19937> {
    let range_err = || PyValueError::new_err("Seed must be between 0 and 2**32 - 1");
    let Some(seed) = seed.filter(|s| !s.is_none()) else {
        let ss = new_seed_sequence(py, None, Vec::new())?;
        let mut words = [0u32; 624];
        words.copy_from_slice(&ss.ss.generate_state_u32(624));
        let mut rs = rnd::RandomState::new(0);
        rs.seed_from_words(&words);
        return Ok(rs.into_parts().0);
    };
    let seed = if seed.is_instance_of::<PyNdArray>() || seed.hasattr("squeeze")? && !seed.is_instance_of::<PyInt>() {
        seed.call_method0("squeeze")?
    } else {
        seed.clone()
    };
    let as_index = if seed.is_instance_of::<PyInt>() { Ok(seed.clone()) } else { py.import("operator")?.call_method1("index", (&seed,)) };
    match as_index {
        Ok(i) => {
            let v: i128 = i.extract().map_err(|_| range_err())?;
            return Ok(rnd::RandomState::from_seed_int(v).rpy()?.into_parts().0);
        }
        Err(e) if !e.is_instance_of::<PyTypeError>(py) => return Err(e),
        Err(_) => {}
    }
    let arr = array_from_py(&seed)?;
    if arr.size() == 0 {
        return Err(PyValueError::new_err("Seed must be non-empty"));
    }
    let arr = match astype(&arr, DType::Int64, Casting::Safe).py() {
        Ok(a) => a,
        // NumPy words a 0-d array's cast failure "Cannot cast scalar from ...".
        Err(e) if arr.ndim() == 0 => return Err(PyTypeError::new_err(e.value(py).to_string().replace("array data", "scalar"))),
        Err(e) => return Err(e),
    };
    if arr.ndim() != 1 {
        return Err(PyValueError::new_err("Seed array must be 1-d"));
    }
    Ok(rnd::RandomState::from_seed_array(&arr.to_vec::<i64>()).rpy()?.into_parts().0)
}

/// A new `MT19937` bit-generator object around `mt` (`seed_seq` None after legacy seeding).
fn mt_object(py: Python<'_>, mt: rnd::Mt19937, seed_seq: Option<Py<PySeedSequence>>) -> PyResult<Py<PyBitGenerator>> {
    let init = pyo3::PyClassInitializer::from(PyBitGenerator { bg: AnyBitGen::Mt(mt), seed_seq, foreign_seed: None }).add_subclass(PyMt19937);
    Ok(Bound::new(py, init)?.into_super().unbind())
}

/// NumPy's legacy `RandomState`: the legacy distributions over a bit generator object
/// (`MT19937` unless another is given), plus the legacy caches (Gaussian, binomial).
#[pyclass(name = "RandomState", module = "oxnp.random", subclass)]
pub struct PyRandomState {
    bitgen: Py<PyBitGenerator>,
    aux: rnd::LegacyAux,
}

/// `legacy!(self, py, rs => expr)` evaluates `expr` with `rs: &mut rnd::RandomState` over this
/// RandomState's bit generator and caches: the concrete `Mt19937` or `Pcg64` (their steps
/// inline into the fills) or any other generator through `dyn BitGen`. `legacy_dyn!` has the
/// fast path for `Mt19937` only (two instantiations: the default generator stays inlined, the
/// rest goes through the vtable).
macro_rules! legacy {
    ($slf:ident, $py:ident, $rs:ident => $e:expr) => {{
        let bgobj = $slf.bitgen.clone_ref($py);
        let mut bgref = bgobj.bind($py).try_borrow_mut()?;
        let aux = &mut $slf.aux;
        match &mut bgref.bg {
            AnyBitGen::Mt(m) => {
                let $rs = &mut rnd::RandomState::from_parts(m, aux);
                $e
            }
            AnyBitGen::Pcg64(b) => {
                let $rs = &mut rnd::RandomState::from_parts(b, aux);
                $e
            }
            other => {
                let $rs = &mut rnd::RandomState::from_parts(other.dynbg(), aux);
                $e
            }
        }
    }};
}
macro_rules! legacy_dyn {
    ($slf:ident, $py:ident, $rs:ident => $e:expr) => {{
        let bgobj = $slf.bitgen.clone_ref($py);
        let mut bgref = bgobj.bind($py).try_borrow_mut()?;
        let aux = &mut $slf.aux;
        match &mut bgref.bg {
            AnyBitGen::Mt(m) => {
                let $rs = &mut rnd::RandomState::from_parts(m, aux);
                $e
            }
            other => {
                let $rs = &mut rnd::RandomState::from_parts(other.dynbg(), aux);
                $e
            }
        }
    }};
}

fn shape_args(args: &Bound<'_, PyTuple>) -> PyResult<Option<Vec<usize>>> {
    if args.is_empty() {
        return Ok(None);
    }
    let dims: Vec<isize> = args.extract()?;
    dims.iter()
        .map(|&d| usize::try_from(d).map_err(|_| PyValueError::new_err("negative dimensions are not allowed")))
        .collect::<PyResult<Vec<_>>>()
        .map(Some)
}

fn shape_obj<'py>(py: Python<'py>, s: Option<Vec<usize>>) -> PyResult<Option<Bound<'py, PyAny>>> {
    s.map(|s| PyTuple::new(py, s).map(|t| t.into_any())).transpose()
}

type PA<'a, 'py> = Option<&'a Bound<'py, PyAny>>;

/// The `oxnp.random._pickle` helper `name` (the constructors pickles name).
fn pickle_helper<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("oxnp.random._pickle")?.getattr(name)
}

impl PyRandomState {
    fn is_mt(&self, py: Python<'_>) -> bool {
        matches!(self.bitgen.borrow(py).bg, AnyBitGen::Mt(_))
    }
    /// The bit generator's `state` dict with the legacy caches added (`get_state(legacy=False)`).
    fn state_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let st = self.bitgen.bind(py).getattr("state")?;
        let d = st.cast_into::<PyDict>().map_err(|_| PyTypeError::new_err("state must be a dict"))?;
        d.set_item("has_gauss", self.aux.has_gauss as i64)?;
        d.set_item("gauss", self.aux.gauss)?;
        Ok(d)
    }
}

#[pymethods]
impl PyRandomState {
    #[new]
    #[pyo3(signature = (seed = None))]
    fn new(py: Python<'_>, seed: PA<'_, '_>) -> PyResult<Self> {
        let bitgen = match seed.filter(|s| !s.is_none()) {
            None => {
                let init = pyo3::PyClassInitializer::from(make_bitgen(py, None, |ss| AnyBitGen::Mt(rnd::Mt19937::from_seed_sequence(ss)))?)
                    .add_subclass(PyMt19937);
                Bound::new(py, init)?.into_super().unbind()
            }
            Some(s) => match s.cast::<PyBitGenerator>() {
                Ok(b) => b.clone().unbind(),
                Err(_) if s.cast::<pyo3::types::PyType>().is_ok_and(|t| t.is_subclass_of::<PyBitGenerator>().unwrap_or(false)) => {
                    return Err(PyValueError::new_err("Invalid bit generator. The bit generator must be instantized."));
                }
                Err(_) => mt_object(py, legacy_mt(py, Some(s))?, None)?,
            },
        };
        Ok(PyRandomState { bitgen, aux: rnd::LegacyAux::default() })
    }

    /// Re-seed (legacy seeding); only an MT19937 can be re-seeded.
    #[pyo3(signature = (seed = None))]
    fn seed(&mut self, py: Python<'_>, seed: PA<'_, '_>) -> PyResult<()> {
        if !self.is_mt(py) {
            return Err(PyTypeError::new_err("can only re-seed a MT19937 BitGenerator"));
        }
        let mt = legacy_mt(py, seed)?;
        let mut b = self.bitgen.bind(py).try_borrow_mut()?;
        b.bg = AnyBitGen::Mt(mt);
        b.seed_seq = None;
        b.foreign_seed = None;
        self.aux = rnd::LegacyAux::default();
        Ok(())
    }

    #[getter(_bit_generator)]
    fn bit_generator_get(&self, py: Python<'_>) -> Py<PyBitGenerator> {
        self.bitgen.clone_ref(py)
    }
    /// Swap the bit generator (what `set_bit_generator` does to the global RandomState).
    #[setter(_bit_generator)]
    fn bit_generator_set(&mut self, bg: &Bound<'_, PyBitGenerator>) {
        self.bitgen = bg.clone().unbind();
        self.aux = rnd::LegacyAux::default();
    }
    #[getter]
    fn _poisson_lam_max(&self) -> f64 {
        rnd::constraint::POISSON_LAM_MAX
    }

    fn __str__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let bg = slf.borrow().bitgen.clone_ref(slf.py());
        Ok(format!("{}({})", slf.get_type().name()?, bg.bind(slf.py()).get_type().name()?))
    }
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        Ok(format!("{} at 0x{:X}", Self::__str__(slf)?, slf.as_ptr() as usize))
    }

    fn __getstate__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.state_dict(py)
    }
    fn __setstate__(&mut self, py: Python<'_>, state: &Bound<'_, PyAny>) -> PyResult<()> {
        self.set_state(py, state)
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let ctor = pickle_helper(py, "__randomstate_ctor")?;
        let args = PyTuple::new(py, [self.bitgen.clone_ref(py)])?;
        PyTuple::new(py, [ctor, args.into_any(), self.state_dict(py)?.into_any()])
    }

    #[pyo3(signature = (legacy = true))]
    fn get_state(&self, py: Python<'_>, legacy: bool) -> PyResult<Py<PyAny>> {
        let d = self.state_dict(py)?;
        let mut legacy = legacy;
        if legacy && !self.is_mt(py) {
            let cat = py.get_type::<pyo3::exceptions::PyRuntimeWarning>();
            PyErr::warn(py, &cat, c"get_state and legacy can only be used with the MT19937 BitGenerator. To silence this warning, set `legacy` to False.", 1)?;
            legacy = false;
        }
        if !legacy {
            return Ok(d.into_any().unbind());
        }
        let inner = dict_item(&d, "state")?;
        let inner = inner.cast::<PyDict>()?;
        let t = (dict_item(&d, "bit_generator")?, dict_item(inner, "key")?, dict_item(inner, "pos")?, self.aux.has_gauss as i64, self.aux.gauss);
        Ok(t.into_pyobject(py)?.into_any().unbind())
    }

    /// A legacy tuple `('MT19937', key, pos[, has_gauss, gauss])` or a `get_state(legacy=False)`
    /// dict; the bit generator's own `state` setter checks the rest.
    fn set_state(&mut self, py: Python<'_>, state: &Bound<'_, PyAny>) -> PyResult<()> {
        let st = if let Ok(d) = state.cast::<PyDict>() {
            if !d.contains("bit_generator")? || !d.contains("state")? {
                return Err(PyValueError::new_err("state dictionary is not valid."));
            }
            d.clone()
        } else {
            if !(state.is_instance_of::<PyTuple>() || state.is_instance_of::<pyo3::types::PyList>()) {
                return Err(PyTypeError::new_err("state must be a dict or a tuple."));
            }
            let name = state.get_item(0)?;
            if !name.eq("MT19937")? {
                return Err(PyValueError::new_err("set_state can only be used with legacy MT19937 state instances."));
            }
            let d = PyDict::new(py);
            let inner = PyDict::new(py);
            inner.set_item("key", state.get_item(1)?)?;
            inner.set_item("pos", state.get_item(2)?)?;
            d.set_item("bit_generator", name)?;
            d.set_item("state", inner)?;
            if state.len()? > 3 {
                d.set_item("has_gauss", state.get_item(3)?)?;
                d.set_item("gauss", state.get_item(4)?)?;
            }
            d
        };
        let gauss: f64 = st.get_item("gauss")?.map(|v| v.extract()).transpose()?.unwrap_or(0.0);
        let has_gauss: i64 = st.get_item("has_gauss")?.map(|v| v.extract()).transpose()?.unwrap_or(0);
        self.aux.gauss = gauss;
        self.aux.has_gauss = has_gauss != 0;
        self.aux.binomial = Default::default();
        self.bitgen.bind(py).setattr("state", st)
    }

    /// `tomaxint(size=None)`: non-negative int64 draws (`next_uint64 >> 1`).
    #[pyo3(signature = (size = None))]
    fn tomaxint(&mut self, py: Python<'_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy!(self, py, rs => draw::<i64, 0, _>(py, [], size, |_, o| {
            rs.tomaxint(o);
            Ok(())
        }))
    }

    #[pyo3(signature = (*args))]
    fn rand(&mut self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        let size = shape_obj(py, shape_args(args)?)?;
        self.random_sample(py, size.as_ref())
    }
    #[pyo3(signature = (*args))]
    fn randn(&mut self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        let size = shape_obj(py, shape_args(args)?)?;
        self.standard_normal(py, size.as_ref())
    }
    #[pyo3(signature = (size = None))]
    fn random_sample(&mut self, py: Python<'_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy!(self, py, rs => {
            draw::<f64, 0, _>(py, [], size, |_, o| {
                rs.random_sample(o);
                Ok(())
            })
        })
    }
    #[pyo3(signature = (size = None))]
    fn random(&mut self, py: Python<'_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        self.random_sample(py, size)
    }
    #[pyo3(signature = (size = None))]
    fn standard_normal(&mut self, py: Python<'_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy!(self, py, rs => {
            draw::<f64, 0, _>(py, [], size, |_, o| {
                rs.standard_normal(o);
                Ok(())
            })
        })
    }
    #[pyo3(signature = (low = None, high = None, size = None))]
    fn uniform(&mut self, py: Python<'_>, low: PA<'_, '_>, high: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy!(self, py, rs => {
            let (lo, hi) = (param(low, 0.0)?, param(high, 1.0)?);
            if lo.shape.is_some() || hi.shape.is_some() {
                // NumPy checks the whole (broadcast) range array before drawing.
                let (ls, hs) = (lo.shape.as_deref().unwrap_or(&[]), hi.shape.as_deref().unwrap_or(&[]));
                let walk = Bcast::<2>::new(&broadcast_shapes(&[ls, hs])?, &[ls, hs]);
                if !bcast_all(&walk, &[&*lo.data, &*hi.data], |[a, b]| (b - a).is_finite()) {
                    return Err(PyOverflowError::new_err("Range exceeds valid bounds"));
                }
            }
            // The range check above is all `rs.uniform` checks.
            draw_with::<f64, 2, _>(py, [lo, hi], size, |v, o| rs.uniform(v[0], v[1], o), false)
        })
    }
    #[pyo3(signature = (loc = None, scale = None, size = None))]
    fn normal(&mut self, py: Python<'_>, loc: PA<'_, '_>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let (loc, scale) = (param(loc, 0.0)?, param(scale, 1.0)?);
        check_param(&scale, rnd::constraint::non_negative, "scale")?;
        legacy!(self, py, rs => draw_with::<f64, 2, _>(py, [loc, scale], size, |v, o| rs.normal(v[0], v[1], o), false))
    }
    #[pyo3(signature = (mean = None, sigma = None, size = None))]
    fn lognormal(&mut self, py: Python<'_>, mean: PA<'_, '_>, sigma: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 2, _>(py, [param(mean, 0.0)?, param(sigma, 1.0)?], size, |v, o| rs.lognormal(v[0], v[1], o))
        })
    }
    #[pyo3(signature = (size = None))]
    fn standard_exponential(&mut self, py: Python<'_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy!(self, py, rs => {
            draw::<f64, 0, _>(py, [], size, |_, o| {
                rs.standard_exponential(o);
                Ok(())
            })
        })
    }
    #[pyo3(signature = (scale = None, size = None))]
    fn exponential(&mut self, py: Python<'_>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy!(self, py, rs => {
            draw::<f64, 1, _>(py, [param(scale, 1.0)?], size, |v, o| rs.exponential(v[0], o))
        })
    }
    #[pyo3(signature = (low, high = None, size = None, dtype = None))]
    fn randint(&mut self, py: Python<'_>, low: &Bound<'_, PyAny>, high: PA<'_, '_>, size: PA<'_, '_>, dtype: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let dt = optional_dtype(dtype)?.unwrap_or(DType::Int64);
        // dtype=int / dtype=bool give Python scalars when one value is drawn.
        let builtin = dtype.is_none() || dtype.is_some_and(|d| d.is(py.get_type::<PyInt>()) || d.is(py.get_type::<pyo3::types::PyBool>()));
        legacy!(self, py, rs => {
            int_dtype!(dt, "randint", T => bounded::<T>(py, low, high, size, false, true, builtin, |s, off, rng, out| rs.bounded_fill::<T>(s, off, rng, out)))
        })
    }
    /// Deprecated `random_integers(low, high)` = `randint(low, int(high) + 1)` (int64).
    #[pyo3(signature = (low, high = None, size = None))]
    fn random_integers(&mut self, py: Python<'_>, low: &Bound<'_, PyAny>, high: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let (lo, hi) = match high.filter(|h| !h.is_none()) {
            Some(h) => (low.clone(), h.clone()),
            None => (1i64.into_pyobject(py)?.into_any(), low.clone()),
        };
        let msg = format!("This function is deprecated. Please call randint({}, {} + 1) instead", lo.str()?, hi.str()?);
        let cat = py.get_type::<pyo3::exceptions::PyDeprecationWarning>();
        PyErr::warn(py, &cat, &std::ffi::CString::new(msg).unwrap_or_default(), 1)?;
        // `int(high) + 1` in Python integers: no fixed-width overflow at the int64 maximum.
        let hi1 = py.get_type::<PyInt>().call1((hi,))?.call_method1("__add__", (1,))?;
        legacy!(self, py, rs => {
            bounded::<i64>(py, &lo, Some(&hi1), size, false, true, false, |s, off, rng, out| rs.bounded_fill::<i64>(s, off, rng, out))
        })
    }
    #[pyo3(signature = (length))]
    fn bytes<'py>(&mut self, py: Python<'py>, length: usize) -> PyResult<Bound<'py, PyBytes>> {
        // NumPy draws `(length - 1) / 4 + 1` words in C arithmetic: one word even for 0 bytes.
        let b = legacy_dyn!(self, py, rs => rs.bytes(length.max(1)));
        Ok(PyBytes::new(py, &b[..length]))
    }
    #[pyo3(signature = (a, size = None, replace = true, p = None))]
    fn choice(&mut self, py: Python<'_>, a: &Bound<'_, PyAny>, size: PA<'_, '_>, replace: bool, p: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let pop = choice_pop(a, true)?;
        let n = match &pop {
            Pop::Int(n) => *n,
            Pop::Arr(a) => a.shape()[0],
        };
        let p = choice_p(p)?;
        let shape = size_shape(size)?;
        let count = shape.as_ref().map_or(1, |s| s.iter().product());
        if n == 0 && count > 0 && matches!(pop, Pop::Arr(_)) {
            return Err(PyValueError::new_err("a cannot be empty unless no samples are taken"));
        }
        let idx = choice_idx(shape.as_deref())?;
        legacy!(self, py, rs => rs.choice(n, replace, p.as_deref(), &mut idx_slice(&idx)[..count]).rpy())?;
        choice_result(py, &pop, idx, shape.as_deref())
    }
    fn shuffle(&mut self, py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<()> {
        legacy!(self, py, rs => shuffle_obj(x, |i| rs.random_interval(i)))
    }
    fn permutation(&mut self, py: Python<'_>, x: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if x.is_instance_of::<PyInt>() {
            let n: i64 = x.extract()?;
            let n = usize::try_from(n).map_err(|_| PyValueError::new_err("negative dimensions are not allowed"))?;
            let arr = legacy!(self, py, rs => fill_new::<i64, _>(py, &[n], |o| {
                arange_into(o);
                rs.shuffle(o);
                Ok(())
            }))?;
            return Ok(wrap(py, arr)?.into_any().unbind());
        }
        // A str is a 0-d array to NumPy (not an error of its own).
        if x.is_instance_of::<pyo3::types::PyString>() || x.is_instance_of::<PyBytes>() {
            return Err(PyIndexError::new_err("x must be an integer or at least 1-dimensional"));
        }
        let arr = array_from_py(x)?;
        if arr.ndim() < 1 {
            return Err(PyIndexError::new_err("x must be an integer or at least 1-dimensional"));
        }
        if arr.ndim() > 1 {
            // Rows gathered by a shuffled index (the same draws as shuffling the rows).
            let n = arr.shape()[0];
            let mut idx: Vec<i64> = (0..n as i64).collect();
            legacy!(self, py, rs => rs.shuffle(&mut idx));
            return Ok(wrap(py, take_rows(&arr, &idx, &[n])?)?.into_any().unbind());
        }
        let out = wrap(py, arr.copy(Order::C).py()?)?;
        legacy!(self, py, rs => shuffle_obj(out.as_any(), |i| rs.random_interval(i)))?;
        Ok(out.into_any().unbind())
    }
    #[pyo3(signature = (shape, size = None))]
    fn standard_gamma(&mut self, py: Python<'_>, shape: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy!(self, py, rs => {
            draw::<f64, 1, _>(py, [param(Some(shape), 0.0)?], size, |v, o| rs.standard_gamma(v[0], o))
        })
    }
    #[pyo3(signature = (shape, scale = None, size = None))]
    fn gamma(&mut self, py: Python<'_>, shape: &Bound<'_, PyAny>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy!(self, py, rs => {
            draw::<f64, 2, _>(py, [param(Some(shape), 0.0)?, param(scale, 1.0)?], size, |v, o| rs.gamma(v[0], v[1], o))
        })
    }
    #[pyo3(signature = (a, b, size = None))]
    fn beta(&mut self, py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 2, _>(py, [param(Some(a), 0.0)?, param(Some(b), 0.0)?], size, |v, o| rs.beta(v[0], v[1], o))
        })
    }
    #[pyo3(signature = (df, size = None))]
    fn chisquare(&mut self, py: Python<'_>, df: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 1, _>(py, [param(Some(df), 0.0)?], size, |v, o| rs.chisquare(v[0], o))
        })
    }
    #[pyo3(signature = (df, nonc, size = None))]
    fn noncentral_chisquare(&mut self, py: Python<'_>, df: &Bound<'_, PyAny>, nonc: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 2, _>(py, [param(Some(df), 0.0)?, param(Some(nonc), 0.0)?], size, |v, o| rs.noncentral_chisquare(v[0], v[1], o))
        })
    }
    #[pyo3(signature = (dfnum, dfden, size = None))]
    fn f(&mut self, py: Python<'_>, dfnum: &Bound<'_, PyAny>, dfden: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 2, _>(py, [param(Some(dfnum), 0.0)?, param(Some(dfden), 0.0)?], size, |v, o| rs.f(v[0], v[1], o))
        })
    }
    #[pyo3(signature = (dfnum, dfden, nonc, size = None))]
    fn noncentral_f(&mut self, py: Python<'_>, dfnum: &Bound<'_, PyAny>, dfden: &Bound<'_, PyAny>, nonc: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            let ps = [param(Some(dfnum), 0.0)?, param(Some(dfden), 0.0)?, param(Some(nonc), 0.0)?];
            draw::<f64, 3, _>(py, ps, size, |v, o| rs.noncentral_f(v[0], v[1], v[2], o))
        })
    }
    #[pyo3(signature = (df, size = None))]
    fn standard_t(&mut self, py: Python<'_>, df: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 1, _>(py, [param(Some(df), 0.0)?], size, |v, o| rs.standard_t(v[0], o))
        })
    }
    #[pyo3(signature = (size = None))]
    fn standard_cauchy(&mut self, py: Python<'_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 0, _>(py, [], size, |_, o| {
                rs.standard_cauchy(o);
                Ok(())
            })
        })
    }
    #[pyo3(signature = (a, size = None))]
    fn pareto(&mut self, py: Python<'_>, a: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 1, _>(py, [param(Some(a), 0.0)?], size, |v, o| rs.pareto(v[0], o))
        })
    }
    #[pyo3(signature = (a, size = None))]
    fn weibull(&mut self, py: Python<'_>, a: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 1, _>(py, [param(Some(a), 0.0)?], size, |v, o| rs.weibull(v[0], o))
        })
    }
    #[pyo3(signature = (a, size = None))]
    fn power(&mut self, py: Python<'_>, a: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 1, _>(py, [param(Some(a), 0.0)?], size, |v, o| rs.power(v[0], o))
        })
    }
    #[pyo3(signature = (loc = None, scale = None, size = None))]
    fn laplace(&mut self, py: Python<'_>, loc: PA<'_, '_>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 2, _>(py, [param(loc, 0.0)?, param(scale, 1.0)?], size, |v, o| rs.laplace(v[0], v[1], o))
        })
    }
    #[pyo3(signature = (loc = None, scale = None, size = None))]
    fn gumbel(&mut self, py: Python<'_>, loc: PA<'_, '_>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 2, _>(py, [param(loc, 0.0)?, param(scale, 1.0)?], size, |v, o| rs.gumbel(v[0], v[1], o))
        })
    }
    #[pyo3(signature = (loc = None, scale = None, size = None))]
    fn logistic(&mut self, py: Python<'_>, loc: PA<'_, '_>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 2, _>(py, [param(loc, 0.0)?, param(scale, 1.0)?], size, |v, o| rs.logistic(v[0], v[1], o))
        })
    }
    #[pyo3(signature = (scale = None, size = None))]
    fn rayleigh(&mut self, py: Python<'_>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 1, _>(py, [param(scale, 1.0)?], size, |v, o| rs.rayleigh(v[0], o))
        })
    }
    #[pyo3(signature = (mean, scale, size = None))]
    fn wald(&mut self, py: Python<'_>, mean: &Bound<'_, PyAny>, scale: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 2, _>(py, [param(Some(mean), 0.0)?, param(Some(scale), 0.0)?], size, |v, o| rs.wald(v[0], v[1], o))
        })
    }
    #[pyo3(signature = (left, mode, right, size = None))]
    fn triangular(&mut self, py: Python<'_>, left: &Bound<'_, PyAny>, mode: &Bound<'_, PyAny>, right: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            let ps = [param(Some(left), 0.0)?, param(Some(mode), 0.0)?, param(Some(right), 0.0)?];
            draw::<f64, 3, _>(py, ps, size, |v, o| rs.triangular(v[0], v[1], v[2], o))
        })
    }
    #[pyo3(signature = (mu, kappa, size = None))]
    fn vonmises(&mut self, py: Python<'_>, mu: &Bound<'_, PyAny>, kappa: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<f64, 2, _>(py, [param(Some(mu), 0.0)?, param(Some(kappa), 0.0)?], size, |v, o| rs.vonmises(v[0], v[1], o))
        })
    }
    #[pyo3(signature = (n, p, size = None))]
    fn binomial(&mut self, py: Python<'_>, n: &Bound<'_, PyAny>, p: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy!(self, py, rs => {
            draw::<i64, 2, _>(py, [param(Some(n), 0.0)?, param(Some(p), 0.0)?], size, |v, o| rs.binomial(v[0] as i64, v[1], o))
        })
    }
    #[pyo3(signature = (lam = None, size = None))]
    fn poisson(&mut self, py: Python<'_>, lam: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy!(self, py, rs => {
            draw::<i64, 1, _>(py, [param(lam, 1.0)?], size, |v, o| rs.poisson(v[0], o))
        })
    }
    #[pyo3(signature = (n, p, size = None))]
    fn negative_binomial(&mut self, py: Python<'_>, n: &Bound<'_, PyAny>, p: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<i64, 2, _>(py, [param(Some(n), 0.0)?, param(Some(p), 0.0)?], size, |v, o| rs.negative_binomial(v[0], v[1], o))
        })
    }
    #[pyo3(signature = (p, size = None))]
    fn geometric(&mut self, py: Python<'_>, p: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<i64, 1, _>(py, [param(Some(p), 0.0)?], size, |v, o| rs.geometric(v[0], o))
        })
    }
    #[pyo3(signature = (p, size = None))]
    fn logseries(&mut self, py: Python<'_>, p: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<i64, 1, _>(py, [param(Some(p), 0.0)?], size, |v, o| rs.logseries(v[0], o))
        })
    }
    #[pyo3(signature = (a, size = None))]
    fn zipf(&mut self, py: Python<'_>, a: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            draw::<i64, 1, _>(py, [param(Some(a), 0.0)?], size, |v, o| rs.zipf(v[0], o))
        })
    }
    #[pyo3(signature = (ngood, nbad, nsample, size = None))]
    fn hypergeometric(&mut self, py: Python<'_>, ngood: &Bound<'_, PyAny>, nbad: &Bound<'_, PyAny>, nsample: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        legacy_dyn!(self, py, rs => {
            let ps = [legacy_int_param(ngood)?, legacy_int_param(nbad)?, legacy_int_param(nsample)?];
            draw::<i64, 3, _>(py, ps, size, |v, o| rs.hypergeometric(v[0] as i64, v[1] as i64, v[2] as i64, o))
        })
    }
    /// Legacy `multinomial(n, pvals, size)`: `n` a C long (floats truncate), `pvals` 1-d.
    #[pyo3(signature = (n, pvals, size = None))]
    fn multinomial(&mut self, py: Python<'_>, n: &Bound<'_, PyAny>, pvals: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let n: i64 = if n.is_instance_of::<PyInt>() {
            n.extract()?
        } else if !n.is_instance_of::<pyo3::types::PyString>() && n.hasattr("__int__")? {
            n.call_method0("__int__")?.extract()?
        } else {
            return Err(PyTypeError::new_err("an integer is required"));
        };
        let d = pvals.len()?;
        let pv = legacy_1d(pvals)?;
        if pv.data.iter().any(|&x| !(0.0..=1.0).contains(&x)) {
            return Err(PyValueError::new_err("pvals < 0, pvals > 1 or pvals contains NaNs"));
        }
        if d > 0 && rnd::legacy::kahan_sum_pub(&pv.data[..d - 1]) > 1.0 + 1e-12 {
            // A float16/float32 pvals that sums to ~1 in its own precision gets the longer message.
            let narrow = match pvals.cast::<PyNdArray>() {
                Ok(a) => {
                    let dt = a.get().arr().dtype();
                    dt.kind() == oxnp_core::Kind::Float && dt != DType::Float64 && pvals.call_method0("sum")?.lt(1.0001)?
                }
                Err(_) => false,
            };
            return Err(PyValueError::new_err(if narrow {
                "sum(pvals[:-1].astype(np.float64)) > 1.0. The pvals array is cast to 64-bit floating point prior to checking the sum. Precision changes when casting may cause problems even if the sum of the original pvals is valid."
            } else {
                "sum(pvals[:-1]) > 1.0"
            }));
        }
        let mut shape = legacy_vec_size(size)?;
        shape.push(d);
        legacy_dyn!(self, py, rs => {
            let arr = fill_new::<i64, _>(py, &shape, |o| rs.multinomial(n, &pv.data, o))?;
            Ok(wrap(py, arr)?.into_any().unbind())
        })
    }
    /// Legacy `dirichlet(alpha, size)`: `alpha` 1-d, every value > 0 (NaN passes, as NumPy's).
    #[pyo3(signature = (alpha, size = None))]
    fn dirichlet(&mut self, py: Python<'_>, alpha: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let k = alpha.len()?;
        let al = legacy_1d(alpha)?;
        if al.data.iter().any(|&a| a <= 0.0) {
            return Err(PyValueError::new_err("alpha <= 0"));
        }
        let mut shape = legacy_vec_size(size)?;
        shape.push(k);
        legacy_dyn!(self, py, rs => {
            let arr = fill_new::<f64, _>(py, &shape, |o| rs.dirichlet(&al.data, o))?;
            Ok(wrap(py, arr)?.into_any().unbind())
        })
    }
}

/// The leading shape of the legacy multinomial/dirichlet output: `(operator.index(size),)`,
/// else `tuple(size)` (so a float size fails with "'float' object is not iterable").
fn legacy_vec_size(size: PA<'_, '_>) -> PyResult<Vec<usize>> {
    let Some(size) = size.filter(|s| !s.is_none()) else { return Ok(Vec::new()) };
    let py = size.py();
    let obj = match py.import("operator")?.call_method1("index", (size,)) {
        Ok(i) => PyTuple::new(py, [i])?,
        Err(e) if e.is_instance_of::<PyTypeError>(py) => {
            let items = size.try_iter()?.collect::<PyResult<Vec<_>>>()?;
            PyTuple::new(py, items)?
        }
        Err(e) => return Err(e),
    };
    Ok(shape_from_py(obj.as_any())?.to_vec())
}

/// A 1-d float64 vector parameter of the legacy multinomial/dirichlet, with NumPy's errors
/// for more dimensions.
fn legacy_1d(obj: &Bound<'_, PyAny>) -> PyResult<Param> {
    let p = param(Some(obj), 0.0)?;
    match p.shape.as_deref() {
        Some([_]) => Ok(p),
        Some(_) if obj.is_instance_of::<PyNdArray>() => Err(PyValueError::new_err("object too deep for desired array")),
        Some(_) => Err(PyValueError::new_err(
            "setting an array element with a sequence. The requested array would exceed the maximum number of dimension of 1.",
        )),
        None => Err(PyValueError::new_err("object of too small depth for desired array")),
    }
}

// ---- SeedSequence --------------------------------------------------------------------------

/// Little-endian 32-bit words of a non-negative Python int (`[0]` for zero), as NumPy's
/// `_int_to_uint32_array`; sequences concatenate their elements' words.
fn coerce_words(obj: &Bound<'_, PyAny>) -> PyResult<Vec<u32>> {
    if obj.is_instance_of::<PyInt>() || obj.hasattr("__index__")? && !obj.hasattr("__len__")? {
        let mut v = obj.call_method0("__index__")?;
        if v.lt(0)? {
            return Err(PyValueError::new_err("expected non-negative integer"));
        }
        let mut out = Vec::new();
        loop {
            out.push(v.call_method1("__and__", (0xFFFF_FFFFu32,))?.extract::<u32>()?);
            v = v.call_method1("__rshift__", (32,))?;
            if v.eq(0)? {
                return Ok(out);
            }
        }
    }
    if let Ok(a) = obj.cast::<PyNdArray>() {
        let arr = a.get().arr().clone();
        if matches!(arr.dtype().kind(), oxnp_core::Kind::Float | oxnp_core::Kind::Complex) {
            return Err(PyTypeError::new_err("SeedSequence expects int or sequence of ints for entropy not float"));
        }
        let mut out = Vec::new();
        // each element is an int of its own (unsigned values beyond int64 included)
        if arr.dtype().kind() == oxnp_core::Kind::UInt {
            for v in astype(&arr, DType::UInt64, Casting::Unsafe).py()?.to_vec::<u64>() {
                out.extend(coerce_words(&v.into_pyobject(obj.py())?.into_any())?);
            }
        } else {
            for v in astype(&arr, DType::Int64, Casting::Unsafe).py()?.to_vec::<i64>() {
                out.extend(coerce_words(&v.into_pyobject(obj.py())?.into_any())?);
            }
        }
        return Ok(out);
    }
    if obj.is_instance_of::<PyFloat>() {
        return Err(PyTypeError::new_err("SeedSequence expects int or sequence of ints for entropy not float"));
    }
    let mut out = Vec::new();
    for item in obj.try_iter()? {
        out.extend(coerce_words(&item?)?);
    }
    Ok(out)
}

#[pyclass(name = "SeedSequence", module = "oxnp.random")]
pub struct PySeedSequence {
    ss: rnd::SeedSequence,
    entropy: Py<PyAny>,
    spawn_key: Vec<Py<PyAny>>,
}

fn new_seed_sequence(py: Python<'_>, entropy: Option<&Bound<'_, PyAny>>, spawn_key: Vec<Py<PyAny>>) -> PyResult<PySeedSequence> {
    new_seed_sequence_pool(py, entropy, spawn_key, 4)
}

fn new_seed_sequence_pool(py: Python<'_>, entropy: Option<&Bound<'_, PyAny>>, spawn_key: Vec<Py<PyAny>>, pool_size: usize) -> PyResult<PySeedSequence> {
    let entropy = match entropy.filter(|e| !e.is_none()) {
        Some(e) => e.clone(),
        None => py.import("secrets")?.call_method1("randbits", (128,))?,
    };
    let words = coerce_words(&entropy)?;
    let mut key_words = Vec::new();
    for k in &spawn_key {
        key_words.extend(coerce_words(k.bind(py))?);
    }
    Ok(PySeedSequence { ss: rnd::SeedSequence::with_pool_size(&words, &key_words, pool_size), entropy: entropy.unbind(), spawn_key })
}

#[pymethods]
impl PySeedSequence {
    #[new]
    #[pyo3(signature = (entropy = None, *, spawn_key = None, pool_size = 4, n_children_spawned = 0))]
    fn new(py: Python<'_>, entropy: PA<'_, '_>, spawn_key: PA<'_, '_>, pool_size: usize, n_children_spawned: usize) -> PyResult<Self> {
        if pool_size < 4 {
            return Err(PyValueError::new_err("The size of the entropy pool should be at least 4"));
        }
        let key: Vec<Py<PyAny>> = match spawn_key {
            Some(k) => k.try_iter()?.map(|i| i.map(|i| i.unbind())).collect::<PyResult<_>>()?,
            None => Vec::new(),
        };
        let mut s = new_seed_sequence_pool(py, entropy, key, pool_size)?;
        if n_children_spawned > 0 {
            s.ss.spawn(n_children_spawned);
        }
        Ok(s)
    }
    #[getter]
    fn entropy(&self, py: Python<'_>) -> Py<PyAny> {
        self.entropy.clone_ref(py)
    }
    #[getter]
    fn spawn_key<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.spawn_key.iter().map(|k| k.bind(py)))
    }
    #[getter]
    fn pool_size(&self) -> usize {
        self.ss.pool_size()
    }
    /// `{'entropy', 'spawn_key', 'pool_size', 'n_children_spawned'}`, NumPy's `state`.
    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("entropy", self.entropy.bind(py))?;
        d.set_item("spawn_key", self.spawn_key(py)?)?;
        d.set_item("pool_size", self.ss.pool_size())?;
        d.set_item("n_children_spawned", self.ss.n_children_spawned())?;
        Ok(d)
    }
    #[getter]
    fn n_children_spawned(&self) -> u32 {
        self.ss.n_children_spawned()
    }
    #[getter]
    fn pool(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let pool = self.ss.pool();
        Ok(wrap(py, Array::from_vec(&[pool.len()], pool).py()?)?.into_any().unbind())
    }
    #[pyo3(signature = (n_words, dtype = None))]
    fn generate_state(&self, py: Python<'_>, n_words: usize, dtype: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let arr = match optional_dtype(dtype)?.unwrap_or(DType::UInt32) {
            DType::UInt32 => Array::from_vec(&[n_words], self.ss.generate_state_u32(n_words)),
            DType::UInt64 => Array::from_vec(&[n_words], self.ss.generate_state_u64(n_words)),
            _ => return Err(PyValueError::new_err("only support uint32 or uint64")),
        };
        Ok(wrap(py, arr.py()?)?.into_any().unbind())
    }
    fn spawn(&mut self, py: Python<'_>, n_children: usize) -> PyResult<Vec<PySeedSequence>> {
        let start = self.ss.n_children_spawned() as usize;
        let kids = self.ss.spawn(n_children);
        kids.into_iter()
            .enumerate()
            .map(|(i, ss)| {
                let mut key: Vec<Py<PyAny>> = self.spawn_key.iter().map(|k| k.clone_ref(py)).collect();
                key.push((start + i).into_pyobject(py)?.into_any().unbind());
                Ok(PySeedSequence { ss, entropy: self.entropy.clone_ref(py), spawn_key: key })
            })
            .collect()
    }
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let mut r = format!("SeedSequence(\n    entropy={},\n", self.entropy.bind(py).repr()?);
        if !self.spawn_key.is_empty() {
            r += &format!("    spawn_key={},\n", self.spawn_key(py)?.repr()?);
        }
        if self.ss.pool_size() != 4 {
            r += &format!("    pool_size={},\n", self.ss.pool_size());
        }
        if self.ss.n_children_spawned() != 0 {
            r += &format!("    n_children_spawned={},\n", self.ss.n_children_spawned());
        }
        Ok(r + ")")
    }
    /// Pickles as `_seed_sequence_ctor(cls, entropy, spawn_key, pool_size, n_children_spawned)`.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let me = slf.borrow();
        let args = (slf.get_type(), me.entropy.clone_ref(py), me.spawn_key(py)?, me.ss.pool_size(), me.ss.n_children_spawned()).into_pyobject(py)?;
        PyTuple::new(py, [pickle_helper(py, "_seed_sequence_ctor")?, args.into_any()])
    }
}

// ---- bit generators --------------------------------------------------------------------------

pub enum AnyBitGen {
    Pcg64(rnd::Pcg64),
    Dxsm(rnd::Pcg64Dxsm),
    Mt(rnd::Mt19937),
    Philox(rnd::Philox),
    Sfc64(rnd::Sfc64),
}

impl AnyBitGen {
    fn dynbg(&mut self) -> &mut (dyn BitGen + Send) {
        match self {
            AnyBitGen::Pcg64(b) => b,
            AnyBitGen::Dxsm(b) => b,
            AnyBitGen::Mt(b) => b,
            AnyBitGen::Philox(b) => b,
            AnyBitGen::Sfc64(b) => b,
        }
    }
    fn name(&self) -> &'static str {
        match self {
            AnyBitGen::Pcg64(_) => "PCG64",
            AnyBitGen::Dxsm(_) => "PCG64DXSM",
            AnyBitGen::Mt(_) => "MT19937",
            AnyBitGen::Philox(_) => "Philox",
            AnyBitGen::Sfc64(_) => "SFC64",
        }
    }
}

#[pyclass(name = "BitGenerator", module = "oxnp.random", subclass)]
pub struct PyBitGenerator {
    bg: AnyBitGen,
    /// None after legacy seeding (`RandomState(seed)`'s MT19937), as NumPy's.
    seed_seq: Option<Py<PySeedSequence>>,
    /// Another seed-sequence object (NumPy's `ISeedSequence`: anything with `generate_state`)
    /// the generator was seeded from; such a one cannot spawn.
    foreign_seed: Option<Py<PyAny>>,
}

/// A seed that is another library's seed sequence: not an int, sequence, array or our own
/// SeedSequence, but with a `generate_state` method.
fn foreign_seed_seq<'py>(seed: PA<'py, '_>) -> Option<Bound<'py, PyAny>> {
    let s = seed?;
    if s.is_none() || s.is_instance_of::<PySeedSequence>() || s.is_instance_of::<PyInt>() || s.is_instance_of::<PyNdArray>() {
        return None;
    }
    if s.hasattr("__len__").unwrap_or(false) || !s.hasattr("generate_state").unwrap_or(false) {
        return None;
    }
    Some(s.clone())
}

/// The SeedSequence a bit generator seeds from: a given one, or one built from `seed`.
fn seed_seq_of(py: Python<'_>, seed: PA<'_, '_>) -> PyResult<Py<PySeedSequence>> {
    if let Some(s) = seed {
        if let Ok(ss) = s.cast::<PySeedSequence>() {
            return Ok(ss.clone().unbind());
        }
        if s.is_instance_of::<PyFloat>() {
            return Err(PyTypeError::new_err("SeedSequence expects int or sequence of ints for entropy not float"));
        }
    }
    Py::new(py, new_seed_sequence(py, seed, Vec::new())?)
}

fn make_bitgen(py: Python<'_>, seed: PA<'_, '_>, kind: fn(&rnd::SeedSequence) -> AnyBitGen) -> PyResult<PyBitGenerator> {
    if let Some(f) = foreign_seed_seq(seed) {
        // Ask it for what this kind seeds from, with the dtype NumPy asks for.
        let (n, wide) = match kind(&rnd::SeedSequence::from_int(0)) {
            AnyBitGen::Pcg64(_) | AnyBitGen::Dxsm(_) => (4, true),
            AnyBitGen::Sfc64(_) => (3, true),
            AnyBitGen::Philox(_) => (2, true),
            AnyBitGen::Mt(_) => (624, false),
        };
        let oxnp = py.import("oxnp")?;
        let dt = oxnp.getattr(if wide { "uint64" } else { "uint32" })?;
        let st = array_from_py(&f.call_method1("generate_state", (n, dt))?)?;
        let words: Vec<u32> = if wide {
            astype(&st, DType::UInt64, Casting::Unsafe).py()?.to_vec::<u64>().into_iter().flat_map(|w| [w as u32, (w >> 32) as u32]).collect()
        } else {
            astype(&st, DType::UInt32, Casting::Unsafe).py()?.to_vec::<u32>()
        };
        let bg = kind(&rnd::SeedSequence::with_fixed_state(words));
        return Ok(PyBitGenerator { bg, seed_seq: None, foreign_seed: Some(f.unbind()) });
    }
    let seed_seq = seed_seq_of(py, seed)?;
    let bg = kind(&seed_seq.borrow(py).ss);
    Ok(PyBitGenerator { bg, seed_seq: Some(seed_seq), foreign_seed: None })
}

fn u64_array<'py>(py: Python<'py>, v: &[u64]) -> PyResult<Bound<'py, PyNdArray>> {
    wrap(py, Array::from_vec(&[v.len()], v.to_vec()).py()?)
}

fn dict_item<'py>(d: &Bound<'py, PyDict>, k: &str) -> PyResult<Bound<'py, PyAny>> {
    d.get_item(k)?.ok_or_else(|| PyValueError::new_err(format!("state dictionary is not valid (no '{k}').")))
}

fn u64_words<const N: usize>(obj: &Bound<'_, PyAny>) -> PyResult<[u64; N]> {
    let v: Vec<u64> = match array_from_py(obj) {
        Ok(a) if a.ndim() == 1 => astype(&a, DType::UInt64, Casting::Unsafe).py()?.to_vec::<u64>(),
        _ => obj.extract()?,
    };
    v.try_into().map_err(|_| PyValueError::new_err(format!("state must hold {N} uint64 words")))
}

#[pymethods]
impl PyBitGenerator {
    #[getter]
    fn seed_seq(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        match &self.foreign_seed {
            Some(f) => Some(f.clone_ref(py)),
            None => self.seed_seq.as_ref().map(|s| s.clone_ref(py).into_any()),
        }
    }
    #[getter(_seed_seq)]
    fn seed_seq_private(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.seed_seq(py)
    }
    #[setter(_seed_seq)]
    fn set_seed_seq_private(&mut self, ss: Option<Py<PySeedSequence>>) {
        self.seed_seq = ss;
        self.foreign_seed = None;
    }

    /// `MT19937._legacy_seeding(seed)`: seed as `RandomState(seed)` does (MT19937 only).
    fn _legacy_seeding(&mut self, py: Python<'_>, seed: &Bound<'_, PyAny>) -> PyResult<()> {
        if !matches!(self.bg, AnyBitGen::Mt(_)) {
            return Err(PyTypeError::new_err("_legacy_seeding is only available on MT19937"));
        }
        self.bg = AnyBitGen::Mt(legacy_mt(py, Some(seed))?);
        self.seed_seq = None;
        self.foreign_seed = None;
        Ok(())
    }

    /// `(state, seed_seq)`, what pickling stores.
    fn __getstate__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let st = self.state(py)?.into_any();
        PyTuple::new(py, [st, self.seed_seq(py).into_pyobject(py)?.into_any()])
    }
    /// Accepts `(state, seed_seq)` or, as older pickles hold, the state dict alone.
    fn __setstate__(&mut self, py: Python<'_>, state: &Bound<'_, PyAny>) -> PyResult<()> {
        if state.is_instance_of::<PyDict>() {
            return self.set_state(state);
        }
        let ss = state.get_item(1)?;
        self.seed_seq = if ss.is_none() { None } else { Some(ss.cast::<PySeedSequence>()?.clone().unbind()) };
        self.foreign_seed = None;
        let _ = py;
        self.set_state(&state.get_item(0)?)
    }
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let ctor = pickle_helper(py, "__bit_generator_ctor")?;
        let args = PyTuple::new(py, [slf.get_type()])?;
        let st = slf.borrow().__getstate__(py)?;
        PyTuple::new(py, [ctor, args.into_any(), st.into_any()])
    }

    #[getter]
    fn state<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let inner = PyDict::new(py);
        d.set_item("bit_generator", self.bg.name())?;
        let half = match &self.bg {
            AnyBitGen::Pcg64(b) => {
                let s = b.state();
                inner.set_item("state", s.state)?;
                inner.set_item("inc", s.inc)?;
                Some((s.has_uint32, s.uinteger))
            }
            AnyBitGen::Dxsm(b) => {
                let s = b.state();
                inner.set_item("state", s.state)?;
                inner.set_item("inc", s.inc)?;
                Some((s.has_uint32, s.uinteger))
            }
            AnyBitGen::Mt(b) => {
                inner.set_item("key", wrap(py, Array::from_vec(&[624], b.key().to_vec()).py()?)?)?;
                inner.set_item("pos", b.pos())?;
                None
            }
            AnyBitGen::Philox(b) => {
                inner.set_item("counter", u64_array(py, &b.ctr)?)?;
                inner.set_item("key", u64_array(py, &b.key)?)?;
                d.set_item("state", &inner)?;
                d.set_item("buffer", u64_array(py, &b.buffer)?)?;
                d.set_item("buffer_pos", b.buffer_pos)?;
                Some(b.half_word())
            }
            AnyBitGen::Sfc64(b) => {
                inner.set_item("state", u64_array(py, &b.s)?)?;
                Some(b.half_word())
            }
        };
        d.set_item("state", inner)?;
        if let Some((has, v)) = half {
            d.set_item("has_uint32", has as i64)?;
            d.set_item("uinteger", v)?;
        }
        Ok(d)
    }
    #[setter]
    fn set_state(&mut self, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = value.py();
        let mt = matches!(self.bg, AnyBitGen::Mt(_));
        // MT19937 also takes a legacy `('MT19937', key, pos[, has_gauss, gauss])` tuple.
        let converted;
        let value = if mt && value.is_instance_of::<PyTuple>() {
            let n = value.len()?;
            if !value.get_item(0)?.eq("MT19937")? || !(n == 3 || n == 5) {
                return Err(PyValueError::new_err("state is not a legacy MT19937 state"));
            }
            let d = PyDict::new(py);
            let inner = PyDict::new(py);
            inner.set_item("key", value.get_item(1)?)?;
            inner.set_item("pos", value.get_item(2)?)?;
            d.set_item("bit_generator", "MT19937")?;
            d.set_item("state", inner)?;
            converted = d.into_any();
            &converted
        } else {
            value
        };
        let d = value.cast::<PyDict>().map_err(|_| PyTypeError::new_err("state must be a dict"))?;
        let name = d.get_item("bit_generator")?;
        if !name.as_ref().is_some_and(|n| n.eq(self.bg.name()).unwrap_or(false)) {
            // NumPy's own wording per generator (SFC64's has an unformatted placeholder).
            let msg = match &self.bg {
                AnyBitGen::Mt(_) => "state must be for a MT19937 PRNG".to_string(),
                AnyBitGen::Philox(_) => "state must be for a Philox PRNG".to_string(),
                AnyBitGen::Sfc64(_) => "state must be for a {self.__class__.__name__} RNG".to_string(),
                b => format!("state must be for a {} RNG", b.name()),
            };
            return Err(PyValueError::new_err(msg));
        }
        let inner = dict_item(d, "state")?;
        let inner = inner.cast::<PyDict>()?;
        let half = || -> PyResult<(bool, u32)> {
            Ok((dict_item(d, "has_uint32")?.extract::<i64>()? != 0, dict_item(d, "uinteger")?.extract()?))
        };
        match &mut self.bg {
            AnyBitGen::Pcg64(b) => {
                let (has_uint32, uinteger) = half()?;
                let st = rnd::PcgState { state: dict_item(inner, "state")?.extract()?, inc: dict_item(inner, "inc")?.extract()?, has_uint32, uinteger };
                b.set_state(&st);
            }
            AnyBitGen::Dxsm(b) => {
                let (has_uint32, uinteger) = half()?;
                let st = rnd::PcgState { state: dict_item(inner, "state")?.extract()?, inc: dict_item(inner, "inc")?.extract()?, has_uint32, uinteger };
                b.set_state(&st);
            }
            AnyBitGen::Mt(b) => {
                let key: [u32; 624] = key_words(&dict_item(inner, "key")?)?
                    .try_into()
                    .map_err(|_| PyValueError::new_err("key must be an array of 624 uint32 values"))?;
                let pos: usize = dict_item(inner, "pos")?.extract()?;
                if pos > 624 {
                    return Err(PyValueError::new_err("pos must be in [0, 624]"));
                }
                b.set_state(&key, pos);
            }
            AnyBitGen::Philox(b) => {
                b.ctr = u64_words::<4>(&dict_item(inner, "counter")?)?;
                b.key = u64_words::<2>(&dict_item(inner, "key")?)?;
                b.buffer = u64_words::<4>(&dict_item(d, "buffer")?)?;
                b.buffer_pos = dict_item(d, "buffer_pos")?.extract()?;
                let (h, v) = half()?;
                b.set_half_word(h, v);
            }
            AnyBitGen::Sfc64(b) => {
                b.s = u64_words::<4>(&dict_item(inner, "state")?)?;
                let (h, v) = half()?;
                b.set_half_word(h, v);
            }
        }
        Ok(())
    }

    /// Raw outputs: 64-bit words (32-bit for MT19937, as NumPy's `next_raw`).
    #[pyo3(signature = (size = None, output = true))]
    fn random_raw(&mut self, py: Python<'_>, size: PA<'_, '_>, output: bool) -> PyResult<Py<PyAny>> {
        let mt = matches!(self.bg, AnyBitGen::Mt(_));
        let b = self.bg.dynbg();
        let shape = size_shape(size)?;
        let n: usize = shape.as_ref().map_or(1, |s| s.iter().product());
        if !output {
            for _ in 0..n {
                if mt { b.next_u32(); } else { b.next_u64(); }
            }
            return Ok(py.None());
        }
        let raw = move |b: &mut (dyn BitGen + Send)| if mt { b.next_u32() as u64 } else { b.next_u64() };
        match shape {
            None => Ok(raw(b).into_pyobject(py)?.into_any().unbind()),
            Some(s) => {
                let arr = fill_new::<u64, _>(py, &s, |o| {
                    o.iter_mut().for_each(|v| *v = raw(b));
                    Ok(())
                })?;
                Ok(wrap(py, arr)?.into_any().unbind())
            }
        }
    }

    fn spawn(slf: &Bound<'_, Self>, n_children: usize) -> PyResult<Vec<Py<PyAny>>> {
        let py = slf.py();
        let ss = slf.borrow().seed_seq.as_ref().map(|s| s.clone_ref(py)).ok_or_else(|| PyTypeError::new_err("The underlying SeedSequence does not implement spawning."))?;
        let kids = ss.borrow_mut(py).spawn(py, n_children)?;
        let cls = slf.get_type();
        kids.into_iter().map(|k| Ok(cls.call1((Py::new(py, k)?,))?.unbind())).collect()
    }

    fn __repr__(&self) -> String {
        self.bg.name().to_string()
    }

    /// NumPy's timing helper: draws `cnt` values (`method` 'uint64' or 'double').
    #[pyo3(signature = (cnt, method = None))]
    fn _benchmark(slf: &Bound<'_, Self>, cnt: &Bound<'_, PyAny>, method: PA<'_, '_>) -> PyResult<()> {
        let py = slf.py();
        let method = match method {
            Some(m) => m.clone(),
            None => "uint64".into_pyobject(py)?.into_any(),
        };
        bitgen_extra(py, "benchmark")?.call1((slf, cnt, method))?;
        Ok(())
    }
}

macro_rules! bitgen_class {
    ($rs:ident, $pyname:literal, $variant:ident, $ty:ty) => {
        #[pyclass(name = $pyname, module = "oxnp.random", extends = PyBitGenerator, subclass)]
        pub struct $rs;
        #[pymethods]
        impl $rs {
            #[new]
            #[pyo3(signature = (seed = None))]
            fn new(py: Python<'_>, seed: PA<'_, '_>) -> PyResult<pyo3::PyClassInitializer<Self>> {
                let base = make_bitgen(py, seed, |ss| AnyBitGen::$variant(<$ty>::from_seed_sequence(ss)))?;
                Ok(pyo3::PyClassInitializer::from(base).add_subclass($rs))
            }
        }
    };
}
bitgen_class!(PyPcg64, "PCG64", Pcg64, rnd::Pcg64);
bitgen_class!(PyPcg64Dxsm, "PCG64DXSM", Dxsm, rnd::Pcg64Dxsm);
bitgen_class!(PyMt19937, "MT19937", Mt, rnd::Mt19937);
#[pyclass(name = "Philox", module = "oxnp.random", extends = PyBitGenerator, subclass)]
pub struct PyPhilox;
#[pymethods]
impl PyPhilox {
    /// `Philox(seed=None, counter=None, key=None)`: a `key` (int below 2**128 or two words)
    /// replaces the seeded one; `counter` (int below 2**256 or four words) starts the counter.
    #[new]
    #[pyo3(signature = (seed = None, counter = None, key = None))]
    fn new(py: Python<'_>, seed: PA<'_, '_>, counter: PA<'_, '_>, key: PA<'_, '_>) -> PyResult<pyo3::PyClassInitializer<Self>> {
        let (seed, counter, key) = (seed.filter(|o| !o.is_none()), counter.filter(|o| !o.is_none()), key.filter(|o| !o.is_none()));
        if seed.is_some() && key.is_some() {
            return Err(PyValueError::new_err("seed and key cannot be both used"));
        }
        let mut base = make_bitgen(py, seed, |ss| AnyBitGen::Philox(rnd::Philox::from_seed_sequence(ss)))?;
        if let AnyBitGen::Philox(b) = &mut base.bg {
            let words = |v: &Bound<'_, PyAny>, n: usize, what: &str| -> PyResult<Vec<u64>> {
                bitgen_extra(py, "philox_words")?.call1((v, n, what))?.extract()
            };
            if let Some(k) = key {
                let w = words(k, 2, "key")?;
                b.key = [w[0], w[1]];
            }
            if counter.is_some() || key.is_some() {
                let w = match counter {
                    Some(c) => words(c, 4, "counter")?,
                    None => vec![0; 4],
                };
                b.ctr = [w[0], w[1], w[2], w[3]];
                b.buffer = [0; 4];
                b.buffer_pos = 4;
                b.set_half_word(false, 0);
            }
        }
        Ok(pyo3::PyClassInitializer::from(base).add_subclass(PyPhilox))
    }
}

fn bitgen_extra<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("oxnp.random._bitgen_extra")?.getattr(name)
}

/// `advance(delta)` and `jumped(jumps=1)` for the generators NumPy gives them to.
macro_rules! advance_methods {
    ($rs:ident) => {
        #[pymethods]
        impl $rs {
            fn advance(slf: &Bound<'_, Self>, delta: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Ok(bitgen_extra(slf.py(), "advance")?.call1((slf, delta))?.unbind())
            }
            #[pyo3(signature = (jumps = None))]
            fn jumped(slf: &Bound<'_, Self>, jumps: PA<'_, '_>) -> PyResult<Py<PyAny>> {
                let py = slf.py();
                let jumps = match jumps {
                    Some(j) => j.clone(),
                    None => 1i64.into_pyobject(py)?.into_any(),
                };
                Ok(bitgen_extra(py, "jumped")?.call1((slf, jumps))?.unbind())
            }
        }
    };
}
#[pymethods]
impl PyMt19937 {
    /// A new MT19937 (fresh SeedSequence) holding this state jumped `jumps` times by 2**128.
    #[pyo3(signature = (jumps = 1))]
    fn jumped(slf: &Bound<'_, Self>, jumps: i64) -> PyResult<Py<PyAny>> {
        if jumps < 0 {
            return Err(PyValueError::new_err("jumps must be non-negative"));
        }
        let new = slf.get_type().call0()?;
        new.setattr("state", slf.getattr("state")?)?;
        {
            let bg = new.cast::<PyBitGenerator>()?;
            let mut bg = bg.borrow_mut();
            if let AnyBitGen::Mt(m) = &mut bg.bg {
                for _ in 0..jumps {
                    m.jump_2_128();
                }
            }
        }
        Ok(new.unbind())
    }
}

advance_methods!(PyPcg64);
advance_methods!(PyPcg64Dxsm);
advance_methods!(PyPhilox);
bitgen_class!(PySfc64, "SFC64", Sfc64, rnd::Sfc64);

// ---- Generator ------------------------------------------------------------------------------

#[pyclass(name = "Generator", module = "oxnp.random", subclass)]
pub struct PyGenerator {
    bg: Py<PyBitGenerator>,
}

/// Where a Generator method writes: `out=` (checked) or a fresh array.
fn fill_out<T: Element + Send + Default>(
    py: Python<'_>,
    size: PA<'_, '_>,
    out: PA<'_, '_>,
    fill: impl FnOnce(&mut [T]) -> rnd::Result<()> + Send,
    scalar: bool,
) -> PyResult<Py<PyAny>> {
    if let Some(o) = out.filter(|o| !o.is_none()) {
        let a = o.cast::<PyNdArray>().map_err(|_| PyTypeError::new_err("out must be a numpy array"))?;
        let arr = a.get().arr().clone();
        if arr.dtype() != T::DTYPE {
            return Err(PyTypeError::new_err(format!("Supplied output array has the wrong type. Expected {}, got {}", T::DTYPE.name(), arr.dtype().name())));
        }
        if let Some(s) = size_shape(size)? {
            if s != arr.shape() {
                return Err(PyValueError::new_err("size must match out.shape when used together"));
            }
        }
        // SAFETY: the GIL is held; `out`'s memory is written only here during the call.
        let f_ok = arr.writeable() && arr.is_f_contiguous() && (arr.as_ptr() as usize) % std::mem::align_of::<T>() == 0;
        let slice = match unsafe { arr.as_slice_mut::<T>() } {
            Some(s) => s,
            // NumPy fills an F-contiguous `out` in memory order.
            // SAFETY: F-contiguous, aligned, writeable, `size` elements of T; GIL held as above.
            None if f_ok => unsafe { std::slice::from_raw_parts_mut(arr.as_ptr().cast::<T>(), arr.size()) },
            None => return Err(PyValueError::new_err("Supplied output array must be contiguous, writable, aligned, and in machine byte-order.")),
        };
        fill(slice).rpy()?;
        return Ok(o.clone().unbind());
    }
    match size_shape(size)? {
        None if scalar => {
            let mut v = [T::default()];
            fill(&mut v).rpy()?;
            builtin_of(py, v[0])
        }
        s => Ok(wrap(py, fill_new::<T, _>(py, &s.unwrap_or_default(), fill)?)?.into_any().unbind()),
    }
}

/// `out=` with a one-parameter distribution: a scalar parameter fills `out`; an array
/// parameter broadcasts against `out.shape` (every value checked before the first draw).
fn param_into_out<T: Element + Send + Default>(
    py: Python<'_>,
    p: &Param,
    size: PA<'_, '_>,
    out: &Bound<'_, PyAny>,
    mut f: impl FnMut(f64, &mut [T]) -> rnd::Result<()> + Send,
) -> PyResult<Py<PyAny>> {
    let Some(ps) = p.shape.as_deref() else {
        let v = p.data[0];
        return fill_out::<T>(py, size, Some(out), |o| f(v, o).map_err(scalar_message), false);
    };
    let a = out.cast::<PyNdArray>().map_err(|_| PyTypeError::new_err("out must be a numpy array"))?;
    // Array parameters pair with `out` in C order: NumPy requires a C-contiguous `out` here.
    if !a.get().arr().is_c_contiguous() {
        return Err(PyValueError::new_err("Supplied output array must be C-contiguous, writable, aligned, and in machine byte-order."));
    }
    let oshape = a.get().arr().shape().to_vec();
    let b = broadcast_shapes(&[&oshape, ps])?;
    if b != oshape {
        return Err(PyValueError::new_err(format!(
            "Output size {} is not compatible with broadcast dimensions of inputs {}.",
            shape_repr(&oshape),
            shape_repr(&b)
        )));
    }
    let idx = bcast_index(&oshape, ps);
    // A copy: `out` may be the parameter array itself.
    let data = p.data.to_vec();
    for &i in &idx {
        f(data[i], &mut []).rpy()?;
    }
    fill_out::<T>(
        py,
        size,
        Some(out),
        |o| {
            for (x, &i) in o.iter_mut().zip(&idx) {
                f(data[i], std::slice::from_mut(x))?;
            }
            Ok(())
        },
        false,
    )
}

/// `method=` of `Generator.standard_exponential`: NumPy compares with 'zig' and takes anything
/// else, None included, as the inversion method.
enum ExpMethod {
    Ziggurat,
    Inversion,
}

impl<'a, 'py> FromPyObject<'a, 'py> for ExpMethod {
    type Error = PyErr;
    fn extract(obj: pyo3::Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(if obj.eq("zig")? { ExpMethod::Ziggurat } else { ExpMethod::Inversion })
    }
}

fn float_dtype(dtype: PA<'_, '_>, what: &str) -> PyResult<DType> {
    match optional_dtype(dtype)?.unwrap_or(DType::Float64) {
        d @ (DType::Float64 | DType::Float32) => Ok(d),
        d => Err(PyTypeError::new_err(format!("Unsupported dtype dtype('{}') for {what}", d.name()))),
    }
}

impl PyGenerator {
    /// The bit generator itself, for [`concrete!`].
    fn with_any<R>(&self, py: Python<'_>, f: impl FnOnce(&mut AnyBitGen) -> R) -> R {
        let mut b = self.bg.bind(py).borrow_mut();
        f(&mut b.bg)
    }
}

/// `concrete!(bg, g => expr)` evaluates `expr` with `g` a `Generator` over the concrete bit
/// generator inside `bg` (not `dyn BitGen`): the big fills (`random`, `standard_normal`, ...)
/// then inline the generator's step into their loop instead of calling through a vtable.
macro_rules! concrete {
    ($bg:expr, $g:ident => $e:expr) => {
        match $bg {
            AnyBitGen::Pcg64(b) => {
                let $g = &mut rnd::Generator::new(b);
                $e
            }
            AnyBitGen::Dxsm(b) => {
                let $g = &mut rnd::Generator::new(b);
                $e
            }
            AnyBitGen::Mt(b) => {
                let $g = &mut rnd::Generator::new(b);
                $e
            }
            AnyBitGen::Philox(b) => {
                let $g = &mut rnd::Generator::new(b);
                $e
            }
            AnyBitGen::Sfc64(b) => {
                let $g = &mut rnd::Generator::new(b);
                $e
            }
        }
    };
}

/// `with_gen!(self, py, g => expr)` evaluates `expr` with `g` a `Generator` over this Generator's bit
/// generator: the concrete `Pcg64` (the default; its step inlines into the draws) or any other
/// generator through `dyn BitGen`.
macro_rules! with_gen {
    ($slf:ident, $py:ident, $g:ident => $e:expr) => {{
        let mut b = $slf.bg.bind($py).borrow_mut();
        match &mut b.bg {
            AnyBitGen::Pcg64(bg) => {
                let $g = &mut rnd::Generator::new(bg);
                $e
            }
            other => {
                let $g = &mut rnd::Generator::new(other.dynbg());
                $e
            }
        }
    }};
}

impl PyGenerator {
    fn new(bit_generator: &Bound<'_, PyBitGenerator>) -> Self {
        PyGenerator { bg: bit_generator.clone().unbind() }
    }
}

#[pymethods]
impl PyGenerator {
    #[new]
    fn py_new(bit_generator: &Bound<'_, PyAny>) -> PyResult<Self> {
        match bit_generator.cast::<PyBitGenerator>() {
            Ok(b) => Ok(PyGenerator::new(b)),
            Err(_) if bit_generator.is_instance_of::<pyo3::types::PyType>() => {
                Err(PyValueError::new_err("Invalid bit generator. The bit generator must be instantiated."))
            }
            Err(_) => Err(PyTypeError::new_err("Generator expects a BitGenerator instance")),
        }
    }
    #[getter]
    fn bit_generator(&self, py: Python<'_>) -> Py<PyBitGenerator> {
        self.bg.clone_ref(py)
    }
    fn spawn(&self, py: Python<'_>, n_children: usize) -> PyResult<Vec<PyGenerator>> {
        let kids = PyBitGenerator::spawn(self.bg.bind(py), n_children)?;
        kids.into_iter().map(|k| Ok(PyGenerator { bg: k.bind(py).cast::<PyBitGenerator>()?.clone().unbind() })).collect()
    }
    fn __str__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let bg = slf.borrow().bg.clone_ref(slf.py());
        Ok(format!("{}({})", slf.get_type().name()?, bg.bind(slf.py()).get_type().name()?))
    }
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        Ok(format!("{} at 0x{:X}", Self::__str__(slf)?, slf.as_ptr() as usize))
    }
    fn __getstate__(&self, py: Python<'_>) -> Py<PyAny> {
        py.None()
    }
    /// Pickles made by `__reduce__` carry no state; an older bit-generator state dict is applied.
    fn __setstate__(&self, py: Python<'_>, state: &Bound<'_, PyAny>) -> PyResult<()> {
        if state.is_none() {
            return Ok(());
        }
        self.bg.bind(py).setattr("state", state)
    }
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let ctor = pickle_helper(py, "__generator_ctor")?;
        let args = PyTuple::new(py, [self.bg.clone_ref(py)])?;
        PyTuple::new(py, [ctor, args.into_any(), py.None().into_bound(py)])
    }

    #[pyo3(signature = (size = None, dtype = None, out = None))]
    fn random(&self, py: Python<'_>, size: PA<'_, '_>, dtype: PA<'_, '_>, out: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let dt = float_dtype(dtype, "random")?;
        self.with_any(py, |bg| match dt {
            DType::Float32 => fill_out::<f32>(py, size, out, |o| Ok(concrete!(bg, g => g.random_f32(o))), true),
            _ => fill_out::<f64>(py, size, out, |o| Ok(concrete!(bg, g => g.random(o))), true),
        })
    }
    #[pyo3(signature = (size = None, dtype = None, out = None))]
    fn standard_normal(&self, py: Python<'_>, size: PA<'_, '_>, dtype: PA<'_, '_>, out: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let dt = float_dtype(dtype, "standard_normal")?;
        self.with_any(py, |bg| match dt {
            DType::Float32 => fill_out::<f32>(py, size, out, |o| Ok(concrete!(bg, g => g.standard_normal_f32(o))), true),
            _ => fill_out::<f64>(py, size, out, |o| Ok(concrete!(bg, g => g.standard_normal(o))), true),
        })
    }
    #[pyo3(signature = (size = None, dtype = None, method = ExpMethod::Ziggurat, out = None))]
    fn standard_exponential(&self, py: Python<'_>, size: PA<'_, '_>, dtype: PA<'_, '_>, method: ExpMethod, out: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let dt = float_dtype(dtype, "standard_exponential")?;
        let inv = matches!(method, ExpMethod::Inversion);
        with_gen!(self, py, g => match (dt, inv) {
            (DType::Float32, false) => fill_out::<f32>(py, size, out, |o| Ok(g.standard_exponential_f32(o)), true),
            (DType::Float32, true) => fill_out::<f32>(py, size, out, |o| {
                let b = g.bit_generator();
                // NumPy takes log1p of the float draw in double precision.
                o.iter_mut().for_each(|v| *v = -(-f64::from(rnd::bitgen::next_float(&mut **b))).ln_1p() as f32);
                Ok(())
            }, true),
            (_, true) => fill_out::<f64>(py, size, out, |o| Ok(g.standard_exponential_inv(o)), true),
            _ => fill_out::<f64>(py, size, out, |o| Ok(g.standard_exponential(o)), true),
        })
    }
    #[pyo3(signature = (low, high = None, size = None, dtype = None, endpoint = false))]
    fn integers(&self, py: Python<'_>, low: &Bound<'_, PyAny>, high: PA<'_, '_>, size: PA<'_, '_>, dtype: PA<'_, '_>, endpoint: bool) -> PyResult<Py<PyAny>> {
        let dt = match optional_dtype(dtype) {
            Ok(d) => d.unwrap_or(DType::Int64),
            Err(e) if e.to_string().contains("non-native byte order") => {
                return Err(PyValueError::new_err(
                    "Providing a dtype with a non-native byteorder is not supported. If you require platform-independent byteorder, call byteswap when required.",
                ));
            }
            Err(e) => return Err(e),
        };
        let r = with_gen!(self, py, g => int_dtype!(dt, "integers", T => bounded::<T>(py, low, high, size, endpoint, false, false, |s, off, rng, out| {
            g.bounded_fill::<T>(s, off, rng, out)
        })))?;
        // dtype=bool / dtype=int (the Python types) give Python scalars, as NumPy's.
        if let Some(d) = dtype {
            let builtins = py.import("builtins")?;
            if (d.is(&builtins.getattr("bool")?) || d.is(&builtins.getattr("int")?)) && !r.bind(py).is_instance_of::<PyNdArray>() {
                return Ok(d.call1((r,))?.unbind());
            }
        }
        Ok(r)
    }
    #[getter]
    fn _poisson_lam_max(&self) -> f64 {
        rnd::constraint::POISSON_LAM_MAX
    }
    #[pyo3(signature = (loc = None, scale = None, size = None))]
    fn normal(&self, py: Python<'_>, loc: PA<'_, '_>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(loc, 0.0)?, param(scale, 1.0)?];
        check_param(&ps[1], rnd::constraint::non_negative, "scale")?;
        self.with_any(py, |bg| concrete!(bg, g => draw_with::<f64, 2, _>(py, ps, size, |v, o| g.normal(v[0], v[1], o), false)))
    }
    #[pyo3(signature = (low = None, high = None, size = None))]
    fn uniform(&self, py: Python<'_>, low: PA<'_, '_>, high: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(low, 0.0)?, param(high, 1.0)?];
        let arrays = ps.iter().any(|p| p.shape.is_some());
        // high - low as NumPy computes it: the two parameters broadcast together
        let (lo, hi) = (ps[0].shape.as_deref().unwrap_or(&[]), ps[1].shape.as_deref().unwrap_or(&[]));
        let walk = Bcast::<2>::new(&broadcast_shapes(&[lo, hi])?, &[lo, hi]);
        let data = [&*ps[0].data, &*ps[1].data];
        if !bcast_all(&walk, &data, |[l, h]| (h - l).is_finite()) {
            let msg = if arrays { "Range exceeds valid bounds" } else { "high - low range exceeds valid bounds" };
            return Err(PyOverflowError::new_err(msg));
        }
        if !bcast_all(&walk, &data, |[l, h]| !(h - l < 0.0)) {
            return Err(PyValueError::new_err("high - low < 0"));
        }
        // The range checks above cover what `g.uniform` checks.
        self.with_any(py, |bg| concrete!(bg, g => draw_with::<f64, 2, _>(py, ps, size, |v, o| g.uniform(v[0], v[1], o), false)))
    }
    #[pyo3(signature = (scale = None, size = None))]
    fn exponential(&self, py: Python<'_>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(scale, 1.0)?];
        with_gen!(self, py, g => draw::<f64, 1, _>(py, ps, size, |v, o| g.exponential(v[0], o)))
    }
    #[pyo3(signature = (shape, size = None, dtype = None, out = None))]
    fn standard_gamma(&self, py: Python<'_>, shape: &Bound<'_, PyAny>, size: PA<'_, '_>, dtype: PA<'_, '_>, out: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let dt = float_dtype(dtype, "standard_gamma")?;
        let ps = param(Some(shape), 0.0)?;
        match (dt, out.filter(|o| !o.is_none())) {
            (DType::Float32, None) => with_gen!(self, py, g => draw::<f32, 1, _>(py, [ps], size, |v, o| g.standard_gamma_f32(v[0] as f32, o))),
            (DType::Float32, Some(o)) => with_gen!(self, py, g => param_into_out::<f32>(py, &ps, size, o, |v, o| g.standard_gamma_f32(v as f32, o))),
            (_, None) => with_gen!(self, py, g => draw::<f64, 1, _>(py, [ps], size, |v, o| g.standard_gamma(v[0], o))),
            (_, Some(o)) => with_gen!(self, py, g => param_into_out::<f64>(py, &ps, size, o, |v, o| g.standard_gamma(v, o))),
        }
    }
    #[pyo3(signature = (shape, scale = None, size = None))]
    fn gamma(&self, py: Python<'_>, shape: &Bound<'_, PyAny>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(shape), 0.0)?, param(scale, 1.0)?];
        with_gen!(self, py, g => draw::<f64, 2, _>(py, ps, size, |v, o| g.gamma(v[0], v[1], o)))
    }
    #[pyo3(signature = (a, b, size = None))]
    fn beta(&self, py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(a), 0.0)?, param(Some(b), 0.0)?];
        with_gen!(self, py, g => draw::<f64, 2, _>(py, ps, size, |v, o| g.beta(v[0], v[1], o)))
    }
    #[pyo3(signature = (lam = None, size = None))]
    fn poisson(&self, py: Python<'_>, lam: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(lam, 1.0)?];
        with_gen!(self, py, g => draw::<i64, 1, _>(py, ps, size, |v, o| g.poisson(v[0], o)))
    }
    #[pyo3(signature = (length))]
    fn bytes<'py>(&self, py: Python<'py>, length: usize) -> PyResult<Bound<'py, PyBytes>> {
        // Words drawn block by block straight into the bytes object.
        let nwords = length.div_ceil(4).max(1);
        with_gen!(self, py, g => PyBytes::new_with(py, length, |buf| {
            let mut block = [0u32; 1024];
            let mut done = 0;
            while done < nwords {
                let n = (nwords - done).min(block.len());
                g.integers::<u32>(0, Some(1 << 32), false, &mut block[..n]).rpy()?;
                for (k, w) in block[..n].iter().enumerate() {
                    let at = (done + k) * 4;
                    let end = (at + 4).min(length);
                    if at < end {
                        buf[at..end].copy_from_slice(&w.to_le_bytes()[..end - at]);
                    }
                }
                done += n;
            }
            Ok(())
        }))
    }
    #[pyo3(signature = (a, size = None, replace = true, p = None, axis = 0, shuffle = true))]
    fn choice(&self, py: Python<'_>, a: &Bound<'_, PyAny>, size: PA<'_, '_>, replace: bool, p: PA<'_, '_>, axis: isize, shuffle: bool) -> PyResult<Py<PyAny>> {
        let mut pop = choice_pop(a, false)?;
        // axis != 0: draw along the moved-to-front axis, then put the drawn dims back at `axis`.
        let mut moved_axis = None;
        if let (Pop::Arr(arr), true) = (&pop, axis != 0) {
            let nd = arr.ndim() as isize;
            if axis >= nd || axis < -nd {
                return Err(PyIndexError::new_err("tuple index out of range"));
            }
            let ax = axis.rem_euclid(nd);
            if ax != 0 {
                moved_axis = Some(ax as usize);
                pop = Pop::Arr(oxnp_core::shape::moveaxis(arr, &[ax], &[0]).py()?);
            }
        }
        let n = match &pop {
            Pop::Int(n) => *n,
            Pop::Arr(a) => a.shape()[0],
        };
        let p = choice_p(p)?;
        let shape = size_shape(size)?;
        let count = shape.as_ref().map_or(1, |s| s.iter().product());
        let idx = choice_idx(shape.as_deref())?;
        with_gen!(self, py, g => g.choice(n, replace, p.as_deref(), shuffle, &mut idx_slice(&idx)[..count])).rpy()?;
        match (moved_axis, &pop, shape.as_deref()) {
            (Some(ax), Pop::Arr(arr), Some(lead)) => {
                let r = take_rows(arr, idx.as_slice::<i64>().unwrap_or_default(), lead)?;
                let (k, m) = (lead.len(), r.ndim() - lead.len());
                let perm: Vec<isize> = (k..k + ax).chain(0..k).chain(k + ax..k + m).map(|v| v as isize).collect();
                let t = oxnp_core::shape::transpose(&r, Some(&perm)).py()?;
                Ok(wrap(py, t.copy(Order::C).py()?)?.into_any().unbind())
            }
            _ => choice_result(py, &pop, idx, shape.as_deref()),
        }
    }
    #[pyo3(signature = (x, axis = 0))]
    fn shuffle(&self, py: Python<'_>, x: &Bound<'_, PyAny>, axis: isize) -> PyResult<()> {
        if let Ok(a) = x.cast::<PyNdArray>() {
            let arr = a.get().arr().clone();
            if arr.ndim() == 0 {
                return Err(PyTypeError::new_err("len() of unsized object"));
            }
            let ax = oxnp_core::error::normalize_axis(axis, arr.ndim()).py()?;
            let view = if ax == 0 { arr } else { oxnp_core::shape::swapaxes(&arr, 0, ax as isize).py()? };
            return with_gen!(self, py, g => shuffle_array(&view, |i| rnd::random_interval(g.bit_generator(), i)));
        }
        if axis != 0 {
            return Err(pyo3::exceptions::PyNotImplementedError::new_err("Axis argument is only supported on ndarray objects"));
        }
        with_gen!(self, py, g => shuffle_obj(x, |i| rnd::random_interval(g.bit_generator(), i)))
    }
    #[pyo3(signature = (x, axis = 0))]
    fn permutation(&self, py: Python<'_>, x: &Bound<'_, PyAny>, axis: isize) -> PyResult<Py<PyAny>> {
        if !x.is_instance_of::<PyInt>() && axis != 0 {
            let arr = array_from_py(x)?;
            if arr.ndim() < 1 {
                return Err(PyIndexError::new_err("x must be an integer or at least 1-dimensional"));
            }
            let ax = oxnp_core::error::normalize_axis(axis, arr.ndim()).py()?;
            let out = arr.copy(Order::C).py()?;
            let view = oxnp_core::shape::swapaxes(&out, 0, ax as isize).py()?;
            {
                let mut b = self.bg.bind(py).borrow_mut();
                let bg = b.bg.dynbg();
                shuffle_array(&view, |i| rnd::random_interval(bg, i))?;
            }
            return Ok(wrap(py, out)?.into_any().unbind());
        }
        if x.is_instance_of::<PyInt>() {
            let n: i64 = x.extract()?;
            let n = usize::try_from(n).map_err(|_| PyValueError::new_err("negative dimensions are not allowed"))?;
            let arr = with_gen!(self, py, g => fill_new::<i64, _>(py, &[n], |o| {
                arange_into(o);
                g.shuffle(o);
                Ok(())
            }))?;
            return Ok(wrap(py, arr)?.into_any().unbind());
        }
        let arr = array_from_py(x)?;
        if arr.ndim() < 1 {
            return Err(PyIndexError::new_err("x must be an integer or at least 1-dimensional"));
        }
        if arr.ndim() > 1 {
            // Rows gathered by a shuffled index (the same draws as shuffling the rows).
            let n = arr.shape()[0];
            let mut idx: Vec<i64> = (0..n as i64).collect();
            with_gen!(self, py, g => g.shuffle(&mut idx));
            return Ok(wrap(py, take_rows(&arr, &idx, &[n])?)?.into_any().unbind());
        }
        let out = wrap(py, arr.copy(Order::C).py()?)?;
        self.shuffle(py, out.as_any(), 0)?;
        Ok(out.into_any().unbind())
    }
    #[pyo3(signature = (x, *, axis = None, out = None))]
    fn permuted(&self, py: Python<'_>, x: &Bound<'_, PyAny>, axis: Option<isize>, out: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let src = array_from_py(x)?;
        let ax = axis.map(|a| oxnp_core::error::normalize_axis(a, src.ndim())).transpose().py()?;
        // `out` is checked (shape, safe cast) before any draw, as NumPy copies x into it first.
        if let Some(o) = out.filter(|o| !o.is_none()) {
            if let Ok(a) = o.cast::<PyNdArray>() {
                let dst = a.get().arr();
                if dst.shape() != src.shape() {
                    return Err(PyValueError::new_err("out must have the same shape as x"));
                }
                if !oxnp_core::cast::can_cast(src.dtype(), dst.dtype(), Casting::Safe) {
                    return Err(PyTypeError::new_err(format!(
                        "Cannot cast array data from dtype('{}') to dtype('{}') according to the rule 'safe'",
                        src.dtype().name(),
                        dst.dtype().name()
                    )));
                }
            }
        }
        let work = src.copy(Order::C).py()?;
        let shape = work.shape().to_vec();
        let isz = work.itemsize();
        // SAFETY: `work` is a fresh C-contiguous copy; elements are moved as opaque words.
        unsafe {
            macro_rules! go {
                ($W:ty) => {{
                    let s = std::slice::from_raw_parts_mut(work.as_ptr().cast::<$W>(), work.size());
                    with_gen!(self, py, g => g.permuted(s, &shape, ax))
                }};
            }
            match isz {
                1 => go!(u8),
                2 => go!(u16),
                4 => go!(u32),
                8 => go!(u64),
                _ => go!(u128),
            }
        }
        match out.filter(|o| !o.is_none()) {
            Some(o) => {
                let a = o.cast::<PyNdArray>().map_err(|_| PyTypeError::new_err("out must be a numpy array"))?;
                let dst = a.get().arr().clone();
                if dst.shape() != work.shape() {
                    return Err(PyValueError::new_err("out must have the same shape as x"));
                }
                oxnp_core::cast::copy_into(&dst, &work).py()?;
                Ok(o.clone().unbind())
            }
            None => Ok(wrap(py, work)?.into_any().unbind()),
        }
    }
}

// ---- Generator: the remaining distributions ------------------------------------------------

/// An integer parameter (`n`, `ngood`, ...) read as NumPy's `PyArray_FROM_OTF(x, NPY_INT64)`:
/// an ndarray that cannot be cast safely to int64 is a TypeError; anything else converts
/// (Python floats and float lists truncate).
fn int64_param(obj: &Bound<'_, PyAny>) -> PyResult<Param> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        let arr = a.get().arr().clone();
        let dt = arr.dtype();
        let safe = matches!(
            dt,
            DType::Bool | DType::Int8 | DType::Int16 | DType::Int32 | DType::Int64 | DType::UInt8 | DType::UInt16 | DType::UInt32
        );
        if !safe {
            let what = if arr.ndim() == 0 { "scalar" } else { "array data" };
            return Err(PyTypeError::new_err(format!(
                "Cannot cast {what} from dtype('{}') to dtype('int64') according to the rule 'safe'",
                dt.name()
            )));
        }
        // A 0-d subclass converts through its own __int__, whose errors propagate (as NumPy's
        // scalar path does).
        if arr.ndim() == 0 && !obj.is_exact_instance_of::<PyNdArray>() {
            obj.call_method0("__int__")?;
        }
    }
    let mut p = param(Some(obj), 0.0)?;
    p.data.iter_mut().for_each(|v| *v = v.trunc());
    Ok(p)
}

/// Shape of the output of a multivariate draw: `size + (d,)` (`size` an int or a tuple).
fn mv_shape(size: PA<'_, '_>, d: usize) -> PyResult<Vec<usize>> {
    let mut shape = size_shape(size)?.unwrap_or_default();
    shape.push(d);
    Ok(shape)
}

#[pymethods]
impl PyGenerator {
    #[pyo3(signature = (mean = None, sigma = None, size = None))]
    fn lognormal(&self, py: Python<'_>, mean: PA<'_, '_>, sigma: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(mean, 0.0)?, param(sigma, 1.0)?];
        with_gen!(self, py, g => draw::<f64, 2, _>(py, ps, size, |v, o| g.lognormal(v[0], v[1], o)))
    }
    #[pyo3(signature = (loc = None, scale = None, size = None))]
    fn laplace(&self, py: Python<'_>, loc: PA<'_, '_>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(loc, 0.0)?, param(scale, 1.0)?];
        with_gen!(self, py, g => draw::<f64, 2, _>(py, ps, size, |v, o| g.laplace(v[0], v[1], o)))
    }
    #[pyo3(signature = (loc = None, scale = None, size = None))]
    fn logistic(&self, py: Python<'_>, loc: PA<'_, '_>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(loc, 0.0)?, param(scale, 1.0)?];
        with_gen!(self, py, g => draw::<f64, 2, _>(py, ps, size, |v, o| g.logistic(v[0], v[1], o)))
    }
    #[pyo3(signature = (loc = None, scale = None, size = None))]
    fn gumbel(&self, py: Python<'_>, loc: PA<'_, '_>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(loc, 0.0)?, param(scale, 1.0)?];
        with_gen!(self, py, g => draw::<f64, 2, _>(py, ps, size, |v, o| g.gumbel(v[0], v[1], o)))
    }
    #[pyo3(signature = (df, size = None))]
    fn chisquare(&self, py: Python<'_>, df: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(df), 0.0)?];
        with_gen!(self, py, g => draw::<f64, 1, _>(py, ps, size, |v, o| g.chisquare(v[0], o)))
    }
    #[pyo3(signature = (df, nonc, size = None))]
    fn noncentral_chisquare(&self, py: Python<'_>, df: &Bound<'_, PyAny>, nonc: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(df), 0.0)?, param(Some(nonc), 0.0)?];
        with_gen!(self, py, g => draw::<f64, 2, _>(py, ps, size, |v, o| g.noncentral_chisquare(v[0], v[1], o)))
    }
    #[pyo3(signature = (dfnum, dfden, size = None))]
    fn f(&self, py: Python<'_>, dfnum: &Bound<'_, PyAny>, dfden: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(dfnum), 0.0)?, param(Some(dfden), 0.0)?];
        with_gen!(self, py, g => draw::<f64, 2, _>(py, ps, size, |v, o| g.f(v[0], v[1], o)))
    }
    #[pyo3(signature = (dfnum, dfden, nonc, size = None))]
    fn noncentral_f(&self, py: Python<'_>, dfnum: &Bound<'_, PyAny>, dfden: &Bound<'_, PyAny>, nonc: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(dfnum), 0.0)?, param(Some(dfden), 0.0)?, param(Some(nonc), 0.0)?];
        with_gen!(self, py, g => draw::<f64, 3, _>(py, ps, size, |v, o| g.noncentral_f(v[0], v[1], v[2], o)))
    }
    #[pyo3(signature = (df, size = None))]
    fn standard_t(&self, py: Python<'_>, df: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(df), 0.0)?];
        with_gen!(self, py, g => draw::<f64, 1, _>(py, ps, size, |v, o| g.standard_t(v[0], o)))
    }
    #[pyo3(signature = (size = None))]
    fn standard_cauchy(&self, py: Python<'_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        with_gen!(self, py, g => {
            draw::<f64, 0, _>(py, [], size, |_, o| {
                g.standard_cauchy(o);
                Ok(())
            })
        })
    }
    #[pyo3(signature = (left, mode, right, size = None))]
    fn triangular(&self, py: Python<'_>, left: &Bound<'_, PyAny>, mode: &Bound<'_, PyAny>, right: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(left), 0.0)?, param(Some(mode), 0.0)?, param(Some(right), 0.0)?];
        with_gen!(self, py, g => draw::<f64, 3, _>(py, ps, size, |v, o| g.triangular(v[0], v[1], v[2], o)))
    }
    #[pyo3(signature = (a, size = None))]
    fn weibull(&self, py: Python<'_>, a: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(a), 0.0)?];
        with_gen!(self, py, g => draw::<f64, 1, _>(py, ps, size, |v, o| g.weibull(v[0], o)))
    }
    #[pyo3(signature = (a, size = None))]
    fn pareto(&self, py: Python<'_>, a: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(a), 0.0)?];
        with_gen!(self, py, g => draw::<f64, 1, _>(py, ps, size, |v, o| g.pareto(v[0], o)))
    }
    #[pyo3(signature = (a, size = None))]
    fn power(&self, py: Python<'_>, a: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(a), 0.0)?];
        with_gen!(self, py, g => draw::<f64, 1, _>(py, ps, size, |v, o| g.power(v[0], o)))
    }
    #[pyo3(signature = (scale = None, size = None))]
    fn rayleigh(&self, py: Python<'_>, scale: PA<'_, '_>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(scale, 1.0)?];
        with_gen!(self, py, g => draw::<f64, 1, _>(py, ps, size, |v, o| g.rayleigh(v[0], o)))
    }
    #[pyo3(signature = (mu, kappa, size = None))]
    fn vonmises(&self, py: Python<'_>, mu: &Bound<'_, PyAny>, kappa: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(mu), 0.0)?, param(Some(kappa), 0.0)?];
        with_gen!(self, py, g => draw::<f64, 2, _>(py, ps, size, |v, o| g.vonmises(v[0], v[1], o)))
    }
    #[pyo3(signature = (mean, scale, size = None))]
    fn wald(&self, py: Python<'_>, mean: &Bound<'_, PyAny>, scale: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(mean), 0.0)?, param(Some(scale), 0.0)?];
        with_gen!(self, py, g => draw::<f64, 2, _>(py, ps, size, |v, o| g.wald(v[0], v[1], o)))
    }
    #[pyo3(signature = (n, p, size = None))]
    fn binomial(&self, py: Python<'_>, n: &Bound<'_, PyAny>, p: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        // NumPy checks p before n, and keeps one setup cache across a broadcast fill.
        let ps = [param(Some(p), 0.0)?, int64_param(n)?];
        let mut bc = rnd::BinomialCache::default();
        with_gen!(self, py, g => {
            draw::<i64, 2, _>(py, ps, size, |v, o| {
                rnd::constraint::bounded_0_1(v[0], "p")?;
                rnd::constraint::non_negative(v[1], "n")?;
                for x in o.iter_mut() {
                    *x = g.binomial_one(v[1] as i64, v[0], &mut bc);
                }
                Ok(())
            })
        })
    }
    #[pyo3(signature = (n, p, size = None))]
    fn negative_binomial(&self, py: Python<'_>, n: &Bound<'_, PyAny>, p: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(n), 0.0)?, param(Some(p), 0.0)?];
        with_gen!(self, py, g => draw::<i64, 2, _>(py, ps, size, |v, o| g.negative_binomial(v[0], v[1], o)))
    }
    #[pyo3(signature = (p, size = None))]
    fn geometric(&self, py: Python<'_>, p: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(p), 0.0)?];
        with_gen!(self, py, g => draw::<i64, 1, _>(py, ps, size, |v, o| g.geometric(v[0], o)))
    }
    #[pyo3(signature = (p, size = None))]
    fn logseries(&self, py: Python<'_>, p: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(p), 0.0)?];
        with_gen!(self, py, g => draw::<i64, 1, _>(py, ps, size, |v, o| g.logseries(v[0], o)))
    }
    #[pyo3(signature = (a, size = None))]
    fn zipf(&self, py: Python<'_>, a: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [param(Some(a), 0.0)?];
        with_gen!(self, py, g => draw::<i64, 1, _>(py, ps, size, |v, o| g.zipf(v[0], o)))
    }
    #[pyo3(signature = (ngood, nbad, nsample, size = None))]
    fn hypergeometric(&self, py: Python<'_>, ngood: &Bound<'_, PyAny>, nbad: &Bound<'_, PyAny>, nsample: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let ps = [int64_param(ngood)?, int64_param(nbad)?, int64_param(nsample)?];
        with_gen!(self, py, g => draw::<i64, 3, _>(py, ps, size, |v, o| g.hypergeometric(v[0] as i64, v[1] as i64, v[2] as i64, o)))
    }
    #[pyo3(signature = (n, pvals, size = None))]
    fn multinomial(&self, py: Python<'_>, n: &Bound<'_, PyAny>, pvals: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let on = int64_param(n)?;
        let pv = param(Some(pvals), 0.0)?;
        let pshape = pv.shape.clone().unwrap_or_default();
        let d = pshape.last().copied().unwrap_or(0);
        if d == 0 {
            return Err(PyValueError::new_err(
                "pvals must have at least 1 dimension and the last dimension of pvals must be greater than 0.",
            ));
        }
        if pv.data.iter().any(|&x| !(0.0..=1.0).contains(&x)) {
            return Err(PyValueError::new_err("pvals < 0, pvals > 1 or pvals contains NaNs"));
        }
        let nd = pshape.len();
        for row in pv.data.chunks(d) {
            if rnd::legacy::kahan_sum_pub(&row[..d - 1]) > 1.0 + 1e-12 {
                let sl = if nd == 1 { "[:-1]" } else { "[...,:-1]" };
                // A 1-d float16/float32 pvals that sums to ~1 in its own precision gets the longer message.
                let narrow = nd == 1
                    && match pvals.cast::<PyNdArray>() {
                        Ok(a) => {
                            let dt = a.get().arr().dtype();
                            dt.kind() == oxnp_core::Kind::Float && dt != DType::Float64 && pvals.call_method0("sum")?.lt(1.0001)?
                        }
                        Err(_) => false,
                    };
                if narrow {
                    return Err(PyValueError::new_err(
                        "sum(pvals[:-1].astype(np.float64)) > 1.0. The pvals array is cast to 64-bit floating point prior to checking the sum. Precision changes when casting may cause problems even if the sum of the original pvals is valid.",
                    ));
                }
                return Err(PyValueError::new_err(format!("sum(pvals{sl}) > 1.0")));
            }
        }
        let size_s = size_shape(size)?;
        if on.shape.is_some() || nd > 1 {
            if on.data.iter().any(|&x| x < 0.0) {
                return Err(PyValueError::new_err("n < 0"));
            }
            let nshape = on.shape.clone().unwrap_or_default();
            let oshape = &pshape[..nd - 1];
            let bshape = match &size_s {
                None => broadcast_shapes(&[&nshape, oshape])?,
                Some(s) => {
                    let b = broadcast_shapes(&[&nshape, oshape, s])?;
                    if &b != s {
                        return Err(PyValueError::new_err(format!(
                            "Output size {} is not compatible with broadcast dimensions of inputs {}.",
                            shape_repr(s),
                            shape_repr(&b)
                        )));
                    }
                    b
                }
            };
            let ni = bcast_index(&bshape, &nshape);
            let oi = bcast_index(&bshape, oshape);
            let mut shape = bshape.clone();
            shape.push(d);
            let arr = with_gen!(self, py, g => {
                let mut bc = rnd::BinomialCache::default();
                fill_new::<i64, _>(py, &shape, |out| {
                    for (k, row) in out.chunks_mut(d).enumerate() {
                        let off = oi[k] * d;
                        g.multinomial_rows(on.data[ni[k]] as i64, &pv.data[off..off + d], row, &mut bc);
                    }
                    Ok(())
                })
            })?;
            return Ok(wrap(py, arr)?.into_any().unbind());
        }
        let nv = on.data[0];
        rnd::constraint::non_negative(nv, "n").rpy()?;
        let shape = mv_shape(size, d)?;
        let arr = with_gen!(self, py, g => {
            let mut bc = rnd::BinomialCache::default();
            fill_new::<i64, _>(py, &shape, |out| {
                g.multinomial_rows(nv as i64, &pv.data, out, &mut bc);
                Ok(())
            })
        })?;
        Ok(wrap(py, arr)?.into_any().unbind())
    }
    #[pyo3(signature = (alpha, size = None))]
    fn dirichlet(&self, py: Python<'_>, alpha: &Bound<'_, PyAny>, size: PA<'_, '_>) -> PyResult<Py<PyAny>> {
        let al = param(Some(alpha), 0.0)?;
        match &al.shape {
            Some(s) if s.len() == 1 => {}
            Some(_) => return Err(PyValueError::new_err("object too deep for desired array")),
            None => {
                let tn = alpha.get_type().name()?;
                return Err(PyTypeError::new_err(format!("object of type '{tn}' has no len()")));
            }
        }
        let shape = mv_shape(size, al.data.len())?;
        let arr = with_gen!(self, py, g => fill_new::<f64, _>(py, &shape, |o| g.dirichlet(&al.data, o)))?;
        Ok(wrap(py, arr)?.into_any().unbind())
    }
    #[pyo3(signature = (colors, nsample, size = None, method = "marginals"))]
    fn multivariate_hypergeometric(&self, py: Python<'_>, colors: &Bound<'_, PyAny>, nsample: &Bound<'_, PyAny>, size: PA<'_, '_>, method: &str) -> PyResult<Py<PyAny>> {
        if method != "count" && method != "marginals" {
            return Err(PyValueError::new_err("method must be \"count\" or \"marginals\"."));
        }
        if nsample.call_method0("__index__").is_err() {
            return Err(PyValueError::new_err("nsample must be an integer"));
        }
        let ns: i128 = nsample.call_method0("__index__")?.extract()?;
        if ns < 0 {
            return Err(PyValueError::new_err("nsample must be nonnegative."));
        }
        if ns > i64::MAX as i128 {
            return Err(PyValueError::new_err(format!("nsample must not exceed {}", i64::MAX)));
        }
        let bad = || PyValueError::new_err(format!(
            "colors must be a one-dimensional sequence of nonnegative integers not exceeding {}.",
            i64::MAX
        ));
        let arr = array_from_py(colors).map_err(|_| bad())?;
        if arr.ndim() != 1 || (arr.size() > 0 && !matches!(arr.dtype().kind(), oxnp_core::Kind::Int | oxnp_core::Kind::UInt)) {
            return Err(bad());
        }
        let cols: Vec<i64> = if arr.dtype() == DType::UInt64 {
            let v = arr.to_vec::<u64>();
            if v.iter().any(|&x| x > i64::MAX as u64) {
                return Err(bad());
            }
            v.into_iter().map(|x| x as i64).collect()
        } else if arr.size() == 0 {
            Vec::new()
        } else {
            astype(&arr, DType::Int64, Casting::Unsafe).py()?.to_vec::<i64>()
        };
        let shape = mv_shape(size, cols.len())?;
        let count = method == "count";
        let out = with_gen!(self, py, g => {
            fill_new::<i64, _>(py, &shape, |o| g.multivariate_hypergeometric(&cols, ns as i64, count, o))
        })?;
        Ok(wrap(py, out)?.into_any().unbind())
    }
}

/// Calls `oxnp.random._multivariate.<func>(obj, *args, **kwargs)` (multivariate_normal is
/// written in Python over `oxnp.linalg`).
fn call_mvn(obj: &Bound<'_, PyAny>, func: &str, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
    let py = obj.py();
    let f = py.import("oxnp.random._multivariate")?.getattr(func)?;
    let mut all: Vec<Bound<'_, PyAny>> = vec![obj.clone()];
    all.extend(args.iter());
    Ok(f.call(PyTuple::new(py, all)?, kwargs)?.unbind())
}

#[pymethods]
impl PyGenerator {
    #[pyo3(signature = (*args, **kwargs))]
    fn multivariate_normal(slf: &Bound<'_, Self>, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        call_mvn(slf.as_any(), "generator_multivariate_normal", args, kwargs)
    }
}

#[pymethods]
impl PyRandomState {
    #[pyo3(signature = (*args, **kwargs))]
    fn multivariate_normal(slf: &Bound<'_, Self>, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Py<PyAny>> {
        call_mvn(slf.as_any(), "legacy_multivariate_normal", args, kwargs)
    }
}

/// `default_rng(seed)`: a Generator is returned as is; a BitGenerator is wrapped; anything
/// else seeds a new PCG64.
#[pyfunction]
#[pyo3(signature = (seed = None))]
fn default_rng(py: Python<'_>, seed: PA<'_, '_>) -> PyResult<Py<PyAny>> {
    if let Some(s) = seed {
        if s.is_instance_of::<PyGenerator>() {
            return Ok(s.clone().unbind());
        }
        if let Ok(b) = s.cast::<PyBitGenerator>() {
            return Ok(Py::new(py, PyGenerator::new(b))?.into_any());
        }
        // A RandomState: a Generator over its bit generator.
        if let Ok(rs) = s.cast::<PyRandomState>() {
            let b = rs.getattr("_bit_generator")?;
            return Ok(Py::new(py, PyGenerator::new(b.cast::<PyBitGenerator>()?))?.into_any());
        }
    }
    let init = pyo3::PyClassInitializer::from(make_bitgen(py, seed, |ss| AnyBitGen::Pcg64(rnd::Pcg64::from_seed_sequence(ss)))?)
        .add_subclass(PyPcg64);
    let bg = Bound::new(py, init)?;
    Ok(Py::new(py, PyGenerator { bg: bg.into_super().unbind() })?.into_any())
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRandomState>()?;
    m.add_class::<PySeedSequence>()?;
    m.add_class::<PyBitGenerator>()?;
    m.add_class::<PyPcg64>()?;
    m.add_class::<PyPcg64Dxsm>()?;
    m.add_class::<PyMt19937>()?;
    m.add_class::<PyPhilox>()?;
    m.add_class::<PySfc64>()?;
    m.add_class::<PyGenerator>()?;
    m.add_function(wrap_pyfunction!(default_rng, m)?)?;
    Ok(())
}
