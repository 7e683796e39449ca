//! `oxnp.ufunc` objects (one per registry entry), the ndarray arithmetic and comparison
//! operators, and the floating-point error state behind `seterr`/`geterr`/`errstate`.
//!
//! The operators call `apply` directly: no Python layer and no keyword parsing between
//! `a + b` and the kernel.

use std::ffi::CString;
use std::sync::LazyLock;

use oxnp_core::promote::Weak;
use oxnp_core::{Array, Casting, DType, Order};
use oxnp_kernels::registry::{self, Identity, Ufunc};
use oxnp_kernels::resolve::{self, Operand};
use oxnp_kernels::{exec, fpe, reduce};
use pyo3::exceptions::{PyFloatingPointError, PyOverflowError, PyRuntimeWarning, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt, PyTuple};
use smallvec::SmallVec;

use crate::convert::array_from_py;
use crate::dtype::{dtype_from_py, optional_dtype};
use crate::errors::IntoPyResult;
use crate::ndarray::{PyNdArray, wrap};
use crate::scalar::{Value, element_to_scalar, make_scalar, read_num, scalar_from_py, value_of_0d, value_to_array, write_num};
use oxnp_core::cast::Num;

#[pyclass(name = "ufunc", module = "oxnp", frozen)]
pub struct PyUfunc {
    pub uf: &'static Ufunc,
}

/// One input as given: an array (or strong scalar) or a weak Python number.
enum Input<'py> {
    Arr(Array),
    Weak(Weak, Bound<'py, PyAny>),
}

fn classify<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Input<'py>> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(Input::Arr(a.get().arr().clone()));
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Input::Arr(Array::scalar(obj.is_truthy()?)));
    }
    if obj.is_exact_instance_of::<PyFloat>() {
        return Ok(Input::Weak(Weak::Float, obj.clone()));
    }
    if obj.is_exact_instance_of::<PyInt>() {
        return Ok(Input::Weak(Weak::Int, obj.clone()));
    }
    if obj.is_exact_instance_of::<PyComplex>() {
        return Ok(Input::Weak(Weak::Complex, obj.clone()));
    }
    // NumPy/oxnp scalars (strong, even when they subclass float/int) and array-likes.
    if let Some((dtype, value)) = scalar_from_py(obj) {
        return Ok(Input::Arr(value_to_array(dtype, &value)?));
    }
    let py = obj.py();
    if let Ok(dt) = obj.getattr(pyo3::intern!(py, "dtype")) {
        if let Ok(a) = array_from_py(obj) {
            return Ok(Input::Arr(a));
        }
        let dtype = dtype_from_py(&dt)?;
        let value = obj.call_method0(pyo3::intern!(py, "item"))?;
        return Ok(Input::Arr(number_to_array(&value, dtype)?));
    }
    if obj.is_instance_of::<PyFloat>() {
        return Ok(Input::Weak(Weak::Float, obj.clone()));
    }
    if obj.is_instance_of::<PyInt>() {
        return Ok(Input::Weak(Weak::Int, obj.clone()));
    }
    if obj.is_instance_of::<PyComplex>() {
        return Ok(Input::Weak(Weak::Complex, obj.clone()));
    }
    Ok(Input::Arr(array_from_py(obj)?))
}

