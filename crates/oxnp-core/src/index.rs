//! Indexing: an index is a list of `IndexItem`s. Basic items (ints, slices, `...`, `None`)
//! give a view (`basic_view`); an index with integer or boolean arrays (NumPy's advanced
//! indexing) is resolved by `Fancy` and gathers into (`advanced_get`) or scatters from
//! (`advanced_set`) a C-ordered buffer, with fused kernels for one integer array and for a
//! full-shape mask.

use crate::array::{Array, Order, Shape, Strides, for_each_inner, shape_repr};
use crate::error::{Error, Result};
use smallvec::SmallVec;

/// A slice as Python holds it; `indices` normalises it against an axis length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SliceSpec {
    pub start: Option<isize>,
    pub stop: Option<isize>,
    pub step: Option<isize>,
}

impl SliceSpec {
    /// Python's `slice.indices(len)` plus the number of selected elements:
    /// `(start, stop, step, count)`. The step must not be `isize::MIN` (callers clamp it to
    /// `-isize::MAX` as `PySlice_Unpack` does).
    pub fn indices(&self, len: usize) -> Result<(isize, isize, isize, usize)> {
        let step = self.step.unwrap_or(1);
        if step == 0 {
            return Err(Error::value("slice step cannot be zero"));
        }
        let n = len as isize;
        let (lower, upper) = if step < 0 { (-1, n - 1) } else { (0, n) };
        let clamp = |v: Option<isize>, default: isize| match v {
            None => default,
            Some(v) if v < 0 => (v.saturating_add(n)).max(lower),
            Some(v) => v.min(upper),
        };
        let start = clamp(self.start, if step < 0 { upper } else { lower });
        let stop = clamp(self.stop, if step < 0 { lower } else { upper });
        let count = if step < 0 {
            if stop < start { ((start - stop - 1) / -step + 1) as usize } else { 0 }
        } else if start < stop {
            ((stop - start - 1) / step + 1) as usize
        } else {
            0
        };
        Ok((start, stop, step, count))
    }
}

/// One component of an index tuple. The array variants are NumPy's advanced indices.
#[derive(Debug, Clone)]
pub enum IndexItem {
    Int(isize),
    Slice(SliceSpec),
    Ellipsis,
    NewAxis,
    /// An integer array (any integer dtype).
    IntArray(Array),
    /// A boolean array; it indexes as many axes as it has dimensions.
    BoolArray(Array),
}

impl IndexItem {
    pub fn is_advanced(&self) -> bool {
        matches!(self, IndexItem::IntArray(_) | IndexItem::BoolArray(_))
    }

    /// Number of array axes the item consumes.
    fn axes_used(&self) -> usize {
        match self {
            IndexItem::Int(_) | IndexItem::Slice(_) | IndexItem::IntArray(_) => 1,
            IndexItem::BoolArray(m) => m.ndim(),
            IndexItem::Ellipsis | IndexItem::NewAxis => 0,
        }
    }
}

pub const ELLIPSIS_ERROR: &str = "an index can only have a single ellipsis ('...')";

/// Checks the ellipsis count and the number of indexed axes, as NumPy does before applying
/// any index. Returns the number of axes the index consumes.
pub fn check_index(items: &[IndexItem], ndim: usize) -> Result<usize> {
    let mut used = 0;
    let mut ellipses = 0;
    for item in items {
        if matches!(item, IndexItem::Ellipsis) {
            ellipses += 1;
            if ellipses > 1 {
                return Err(Error::index(ELLIPSIS_ERROR));
            }
        }
        used += item.axes_used();
    }
    if used > ndim {
        return Err(Error::index(format!(
            "too many indices for array: array is {ndim}-dimensional, but {used} were indexed"
        )));
    }
    Ok(used)
}

/// Normalises an integer index against an axis of length `len`.
#[inline]
pub fn normalize_index(i: isize, len: usize, axis: usize) -> Result<usize> {
    let n = len as isize;
    let j = if i < 0 { i.wrapping_add(n) } else { i };
    if j < 0 || j >= n {
        return Err(Error::index(format!("index {i} is out of bounds for axis {axis} with size {len}")));
    }
    Ok(j as usize)
}

/// True when a basic index selects a single element (only integers, one per axis).
pub fn selects_element(items: &[IndexItem], ndim: usize) -> bool {
    items.len() == ndim && items.iter().all(|it| matches!(it, IndexItem::Int(_)))
}

