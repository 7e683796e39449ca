//! Shape manipulation: reshape (a view when the strides allow it), transpose and axis
//! permutations, squeeze/expand_dims, ravel, dtype views, real/imag views, broadcast_to.
//!
//! Every function here returns views built with `Array::view_unchecked`; each one states why
//! the new geometry stays inside the storage the source array already covers.

use smallvec::SmallVec;

use crate::array::{Array, MAX_DIMS, Order, Shape, Strides, checked_size, is_contiguous};
use crate::dtype::DType;
use crate::error::{Error, Result, normalize_axis};

/// NumPy's text for a requested shape in reshape errors: `(2,newaxis,4)`. A leading unknown
/// dimension is left out entirely, as NumPy prints it.
fn requested_shape_text(dims: &[isize]) -> String {
    let mut s = String::from("(");
    for (i, &d) in dims.iter().enumerate() {
        if d < 0 {
            if i > 0 {
                s.push_str(",newaxis");
            }
        } else {
            if s.len() > 1 {
                s.push(',');
            }
            s.push_str(&d.to_string());
        }
    }
    if dims.len() == 1 && dims[0] >= 0 {
        s.push(',');
    }
    s.push(')');
    s
}

fn size_mismatch(size: usize, dims: &[isize]) -> Error {
    Error::value(format!("cannot reshape array of size {size} into shape {}", requested_shape_text(dims)))
}

/// Resolves one negative (unknown) dimension of a requested shape against `size`.
pub fn resolve_shape(dims: &[isize], size: usize) -> Result<Shape> {
    if dims.len() > MAX_DIMS {
        return Err(Error::value(format!(
            "maximum supported dimension for an ndarray is currently {MAX_DIMS}, found {}",
            dims.len()
        )));
    }
    let mut out: Shape = SmallVec::from_elem(0, dims.len());
    resolve_shape_into(dims, size, &mut out)?;
    Ok(out)
}

/// `resolve_shape` into `out` (as long as `dims`), for callers that keep shapes on the stack.
pub fn resolve_shape_into(dims: &[isize], size: usize, out: &mut [usize]) -> Result<()> {
    let mut unknown = None;
    let mut known: usize = 1;
    for (i, &d) in dims.iter().enumerate() {
        if d < 0 {
            if unknown.is_some() {
                return Err(Error::value("can only specify one unknown dimension"));
            }
            unknown = Some(i);
        } else {
            known = known.checked_mul(d as usize).ok_or_else(|| {
                Error::value("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.")
            })?;
        }
    }
    for (o, &d) in out.iter_mut().zip(dims) {
        *o = d.max(0) as usize;
    }
    match unknown {
        Some(i) => {
            if known == 0 || size % known != 0 {
                return Err(size_mismatch(size, dims));
            }
            out[i] = size / known;
        }
        None if known != size => return Err(size_mismatch(size, dims)),
        None => {}
    }
    Ok(())
}

/// Strides that let `new_shape` view the elements of (`shape`, `strides`) in `order` without
/// copying, or None when the layout does not allow it. Sizes must be equal and non-zero.
///
/// Axes of length one are dropped from the old shape; then old and new axes are matched in
/// groups whose sizes have equal products, and each old group must be contiguous in `order`
/// for the new group to address it with fixed strides.
pub fn nocopy_strides(shape: &[usize], strides: &[isize], new_shape: &[usize], order: Order, itemsize: usize) -> Option<Strides> {
    let old: SmallVec<[(usize, isize); 8]> =
        shape.iter().zip(strides).filter(|(d, _)| **d != 1).map(|(&d, &s)| (d, s)).collect();
    let nn = new_shape.len();
    let mut out: Strides = SmallVec::from_elem(0, nn);
    let (mut ni, mut oi) = (0usize, 0usize);
    while ni < nn && oi < old.len() {
        let (mut np, mut op) = (new_shape[ni], old[oi].0);
        let (mut nj, mut oj) = (ni + 1, oi + 1);
        while np != op {
            if np < op {
                np = np.checked_mul(*new_shape.get(nj)?)?;
                nj += 1;
            } else {
                op = op.checked_mul(old.get(oj)?.0)?;
                oj += 1;
            }
        }
        for k in oi..oj - 1 {
            let ok = match order {
                Order::C => old[k].1 == old[k + 1].1 * old[k + 1].0 as isize,
                Order::F => old[k + 1].1 == old[k].1 * old[k].0 as isize,
            };
            if !ok {
                return None;
            }
        }
        match order {
            Order::C => {
                out[nj - 1] = old[oj - 1].1;
                for k in (ni..nj - 1).rev() {
                    out[k] = out[k + 1] * new_shape[k + 1] as isize;
                }
            }
            Order::F => {
                out[ni] = old[oi].1;
                for k in ni + 1..nj {
                    out[k] = out[k - 1] * new_shape[k - 1] as isize;
                }
            }
        }
        ni = nj;
        oi = oj;
    }
    let last = if ni == 0 {
        itemsize as isize
    } else {
        match order {
            Order::C => out[ni - 1],
            Order::F => out[ni - 1] * new_shape[ni - 1] as isize,
        }
    };
    for s in &mut out[ni..] {
        *s = last;
    }
    Some(out)
}