/// A Python number as a 0-d array of `dtype` (C-cast conversion, no range check).
pub(crate) fn number_to_array(v: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Array> {
    value_to_array(dtype, &number_value(v, dtype)?)
}

/// A Python number as a value of `dtype` (C-cast conversion, no range check).
fn number_value(v: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Value> {
    Ok(write_num(dtype, number_num(v)?))
}

/// A Python number as it is (ints beyond 64 bits are an error).
fn number_num(v: &Bound<'_, PyAny>) -> PyResult<Num> {
    Ok(if v.is_instance_of::<PyBool>() {
        Num::Bool(v.is_truthy()?)
    } else if v.is_instance_of::<PyInt>() {
        match v.extract::<i64>() {
            Ok(i) => Num::Int(i),
            Err(_) => Num::UInt(v.extract::<u64>()?),
        }
    } else if v.is_instance_of::<PyComplex>() {
        let c = v.cast::<PyComplex>()?;
        Num::Complex(c.real(), c.imag())
    } else {
        Num::Float(v.extract::<f64>()?)
    })
}

/// The value range of an integer dtype (unbounded for the others).
pub(crate) fn int_bounds(d: DType) -> (i128, i128) {
    match d {
        DType::Int8 => (i8::MIN as i128, i8::MAX as i128),
        DType::UInt8 => (0, u8::MAX as i128),
        DType::Int16 => (i16::MIN as i128, i16::MAX as i128),
        DType::UInt16 => (0, u16::MAX as i128),
        DType::Int32 => (i32::MIN as i128, i32::MAX as i128),
        DType::UInt32 => (0, u32::MAX as i128),
        DType::Int64 => (i64::MIN as i128, i64::MAX as i128),
        DType::UInt64 => (0, u64::MAX as i128),
        _ => (i128::MIN, i128::MAX),
    }
}

fn too_large() -> PyErr {
    PyOverflowError::new_err("Python int too large to convert to C long")
}

/// A weak Python number converted to its NEP 50 dtype `eff`, checking integer range.
fn weak_to_array(obj: &Bound<'_, PyAny>, kind: Weak, eff: DType) -> PyResult<Array> {
    value_to_array(eff, &weak_value(obj, kind, eff)?)
}

/// `weak_to_array`'s value.
fn weak_value(obj: &Bound<'_, PyAny>, kind: Weak, eff: DType) -> PyResult<Value> {
    if kind == Weak::Int && eff.is_integer() {
        let v: i128 = obj.extract().map_err(|_| too_large())?;
        let (lo, hi) = int_bounds(eff);
        if v < lo || v > hi {
            if eff == DType::Int64 || (eff == DType::UInt64 && v > hi) {
                return Err(too_large());
            }
            return Err(PyOverflowError::new_err(format!("Python integer {v} out of bounds for {}", eff.name())));
        }
        return Ok(write_num(eff, if v < 0 { Num::Int(v as i64) } else { Num::UInt(v as u64) }));
    }
    let source = if kind == Weak::Int && obj.extract::<i64>().is_err() && obj.extract::<u64>().is_err() {
        // Beyond 64 bits a Python int converts to the float dtype through a double.
        Num::Float(obj.extract::<f64>()?)
    } else {
        number_num(obj)?
    };
    let value = write_num(eff, source);
    // A finite number too large for a float dtype becomes inf, with NumPy's cast warning.
    let magnitude = |n: Num| match n {
        Num::Float(x) => x.abs(),
        Num::Complex(re, im) => re.abs().max(im.abs()),
        Num::Int(i) => i.unsigned_abs() as f64,
        Num::UInt(u) => u as f64,
        Num::Bool(_) => 0.0,
    };
    if eff.is_inexact() && magnitude(read_num(eff, &value)).is_infinite() && magnitude(source).is_finite() {
        check_fpe(obj.py(), "cast", fpe::OVERFLOW)?;
    }
    Ok(value)
}

/// A comparison of an integer array with a Python int outside the array's range: NumPy
/// compares exactly, so every element gets the same answer, returned here.
fn out_of_range_compare(uf: &Ufunc, inputs: &[Input<'_>]) -> Option<bool> {
    let (pos, obj, d) = match inputs {
        [Input::Weak(Weak::Int, o), Input::Arr(a)] => (0, o, a.dtype()),
        [Input::Arr(a), Input::Weak(Weak::Int, o)] => (1, o, a.dtype()),
        _ => return None,
    };
    if !d.is_integer() || !matches!(uf.name, "equal" | "not_equal" | "less" | "less_equal" | "greater" | "greater_equal") {
        return None;
    }
    let (lo, hi) = int_bounds(d);
    let above = match obj.extract::<i128>() {
        Ok(v) if v > hi => true,
        Ok(v) if v < lo => false,
        Ok(_) => return None,
        Err(_) => obj.gt(0).ok()?,
    };
    // Whether the first operand is the smaller one.
    let first_less = (pos == 1) == above;
    Some(match uf.name {
        "equal" => false,
        "not_equal" => true,
        "less" | "less_equal" => first_less,
        _ => !first_less,
    })
}

/// Keyword options of a ufunc call.
pub struct Opts<'py> {
    pub outs: Vec<Option<Bound<'py, PyNdArray>>>,
    pub where_: Option<Array>,
    pub sig: Option<Vec<Option<DType>>>,
    pub casting: Casting,
    pub order: char,
    /// Arithmetic on scalars: NumPy names the operation "scalar add" in FP warnings and
    /// warns when integers wrap.
    pub scalar: bool,
}

impl Opts<'_> {
    fn plain() -> Self {
        Opts { outs: Vec::new(), where_: None, sig: None, casting: Casting::SameKind, order: 'K', scalar: false }
    }
}

/// The exact value of an integer scalar.
fn int_value((d, v): &(DType, Value)) -> Option<i128> {
    match read_num(*d, v) {
        Num::Int(i) => Some(i as i128),
        Num::UInt(u) => Some(u as i128),
        _ => None,
    }
}

/// Whether an integer scalar operation wrapped around (NumPy warns for scalars only).
fn scalar_int_overflow(name: &str, ins: &[(DType, Value)], d: DType) -> bool {
    if !d.is_integer() || ins.iter().any(|(a, _)| *a != d) {
        return false;
    }
    let vals: Option<SmallVec<[i128; 2]>> = ins.iter().map(int_value).collect();
    let Some(vals) = vals else { return false };
    let exact = match (name, &vals[..]) {
        ("add", [a, b]) => a.checked_add(*b),
        ("subtract", [a, b]) => a.checked_sub(*b),
        ("multiply", [a, b]) => a.checked_mul(*b),
        ("negative", [a]) => Some(-a),
        ("absolute", [a]) => Some(a.abs()),
        ("floor_divide" | "divmod", [a, b]) if *b != 0 => Some(a.div_euclid(*b) - i128::from(b < &0 && a.rem_euclid(*b) != 0)),
        _ => return false,
    };
    let (lo, hi) = int_bounds(d);
    exact.is_none_or(|v| v < lo || v > hi)
}

/// Raises warnings or errors for the FP flags a kernel reported, per `seterr`.
pub fn check_fpe(py: Python<'_>, name: &str, flags: u32) -> PyResult<()> {
    if flags == 0 {
        return Ok(());
    }
    if flags & fpe::NEG_INT_POWER != 0 {
        return Err(PyValueError::new_err("Integers to negative integer powers are not allowed."));
    }
    for flag in [fpe::DIVIDE, fpe::OVERFLOW, fpe::UNDERFLOW, fpe::INVALID] {
        if flags & flag == 0 {
            continue;
        }
        let msg = format!("{} encountered in {}", fpe::flag_name(flag), name);
        match fpe::mode_of(flag) {
            fpe::Mode::Ignore => {}
            fpe::Mode::Warn => {
                let cmsg = CString::new(msg).unwrap_or_default();
                PyErr::warn(py, &py.get_type::<PyRuntimeWarning>(), &cmsg, 1)?;
            }
            fpe::Mode::Raise => return Err(PyFloatingPointError::new_err(msg)),
            fpe::Mode::Call | fpe::Mode::Print | fpe::Mode::Log => {
                let m = py.import("oxnp._ufuncs")?;
                m.call_method1("_report", (msg, flag))?;
            }
        }
    }
    Ok(())
}

/// Runs `convert`, which casts values into dtype `dst`, and reports the FP flags it raised
/// as NumPy reports a cast ("overflow encountered in cast"). Only floats (and huge ints into
/// small floats) overflow or are invalid, and only into integers or narrower inexact dtypes:
/// when `may_warn` is false or `dst` cannot narrow, nothing is checked (clearing the flags is
/// not free).
pub fn checked_cast<R>(py: Python<'_>, may_warn: bool, dst: DType, convert: impl FnOnce() -> PyResult<R>) -> PyResult<R> {
    if !may_warn || matches!(dst, DType::Bool | DType::Float64 | DType::Complex128) {
        return convert();
    }
    fpe::clear();
    let result = convert()?;
    check_fpe(py, "cast", fpe::take())?;
    Ok(result)
}

/// Whether storing the Python `value` into dtype `dst` may need `checked_cast`: anything but
/// a Python int (which only overflows the float types it cannot fit).
pub fn value_may_warn(value: &Bound<'_, PyAny>, dst: DType) -> bool {
    dst.is_inexact() || !value.is_instance_of::<PyInt>()
}

/// Whether casting `src` values to `dst` may need `checked_cast`: float sources, and integers
/// into float16 (the only float they can overflow).
pub fn cast_may_warn(src: DType, dst: DType) -> bool {
    src.is_inexact() || dst == DType::Float16
}

/// Whether NumPy computes this scalar operation in its scalar code (which names the
/// operation "scalar add" and checks integer overflow): the loop works in the dtype of one
/// of the scalars (or, for `/` on integers, in float64 after promoting the integers to one
/// of their own types), and the left operand is not a bool scalar (those use the array path).
fn scalar_path(uf: &Ufunc, lp: &registry::Loop, ops: &[Operand], args: &[Bound<'_, PyAny>]) -> bool {
    let d = lp.ins[0];
    if d == DType::Bool
        || !lp.ins.iter().all(|&x| x == d)
        || (ops.first() == Some(&Operand::Strong(DType::Bool)) && !args.first().is_some_and(|a| a.is_instance_of::<PyBool>()))
    {
        return false;
    }
    if ops.contains(&Operand::Strong(d)) {
        return true;
    }
    let strong = || ops.iter().filter_map(|o| if let Operand::Strong(x) = o { Some(*x) } else { None });
    uf.name == "divide"
        && strong().all(|x| x.is_integer())
        && strong().reduce(oxnp_core::promote::promote_types).is_some_and(|p| ops.contains(&Operand::Strong(p)))
}

/// The small-call fast path: inputs of the loop's dtypes, each C-contiguous of one shape or
/// 0-d (read with stride 0), no output arguments. The loop runs once over the flat data
/// into new C-ordered outputs. None when the call does not qualify (`execute` handles it).
#[allow(clippy::type_complexity)]
fn run_contiguous(uf: &'static Ufunc, loop_idx: usize, ins: &[Array]) -> Option<oxnp_core::Result<(SmallVec<[Array; 2]>, u32)>> {
    let full = ins.iter().find(|a| a.ndim() > 0).or(ins.first())?;
    let n = full.size();
    if n >= exec::PARALLEL_MIN || ins.len() + uf.nout > 4 {
        return None;
    }
    let mut p = [std::ptr::null_mut(); 4];
    let mut st = [0isize; 4];
    for (k, a) in ins.iter().enumerate() {
        if a.ndim() > 0 && (a.shape() != full.shape() || !a.is_c_contiguous()) {
            return None;
        }
        p[k] = a.as_ptr();
        st[k] = if a.ndim() == 0 { 0 } else { a.itemsize() as isize };
    }
    let lp = &uf.loops[loop_idx];
    let mut outs: SmallVec<[Array; 2]> = SmallVec::new();
    for &d in &lp.outs {
        match Array::empty(full.shape(), d, Order::C) {
            Ok(a) => outs.push(a),
            Err(e) => return Some(Err(e)),
        }
    }
    for (k, a) in outs.iter().enumerate() {
        p[ins.len() + k] = a.as_ptr();
        st[ins.len() + k] = a.itemsize() as isize;
    }
    fpe::clear();
    // SAFETY: every operand is C-contiguous with `n` elements of the loop's dtypes, and the
    // outputs are new, so nothing overlaps them.
    unsafe { (lp.f)(&p, n, &st) };
    Some(Ok((outs, fpe::take_checked(uf.checks_fpe()))))
}

/// The shape of most small operations: ndarrays of the loop's dtypes and Python floats/ints,
/// one output, no options. The loop reads the arrays' own buffers (in one call when they are
/// C-contiguous and of one shape, else row by row over the broadcast shape) and the numbers
/// from stack slots, so none of `apply`'s intermediate arrays are built. None when the call
/// does not qualify.
#[inline(never)]
fn apply_small<'py>(py: Python<'py>, uf: &'static Ufunc, args: &[Bound<'py, PyAny>], opts: &Opts<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
    let plain = opts.outs.is_empty() && opts.where_.is_none() && opts.sig.is_none() && !opts.scalar && matches!(opts.order, 'K' | 'C');
    if !plain || uf.nout != 1 || args.len() != uf.nin || args.len() > 3 {
        return Ok(None);
    }
    let comparison = matches!(uf.name, "equal" | "not_equal" | "less" | "less_equal" | "greater" | "greater_equal");
    let mut arrays: SmallVec<[Option<PyRef<'py, PyNdArray>>; 3]> = SmallVec::new();
    let mut ops: SmallVec<[Operand; 3]> = SmallVec::new();
    for a in args {
        let (x, op) = if let Ok(x) = a.cast::<PyNdArray>() {
            let x = x.borrow();
            let d = x.arr().dtype();
            (Some(x), Operand::Strong(d))
        } else if a.is_exact_instance_of::<PyFloat>() {
            (None, Operand::Weak(Weak::Float))
        } else if a.is_exact_instance_of::<PyInt>() && !comparison {
            // An int compared with an integer array may lie outside its range: `apply` handles it.
            (None, Operand::Weak(Weak::Int))
        } else {
            return Ok(None);
        };
        arrays.push(x);
        ops.push(op);
    }
    let Some(full) = arrays.iter().flatten().next() else { return Ok(None) };
    let same_shape = arrays.iter().flatten().all(|x| x.arr().shape() == full.arr().shape());
    let shape: oxnp_core::array::Shape = if same_shape {
        full.arr().shape().into()
    } else {
        let shapes: SmallVec<[&[usize]; 3]> = arrays.iter().flatten().map(|x| x.arr().shape()).collect();
        match oxnp_core::broadcast::try_broadcast_shapes(&shapes) {
            Ok(s) => s,
            Err(_) => return Ok(None),
        }
    };
    let n: usize = shape.iter().product();
    if shape.is_empty() || n >= exec::PARALLEL_MIN {
        return Ok(None);
    }
    let contiguous = same_shape && arrays.iter().flatten().all(|x| x.arr().is_c_contiguous());
    // Strided and broadcast operands are walked row by row; they must be aligned for the loop.
    let aligned = |a: &Array| {
        let isz = a.itemsize() as isize;
        a.as_ptr() as usize % a.itemsize() == 0 && a.strides().iter().all(|s| s % isz == 0)
    };
    // Short rows cost one loop call each: many of them are left to `execute`, which merges axes.
    let short_rows = shape.last().is_some_and(|&m| m < 16) && n >= 4096;
    if !contiguous && (short_rows || !arrays.iter().flatten().all(|x| aligned(x.arr()))) {
        return Ok(None);
    }
    let loop_idx = resolve::select_loop(uf, &ops, None, opts.casting).py()?;
    let lp = &uf.loops[loop_idx];
    if ops.iter().zip(&lp.ins).any(|(o, &d)| matches!(o, Operand::Strong(x) if *x != d)) {
        return Ok(None);
    }
    let dts = if ops.iter().any(|o| matches!(o, Operand::Weak(_))) { resolve::effective_dtypes(&ops) } else { SmallVec::new() };
    let mut slots = [Slot([0; 16]); 3];
    let mut ptrs = [std::ptr::null_mut(); 4];
    let mut steps = [0isize; 4];
    for (i, (a, x)) in args.iter().zip(&arrays).enumerate() {
        if let Some(x) = x {
            ptrs[i] = x.arr().as_ptr();
            steps[i] = x.arr().itemsize() as isize;
        } else if let Operand::Weak(w) = ops[i] {
            // As in `apply`: a loop computing integers as floats takes the int as float.
            let d = if dts[i].is_integer() && lp.ins[i].is_inexact() { lp.ins[i] } else { dts[i] };
            let v = weak_value(a, w, d)?;
            slots[i] = Slot(if d == lp.ins[i] { v } else { write_num(lp.ins[i], read_num(d, &v)) });
            ptrs[i] = slots[i].0.as_mut_ptr();
        }
    }
    let out = Array::empty(&shape, lp.outs[0], Order::C).py()?;
    ptrs[args.len()] = out.as_ptr();
    steps[args.len()] = out.itemsize() as isize;
    if contiguous {
        drop(arrays);
        fpe::clear();
        // SAFETY: the arrays are C-contiguous with `n` elements of the loop's dtypes, the
        // numbers are one aligned element read with step 0, and the output is new.
        unsafe { (lp.f)(&ptrs, n, &steps) };
    } else {
        // Every operand's strides over the output shape: 0 along stretched and new axes (and
        // for the numbers and the unused operand slots).
        let zeros: oxnp_core::array::Strides = SmallVec::from_elem(0, shape.len());
        let mut strides: [oxnp_core::array::Strides; 4] = std::array::from_fn(|_| zeros.clone());
        for (k, x) in arrays.iter().enumerate() {
            if let Some(x) = x {
                strides[k] = oxnp_core::broadcast::broadcast_view(x.arr(), &shape).py()?.strides().into();
            }
        }
        strides[args.len()] = out.strides().into();
        drop(arrays);
        fpe::clear();
        // SAFETY: each operand's pointer and strides address its elements over the output
        // shape (broadcast views of valid arrays, stack slots with stride 0, the new output);
        // the unused slots are never read by the loop.
        unsafe { walk(lp.f, &shape, &ptrs, &strides) };
    }
    check_fpe(py, uf.name, fpe::take_checked(uf.checks_fpe()))?;
    Ok(Some(wrap(py, out)?.into_any()))
}

/// Runs a loop over `shape` one innermost row at a time, its operands starting at `ptrs`
/// with byte `strides`.
///
/// # Safety
/// Every operand the loop uses must have a pointer and strides addressing valid, aligned
/// elements of its loop dtype for every index of `shape`.
unsafe fn walk(f: oxnp_kernels::loops::LoopFn, shape: &[usize], ptrs: &[*mut u8; 4], strides: &[oxnp_core::array::Strides; 4]) {
    let [a, b, c, d] = strides;
    oxnp_core::array::for_each_inner(shape, [a.as_slice(), b, c, d], |base, n, inner| {
        let p: [*mut u8; 4] = std::array::from_fn(|i| ptrs[i].wrapping_offset(base[i]));
        // SAFETY: the caller's promise, for the row starting at `base`.
        unsafe { f(&p, n, &inner) };
    });
}

/// Applies `uf` to `args` with `opts`: the one path for ufunc calls and operators.
pub fn apply<'py>(py: Python<'py>, uf: &'static Ufunc, args: &[Bound<'py, PyAny>], opts: &Opts<'py>) -> PyResult<Bound<'py, PyAny>> {
    if let Some(r) = apply_small(py, uf, args, opts)? {
        return Ok(r);
    }
    if let Some(r) = apply_scalars(py, uf, args, opts)? {
        return Ok(r);
    }
    let inputs: SmallVec<[Input<'py>; 3]> = args.iter().map(classify).collect::<PyResult<_>>()?;
    let ops: SmallVec<[Operand; 3]> = inputs
        .iter()
        .map(|i| match i {
            Input::Arr(a) => Operand::Strong(a.dtype()),
            Input::Weak(w, _) => Operand::Weak(*w),
        })
        .collect();
    if let Some(c) = out_of_range_compare(uf, &inputs) {
        return constant_bool(py, &inputs, c, opts);
    }
    let loop_idx = resolve::select_loop(uf, &ops, opts.sig.as_deref(), opts.casting).py()?;
    let lp = &uf.loops[loop_idx];
    let mut arrays: SmallVec<[Array; 3]> = SmallVec::new();
    let any_weak = inputs.iter().any(|i| matches!(i, Input::Weak(..)));
    let dts = if any_weak { resolve::effective_dtypes(&ops) } else { SmallVec::new() };
    for (i, inp) in inputs.into_iter().enumerate() {
        let a = match inp {
            Input::Arr(a) if a.dtype() == lp.ins[i] => a,
            Input::Arr(a) => exec::cast_input(&a, lp.ins[i]).py()?,
            Input::Weak(w, obj) => {
                // A loop that computes integers as floats (true_divide) takes the Python int
                // in that float dtype, so its range is not the integer dtype's.
                let d = if dts[i].is_integer() && lp.ins[i].is_inexact() { lp.ins[i] } else { dts[i] };
                exec::cast_input(&weak_to_array(&obj, w, d)?, lp.ins[i]).py()?
            }
        };
        arrays.push(a);
    }
    let plain = opts.outs.is_empty() && opts.where_.is_none() && matches!(opts.order, 'K' | 'C');
    let (results, flags) = match plain.then(|| run_contiguous(uf, loop_idx, &arrays)).flatten() {
        Some(r) => r.py()?,
        None => {
            let outs: SmallVec<[Option<Array>; 2]> = (0..uf.nout)
                .map(|k| opts.outs.get(k).and_then(|o| o.as_ref()).map(|o| o.get().arr().clone()))
                .collect();
            let call = exec::Call {
                uf,
                loop_idx,
                inputs: &arrays,
                outs: &outs,
                where_: opts.where_.as_ref(),
                casting: opts.casting,
                order: opts.order,
            };
            let big = arrays.iter().map(|a| a.size()).max().unwrap_or(0) >= exec::PARALLEL_MIN;
            let (r, f) = if big { py.detach(|| exec::execute(&call)) } else { exec::execute(&call) }.py()?;
            (SmallVec::from_vec(r), f)
        }
    };
    report_fpe(py, uf, lp, &ops, args, opts, flags, || {
        results.first().is_some_and(|r| {
            r.ndim() == 0 && {
                let ins: SmallVec<[(DType, Value); 3]> = arrays.iter().map(value_of_0d).collect();
                scalar_int_overflow(uf.name, &ins, r.dtype())
            }
        })
    })?;
    let any_out = opts.outs.iter().any(|o| o.is_some());
    let mut objs: SmallVec<[Bound<'py, PyAny>; 2]> = SmallVec::new();
    for (k, r) in results.into_iter().enumerate() {
        let obj = match opts.outs.get(k).and_then(|o| o.as_ref()) {
            Some(o) => o.clone().into_any(),
            None if r.ndim() == 0 && !any_out => element_to_scalar(py, &r, 0)?.into_bound(py),
            None => wrap(py, r)?.into_any(),
        };
        objs.push(obj);
    }
    if objs.len() == 1 {
        Ok(objs.remove(0))
    } else {
        Ok(PyTuple::new(py, objs)?.into_any())
    }
}

/// Raises the warnings (or errors) for a call's FP `flags`; for scalar arithmetic, NumPy's
/// "scalar add" wording and integer wrap-around (`wrapped`, asked only then).
#[allow(clippy::too_many_arguments)]
fn report_fpe(
    py: Python<'_>,
    uf: &Ufunc,
    lp: &registry::Loop,
    ops: &[Operand],
    args: &[Bound<'_, PyAny>],
    opts: &Opts<'_>,
    mut flags: u32,
    wrapped: impl FnOnce() -> bool,
) -> PyResult<()> {
    if !(opts.scalar && scalar_path(uf, lp, ops, args)) {
        return check_fpe(py, uf.name, flags);
    }
    if wrapped() {
        flags |= fpe::OVERFLOW;
    }
    if flags == 0 {
        return Ok(());
    }
    check_fpe(py, &format!("scalar {}", uf.name), flags)
}

/// One element of a loop operand on the stack, aligned for any dtype.
#[derive(Clone, Copy)]
#[repr(C, align(16))]
struct Slot(Value);

/// An operand of the scalar path: a typed value (oxnp or NumPy scalar, Python bool) or a
/// weak Python number.
enum ScalarOperand<'py> {
    Strong(DType, Value),
    Weak(Weak, Bound<'py, PyAny>),
}

fn classify_scalar<'py>(obj: &Bound<'py, PyAny>) -> Option<ScalarOperand<'py>> {
    if obj.is_instance_of::<PyNdArray>() {
        None
    } else if let Ok(b) = obj.cast::<PyBool>() {
        Some(ScalarOperand::Strong(DType::Bool, write_num(DType::Bool, Num::Bool(b.is_true()))))
    } else if obj.is_exact_instance_of::<PyFloat>() {
        Some(ScalarOperand::Weak(Weak::Float, obj.clone()))
    } else if obj.is_exact_instance_of::<PyInt>() {
        Some(ScalarOperand::Weak(Weak::Int, obj.clone()))
    } else if obj.is_exact_instance_of::<PyComplex>() {
        Some(ScalarOperand::Weak(Weak::Complex, obj.clone()))
    } else {
        scalar_from_py(obj).map(|(d, v)| ScalarOperand::Strong(d, v))
    }
}

/// A comparison of an integer scalar with a Python int: exact, as NumPy compares (so an int
/// outside the dtype's range needs no conversion). None for other operand kinds.
fn exact_int_compare<'py>(py: Python<'py>, uf: &Ufunc, inputs: &[ScalarOperand<'py>]) -> PyResult<Option<Bound<'py, PyAny>>> {
    let exact = |s: &ScalarOperand<'py>| match s {
        ScalarOperand::Strong(d, v) if d.is_integer() => int_value(&(*d, *v)),
        ScalarOperand::Weak(Weak::Int, obj) => obj.extract::<i128>().ok(),
        _ => None,
    };
    let [Some(x), Some(y)] = [inputs.first().and_then(exact), inputs.get(1).and_then(exact)] else {
        return Ok(None);
    };
    let r = match uf.name {
        "equal" => x == y,
        "not_equal" => x != y,
        "less" => x < y,
        "less_equal" => x <= y,
        "greater" => x > y,
        _ => x >= y,
    };
    Ok(Some(make_scalar(py, DType::Bool, write_num(DType::Bool, Num::Bool(r)))?.into_bound(py)))
}

/// `apply` for operands that are all scalars, computed on stack values (no arrays): the
/// path of scalar arithmetic such as `x[0] * 2.0`. None when the call needs `apply`'s
/// general machinery (an array operand, `out=`, `where=`, a signature, an integer comparison
/// against a Python int, which may lie outside the dtype's range).
fn apply_scalars<'py>(py: Python<'py>, uf: &'static Ufunc, args: &[Bound<'py, PyAny>], opts: &Opts<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
    if !opts.outs.is_empty() || opts.where_.is_some() || opts.sig.is_some() || args.len() + uf.nout > 4 {
        return Ok(None);
    }
    let mut inputs: SmallVec<[ScalarOperand<'py>; 3]> = SmallVec::new();
    for a in args {
        match classify_scalar(a) {
            Some(s) => inputs.push(s),
            None => return Ok(None),
        }
    }
    let ops: SmallVec<[Operand; 3]> = inputs
        .iter()
        .map(|i| match i {
            ScalarOperand::Strong(d, _) => Operand::Strong(*d),
            ScalarOperand::Weak(w, _) => Operand::Weak(*w),
        })
        .collect();
    let comparison = matches!(uf.name, "equal" | "not_equal" | "less" | "less_equal" | "greater" | "greater_equal");
    if comparison && ops.contains(&Operand::Weak(Weak::Int)) {
        return exact_int_compare(py, uf, &inputs);
    }
    let loop_idx = resolve::select_loop(uf, &ops, None, opts.casting).py()?;
    let lp = &uf.loops[loop_idx];
    let dts = resolve::effective_dtypes(&ops);
    let mut ins: SmallVec<[(DType, Value); 3]> = SmallVec::new();
    let mut slots = [Slot([0; 16]); 4];
    for (i, inp) in inputs.iter().enumerate() {
        let (d, v) = match inp {
            ScalarOperand::Strong(d, v) => (*d, *v),
            ScalarOperand::Weak(w, obj) => {
                // As in `apply`: a loop computing integers as floats takes the int as float.
                let d = if dts[i].is_integer() && lp.ins[i].is_inexact() { lp.ins[i] } else { dts[i] };
                (d, weak_value(obj, *w, d)?)
            }
        };
        let v = if d == lp.ins[i] { v } else { write_num(lp.ins[i], read_num(d, &v)) };
        slots[i] = Slot(v);
        ins.push((lp.ins[i], v));
    }
    let mut ptrs = [std::ptr::null_mut(); 4];
    for (p, slot) in ptrs.iter_mut().zip(slots.iter_mut()).take(args.len() + uf.nout) {
        *p = slot.0.as_mut_ptr();
    }
    fpe::clear();
    // SAFETY: each pointer addresses one aligned element of the loop's dtype; steps are 0.
    unsafe { (lp.f)(&ptrs, 1, &[0; 4]) };
    let flags = fpe::take_checked(uf.checks_fpe());
    report_fpe(py, uf, lp, &ops, args, opts, flags, || scalar_int_overflow(uf.name, &ins, lp.outs[0]))?;
    let nin = args.len();
    if uf.nout == 1 {
        return Ok(Some(make_scalar(py, lp.outs[0], slots[nin].0)?.into_bound(py)));
    }
    let outs = (0..uf.nout).map(|k| make_scalar(py, lp.outs[k], slots[nin + k].0)).collect::<PyResult<Vec<_>>>()?;
    Ok(Some(PyTuple::new(py, outs)?.into_any()))
}