/// The view selected by a basic index (ints, slices, `...`, `None`). Advanced items are a
/// TypeError here; callers route them to the gather/scatter functions.
pub fn basic_view(arr: &Array, items: &[IndexItem]) -> Result<Array> {
    let ndim = arr.ndim();
    let used = check_index(items, ndim)?;
    let (shape, strides) = (arr.shape(), arr.strides());
    let mut new_shape = Shape::new();
    let mut new_strides = Strides::new();
    let mut delta = 0isize;
    let mut axis = 0usize;
    for item in items {
        match item {
            IndexItem::Int(i) => {
                let j = normalize_index(*i, shape[axis], axis)?;
                delta += j as isize * strides[axis];
                axis += 1;
            }
            IndexItem::Slice(s) => {
                let (start, _, step, count) = s.indices(shape[axis])?;
                // NumPy points an empty slice at its axis start, with step 1.
                let (start, step) = if count == 0 { (0, 1) } else { (start, step) };
                delta += start * strides[axis];
                new_shape.push(count);
                new_strides.push(step * strides[axis]);
                axis += 1;
            }
            IndexItem::NewAxis => {
                new_shape.push(1);
                new_strides.push(0);
            }
            IndexItem::Ellipsis => {
                let skip = ndim - used;
                new_shape.extend_from_slice(&shape[axis..axis + skip]);
                new_strides.extend_from_slice(&strides[axis..axis + skip]);
                axis += skip;
            }
            IndexItem::IntArray(_) | IndexItem::BoolArray(_) => {
                return Err(Error::type_("basic_view: advanced index items need a gather"));
            }
        }
    }
    new_shape.extend_from_slice(&shape[axis..]);
    new_strides.extend_from_slice(&strides[axis..]);
    if new_shape.len() > crate::array::MAX_DIMS {
        return Err(Error::index(format!(
            "number of dimensions must be within [0, {}], indexing result would have {}",
            crate::array::MAX_DIMS,
            new_shape.len()
        )));
    }
    // SAFETY: ints and slices are normalised above and new axes have length 1.
    Ok(unsafe { view_at(arr, delta, new_shape, new_strides) })
}

/// The view of `arr` that starts `delta` bytes further, with the given geometry.
///
/// # Safety
/// Every element of the view must be an element of `arr` (indices normalised against its
/// shape), so that the bounds invariant carries over.
pub unsafe fn view_at(arr: &Array, delta: isize, shape: Shape, strides: Strides) -> Array {
    // An empty view keeps the old offset: its elements are never read, and the pointer
    // stays inside the allocation.
    let offset = if shape.contains(&0) { arr.offset() } else { (arr.offset() as isize + delta) as usize };
    // SAFETY: the caller's promise.
    unsafe { arr.view_unchecked(offset, shape, strides, arr.dtype()) }
}

/// Copies `itemsize` bytes; the common sizes compile to one move.
#[inline(always)]
unsafe fn copy_item(src: *const u8, dst: *mut u8, itemsize: usize) {
    // SAFETY: the caller passes pointers to whole elements of `itemsize` bytes.
    unsafe {
        match itemsize {
            1 => *dst = *src,
            2 => dst.cast::<u16>().write_unaligned(src.cast::<u16>().read_unaligned()),
            4 => dst.cast::<u32>().write_unaligned(src.cast::<u32>().read_unaligned()),
            8 => dst.cast::<u64>().write_unaligned(src.cast::<u64>().read_unaligned()),
            n => std::ptr::copy_nonoverlapping(src, dst, n),
        }
    }
}

/// Byte offsets (int64, relative to the indexed axes' origin) of the true positions of the
/// boolean `mask`, which indexes the axes of lengths `shape[..k]` and byte strides
/// `strides[..k]` (`k = mask.ndim()`, the first of them being array axis `axis`), in C order.
fn mask_offsets(mask: &Array, shape: &[usize], strides: &[isize], axis: usize) -> Result<Vec<i64>> {
    let k = mask.ndim();
    // NumPy does not compare boolean axes of length 0.
    for (d, (&m, &a)) in mask.shape().iter().zip(shape).enumerate() {
        if m != a && m != 0 {
            return Err(Error::index(format!(
                "boolean index did not match indexed array along axis {}; size of axis is \
                 {a} but size of corresponding boolean axis is {m}",
                axis + d
            )));
        }
    }
    let mut out = Vec::new();
    let mp = mask.as_ptr();
    for_each_inner(mask.shape(), [mask.strides(), &strides[..k]], |[mo, ao], n, [ms, as_]| {
        for t in 0..n as isize {
            // SAFETY: offsets come from the mask's own shape and strides.
            if unsafe { *mp.offset(mo + t * ms) } != 0 {
                out.push((ao + t * as_) as i64);
            }
        }
    });
    Ok(out)
}

/// One advanced index, prepared: an int64 array whose elements, broadcast to the common
/// index shape, each select a position along the axes the index consumes.
enum Part {
    /// Integer indices on the axis `axis` of length `len` and byte stride `stride`.
    Ints { values: Array, len: usize, stride: isize, axis: usize },
    /// Byte offsets of a boolean array's true positions, shape `(count,)`; NumPy reports
    /// it as `shown` index arrays (one per boolean axis) in broadcast errors.
    Offsets { offsets: Array, shown: usize },
}

impl Part {
    /// The index array and how many arrays NumPy shows for it in broadcast errors.
    fn shown(&self) -> (&Array, usize) {
        match self {
            Part::Ints { values, .. } => (values, 1),
            Part::Offsets { offsets, shown } => (offsets, *shown),
        }
    }
}

/// An index with advanced items, resolved against an array. The subspace is the array with
/// the basic items applied and the advanced axes removed (starting `base` bytes from the
/// array's first element); the result has shape `sub[..pos] + bshape + sub[pos..]`, where
/// `bshape` is the broadcast shape of the index arrays. Integers count as advanced indices
/// for the placement rule: the broadcast axes stay in place when no slice, `None` or `...`
/// separates two advanced items, and go first otherwise.
pub struct Fancy {
    base: isize,
    sub_shape: Shape,
    sub_strides: Strides,
    parts: Vec<Part>,
    bshape: Shape,
    pos: usize,
}