/// `arr` with shape `new_shape` (already resolved) read in `order`, as a view when possible.
pub fn reshape_view(arr: &Array, new_shape: &[usize], order: Order) -> Option<Array> {
    let strides = view_strides(arr, new_shape, order)?;
    // SAFETY: the new strides address exactly the same set of elements as the old geometry
    // (contiguous block, or group-wise identical offsets), so the bounds invariant holds.
    Some(unsafe { arr.view_unchecked(arr.offset(), new_shape.into(), strides, arr.dtype()) })
}

/// The strides under which `arr`'s elements, read in `order`, have shape `new_shape`
/// (same size) without a copy; None when the layout does not allow it.
pub fn view_strides(arr: &Array, new_shape: &[usize], order: Order) -> Option<Strides> {
    let itemsize = arr.itemsize();
    if is_contiguous(arr.shape(), arr.strides(), itemsize, order) {
        let mut strides: Strides = SmallVec::from_elem(0, new_shape.len());
        match order {
            Order::C => crate::array::fill_c_strides(new_shape, itemsize, &mut strides),
            Order::F => crate::array::fill_f_strides(new_shape, itemsize, &mut strides),
        }
        return Some(strides);
    }
    nocopy_strides(arr.shape(), arr.strides(), new_shape, order, itemsize)
}

/// `reshape`'s strides when it can return a view: the current ones when `dims` is the
/// current shape (NumPy then leaves the strides untouched), else `view_strides`.
pub fn reshape_strides(arr: &Array, dims: &[isize], new_shape: &[usize], order: Order) -> Option<Strides> {
    if dims.len() == arr.ndim() && dims.iter().zip(arr.shape()).all(|(&d, &s)| d >= 0 && d as usize == s) {
        return Some(Strides::from_slice(arr.strides()));
    }
    view_strides(arr, new_shape, order)
}

/// How `reshape` may treat the data: NumPy's `copy=None/True/False`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyMode {
    IfNeeded,
    Always,
    Never,
}

/// `arr.reshape(dims, order)`: returns the result and whether it is a view of `arr`.
pub fn reshape(arr: &Array, dims: &[isize], order: Order, copy: CopyMode) -> Result<(Array, bool)> {
    let new_shape = resolve_shape(dims, arr.size())?;
    if copy != CopyMode::Always {
        if let Some(strides) = reshape_strides(arr, dims, &new_shape, order) {
            let mut view = arr.clone();
            // SAFETY: strides that view the same elements (`reshape_strides`).
            unsafe { view.set_geometry_unchecked(&new_shape, &strides) };
            return Ok((view, true));
        }
        if copy == CopyMode::Never {
            return Err(Error::value("Unable to avoid creating a copy while reshaping."));
        }
    }
    let src = arr.copy(order)?;
    let out = reshape_view(&src, &new_shape, order).ok_or_else(|| Error::value("reshape of a fresh copy failed"))?;
    Ok((out, false))
}