/// The result of a comparison whose answer is `c` for every element of the array input.
fn constant_bool<'py>(py: Python<'py>, inputs: &[Input<'py>], c: bool, opts: &Opts<'py>) -> PyResult<Bound<'py, PyAny>> {
    let shape = inputs.iter().find_map(|i| if let Input::Arr(a) = i { Some(a.shape()) } else { None }).unwrap_or(&[]);
    let r = Array::empty(shape, DType::Bool, Order::C).py()?;
    // SAFETY: a fresh C-contiguous bool array has `size` one-byte elements.
    unsafe { std::ptr::write_bytes(r.as_ptr(), c as u8, r.size()) };
    if let Some(o) = opts.outs.first().and_then(|o| o.as_ref()) {
        let target = o.get().arr().clone();
        let src = oxnp_core::shape::broadcast_to(&r, target.shape()).py()?;
        match &opts.where_ {
            Some(w) => exec::copy_masked(&target, &src, w).py()?,
            None => oxnp_core::cast::copy_into(&target, &src).py()?,
        }
        return Ok(o.clone().into_any());
    }
    if r.ndim() == 0 {
        return Ok(element_to_scalar(py, &r, 0)?.into_bound(py));
    }
    Ok(wrap(py, r)?.into_any())
}

fn parse_out<'py>(out: &Bound<'py, PyAny>, nout: usize) -> PyResult<Vec<Option<Bound<'py, PyNdArray>>>> {
    let one = |o: &Bound<'py, PyAny>| -> PyResult<Option<Bound<'py, PyNdArray>>> {
        if o.is_none() {
            return Ok(None);
        }
        o.cast::<PyNdArray>()
            .map(|a| Some(a.clone()))
            .map_err(|_| PyTypeError::new_err("return arrays must be of ArrayType"))
    };
    if let Ok(t) = out.cast::<PyTuple>() {
        if t.len() != nout {
            return Err(PyValueError::new_err(
                "The 'out' tuple must have exactly one entry per ufunc output",
            ));
        }
        return t.iter().map(|o| one(&o)).collect();
    }
    if nout != 1 {
        return Err(PyTypeError::new_err("'out' must be a tuple of arrays"));
    }
    Ok(vec![one(out)?])
}