impl Fancy {
    /// Checks the index against `arr` in NumPy's order: index count and ellipses, boolean
    /// shapes, integers, then the broadcast of the index arrays. Bounds of the integer arrays
    /// are checked by `offsets`.
    pub fn new(arr: &Array, items: &[IndexItem]) -> Result<Fancy> {
        let ndim = arr.ndim();
        let used = check_index(items, ndim)?;
        let (shape, strides) = (arr.shape(), arr.strides());

        let mut sub_shape = Shape::new();
        let mut sub_strides = Strides::new();
        let mut base = 0isize;
        let mut axis = 0usize;
        let mut parts = Vec::new();
        let mut int_error = None;
        let mut first = None;
        let mut gap = false;
        let mut separated = false;
        for item in items {
            if matches!(item, IndexItem::Int(_) | IndexItem::IntArray(_) | IndexItem::BoolArray(_)) {
                if first.is_none() {
                    first = Some(sub_shape.len());
                } else if gap {
                    separated = true;
                }
            } else if first.is_some() {
                gap = true;
            }
            match item {
                IndexItem::Int(i) => {
                    match normalize_index(*i, shape[axis], axis) {
                        Ok(j) => base += j as isize * strides[axis],
                        Err(e) => {
                            int_error.get_or_insert(e);
                        }
                    }
                    axis += 1;
                }
                IndexItem::Slice(s) => {
                    let (start, _, step, count) = s.indices(shape[axis])?;
                    if count > 0 {
                        base += start * strides[axis];
                    }
                    sub_shape.push(count);
                    sub_strides.push(step * strides[axis]);
                    axis += 1;
                }
                IndexItem::NewAxis => {
                    sub_shape.push(1);
                    sub_strides.push(0);
                }
                IndexItem::Ellipsis => {
                    let skip = ndim - used;
                    sub_shape.extend_from_slice(&shape[axis..axis + skip]);
                    sub_strides.extend_from_slice(&strides[axis..axis + skip]);
                    axis += skip;
                }
                IndexItem::IntArray(a) => {
                    let values = if a.dtype() == crate::DType::Int64 {
                        a.clone()
                    } else {
                        // Unsigned values beyond int64 wrap, as NumPy's cast to intp does.
                        crate::cast::astype(a, crate::DType::Int64, crate::Casting::Unsafe)?
                    };
                    parts.push(Part::Ints { values, len: shape[axis], stride: strides[axis], axis });
                    axis += 1;
                }
                IndexItem::BoolArray(m) => {
                    let offsets = mask_offsets(m, &shape[axis..], &strides[axis..], axis)?;
                    let offsets = Array::from_vec(&[offsets.len()], offsets)?;
                    parts.push(Part::Offsets { offsets, shown: m.ndim().max(1) });
                    axis += m.ndim();
                }
            }
        }
        if let Some(e) = int_error {
            return Err(e);
        }
        sub_shape.extend_from_slice(&shape[axis..]);
        sub_strides.extend_from_slice(&strides[axis..]);
        let shown: Vec<&[usize]> = parts
            .iter()
            .map(Part::shown)
            .flat_map(|(a, n)| std::iter::repeat_n(a.shape(), n))
            .collect();
        let bshape = crate::broadcast::try_broadcast_shapes(&shown).map_err(|_| {
            let mut msg = String::from("shape mismatch: indexing arrays could not be broadcast together with shapes ");
            for s in &shown {
                msg.push_str(&crate::broadcast::compact_shape(s));
                msg.push(' ');
            }
            Error::index(msg)
        })?;
        let nd = sub_shape.len() + bshape.len();
        if nd > crate::array::MAX_DIMS {
            return Err(Error::index(format!(
                "number of dimensions must be within [0, {}], indexing result would have {nd}",
                crate::array::MAX_DIMS
            )));
        }
        let pos = if separated { 0 } else { first.unwrap_or(0) };
        Ok(Fancy { base, sub_shape, sub_strides, parts, bshape, pos })
    }

    /// The shape of `arr[index]`.
    pub fn result_shape(&self) -> Shape {
        let mut out: Shape = self.sub_shape[..self.pos].into();
        out.extend_from_slice(&self.bshape);
        out.extend_from_slice(&self.sub_shape[self.pos..]);
        out
    }

    /// The number of selected subspaces (the size of the broadcast index shape).
    pub fn count(&self) -> usize {
        self.bshape.iter().product()
    }