/// A view with axes reordered: axis `k` of the result is axis `perm[k]` of `arr`.
/// `perm` must be a permutation of `0..ndim` (checked by the callers' validation).
fn permuted(arr: &Array, perm: &[usize]) -> Array {
    // Filled in place from copies: cheaper than collecting, on the per-call path of `a.T`.
    let (mut shape, mut strides) = (Shape::from_slice(arr.shape()), Strides::from_slice(arr.strides()));
    for (k, &p) in perm.iter().enumerate() {
        shape[k] = arr.shape()[p];
        strides[k] = arr.strides()[p];
    }
    // SAFETY: the same (extent, stride) pairs in another order address the same elements.
    unsafe { arr.view_unchecked(arr.offset(), shape, strides, arr.dtype()) }
}

/// `transpose(arr, axes)`; `None` reverses the axes.
pub fn transpose(arr: &Array, axes: Option<&[isize]>) -> Result<Array> {
    let nd = arr.ndim();
    let perm: SmallVec<[usize; 8]> = match axes {
        None => {
            let (mut shape, mut strides) = (Shape::from_slice(arr.shape()), Strides::from_slice(arr.strides()));
            shape.reverse();
            strides.reverse();
            // SAFETY: the same (extent, stride) pairs in reverse order address the same elements.
            return Ok(unsafe { arr.view_unchecked(arr.offset(), shape, strides, arr.dtype()) });
        }
        Some(axes) => {
            if axes.len() != nd {
                return Err(Error::value("axes don't match array"));
            }
            let mut seen: SmallVec<[bool; 8]> = SmallVec::from_elem(false, nd);
            let mut perm = SmallVec::with_capacity(nd);
            for &a in axes {
                let k = normalize_axis(a, nd)?;
                if seen[k] {
                    return Err(Error::value("repeated axis in transpose"));
                }
                seen[k] = true;
                perm.push(k);
            }
            perm
        }
    };
    Ok(permuted(arr, &perm))
}

fn named_axis(axis: isize, ndim: usize, arg: &'static str) -> Result<usize> {
    normalize_axis(axis, ndim).map_err(|_| Error::Axis { axis, ndim, arg: Some(arg) })
}

pub fn swapaxes(arr: &Array, axis1: isize, axis2: isize) -> Result<Array> {
    let nd = arr.ndim();
    let a = named_axis(axis1, nd, "axis1")?;
    let b = named_axis(axis2, nd, "axis2")?;
    let mut perm: SmallVec<[usize; 8]> = (0..nd).collect();
    perm.swap(a, b);
    Ok(permuted(arr, &perm))
}

/// `matrix_transpose` / `.mT`: swaps the last two axes.
pub fn matrix_transpose(arr: &Array) -> Result<Array> {
    let nd = arr.ndim();
    if nd < 2 {
        return Err(Error::value("matrix transpose with ndim < 2 is undefined"));
    }
    let mut perm: SmallVec<[usize; 8]> = (0..nd).collect();
    perm.swap(nd - 1, nd - 2);
    Ok(permuted(arr, &perm))
}

/// NumPy's `normalize_axis_tuple`: each axis in range, no repeats.
pub fn normalize_axes(axes: &[isize], ndim: usize, arg: Option<&'static str>, repeat_msg: &str) -> Result<SmallVec<[usize; 8]>> {
    let mut out: SmallVec<[usize; 8]> = SmallVec::with_capacity(axes.len());
    for &a in axes {
        let k = normalize_axis(a, ndim).map_err(|_| Error::Axis { axis: a, ndim, arg })?;
        if out.contains(&k) {
            return Err(Error::value(repeat_msg));
        }
        out.push(k);
    }
    Ok(out)
}