pub(crate) fn parse_where(w: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Array>> {
    match w {
        None => Ok(None),
        Some(w) if w.is_instance_of::<PyBool>() && w.is_truthy()? => Ok(None),
        Some(w) => {
            let a = match classify(w)? {
                Input::Arr(a) => a,
                Input::Weak(..) => return Err(PyTypeError::new_err("where= must be a boolean array")),
            };
            Ok(Some(exec::cast_input(&a, DType::Bool).py()?))
        }
    }
}

fn parse_order(order: Option<&Bound<'_, PyAny>>) -> PyResult<char> {
    match order {
        None => Ok('K'),
        Some(o) if o.is_none() => Ok('K'),
        Some(o) => {
            let s: String = o.extract()?;
            match s.to_ascii_uppercase().as_str() {
                c @ ("K" | "C" | "F" | "A") => Ok(c.chars().next().unwrap_or('K')),
                _ => Err(PyValueError::new_err(format!("order must be one of 'C', 'F', 'A', or 'K' (got '{s}')"))),
            }
        }
    }
}

fn parse_casting(c: Option<&Bound<'_, PyAny>>) -> PyResult<Casting> {
    match c {
        None => Ok(Casting::SameKind),
        Some(c) => Casting::parse(&c.extract::<String>()?).py(),
    }
}

fn parse_signature(uf: &Ufunc, sig: Option<&Bound<'_, PyAny>>, dtype: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<Option<DType>>>> {
    let n = uf.nin + uf.nout;
    if let Some(d) = optional_dtype(dtype)? {
        if sig.is_some_and(|s| !s.is_none()) {
            return Err(PyTypeError::new_err("cannot specify both 'signature' and 'dtype'"));
        }
        let mut v = vec![None; n];
        for slot in v.iter_mut().skip(uf.nin) {
            *slot = Some(d);
        }
        // Homogeneous loops: the inputs take the dtype too, as NumPy's dtype= does.
        if uf.loops.iter().any(|l| l.ins.iter().chain(&l.outs).all(|x| *x == d)) {
            for slot in v.iter_mut().take(uf.nin) {
                *slot = Some(d);
            }
        }
        return Ok(Some(v));
    }
    let Some(sig) = sig.filter(|s| !s.is_none()) else { return Ok(None) };
    if let Ok(s) = sig.extract::<String>() {
        let s = s.replace("->", "");
        if s.chars().count() != n {
            return Err(PyValueError::new_err(format!("signature '{s}' does not have {n} types")));
        }
        let v = s
            .chars()
            .map(|c| DType::ALL.into_iter().find(|d| d.char() == c).map(Some).ok_or_else(|| PyTypeError::new_err(format!("No loop matching the specified signature and casting was found for ufunc {}", uf.name))))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(Some(v));
    }
    let t = sig.cast::<PyTuple>().map_err(|_| PyTypeError::new_err("signature must be a string or a tuple"))?;
    if t.len() != n {
        return Err(PyValueError::new_err(format!(
            "a type-tuple must be specified of length {n} for ufunc '{}'",
            uf.name
        )));
    }
    t.iter().map(|d| optional_dtype(Some(&d))).collect::<PyResult<Vec<_>>>().map(Some)
}

/// The axes a reduction covers, as a mask over `ndim` dimensions.
fn parse_axes(axis: Option<&Bound<'_, PyAny>>, ndim: usize, default_zero: bool) -> PyResult<Vec<bool>> {
    let mut mask = vec![false; ndim];
    let Some(axis) = axis else {
        if default_zero {
            if ndim == 0 {
                return Err(oxnp_core::Error::axis(0, 0)).py();
            }
            mask[0] = true;
        }
        return Ok(mask);
    };
    if axis.is_none() {
        return Ok(vec![true; ndim]);
    }
    let list: Vec<isize> = if let Ok(t) = axis.cast::<PyTuple>() { t.extract()? } else { vec![axis.extract()?] };
    for a in list {
        let k = oxnp_core::error::normalize_axis(a, ndim).py()?;
        if mask[k] {
            return Err(PyValueError::new_err("duplicate value in 'axis'"));
        }
        mask[k] = true;
    }
    Ok(mask)
}

/// The dtype a reduction runs in: `dtype=`, else the input's, with add/multiply of small
/// integers and bools widened to 64 bits as NumPy does.
pub(crate) fn reduce_loop(uf: &'static Ufunc, input: DType, dtype: Option<DType>) -> PyResult<usize> {
    if let Some(e) = resolve::bool_refusal(uf, &[dtype.unwrap_or(input); 2]) {
        return Err(crate::errors::to_pyerr(e));
    }
    let want = dtype.unwrap_or_else(|| {
        if matches!(uf.name, "add" | "multiply") && input.itemsize() < 8 {
            if input.is_unsigned_integer() {
                return DType::UInt64;
            }
            if input.is_bool() || input.is_signed_integer() {
                return DType::Int64;
            }
        }
        input
    });
    let same = |l: &registry::Loop| l.reduce.is_some() && l.outs[0] == l.ins[0];
    let found = if dtype.is_some() {
        uf.loops.iter().position(|l| same(l) && l.ins[0] == want)
    } else {
        uf.loops
            .iter()
            .position(|l| same(l) && oxnp_core::cast::can_cast(want, l.ins[0], Casting::Safe))
            // The logical ufuncs reduce any input as bools.
            .or_else(|| uf.loops.iter().position(|l| same(l) && l.ins[0] == DType::Bool && uf.name.starts_with("logical_")))
    };
    found.ok_or_else(|| {
        crate::errors::to_pyerr(oxnp_core::Error::UFuncType(format!(
            "ufunc '{}' did not contain a loop with signature matching types for reduction",
            uf.name
        )))
    })
}

pub(crate) fn as_input_array(obj: &Bound<'_, PyAny>) -> PyResult<Array> {
    match classify(obj)? {
        Input::Arr(a) => Ok(a),
        Input::Weak(w, o) => weak_to_array(&o, w, w.default_dtype()),
    }
}

/// A view of `a` with the given shape and strides over the same memory.
fn view(a: &Array, shape: &[usize], strides: &[isize]) -> Array {
    // SAFETY: callers only add or drop length-1 / stride-0 axes of a valid geometry.
    unsafe { a.view_unchecked(a.offset(), shape.into(), strides.into(), a.dtype()) }
}

/// NEP 13: the argument's `__array_ufunc__` when its type overrides ufuncs. Arrays (oxnp's and
/// NumPy's), Python numbers and None never do, and are rejected by type checks first.
pub(crate) fn ufunc_override<'py>(obj: &Bound<'py, PyAny>) -> Option<Bound<'py, PyAny>> {
    if obj.is_instance_of::<PyNdArray>()
        || obj.is_instance_of::<PyFloat>()
        || obj.is_instance_of::<PyInt>()
        || obj.is_instance_of::<PyComplex>()
        || obj.is_none()
        || obj.is_instance_of::<PyTuple>()
        || obj.is_instance_of::<pyo3::types::PyList>()
    {
        return None;
    }
    let py = obj.py();
    let m = obj.get_type().getattr(pyo3::intern!(py, "__array_ufunc__")).ok()?;
    if m.is_none() || from_numpy(&m) {
        return None;
    }
    Some(m)
}