    /// The byte offset (from the subspace origin) of every position of the broadcast index
    /// shape, in C order; raises NumPy's IndexError for the first out-of-bounds index of the
    /// first index array that has one (only positions of the broadcast shape are checked).
    fn offsets(&self) -> Result<Vec<isize>> {
        let n = self.count();
        let mut offs = vec![0isize; n];
        for part in &self.parts {
            let view = crate::broadcast::broadcast_view(part.shown().0, &self.bshape)?;
            let p = view.as_ptr();
            let mut k = 0usize;
            match *part {
                Part::Offsets { .. } => for_each_inner(&self.bshape, [view.strides()], |[o], cnt, [s]| {
                    for t in 0..cnt as isize {
                        // SAFETY: offsets from the int64 view's own geometry.
                        offs[k] += unsafe { p.offset(o + t * s).cast::<i64>().read_unaligned() } as isize;
                        k += 1;
                    }
                }),
                Part::Ints { len, stride, axis, .. } => {
                    let mut bad = None;
                    for_each_inner(&self.bshape, [view.strides()], |[o], cnt, [s]| {
                        for t in 0..cnt as isize {
                            // SAFETY: offsets from the int64 view's own geometry.
                            let v = unsafe { p.offset(o + t * s).cast::<i64>().read_unaligned() };
                            match wrap_index(v, len) {
                                Some(j) => offs[k] += j as isize * stride,
                                None => {
                                    bad.get_or_insert(v);
                                }
                            }
                            k += 1;
                        }
                    });
                    if let Some(v) = bad {
                        return Err(out_of_bounds(v, axis, len));
                    }
                }
            }
        }
        Ok(offs)
    }
}

/// `v` as a position on an axis of length `len` (negative counts from the end).
#[inline(always)]
fn wrap_index(v: i64, len: usize) -> Option<usize> {
    let j = if v < 0 { v + len as i64 } else { v };
    (j >= 0 && (j as u64) < len as u64).then_some(j as usize)
}

fn out_of_bounds(v: i64, axis: usize, len: usize) -> Error {
    Error::index(format!("index {v} is out of bounds for axis {axis} with size {len}"))
}

/// Runs `$body` with `$T` a plain type of `$isz` bytes (every dtype's itemsize is one of
/// 1, 2, 4, 8, 16).
macro_rules! with_item {
    ($isz:expr, $T:ident => $body:expr) => {
        match $isz {
            1 => {
                type $T = u8;
                $body
            }
            2 => {
                type $T = u16;
                $body
            }
            4 => {
                type $T = u32;
                $body
            }
            8 => {
                type $T = u64;
                $body
            }
            _ => {
                type $T = [u64; 2];
                $body
            }
        }
    };
}

/// Below this many elements a kernel runs on the calling thread.
const PARALLEL_MIN: usize = 1 << 17;
/// The same for full-shape masks, whose word-at-a-time scan is several times cheaper per
/// element: waking a second thread only pays on larger arrays.
const DENSE_MASK_PARALLEL_MIN: usize = 1 << 20;

/// Splits `0..n` into contiguous ranges, one per task (a single range for small `n`).
/// Per-chunk lists: inline up to eight chunks, so small calls allocate nothing.
type PerChunk<T> = SmallVec<[T; 8]>;

fn chunk_ranges(n: usize, parallel_min: usize) -> PerChunk<(usize, usize)> {
    let threads = rayon::current_num_threads();
    if n < parallel_min || threads < 2 {
        return smallvec::smallvec![(0, n)];
    }
    let step = n.div_ceil(threads * 2);
    (0..n).step_by(step).map(|s| (s, (s + step).min(n))).collect()
}

/// `f(chunk, start, end)` on every range, in parallel when there are several; results in
/// range order.
fn run_ranges<R: Send>(ranges: &[(usize, usize)], f: impl Fn(usize, usize, usize) -> R + Sync) -> PerChunk<R> {
    use rayon::prelude::*;
    if let [(s, e)] = ranges {
        return smallvec::smallvec![f(0, *s, *e)];
    }
    PerChunk::from_vec(ranges.par_iter().enumerate().map(|(i, &(s, e))| f(i, s, e)).collect())
}

/// `dst[k] = *(src + offs[k])` for every k.
///
/// # Safety
/// Every `src + offs[k]` is an element of type `T`; `dst` holds `offs.len()` of them.
unsafe fn gather_elems<T: Copy>(src: *const u8, offs: &[isize], dst: *mut T) {
    for (k, &o) in offs.iter().enumerate() {
        // SAFETY: the caller's promise.
        unsafe { dst.add(k).write_unaligned(src.offset(o).cast::<T>().read_unaligned()) };
    }
}

/// `*(dst + offs[k]) = src[k]` in order of k, so the last of repeated offsets wins.
///
/// # Safety
/// Every `dst + offs[k]` is a writable element of type `T`; `src` holds `offs.len()` of them.
unsafe fn scatter_elems<T: Copy>(src: *const T, offs: &[isize], dst: *mut u8) {
    for (k, &o) in offs.iter().enumerate() {
        // SAFETY: the caller's promise.
        unsafe { dst.offset(o).cast::<T>().write_unaligned(src.add(k).read_unaligned()) };
    }
}