/// `squeeze(arr, axis)`: drops the given axes (all length-one axes for `None`).
pub fn squeeze(arr: &Array, axes: Option<&[isize]>) -> Result<Array> {
    let nd = arr.ndim();
    let drop: SmallVec<[bool; 8]> = match axes {
        None => arr.shape().iter().map(|&d| d == 1).collect(),
        Some(axes) => {
            let axes = normalize_axes(axes, nd, None, "duplicate value in 'axis'")?;
            let mut drop: SmallVec<[bool; 8]> = SmallVec::from_elem(false, nd);
            for k in axes {
                if arr.shape()[k] != 1 {
                    return Err(Error::value("cannot select an axis to squeeze out which has size not equal to one"));
                }
                drop[k] = true;
            }
            drop
        }
    };
    let keep = |k: &usize| !drop[*k];
    let shape: Shape = (0..nd).filter(keep).map(|k| arr.shape()[k]).collect();
    let strides: Strides = (0..nd).filter(keep).map(|k| arr.strides()[k]).collect();
    // SAFETY: only length-one axes are removed; they contribute no offset.
    Ok(unsafe { arr.view_unchecked(arr.offset(), shape, strides, arr.dtype()) })
}

/// Length-one axes inserted at positions `axes` of the result, with stride 0 (what indexing
/// with `newaxis` gives).
pub fn new_axes(arr: &Array, axes: &[usize]) -> Result<Array> {
    let out_nd = arr.ndim() + axes.len();
    if out_nd > MAX_DIMS {
        return Err(Error::value(format!(
            "maximum supported dimension for an ndarray is currently {MAX_DIMS}, found {out_nd}"
        )));
    }
    let mut shape = Shape::with_capacity(out_nd);
    let mut strides = Strides::with_capacity(out_nd);
    let mut src = 0;
    for k in 0..out_nd {
        if axes.contains(&k) {
            shape.push(1);
            strides.push(0);
        } else {
            shape.push(arr.shape()[src]);
            strides.push(arr.strides()[src]);
            src += 1;
        }
    }
    // SAFETY: length-one axes contribute no offset.
    Ok(unsafe { arr.view_unchecked(arr.offset(), shape, strides, arr.dtype()) })
}

/// `expand_dims(arr, axes)`: NumPy reshapes, so the new axes get reshape's strides.
pub fn expand_dims(arr: &Array, axes: &[isize]) -> Result<Array> {
    let out_nd = arr.ndim() + axes.len();
    let axes = normalize_axes(axes, out_nd, None, "repeated axis")?;
    let spread = new_axes(arr, &axes)?;
    reshape_view(arr, spread.shape(), Order::C).ok_or_else(|| Error::value("expand_dims: no view"))
}

/// `moveaxis(arr, source, destination)`.
pub fn moveaxis(arr: &Array, source: &[isize], destination: &[isize]) -> Result<Array> {
    let nd = arr.ndim();
    // NumPy's normalize_axis_tuple range-checks every axis of a tuple before it looks for
    // repeats.
    let tuple = |axes: &[isize], arg: &'static str, msg: &str| {
        for &a in axes {
            normalize_axis(a, nd).map_err(|_| Error::Axis { axis: a, ndim: nd, arg: Some(arg) })?;
        }
        normalize_axes(axes, nd, Some(arg), msg)
    };
    let src = tuple(source, "source", "repeated axis in `source` argument")?;
    let dst = tuple(destination, "destination", "repeated axis in `destination` argument")?;
    if src.len() != dst.len() {
        return Err(Error::value("`source` and `destination` arguments must have the same number of elements"));
    }
    let mut rest = (0..nd).filter(|k| !src.contains(k));
    let mut perm: SmallVec<[usize; 8]> = SmallVec::from_elem(usize::MAX, nd);
    for (&s, &d) in src.iter().zip(&dst) {
        perm[d] = s;
    }
    for p in perm.iter_mut().filter(|p| **p == usize::MAX) {
        *p = rest.next().ok_or_else(|| Error::value("repeated axis in `destination` argument"))?;
    }
    Ok(permuted(arr, &perm))
}

/// `rollaxis(arr, axis, start)` with `axis` and `start` already validated (0 <= start <= ndim).
pub fn rollaxis(arr: &Array, axis: usize, start: usize) -> Array {
    let nd = arr.ndim();
    let start = if axis < start { start - 1 } else { start };
    let mut perm: SmallVec<[usize; 8]> = (0..nd).filter(|&k| k != axis).collect();
    perm.insert(start, axis);
    permuted(arr, &perm)
}