/// Whether an `__array_*__` attribute is NumPy's own (its arrays convert like any array).
pub(crate) fn from_numpy(m: &Bound<'_, PyAny>) -> bool {
    let py = m.py();
    m.getattr(pyo3::intern!(py, "__objclass__"))
        .and_then(|c| c.getattr(pyo3::intern!(py, "__module__")))
        .is_ok_and(|md| md.extract::<String>().is_ok_and(|s| s == "numpy" || s.starts_with("numpy.")))
}

/// NEP 13 dispatch: calls `__array_ufunc__(ufunc, method, *inputs, **kwargs)` of each
/// overriding argument among `inputs` and `out` (in order) until one does not return
/// NotImplemented. `Ok(None)`: nothing overrides.
pub(crate) fn dispatch_ufunc<'py>(
    py: Python<'py>,
    uf: &'static Ufunc,
    method: &str,
    inputs: &[Bound<'py, PyAny>],
    out: &[Bound<'py, PyAny>],
    kwargs: Option<&Bound<'py, pyo3::types::PyDict>>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let mut seen: SmallVec<[Bound<'py, PyAny>; 2]> = SmallVec::new();
    for o in inputs.iter().chain(out) {
        if ufunc_override(o).is_some() && !seen.iter().any(|s| s.get_type().is(&o.get_type())) {
            seen.push(o.clone());
        }
    }
    if seen.is_empty() {
        return Ok(None);
    }
    let ufunc = py.import("oxnp._oxnp")?.getattr(uf.name)?;
    let mut args: Vec<Bound<'py, PyAny>> = vec![ufunc.clone(), pyo3::types::PyString::new(py, method).into_any()];
    args.extend(inputs.iter().cloned());
    let args = PyTuple::new(py, args)?;
    let kw = match kwargs {
        Some(k) => k.copy()?,
        None => pyo3::types::PyDict::new(py),
    };
    if !out.is_empty() {
        kw.set_item("out", PyTuple::new(py, out)?)?;
    }
    for o in &seen {
        let r = o.getattr(pyo3::intern!(py, "__array_ufunc__"))?.call(&args, Some(&kw))?;
        if !r.is(&py.NotImplemented()) {
            return Ok(Some(r));
        }
    }
    let names: Vec<String> = inputs
        .iter()
        .chain(out)
        .map(|o| o.get_type().name().map(|n| format!("'{n}'")).unwrap_or_default())
        .collect();
    let reprs: Vec<String> = inputs.iter().map(|o| o.repr().map(|r| r.to_string()).unwrap_or_default()).collect();
    Err(PyTypeError::new_err(format!(
        "operand type(s) all returned NotImplemented from __array_ufunc__(<ufunc '{}'>, '{}', {}): {}",
        uf.name,
        method,
        reprs.join(", "),
        names.join(", ")
    )))
}

/// Output arguments of a ufunc call as given (`out=` or extra positionals), for dispatch.
fn given_outs<'py>(items: &[Bound<'py, PyAny>], nin: usize, out: Option<&Bound<'py, PyAny>>) -> Vec<Bound<'py, PyAny>> {
    if items.len() > nin {
        return items[nin..].to_vec();
    }
    match out {
        Some(o) if o.is_none() => Vec::new(),
        Some(o) => match o.cast::<PyTuple>() {
            Ok(t) => t.iter().collect(),
            Err(_) => vec![o.clone()],
        },
        None => Vec::new(),
    }
}