/// Moves the selection between the array (`arr_ptr` = the subspace origin) and a C-ordered
/// buffer of the result shape: into the buffer for a get, out of it for a set.
///
/// # Safety
/// `offs` come from `f.offsets()` for the array at `arr_ptr`; `buf` holds the result shape.
unsafe fn transfer(f: &Fancy, offs: &[isize], arr_ptr: *mut u8, buf: *mut u8, isz: usize, set: bool) {
    let (pre, pre_strides) = (&f.sub_shape[..f.pos], &f.sub_strides[..f.pos]);
    let (post, post_strides) = (&f.sub_shape[f.pos..], &f.sub_strides[f.pos..]);
    let post_n: usize = post.iter().product();
    let dense = crate::array::is_contiguous(post, post_strides, isz, Order::C);
    let mut cursor = buf;
    crate::array::for_each_offset(pre, pre_strides, |po| {
        // SAFETY (whole closure): every array position is the subspace origin plus a
        // subspace offset plus an index offset, all in bounds; the buffer cursor walks the
        // result in C order and never passes its end.
        unsafe {
            let at = arr_ptr.offset(po);
            if post.is_empty() {
                with_item!(isz, T => if set {
                    scatter_elems::<T>(cursor.cast(), offs, at)
                } else {
                    gather_elems::<T>(at, offs, cursor.cast())
                });
                cursor = cursor.add(offs.len() * isz);
                return;
            }
            for &o in offs {
                let block = at.offset(o);
                if dense {
                    let (s, d) = if set { (cursor as *const u8, block) } else { (block as *const u8, cursor) };
                    std::ptr::copy_nonoverlapping(s, d, post_n * isz);
                    cursor = cursor.add(post_n * isz);
                } else {
                    for_each_inner(post, [post_strides], |[bo], n, [bs]| {
                        for t in 0..n as isize {
                            let elem = block.offset(bo + t * bs);
                            if set {
                                copy_item(cursor, elem, isz);
                            } else {
                                copy_item(elem, cursor, isz);
                            }
                            cursor = cursor.add(isz);
                        }
                    });
                }
            }
        }
    });
}

/// `arr[index]` for one int64 index array selecting single elements (no subspace): one
/// fused normalise-and-copy pass, in parallel on large inputs.
fn take_elements(arr: &Array, f: &Fancy, values: &Array, len: usize, stride: isize, axis: usize) -> Result<Array> {
    let out = Array::empty(&f.result_shape(), arr.dtype(), Order::C)?;
    let values = if values.is_c_contiguous() { values.clone() } else { values.copy(Order::C)? };
    let idx = values.as_slice::<i64>().ok_or_else(|| Error::value("take: index is not int64"))?;
    // SAFETY: the subspace origin of a valid index is an element of arr.
    let src = unsafe { arr.as_ptr().offset(f.base) } as usize;
    let dst = out.as_ptr() as usize;
    let isz = arr.itemsize();
    let bad = run_ranges(&chunk_ranges(idx.len(), PARALLEL_MIN), |_, s, e| {
        // SAFETY: src is the element at position 0 of an axis of `len` elements `stride`
        // bytes apart; out holds idx.len() elements.
        with_item!(isz, T => unsafe { take_along::<T>(src as *const u8, len, stride, &idx[s..e], (dst as *mut T).add(s)) })
    });
    match bad.into_iter().flatten().next() {
        Some(v) => Err(out_of_bounds(v, axis, len)),
        None => Ok(out),
    }
}

/// `dst[k] = axis[idx[k]]` (negative indices count from the end) until an index is out of
/// bounds, which is returned.
///
/// # Safety
/// `src` is position 0 of an axis of `len` elements of type `T`, `stride` bytes apart; `dst`
/// holds `idx.len()` elements.
unsafe fn take_along<T: Copy>(src: *const u8, len: usize, stride: isize, idx: &[i64], dst: *mut T) -> Option<i64> {
    for (k, &v) in idx.iter().enumerate() {
        let Some(j) = wrap_index(v, len) else { return Some(v) };
        // SAFETY: j is a valid position on the axis; k < idx.len().
        unsafe { dst.add(k).write_unaligned(src.offset(j as isize * stride).cast::<T>().read_unaligned()) };
    }
    None
}

/// `arr[key]` for one index array in its common small forms: a mask of arr's shape (both
/// C-contiguous), or int64 indices into a 1-d array. None for any other key, which takes
/// the general path.
pub fn array_key_get(arr: &Array, key: &Array) -> Option<Result<Array>> {
    if key.dtype() == crate::DType::Bool {
        let dense = key.ndim() > 0 && key.shape() == arr.shape() && arr.is_c_contiguous() && key.is_c_contiguous();
        return dense.then(|| dense_mask_get(arr, key));
    }
    let idx = small_take_indices(arr, key)?;
    let out = match Array::empty(key.shape(), arr.dtype(), Order::C) {
        Ok(out) => out,
        Err(e) => return Some(Err(e)),
    };
    Some(take_into(arr, idx, &out).map(|()| out))
}

/// The indices of `arr[key]` when it is a small take from a 1-d array with int64 indices
/// (C-contiguous, fewer than `PARALLEL_MIN`); None otherwise.
pub fn small_take_indices<'a>(arr: &Array, key: &'a Array) -> Option<&'a [i64]> {
    if key.dtype() != crate::DType::Int64 || key.ndim() == 0 || arr.ndim() != 1 || key.size() >= PARALLEL_MIN {
        return None;
    }
    key.as_slice::<i64>()
}