/// Axis order from largest to smallest absolute stride (stable): the memory order that
/// NumPy's order='K' keeps.
pub fn memory_order_perm(strides: &[isize]) -> SmallVec<[usize; 8]> {
    let mut perm: SmallVec<[usize; 8]> = (0..strides.len()).collect();
    perm.sort_by(|&a, &b| strides[b].unsigned_abs().cmp(&strides[a].unsigned_abs()));
    perm
}

/// A new array shaped like `arr`, laid out like NumPy's `empty_like(arr, order='K')`:
/// C or F when `arr` is, otherwise axes in `arr`'s memory order, all strides positive.
pub fn empty_like_keep(arr: &Array, dtype: DType) -> Result<Array> {
    if arr.is_c_contiguous() {
        return Array::empty(arr.shape(), dtype, Order::C);
    }
    if arr.is_f_contiguous() {
        return Array::empty(arr.shape(), dtype, Order::F);
    }
    let perm = memory_order_perm(arr.strides());
    let pshape: Shape = perm.iter().map(|&p| arr.shape()[p]).collect();
    let base = Array::empty(&pshape, dtype, Order::C)?;
    let mut inverse: SmallVec<[usize; 8]> = SmallVec::from_elem(0, perm.len());
    for (k, &p) in perm.iter().enumerate() {
        inverse[p] = k;
    }
    Ok(permuted(&base, &inverse))
}

/// Order argument of ravel/flatten/copy/astype: NumPy's 'C', 'F', 'A', 'K'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnyOrder {
    C,
    F,
    A,
    K,
}

impl AnyOrder {
    /// 'A' means F when the array is F- and not C-contiguous.
    pub fn resolve_a(self, arr: &Array) -> AnyOrder {
        match self {
            AnyOrder::A if arr.is_f_contiguous() && !arr.is_c_contiguous() => AnyOrder::F,
            AnyOrder::A => AnyOrder::C,
            o => o,
        }
    }
}

/// A copy of `arr` (with dtype `dtype`) laid out in `order`.
pub fn copy_as(arr: &Array, dtype: DType, order: AnyOrder) -> Result<Array> {
    let order = order.resolve_a(arr);
    if dtype == arr.dtype() {
        let (c, f) = (arr.is_c_contiguous(), arr.is_f_contiguous());
        let layout = match order {
            AnyOrder::F if f => Some(Order::F),
            AnyOrder::K if f && !c => Some(Order::F),
            AnyOrder::C | AnyOrder::K if c => Some(Order::C),
            _ => None,
        };
        if let Some(layout) = layout {
            // Same bytes in the same order: one memcpy.
            let out = Array::empty(arr.shape(), dtype, layout)?;
            // SAFETY: both arrays are contiguous in `layout`, so each spans `nbytes` bytes
            // from its pointer, and the new one cannot overlap the old.
            unsafe { std::ptr::copy_nonoverlapping(arr.as_ptr(), out.as_ptr(), arr.nbytes()) };
            return Ok(out);
        }
    }
    let out = match order {
        AnyOrder::F => Array::empty(arr.shape(), dtype, Order::F)?,
        AnyOrder::K => empty_like_keep(arr, dtype)?,
        _ => Array::empty(arr.shape(), dtype, Order::C)?,
    };
    crate::cast::copy_into(&out, arr)?;
    Ok(out)
}

/// A 1-d view of all elements, one stride apart, when the elements are laid out contiguously
/// in `order`'s sense ('K': any axis order with positive strides); None otherwise.
fn flat_view(arr: &Array, order: AnyOrder) -> Option<Array> {
    let itemsize = arr.itemsize() as isize;
    let ok = match order {
        AnyOrder::C => arr.is_c_contiguous(),
        AnyOrder::F => arr.is_f_contiguous(),
        _ => {
            arr.is_c_contiguous() || {
                let perm = memory_order_perm(arr.strides());
                let mut expect = itemsize;
                perm.iter().rev().all(|&k| {
                    let d = arr.shape()[k];
                    if d == 1 {
                        return true;
                    }
                    let ok = arr.strides()[k] == expect;
                    expect *= d as isize;
                    ok
                })
            }
        }
    };
    if !ok {
        return None;
    }
    let size = arr.size();
    let base = if size == 0 { 0 } else { crate::array::byte_extent(arr.shape(), arr.strides(), arr.itemsize()).0 };
    let offset = (arr.offset() as isize + base) as usize;
    let mut one: Shape = SmallVec::new();
    one.push(size);
    let mut st: Strides = SmallVec::new();
    st.push(itemsize);
    // SAFETY: a contiguous layout covers exactly `size` consecutive items starting at its
    // lowest address, which is inside the buffer by the source's invariant.
    Some(unsafe { arr.view_unchecked(offset, one, st, arr.dtype()) })
}