#[pymethods]
impl PyUfunc {
    #[pyo3(signature = (*args, out=None, r#where=None, casting=None, order=None, dtype=None, subok=true, signature=None))]
    #[allow(clippy::too_many_arguments)]
    fn __call__<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        out: Option<&Bound<'py, PyAny>>,
        r#where: Option<&Bound<'py, PyAny>>,
        casting: Option<&Bound<'py, PyAny>>,
        order: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        subok: bool,
        signature: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let uf = self.uf;
        let nargs = args.len();
        let no_options = out.is_none() && r#where.is_none() && casting.is_none() && order.is_none() && dtype.is_none() && subok && signature.is_none();
        if no_options && nargs == uf.nin && args.iter().all(|a| ufunc_override(&a).is_none()) {
            let r = apply(py, uf, args.as_slice(), &Opts::plain())?;
            return wrap_call_result(uf, args.as_slice(), r, 0);
        }
        if args.iter().any(|a| ufunc_override(&a).is_some()) || out.is_some_and(|o| !o.is_none() && !o.is_instance_of::<PyNdArray>()) {
            let items: Vec<Bound<'py, PyAny>> = args.iter().collect();
            let outs = given_outs(&items, uf.nin, out);
            let kw = pyo3::types::PyDict::new(py);
            for (k, v) in [("where", r#where), ("casting", casting), ("order", order), ("dtype", dtype), ("signature", signature)] {
                if let Some(v) = v {
                    kw.set_item(k, v)?;
                }
            }
            if !subok {
                kw.set_item("subok", false)?;
            }
            let n = items.len().min(uf.nin);
            if let Some(r) = dispatch_ufunc(py, uf, "__call__", &items[..n], &outs, Some(&kw))? {
                return Ok(r);
            }
        }
        if nargs < uf.nin || nargs > uf.nin + uf.nout {
            return Err(PyTypeError::new_err(format!(
                "{}() takes from {} to {} positional arguments but {} were given",
                uf.name,
                uf.nin,
                uf.nin + uf.nout,
                nargs
            )));
        }
        let items: Vec<Bound<'py, PyAny>> = args.iter().collect();
        let mut opts = Opts::plain();
        if nargs > uf.nin {
            if out.is_some() {
                return Err(PyTypeError::new_err("cannot specify 'out' as both a positional and keyword argument"));
            }
            let t = PyTuple::new(py, &items[uf.nin..])?;
            let mut outs = parse_out(t.as_any(), nargs - uf.nin).or_else(|_| {
                items[uf.nin..].iter().map(|o| parse_out(o, 1).map(|mut v| v.remove(0))).collect()
            })?;
            outs.resize(uf.nout, None);
            opts.outs = outs;
        } else if let Some(o) = out {
            opts.outs = parse_out(o, uf.nout)?;
        }
        opts.where_ = parse_where(r#where)?;
        opts.casting = parse_casting(casting)?;
        opts.order = parse_order(order)?;
        opts.sig = parse_signature(uf, signature, dtype)?;
        let r = apply(py, uf, &items[..uf.nin], &opts)?;
        if !subok {
            return Ok(r);
        }
        let given = opts.outs.iter().enumerate().fold(0u32, |m, (k, o)| if o.is_some() { m | 1 << k } else { m });
        wrap_call_result(uf, &items[..uf.nin], r, given)
    }

    #[getter]
    fn nin(&self) -> usize {
        self.uf.nin
    }
    #[getter]
    fn nout(&self) -> usize {
        self.uf.nout
    }
    #[getter]
    fn nargs(&self) -> usize {
        self.uf.nin + self.uf.nout
    }
    #[getter]
    fn ntypes(&self) -> usize {
        self.uf.loops.len()
    }
    #[getter]
    fn types(&self) -> Vec<&'static str> {
        self.uf.loops.iter().map(|l| l.types).collect()
    }
    #[getter]
    fn signature(&self) -> Option<&'static str> {
        None
    }
    #[getter]
    fn __name__(&self) -> &'static str {
        self.uf.name
    }
    #[getter]
    fn __qualname__(&self) -> &'static str {
        self.uf.name
    }
    #[getter]
    fn __doc__(&self) -> String {
        let args = match (self.uf.nin, self.uf.nout) {
            (1, 1) => "x, /, out=None",
            (2, 1) => "x1, x2, /, out=None",
            (1, 2) => "x[, out1, out2], / [, out=(None, None)]",
            _ => "x1, x2[, out1, out2], / [, out=(None, None)]",
        };
        format!(
            "{}({}, *, where=True, casting='same_kind', order='K', dtype=None, subok=True[, signature])\n\n{}",
            self.uf.name, args, self.uf.doc
        )
    }
    #[getter]
    fn identity(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        use pyo3::IntoPyObjectExt;
        match self.uf.identity {
            Identity::None | Identity::ReorderableNone => Ok(py.None()),
            Identity::Zero => 0.into_py_any(py),
            Identity::One => 1.into_py_any(py),
            Identity::MinusOne => (-1).into_py_any(py),
            Identity::True => true.into_py_any(py),
            Identity::False => false.into_py_any(py),
            Identity::NegInf => f64::NEG_INFINITY.into_py_any(py),
        }
    }
    fn __repr__(&self) -> String {
        format!("<ufunc '{}'>", self.uf.name)
    }

    #[pyo3(signature = (array, *args, **kwargs))]
    fn reduce<'py>(
        &self,
        py: Python<'py>,
        array: &Bound<'py, PyAny>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, pyo3::types::PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        // Parsed by hand: `axis=None` (all axes) differs from an omitted axis (axis 0).
        let names = ["axis", "dtype", "out", "keepdims", "initial", "where"];
        let mut vals: [Option<Bound<'py, PyAny>>; 6] = Default::default();
        if args.len() > names.len() {
            return Err(PyTypeError::new_err("reduce() takes at most 7 arguments"));
        }
        for (i, a) in args.iter().enumerate() {
            vals[i] = Some(a);
        }
        if let Some(kw) = kwargs {
            for (k, v) in kw.iter() {
                let k: String = k.extract()?;
                let i = names.iter().position(|n| *n == k).ok_or_else(|| {
                    PyTypeError::new_err(format!("reduce() got an unexpected keyword argument '{k}'"))
                })?;
                if vals[i].is_some() {
                    return Err(PyTypeError::new_err(format!("argument '{k}' given by name and position")));
                }
                vals[i] = Some(v);
            }
        }
        let [axis, dtype, out, keepdims, initial, r#where] = vals;
        let (axis, dtype, out, initial, r#where) = (axis.as_ref(), dtype.as_ref(), out.as_ref(), initial.as_ref(), r#where.as_ref());
        let keepdims = match keepdims {
            Some(k) => k.is_truthy()?,
            None => false,
        };
        if ufunc_override(array).is_some() || out.is_some_and(|o| !o.is_none() && !o.is_instance_of::<PyNdArray>() && ufunc_override(o).is_some()) {
            let kw = pyo3::types::PyDict::new(py);
            for (k, v) in [("axis", axis), ("dtype", dtype), ("initial", initial), ("where", r#where)] {
                if let Some(v) = v {
                    kw.set_item(k, v)?;
                }
            }
            if keepdims {
                kw.set_item("keepdims", true)?;
            }
            let outs: Vec<Bound<'py, PyAny>> = out.filter(|o| !o.is_none()).map(|o| vec![o.clone()]).unwrap_or_default();
            if let Some(r) = dispatch_ufunc(py, self.uf, "reduce", std::slice::from_ref(array), &outs, Some(&kw))? {
                return Ok(r);
            }
        }
        let uf = self.reducible()?;
        let x = as_input_array(array)?;
        let mask = parse_axes(axis, x.ndim(), true)?;
        let loop_idx = reduce_loop(uf, x.dtype(), optional_dtype(dtype)?)?;
        let dt = uf.loops[loop_idx].outs[0];
        let kshape: SmallVec<[usize; 4]> = (0..x.ndim()).map(|k| if mask[k] { 1 } else { x.shape()[k] }).collect();
        let result = Array::empty(&kshape, dt, Order::C).py()?;
        let init = match initial.filter(|i| !i.is_none()) {
            Some(i) => Some(number_to_array(i, dt)?),
            None => reduce::identity_array(uf, dt).py()?,
        };
        let where_ = parse_where(r#where)?;
        let init = if where_.is_none() && uf.identity == Identity::None && initial.is_none() { None } else { init };
        let r = reduce::Reduce {
            uf,
            loop_idx,
            input: &x,
            axes: &mask,
            out: &result,
            initial: init.as_ref(),
            where_: where_.as_ref(),
        };
        let big = x.size() >= exec::PARALLEL_MIN;
        let flags = if big { py.detach(|| reduce::reduce(&r)) } else { reduce::reduce(&r) }.py()?;
        check_fpe(py, "reduce", flags)?;
        let fshape: SmallVec<[usize; 4]> = (0..x.ndim()).filter(|&k| !mask[k]).map(|k| x.shape()[k]).collect();
        let final_arr = if keepdims {
            result
        } else {
            let strides: SmallVec<[isize; 4]> = (0..x.ndim()).filter(|&k| !mask[k]).map(|k| result.strides()[k]).collect();
            view(&result, &fshape, &strides)
        };
        let r = self.finish(py, final_arr, out)?;
        wrap_reduction_result(array, r, out)
    }

    #[pyo3(signature = (array, axis=0, dtype=None, out=None))]
    fn accumulate<'py>(
        &self,
        py: Python<'py>,
        array: &Bound<'py, PyAny>,
        axis: isize,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let uf = self.reducible()?;
        let x = as_input_array(array)?;
        if x.ndim() == 0 {
            return Err(PyTypeError::new_err("cannot accumulate on a scalar"));
        }
        let ax = oxnp_core::error::normalize_axis(axis, x.ndim()).py()?;
        let d = optional_dtype(dtype)?;
        let loop_idx = reduce_loop(uf, x.dtype(), d)?;
        let dt = uf.loops[loop_idx].outs[0];
        let xc = exec::cast_input(&x, dt).py()?;
        let result = Array::empty(x.shape(), dt, Order::C).py()?;
        let flags = reduce::accumulate(uf, loop_idx, &xc, ax, &result).py()?;
        check_fpe(py, "accumulate", flags)?;
        let r = self.finish(py, result, out).and_then(|r| {
            if r.is_instance_of::<PyNdArray>() { Ok(r) } else { Ok(wrap(py, as_input_array(&r)?)?.into_any()) }
        })?;
        wrap_reduction_result(array, r, out)
    }

    #[pyo3(signature = (a, b, **kwargs))]
    fn outer<'py>(
        &self,
        py: Python<'py>,
        a: &Bound<'py, PyAny>,
        b: &Bound<'py, PyAny>,
        kwargs: Option<&Bound<'py, pyo3::types::PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if self.uf.nin != 2 {
            return Err(PyValueError::new_err("outer product only supported for binary functions"));
        }
        let x = as_input_array(a)?;
        let y = as_input_array(b)?;
        let mut shape: SmallVec<[usize; 4]> = x.shape().into();
        let mut strides: SmallVec<[isize; 4]> = x.strides().into();
        for _ in 0..y.ndim() {
            shape.push(1);
            strides.push(0);
        }
        let xa = wrap(py, view(&x, &shape, &strides))?;
        let yb = wrap(py, y)?;
        let args = PyTuple::new(py, [xa.into_any(), yb.into_any()])?;
        let me = Bound::new(py, PyUfunc { uf: self.uf })?;
        let r = me.as_any().call(args, kwargs)?;
        let out_given = kwargs.is_some_and(|k| k.get_item("out").ok().flatten().is_some_and(|o| !o.is_none()));
        wrap_call_result(self.uf, &[a.clone(), b.clone()], r, u32::from(out_given))
    }

    #[pyo3(signature = (a, indices, b=None))]
    fn at<'py>(&self, py: Python<'py>, a: &Bound<'py, PyNdArray>, indices: &Bound<'py, PyAny>, b: Option<&Bound<'py, PyAny>>) -> PyResult<()> {
        let uf = self.uf;
        if uf.nout != 1 || (uf.nin == 2) != b.is_some() {
            return Err(PyValueError::new_err(format!("ufunc.at of '{}' needs {} operands", uf.name, uf.nin)));
        }
        let arr = a.get().arr().clone();
        arr.check_writeable().py()?;
        let idx_items: Vec<Bound<'py, PyAny>> = match indices.cast::<PyTuple>() {
            Ok(t) => t.iter().collect(),
            Err(_) => vec![indices.clone()],
        };
        if idx_items.len() > arr.ndim() {
            return Err(pyo3::exceptions::PyIndexError::new_err("too many indices for array"));
        }
        let idx: Vec<Vec<i64>> = idx_items
            .iter()
            .map(|o| {
                let ia = exec::cast_input(&as_input_array(o)?, DType::Int64).py()?;
                Ok(ia.to_vec::<i64>())
            })
            .collect::<PyResult<_>>()?;
        let n = idx.iter().map(|v| v.len()).max().unwrap_or(0);
        if idx.iter().any(|v| v.len() != n && v.len() != 1) {
            return Err(PyValueError::new_err("shape mismatch: indexing arrays could not be broadcast together"));
        }
        let scalar_index = idx_items.iter().all(|o| o.is_instance_of::<PyInt>());
        let sub_shape: SmallVec<[usize; 4]> = arr.shape()[idx.len()..].into();
        let sub_strides: SmallVec<[isize; 4]> = arr.strides()[idx.len()..].into();
        let bv = match b {
            Some(b) => Some(as_input_array(b)?),
            None => None,
        };
        for k in 0..n {
            let mut off = arr.offset() as isize;
            for (ax, v) in idx.iter().enumerate() {
                let raw = v[if v.len() == 1 { 0 } else { k }];
                let dim = arr.shape()[ax] as i64;
                let i = if raw < 0 { raw + dim } else { raw };
                if i < 0 || i >= dim {
                    return Err(pyo3::exceptions::PyIndexError::new_err(format!(
                        "index {raw} is out of bounds for axis {ax} with size {dim}"
                    )));
                }
                off += i as isize * arr.strides()[ax];
            }
            // SAFETY: the index was bounds-checked against each axis.
            let target = unsafe { arr.view_unchecked(off as usize, sub_shape.clone(), sub_strides.clone(), arr.dtype()) };
            let t = wrap(py, target)?;
            let mut opts = Opts::plain();
            opts.casting = Casting::Unsafe;
            opts.outs = vec![Some(t.clone())];
            let mut args = vec![t.into_any()];
            if let Some(bv) = &bv {
                let item = if bv.ndim() > 0 && !scalar_index && bv.shape()[0] == n && bv.ndim() > sub_shape.len() {
                    let o = bv.offset() as isize + k as isize * bv.strides()[0];
                    // SAFETY: k < shape[0] of b.
                    unsafe { bv.view_unchecked(o as usize, bv.shape()[1..].into(), bv.strides()[1..].into(), bv.dtype()) }
                } else {
                    bv.clone()
                };
                args.push(wrap(py, item)?.into_any());
            }
            apply(py, uf, &args, &opts)?;
        }
        Ok(())
    }
}