/// Writes `arr[idx]` (1-d `arr`) into `out`, a C-contiguous array of `idx.len()` elements of
/// `arr`'s dtype; IndexError for an index out of bounds.
pub fn take_into(arr: &Array, idx: &[i64], out: &Array) -> Result<()> {
    if !(out.is_c_contiguous() && out.size() == idx.len() && out.dtype() == arr.dtype() && arr.ndim() == 1) {
        return Err(Error::value("take_into: the output does not match the take"));
    }
    let (len, stride) = (arr.shape()[0], arr.strides()[0]);
    // SAFETY: arr's position 0 starts its only axis; out holds idx.len() elements.
    let bad = with_item!(arr.itemsize(), T => unsafe { take_along::<T>(arr.as_ptr(), len, stride, idx, out.as_ptr().cast::<T>()) });
    match bad {
        Some(v) => Err(out_of_bounds(v, 0, len)),
        None => Ok(()),
    }
}

/// The bytes of a C-contiguous boolean array.
fn mask_bytes(mask: &Array) -> &[u8] {
    // SAFETY: a C-contiguous array's elements are `size` consecutive bytes for a bool dtype.
    unsafe { std::slice::from_raw_parts(mask.as_ptr(), mask.size()) }
}

/// A full-shape mask over a C-contiguous array: the chunking and true-count per chunk.
fn dense_mask_counts(mask: &[u8]) -> (PerChunk<(usize, usize)>, PerChunk<usize>) {
    let ranges = chunk_ranges(mask.len(), DENSE_MASK_PARALLEL_MIN);
    let counts = run_ranges(&ranges, |_, s, e| count_true(&mask[s..e]));
    (ranges, counts)
}

/// Number of nonzero bytes, counted in byte lanes (255 at most per lane before widening).
pub fn count_true(m: &[u8]) -> usize {
    m.chunks(255).map(|c| c.iter().fold(0u8, |acc, &b| acc + (b != 0) as u8) as usize).sum()
}

/// Eight mask bytes that are all 1 (true as stored): the run is copied whole.
const EIGHT_TRUE: u64 = 0x0101_0101_0101_0101;

/// Visits the mask bytes `m[..end]` in groups of eight: `run(i)` for a group of eight trues
/// at `i`, `each(i)` for every byte of other groups and of the tail; all-false groups are
/// skipped. Long uniform runs (the usual mask) so cost a word test per eight elements.
#[inline(always)]
fn scan_mask(m: &[u8], end: usize, mut run: impl FnMut(usize), mut each: impl FnMut(usize)) {
    let mut i = 0;
    while i + 8 <= end {
        let word = u64::from_ne_bytes(m[i..i + 8].try_into().unwrap_or_default());
        if word == EIGHT_TRUE {
            run(i);
        } else if word != 0 {
            (i..i + 8).for_each(&mut each);
        }
        i += 8;
    }
    (i..end).for_each(each);
}

/// Start of each chunk's run in the packed selection.
fn prefix(counts: &[usize]) -> PerChunk<usize> {
    counts.iter().scan(0, |acc, &c| {
        let start = *acc;
        *acc += c;
        Some(start)
    })
    .collect()
}

fn is_dense_mask(arr: &Array, items: &[IndexItem]) -> Option<Array> {
    match items {
        [IndexItem::BoolArray(m)]
            if m.ndim() > 0 && m.shape() == arr.shape() && arr.is_c_contiguous() && m.is_c_contiguous() =>
        {
            Some(m.clone())
        }
        _ => None,
    }
}

/// `arr[mask]` for a C-contiguous array and mask of its shape: count, then a branch-free
/// compaction per chunk (the loop stops at the chunk's last true, so writes stay in bounds).
fn dense_mask_get(arr: &Array, mask: &Array) -> Result<Array> {
    let m = mask_bytes(mask);
    let (ranges, counts) = dense_mask_counts(m);
    let out = Array::empty(&[counts.iter().sum()], arr.dtype(), Order::C)?;
    let starts = prefix(&counts);
    let (src, dst, isz) = (arr.as_ptr() as usize, out.as_ptr() as usize, arr.itemsize());
    run_ranges(&ranges, |c, s, e| {
        let o = starts[c];
        let Some(last) = m[s..e].iter().rposition(|&b| b != 0) else { return };
        let mm = &m[s..e];
        with_item!(isz, T => {
            let (src, dst) = ((src as *const T).wrapping_add(s), (dst as *mut T).wrapping_add(o));
            let k = std::cell::Cell::new(0usize);
            scan_mask(
                mm,
                last + 1,
                // SAFETY: eight trues at i: k + 8 is within the chunk's count.
                |i| unsafe {
                    std::ptr::copy_nonoverlapping(src.add(i), dst.add(k.get()), 8);
                    k.set(k.get() + 8);
                },
                // SAFETY: i indexes the chunk up to its last true; k counts the trues
                // before i, less than the chunk's count while a true remains at or after i.
                |i| unsafe {
                    dst.add(k.get()).write_unaligned(src.add(i).read_unaligned());
                    k.set(k.get() + (mm[i] != 0) as usize);
                },
            );
        })
    });
    Ok(out)
}