/// `ravel(arr, order)`: the result and whether it is a view.
pub fn ravel(arr: &Array, order: AnyOrder) -> Result<(Array, bool)> {
    let order = order.resolve_a(arr);
    if let Some(v) = flat_view(arr, order) {
        return Ok((v, true));
    }
    Ok((flatten(arr, order)?, false))
}

/// `flatten(arr, order)`: always a new 1-d array.
pub fn flatten(arr: &Array, order: AnyOrder) -> Result<Array> {
    let copy = copy_as(arr, arr.dtype(), order)?;
    flat_view(&copy, match order.resolve_a(arr) {
        AnyOrder::F => AnyOrder::F,
        AnyOrder::K => AnyOrder::K,
        _ => AnyOrder::C,
    })
    .ok_or_else(|| Error::value("flatten of a fresh copy failed"))
}

/// `arr.view(dtype)`: reinterprets the bytes; the last axis absorbs an itemsize change.
pub fn view_as(arr: &Array, dtype: DType) -> Result<Array> {
    let (old, new) = (arr.itemsize(), dtype.itemsize());
    let mut shape: Shape = arr.shape().into();
    let mut strides: Strides = arr.strides().into();
    if old != new {
        let nd = shape.len();
        if nd == 0 {
            return Err(Error::value("Changing the dtype of a 0d array is only supported if the itemsize is unchanged"));
        }
        if arr.size() != 0 && shape[nd - 1] != 1 && strides[nd - 1] != old as isize {
            return Err(Error::value("To change to a dtype of a different size, the last axis must be contiguous"));
        }
        let bytes = shape[nd - 1] * old;
        if bytes % new != 0 {
            return Err(Error::value(
                "When changing to a larger dtype, its size must be a divisor of the total size in bytes of the last axis of the array.",
            ));
        }
        shape[nd - 1] = bytes / new;
        strides[nd - 1] = new as isize;
    }
    // SAFETY: the last axis covers the same bytes (its items are contiguous); other axes are
    // unchanged.
    Ok(unsafe { arr.view_unchecked(arr.offset(), shape, strides, dtype) })
}

/// The real (`imag == false`) or imaginary part of a complex array as a view.
pub fn complex_part(arr: &Array, imag: bool) -> Array {
    let part = arr.dtype().real_dtype();
    let offset = arr.offset() + if imag { part.itemsize() } else { 0 };
    // SAFETY: each element's part lies inside that element.
    unsafe { arr.view_unchecked(offset, arr.shape().into(), arr.strides().into(), part) }
}

/// `broadcast_to(arr, shape)` as a read-through view (stride 0 on stretched axes).
pub fn broadcast_to(arr: &Array, shape: &[usize]) -> Result<Array> {
    let nd = shape.len();
    let src_nd = arr.ndim();
    let err = || {
        Error::value(format!(
            "could not broadcast input array from shape {} into shape {}",
            crate::array::shape_repr(arr.shape()),
            crate::array::shape_repr(shape)
        ))
    };
    if src_nd > nd {
        return Err(err());
    }
    checked_size(shape)?;
    let mut strides: Strides = SmallVec::from_elem(0, nd);
    for k in 0..src_nd {
        let (d, s) = (arr.shape()[src_nd - 1 - k], arr.strides()[src_nd - 1 - k]);
        let t = shape[nd - 1 - k];
        if d == t {
            strides[nd - 1 - k] = s;
        } else if d != 1 {
            return Err(err());
        }
    }
    // SAFETY: stretched axes have stride 0; the others keep their extent and stride.
    Ok(unsafe { arr.view_unchecked(arr.offset(), shape.into(), strides, arr.dtype()) })
}