/// A ufunc call's results through the inputs' `__array_wrap__` (ndarray subclasses and
/// other wrapping inputs); plain inputs return at the first check.
#[inline]
fn wrap_call_result<'py>(uf: &'static Ufunc, inputs: &[Bound<'py, PyAny>], result: Bound<'py, PyAny>, given: u32) -> PyResult<Bound<'py, PyAny>> {
    crate::subclass::wrap_ufunc_result(inputs, result, given, |k| {
        let py = inputs[0].py();
        let ufunc = py.import("oxnp._oxnp")?.getattr(uf.name)?;
        Ok(PyTuple::new(py, [ufunc, PyTuple::new(py, inputs)?.into_any(), k.into_pyobject(py)?.into_any()])?.into_any())
    })
}

/// A reduction's result through its input's `__array_wrap__` (no context), as NumPy wraps
/// `add.reduce(sub)`.
#[inline]
pub(crate) fn wrap_reduction_result<'py>(input: &Bound<'py, PyAny>, result: Bound<'py, PyAny>, out: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
    let given = u32::from(out.is_some_and(|o| !o.is_none()));
    crate::subclass::wrap_ufunc_result(std::slice::from_ref(input), result, given, |_| Ok(input.py().None().into_bound(input.py())))
}

impl PyUfunc {
    fn reducible(&self) -> PyResult<&'static Ufunc> {
        if self.uf.nin != 2 || self.uf.nout != 1 {
            return Err(PyValueError::new_err(format!("{} only supported for binary functions", "reduce")));
        }
        Ok(self.uf)
    }

    /// Copies into `out` when given (returning it), else wraps (0-d becomes a scalar).
    fn finish<'py>(&self, py: Python<'py>, result: Array, out: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        if let Some(o) = out.filter(|o| !o.is_none()) {
            let o = match o.cast::<PyTuple>() {
                Ok(t) if t.len() == 1 => t.get_item(0)?,
                _ => o.clone(),
            };
            let arr = o.cast::<PyNdArray>().map_err(|_| PyTypeError::new_err("output must be an array"))?;
            let target = arr.get().arr().clone();
            if target.shape() != result.shape() {
                return Err(PyValueError::new_err(format!(
                    "output parameter for reduction operation {} has the wrong number of dimensions: Found {} but expected {}",
                    self.uf.name,
                    target.ndim(),
                    result.ndim()
                )));
            }
            oxnp_core::cast::copy_into(&target, &result).py()?;
            return Ok(o.clone());
        }
        if result.ndim() == 0 {
            return Ok(element_to_scalar(py, &result, 0)?.into_bound(py));
        }
        Ok(wrap(py, result)?.into_any())
    }
}

/// The ufuncs the operators use, looked up once.
struct Ops {
    add: &'static Ufunc,
    subtract: &'static Ufunc,
    multiply: &'static Ufunc,
    divide: &'static Ufunc,
    floor_divide: &'static Ufunc,
    remainder: &'static Ufunc,
    divmod: &'static Ufunc,
    power: &'static Ufunc,
    square: &'static Ufunc,
    negative: &'static Ufunc,
    positive: &'static Ufunc,
    absolute: &'static Ufunc,
    invert: &'static Ufunc,
    and: &'static Ufunc,
    or: &'static Ufunc,
    xor: &'static Ufunc,
    lshift: &'static Ufunc,
    rshift: &'static Ufunc,
    eq: &'static Ufunc,
    ne: &'static Ufunc,
    lt: &'static Ufunc,
    le: &'static Ufunc,
    gt: &'static Ufunc,
    ge: &'static Ufunc,
}

fn get(name: &str) -> &'static Ufunc {
    registry::get(name).unwrap_or_else(|| panic!("ufunc {name} is in the registry"))
}

static OPS: LazyLock<Ops> = LazyLock::new(|| Ops {
    add: get("add"),
    subtract: get("subtract"),
    multiply: get("multiply"),
    divide: get("divide"),
    floor_divide: get("floor_divide"),
    remainder: get("remainder"),
    divmod: get("divmod"),
    power: get("power"),
    square: get("square"),
    negative: get("negative"),
    positive: get("positive"),
    absolute: get("absolute"),
    invert: get("invert"),
    and: get("bitwise_and"),
    or: get("bitwise_or"),
    xor: get("bitwise_xor"),
    lshift: get("left_shift"),
    rshift: get("right_shift"),
    eq: get("equal"),
    ne: get("not_equal"),
    lt: get("less"),
    le: get("less_equal"),
    gt: get("greater"),
    ge: get("greater_equal"),
});

/// Whether an operator should hand over to the other operand's reflected method.
fn defers(other: &Bound<'_, PyAny>) -> bool {
    if other.is_instance_of::<PyNdArray>()
        || other.is_instance_of::<PyInt>()
        || other.is_instance_of::<PyFloat>()
        || other.is_instance_of::<PyComplex>()
    {
        return false;
    }
    let py = other.py();
    match other.getattr(pyo3::intern!(py, "__array_ufunc__")) {
        Ok(v) if v.is_none() => true,
        _ => classify(other).is_err(),
    }
}

fn binop<'py>(a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>, other: &Bound<'py, PyAny>, uf: &'static Ufunc) -> PyResult<Py<PyAny>> {
    let py = a.py();
    if ufunc_override(other).is_some() {
        let r = dispatch_ufunc(py, uf, "__call__", &[a.clone(), b.clone()], &[], None)?;
        return Ok(r.map_or_else(|| py.NotImplemented(), |r| r.unbind()));
    }
    if defers(other) {
        return Ok(py.NotImplemented());
    }
    let ins = [a.clone(), b.clone()];
    let r = apply(py, uf, &ins, &Opts::plain())?;
    Ok(wrap_call_result(uf, &ins, r, 0)?.unbind())
}

fn unop<'py>(a: &Bound<'py, PyAny>, uf: &'static Ufunc) -> PyResult<Py<PyAny>> {
    let r = apply(a.py(), uf, std::slice::from_ref(a), &Opts::plain())?;
    Ok(wrap_call_result(uf, std::slice::from_ref(a), r, 0)?.unbind())
}

fn inplace<'py>(slf: &Bound<'py, PyNdArray>, other: &Bound<'py, PyAny>, uf: &'static Ufunc) -> PyResult<()> {
    if ufunc_override(other).is_some() {
        let ins = [slf.clone().into_any(), other.clone()];
        dispatch_ufunc(slf.py(), uf, "__call__", &ins, &ins[..1], None)?;
        return Ok(());
    }
    let mut opts = Opts::plain();
    opts.outs = vec![Some(slf.clone())];
    apply(slf.py(), uf, &[slf.clone().into_any(), other.clone()], &opts)?;
    Ok(())
}

#[pymethods]
impl PyNdArray {
    fn __add__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(slf.as_any(), o, o, OPS.add) }
    fn __radd__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(o, slf.as_any(), o, OPS.add) }
    fn __sub__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(slf.as_any(), o, o, OPS.subtract) }
    fn __rsub__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(o, slf.as_any(), o, OPS.subtract) }
    fn __mul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(slf.as_any(), o, o, OPS.multiply) }
    fn __rmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(o, slf.as_any(), o, OPS.multiply) }
    fn __truediv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(slf.as_any(), o, o, OPS.divide) }
    fn __rtruediv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(o, slf.as_any(), o, OPS.divide) }
    fn __floordiv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(slf.as_any(), o, o, OPS.floor_divide) }
    fn __rfloordiv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(o, slf.as_any(), o, OPS.floor_divide) }
    fn __mod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(slf.as_any(), o, o, OPS.remainder) }
    fn __rmod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(o, slf.as_any(), o, OPS.remainder) }
    fn __divmod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(slf.as_any(), o, o, OPS.divmod) }
    fn __rdivmod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(o, slf.as_any(), o, OPS.divmod) }
    fn __pow__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>, modulo: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let _ = modulo;
        // NumPy's operator computes `a ** 2` as square(a) (bool arrays then give int8).
        if o.is_exact_instance_of::<PyInt>() && o.extract::<i64>().is_ok_and(|e| e == 2) {
            return unop(slf.as_any(), OPS.square);
        }
        binop(slf.as_any(), o, o, OPS.power)
    }
    fn __rpow__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>, modulo: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        let _ = modulo;
        binop(o, slf.as_any(), o, OPS.power)
    }
    fn __and__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(slf.as_any(), o, o, OPS.and) }
    fn __rand__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(o, slf.as_any(), o, OPS.and) }
    fn __or__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(slf.as_any(), o, o, OPS.or) }
    fn __ror__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(o, slf.as_any(), o, OPS.or) }
    fn __xor__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(slf.as_any(), o, o, OPS.xor) }
    fn __rxor__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(o, slf.as_any(), o, OPS.xor) }
    fn __lshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(slf.as_any(), o, o, OPS.lshift) }
    fn __rlshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(o, slf.as_any(), o, OPS.lshift) }
    fn __rshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(slf.as_any(), o, o, OPS.rshift) }
    fn __rrshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> { binop(o, slf.as_any(), o, OPS.rshift) }

    fn __iadd__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> { inplace(slf, o, OPS.add) }
    fn __isub__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> { inplace(slf, o, OPS.subtract) }
    fn __imul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> { inplace(slf, o, OPS.multiply) }
    fn __itruediv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> { inplace(slf, o, OPS.divide) }
    fn __ifloordiv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> { inplace(slf, o, OPS.floor_divide) }
    fn __imod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> { inplace(slf, o, OPS.remainder) }
    fn __ipow__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>, modulo: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let _ = modulo;
        inplace(slf, o, OPS.power)
    }
    fn __iand__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> { inplace(slf, o, OPS.and) }
    fn __ior__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> { inplace(slf, o, OPS.or) }
    fn __ixor__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> { inplace(slf, o, OPS.xor) }
    fn __ilshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> { inplace(slf, o, OPS.lshift) }
    fn __irshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> { inplace(slf, o, OPS.rshift) }

    fn __neg__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> { unop(slf.as_any(), OPS.negative) }
    fn __pos__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> { unop(slf.as_any(), OPS.positive) }
    fn __abs__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> { unop(slf.as_any(), OPS.absolute) }
    fn __invert__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> { unop(slf.as_any(), OPS.invert) }

    fn __richcmp__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let uf = match op {
            CompareOp::Eq => OPS.eq,
            CompareOp::Ne => OPS.ne,
            CompareOp::Lt => OPS.lt,
            CompareOp::Le => OPS.le,
            CompareOp::Gt => OPS.gt,
            CompareOp::Ge => OPS.ge,
        };
        binop(slf.as_any(), o, o, uf)
    }
}