/// `arr[mask] = value` for a C-contiguous array and mask of its shape; `value` is 0-d or
/// holds one element per true (already checked), of any dtype.
fn dense_mask_set(arr: &Array, m: &[u8], ranges: &[(usize, usize)], counts: &[usize], value: &Array) -> Result<()> {
    let isz = arr.itemsize();
    let dst = arr.as_ptr() as usize;
    let total: usize = counts.iter().sum();
    if value.size() == 1 || total == 0 {
        let one = Array::empty(&[], arr.dtype(), Order::C)?;
        if total > 0 {
            crate::cast::copy_into(&one, &crate::broadcast::broadcast_for_assign(value, &[])?)?;
        }
        let v = one.as_ptr() as usize;
        run_ranges(ranges, |_, s, e| {
            let mm = &m[s..e];
            with_item!(isz, T => {
                // SAFETY: one element of the array's dtype.
                let v = unsafe { (v as *const T).read_unaligned() };
                let dst = (dst as *mut T).wrapping_add(s);
                scan_mask(
                    mm,
                    e - s,
                    // SAFETY: i..i + 8 indexes the chunk of the contiguous array.
                    |i| (0..8).for_each(|j| unsafe { dst.add(i + j).write_unaligned(v) }),
                    // SAFETY: i indexes the chunk of the contiguous array.
                    |i| unsafe {
                        let p = dst.add(i);
                        p.write_unaligned(if mm[i] != 0 { v } else { p.read_unaligned() });
                    },
                );
            })
        });
        return Ok(());
    }
    let values = if value.dtype() == arr.dtype() && value.is_c_contiguous() && !value.may_overlap(arr) {
        value.clone()
    } else {
        let v = Array::empty(&[total], arr.dtype(), Order::C)?;
        crate::cast::copy_into(&v, &crate::broadcast::broadcast_for_assign(value, &[total])?)?;
        v
    };
    let src = values.as_ptr() as usize;
    let starts = prefix(counts);
    run_ranges(ranges, |c, s, e| {
        let o = starts[c];
        let Some(last) = m[s..e].iter().rposition(|&b| b != 0) else { return };
        let mm = &m[s..e];
        with_item!(isz, T => {
            let (src, dst) = ((src as *const T).wrapping_add(o), (dst as *mut T).wrapping_add(s));
            let k = std::cell::Cell::new(0usize);
            scan_mask(
                mm,
                last + 1,
                // SAFETY: as in dense_mask_get; values and array do not overlap.
                |i| unsafe {
                    std::ptr::copy_nonoverlapping(src.add(k.get()), dst.add(i), 8);
                    k.set(k.get() + 8);
                },
                // SAFETY: as in dense_mask_get, k stays below the chunk's count.
                |i| unsafe {
                    let x = src.add(k.get()).read_unaligned();
                    let p = dst.add(i);
                    p.write_unaligned(if mm[i] != 0 { x } else { p.read_unaligned() });
                    k.set(k.get() + (mm[i] != 0) as usize);
                },
            );
        })
    });
    Ok(())
}

/// `arr[index]` for an index with at least one advanced item: always a copy.
pub fn advanced_get(arr: &Array, items: &[IndexItem]) -> Result<Array> {
    if let Some(mask) = is_dense_mask(arr, items) {
        return dense_mask_get(arr, &mask);
    }
    let f = Fancy::new(arr, items)?;
    if let ([Part::Ints { values, len, stride, axis }], true) = (f.parts.as_slice(), f.sub_shape.is_empty()) {
        return take_elements(arr, &f, values, *len, *stride, *axis);
    }
    let offs = f.offsets()?;
    let out = Array::empty(&f.result_shape(), arr.dtype(), Order::C)?;
    if out.size() == 0 {
        return Ok(out);
    }
    let isz = arr.itemsize();
    // SAFETY: the subspace origin is inside arr (its index is valid and out is not empty).
    let origin = unsafe { arr.as_ptr().offset(f.base) };
    if f.sub_shape.is_empty() && offs.len() >= PARALLEL_MIN {
        let (src, dst) = (origin as usize, out.as_ptr() as usize);
        let ranges = chunk_ranges(offs.len(), PARALLEL_MIN);
        run_ranges(&ranges, |_, s, e| {
            // SAFETY: valid offsets of arr's elements; out holds offs.len() elements.
            with_item!(isz, T => unsafe { gather_elems::<T>(src as *const u8, &offs[s..e], (dst as *mut T).add(s)) })
        });
        return Ok(out);
    }
    // SAFETY: offsets from f for arr; out has the result shape.
    unsafe { transfer(&f, &offs, origin, out.as_ptr(), isz, false) };
    Ok(out)
}

/// The checks of NumPy's boolean assignment (`arr[mask] = value` with one mask of arr's
/// dimensionality): a 0-d or 1-d value with one element or one per true.
fn check_mask_value(value: &Array, count: usize) -> Result<()> {
    if value.ndim() > 1 {
        return Err(Error::type_(format!(
            "NumPy boolean array indexing assignment requires a 0 or 1-dimensional input, input has {} dimensions",
            value.ndim()
        )));
    }
    if value.ndim() == 1 && value.size() != 1 && value.size() != count {
        return Err(Error::value(format!(
            "NumPy boolean array indexing assignment cannot assign {} input values to the {count} output \
             values where the mask is true",
            value.size()
        )));
    }
    Ok(())
}

/// `arr[index] = value` for an index with at least one advanced item: `value` broadcasts to
/// the shape `arr[index]` has and is cast to arr's dtype; for repeated positions the last
/// write (in C order of the index arrays) wins.
pub fn advanced_set(arr: &Array, items: &[IndexItem], value: &Array) -> Result<()> {
    arr.check_writeable()?;
    if let Some(mask) = is_dense_mask(arr, items) {
        let m = mask_bytes(&mask);
        let (ranges, counts) = dense_mask_counts(m);
        check_mask_value(value, counts.iter().sum())?;
        return dense_mask_set(arr, m, &ranges, &counts, value);
    }
    let f = Fancy::new(arr, items)?;
    if let [IndexItem::BoolArray(m)] = items {
        if m.ndim() > 0 && m.ndim() == arr.ndim() {
            check_mask_value(value, f.count())?;
        }
    }
    let shape = f.result_shape();
    let src = crate::broadcast::broadcast_for_assign(value, &shape).map_err(|_| {
        Error::value(format!(
            "shape mismatch: value array of shape {} could not be broadcast to indexing result of shape {}",
            crate::broadcast::compact_shape(value.shape()),
            crate::broadcast::compact_shape(&shape)
        ))
    })?;
    let offs = f.offsets()?;
    if shape.contains(&0) {
        return Ok(());
    }
    let values = if src.dtype() == arr.dtype() && src.is_c_contiguous() && !src.may_overlap(arr) {
        src
    } else {
        let v = Array::empty(&shape, arr.dtype(), Order::C)?;
        crate::cast::copy_into(&v, &src)?;
        v
    };
    // SAFETY: the subspace origin is inside arr (valid index, non-empty selection); offsets
    // from f; values has the result shape in C order and does not overlap arr.
    unsafe { transfer(&f, &offs, arr.as_ptr().offset(f.base), values.as_ptr(), arr.itemsize(), true) };
    Ok(())
}

/// Copies `src` into `dst` where the boolean `mask` is true; all three have one shape and
/// `src` has `dst`'s dtype.
pub fn copy_where(dst: &Array, src: &Array, mask: &Array) -> Result<()> {
    dst.check_writeable()?;
    if dst.shape() != src.shape() || dst.shape() != mask.shape() || dst.dtype() != src.dtype() {
        return Err(Error::value(format!(
            "copy_where: shapes {} {} {} or dtypes differ",
            shape_repr(dst.shape()),
            shape_repr(src.shape()),
            shape_repr(mask.shape())
        )));
    }
    let src = if src.may_overlap(dst) { src.copy(Order::C)? } else { src.clone() };
    let (dp, sp, mp) = (dst.as_ptr(), src.as_ptr(), mask.as_ptr());
    let isz = dst.itemsize();
    for_each_inner(
        dst.shape(),
        [dst.strides(), src.strides(), mask.strides()],
        |[d0, s0, m0], n, [ds, ss, ms]| {
            for t in 0..n as isize {
                // SAFETY: offsets come from each array's own shape and strides.
                unsafe {
                    if *mp.offset(m0 + t * ms) != 0 {
                        copy_item(sp.offset(s0 + t * ss), dp.offset(d0 + t * ds), isz);
                    }
                }
            }
        },
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sl(start: Option<isize>, stop: Option<isize>, step: Option<isize>) -> SliceSpec {
        SliceSpec { start, stop, step }
    }

    #[test]
    fn slice_indices_match_python() {
        assert_eq!(sl(None, None, None).indices(5).unwrap(), (0, 5, 1, 5));
        assert_eq!(sl(None, None, Some(-1)).indices(5).unwrap(), (4, -1, -1, 5));
        assert_eq!(sl(Some(-10), Some(10), Some(2)).indices(5).unwrap(), (0, 5, 2, 3));
        assert_eq!(sl(Some(10), Some(-10), Some(-3)).indices(5).unwrap(), (4, -1, -3, 2));
        assert_eq!(sl(Some(3), Some(1), None).indices(5).unwrap(), (3, 1, 1, 0));
        assert_eq!(sl(Some(isize::MIN), Some(isize::MAX), None).indices(0).unwrap(), (0, 0, 1, 0));
        assert!(sl(None, None, Some(0)).indices(5).is_err());
    }

    #[test]
    fn basic_view_geometry() {
        let a = Array::zeros(&[3, 4], crate::DType::Float64, Order::C).unwrap();
        let v = basic_view(
            &a,
            &[IndexItem::Slice(sl(None, None, Some(-2))), IndexItem::NewAxis, IndexItem::Int(-1)],
        )
        .unwrap();
        assert_eq!(v.shape(), &[2, 1]);
        assert_eq!(v.strides(), &[-64, 0]);
        assert_eq!(v.offset(), 2 * 32 + 3 * 8);
        let e = basic_view(&a, &[IndexItem::Int(3)]).unwrap_err();
        assert_eq!(e.to_string(), "index 3 is out of bounds for axis 0 with size 3");
        let e = basic_view(&a, &[IndexItem::Ellipsis, IndexItem::Ellipsis]).unwrap_err();
        assert_eq!(e.to_string(), ELLIPSIS_ERROR);
    }
}