/// `generic.__add__(self, other)` and the other scalar operators: `a op b` through the ufunc,
/// NotImplemented for operands the ufunc cannot take.
#[pyfunction]
fn _scalar_binop<'py>(uf: PyRef<'py, PyUfunc>, a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Py<PyAny>> {
    scalar_binop(uf.uf, a, b)
}

fn scalar_binop<'py>(uf: &'static Ufunc, a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>) -> PyResult<Py<PyAny>> {
    let py = a.py();
    if let Some(r) = crate::scalar_math::fast_binop(py, uf.name, a, b) {
        return r;
    }
    let args = [a.clone(), b.clone()];
    let mut opts = Opts::plain();
    opts.scalar = true;
    if let Some(r) = apply_scalars(py, uf, &args, &opts)? {
        return Ok(r.unbind());
    }
    if defers(a) || defers(b) {
        return Ok(py.NotImplemented());
    }
    opts.scalar = !a.is_instance_of::<PyNdArray>() && !b.is_instance_of::<PyNdArray>();
    let r = apply(py, uf, &args, &opts)?;
    Ok(wrap_call_result(uf, &args, r, 0)?.unbind())
}

/// `generic.__neg__` and the other unary scalar operators.
#[pyfunction]
fn _scalar_unop<'py>(uf: PyRef<'py, PyUfunc>, a: &Bound<'py, PyAny>) -> PyResult<Py<PyAny>> {
    scalar_unop(uf.uf, a)
}

fn scalar_unop<'py>(uf: &'static Ufunc, a: &Bound<'py, PyAny>) -> PyResult<Py<PyAny>> {
    if let Some(r) = crate::scalar_math::fast_unop(a.py(), uf.name, a) {
        return r;
    }
    let mut opts = Opts::plain();
    opts.scalar = true;
    Ok(apply(a.py(), uf, std::slice::from_ref(a), &opts)?.unbind())
}

/// Runs a slot body with the attached interpreter, turning errors and panics into a raised
/// Python exception (NULL return), as pyo3's own trampolines do.
///
/// # Safety
/// Called by CPython from a type slot, with the GIL held.
unsafe fn slot_call(body: impl FnOnce(Python<'_>) -> PyResult<Py<PyAny>>) -> *mut pyo3::ffi::PyObject {
    // SAFETY: CPython calls slots only from attached threads.
    let py = unsafe { Python::assume_attached() };
    let err = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(py))) {
        Ok(Ok(obj)) => return obj.into_ptr(),
        Ok(Err(e)) => e,
        Err(_) => pyo3::panic::PanicException::new_err("oxnp panicked in a scalar operator"),
    };
    err.restore(py);
    std::ptr::null_mut()
}

/// Native number slots for the concrete scalar classes, so `x + y` on oxnp scalars reaches the
/// ufunc without the Python frame of `generic.__add__` (which stays, for explicit calls and
/// for user subclasses, whose slots CPython derives from it).
macro_rules! scalar_slots {
    (binary: $($bname:ident => $bop:ident),* ; unary: $($uname:ident => $uop:ident),*) => {
        $(
            unsafe extern "C" fn $bname(a: *mut pyo3::ffi::PyObject, b: *mut pyo3::ffi::PyObject) -> *mut pyo3::ffi::PyObject {
                // SAFETY: CPython passes two borrowed, live references.
                unsafe { slot_call(|py| scalar_binop(OPS.$bop, &Bound::from_borrowed_ptr(py, a), &Bound::from_borrowed_ptr(py, b))) }
            }
        )*
        $(
            unsafe extern "C" fn $uname(a: *mut pyo3::ffi::PyObject) -> *mut pyo3::ffi::PyObject {
                // SAFETY: CPython passes a borrowed, live reference.
                unsafe { slot_call(|py| scalar_unop(OPS.$uop, &Bound::from_borrowed_ptr(py, a))) }
            }
        )*
        /// Installs the slots on each class (heap types own their number-method tables).
        pub fn install_scalar_slots(types: &[Py<pyo3::types::PyType>]) {
            for t in types {
                let tp = t.as_ptr().cast::<pyo3::ffi::PyTypeObject>();
                // SAFETY: `tp` is a live heap type created by a class statement; its
                // `tp_as_number` points into its own PyHeapTypeObject.
                unsafe {
                    let nb = (*tp).tp_as_number;
                    if nb.is_null() {
                        continue;
                    }
                    $( (*nb).$bname = Some($bname); )*
                    $( (*nb).$uname = Some($uname); )*
                    (*nb).nb_power = Some(nb_power);
                    (*tp).tp_richcompare = Some(scalar_richcompare);
                }
            }
        }
    };
}

scalar_slots!(
    binary: nb_add => add, nb_subtract => subtract, nb_multiply => multiply,
        nb_true_divide => divide, nb_floor_divide => floor_divide, nb_remainder => remainder,
        nb_divmod => divmod, nb_and => and, nb_or => or, nb_xor => xor, nb_lshift => lshift,
        nb_rshift => rshift;
    unary: nb_negative => negative, nb_positive => positive, nb_absolute => absolute,
        nb_invert => invert
);

unsafe extern "C" fn nb_power(a: *mut pyo3::ffi::PyObject, b: *mut pyo3::ffi::PyObject, modulo: *mut pyo3::ffi::PyObject) -> *mut pyo3::ffi::PyObject {
    // SAFETY: CPython passes three borrowed, live references (Py_None for no modulo).
    unsafe {
        slot_call(|py| {
            if !Bound::from_borrowed_ptr(py, modulo).is_none() {
                return Ok(py.NotImplemented());
            }
            scalar_binop(OPS.power, &Bound::from_borrowed_ptr(py, a), &Bound::from_borrowed_ptr(py, b))
        })
    }
}

unsafe extern "C" fn scalar_richcompare(a: *mut pyo3::ffi::PyObject, b: *mut pyo3::ffi::PyObject, op: std::os::raw::c_int) -> *mut pyo3::ffi::PyObject {
    let uf = match op {
        pyo3::ffi::Py_LT => OPS.lt,
        pyo3::ffi::Py_LE => OPS.le,
        pyo3::ffi::Py_EQ => OPS.eq,
        pyo3::ffi::Py_NE => OPS.ne,
        pyo3::ffi::Py_GT => OPS.gt,
        _ => OPS.ge,
    };
    // SAFETY: CPython passes two borrowed, live references.
    unsafe { slot_call(|py| scalar_binop(uf, &Bound::from_borrowed_ptr(py, a), &Bound::from_borrowed_ptr(py, b))) }
}

/// The `seterr` state as one integer (4 bits per condition: divide, over, under, invalid).
#[pyfunction]
fn _geterrmode() -> u32 {
    fpe::modes()
}

#[pyfunction]
fn _seterrmode(mode: u32) {
    fpe::set_modes(mode);
}

/// Aliases NumPy exports for some ufuncs (NumPy 2 and the array API names).
const ALIASES: &[(&str, &str)] = &[
    ("true_divide", "divide"),
    ("abs", "absolute"),
    ("mod", "remainder"),
    ("conj", "conjugate"),
    ("bitwise_not", "invert"),
    ("bitwise_invert", "invert"),
    ("bitwise_left_shift", "left_shift"),
    ("bitwise_right_shift", "right_shift"),
    ("pow", "power"),
    ("acos", "arccos"),
    ("acosh", "arccosh"),
    ("asin", "arcsin"),
    ("asinh", "arcsinh"),
    ("atan", "arctan"),
    ("atanh", "arctanh"),
    ("atan2", "arctan2"),
];

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyUfunc>()?;
    let py = m.py();
    for uf in registry::REGISTRY.iter() {
        m.add(uf.name, Bound::new(py, PyUfunc { uf })?)?;
    }
    for (alias, name) in ALIASES {
        m.add(*alias, m.getattr(*name)?)?;
    }
    m.add_function(wrap_pyfunction!(_scalar_binop, m)?)?;
    m.add_function(wrap_pyfunction!(_scalar_unop, m)?)?;
    m.add_function(wrap_pyfunction!(_geterrmode, m)?)?;
    m.add_function(wrap_pyfunction!(_seterrmode, m)?)?;
    Ok(())
}
