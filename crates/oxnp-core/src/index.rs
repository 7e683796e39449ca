//! Indexing: an index is a list of `IndexItem`s. Basic items (ints, slices, `...`, `None`)
//! give a view (`basic_view`); the advanced forms supported so far (a boolean mask over the
//! leading axes, one integer array on axis 0) gather into / scatter from a copy.

use smallvec::SmallVec;

use crate::array::{Array, Order, Shape, Strides, for_each_inner, shape_repr};
use crate::error::{Error, Result};

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
    // An empty view keeps the old offset: its elements are never read, and the pointer
    // stays inside the allocation.
    let empty = new_shape.contains(&0);
    let offset = if empty { arr.offset() } else { (arr.offset() as isize + delta) as usize };
    // SAFETY: every selected index is within the source shape (ints and slices are
    // normalised above, new axes have length 1), so every element of the view is an element
    // of `arr`, which satisfies the bounds invariant.
    Ok(unsafe { arr.view_unchecked(offset, new_shape, new_strides, arr.dtype()) })
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

/// Byte offsets (relative to `arr.as_ptr()`) of the sub-arrays `arr[pos]` for every position
/// where the boolean `mask` (indexing the leading `mask.ndim()` axes) is true, in C order.
fn mask_offsets(arr: &Array, mask: &Array) -> Result<Vec<isize>> {
    if mask.ndim() > arr.ndim() {
        return Err(Error::index(format!(
            "too many indices for array: array is {}-dimensional, but {} were indexed",
            arr.ndim(),
            mask.ndim()
        )));
    }
    for (axis, (&m, &a)) in mask.shape().iter().zip(arr.shape()).enumerate() {
        if m != a {
            return Err(Error::index(format!(
                "boolean index did not match indexed array along axis {axis}; size of axis is \
                 {a} but size of corresponding boolean axis is {m}"
            )));
        }
    }
    let k = mask.ndim();
    let mut out = Vec::new();
    let mp = mask.as_ptr();
    for_each_inner(mask.shape(), [mask.strides(), &arr.strides()[..k]], |[mo, ao], n, [ms, as_]| {
        for t in 0..n as isize {
            // SAFETY: offsets come from the mask's own shape and strides.
            if unsafe { *mp.offset(mo + t * ms) } != 0 {
                out.push(ao + t * as_);
            }
        }
    });
    Ok(out)
}

/// The sub-array of `arr` with `k` leading axes dropped, at byte offset `off`.
fn sub_array(arr: &Array, k: usize, off: isize) -> Array {
    let shape: Shape = arr.shape()[k..].into();
    let strides: Strides = arr.strides()[k..].into();
    // SAFETY: `off` is the offset of a valid position of the leading k axes, so the trailing
    // sub-array lies inside `arr`.
    unsafe { arr.view_unchecked((arr.offset() as isize + off) as usize, shape, strides, arr.dtype()) }
}

/// Gathers the sub-arrays at `offsets` (each of shape `arr.shape()[k..]`) into a new array of
/// shape `lead + arr.shape()[k..]`.
fn gather_rows(arr: &Array, k: usize, offsets: &[isize], lead: &[usize]) -> Result<Array> {
    let mut shape: Shape = lead.into();
    shape.extend_from_slice(&arr.shape()[k..]);
    let out = Array::empty(&shape, arr.dtype(), Order::C)?;
    let isz = arr.itemsize();
    if k == arr.ndim() {
        let (sp, dp) = (arr.as_ptr(), out.as_ptr());
        for (r, &o) in offsets.iter().enumerate() {
            // SAFETY: each offset is an element of arr; out has offsets.len() elements.
            unsafe { copy_item(sp.offset(o), dp.add(r * isz), isz) };
        }
        return Ok(out);
    }
    let row_len: usize = arr.shape()[k..].iter().product();
    for (r, &o) in offsets.iter().enumerate() {
        let dst = sub_array(&out, lead.len(), (r * row_len * isz) as isize);
        crate::cast::copy_into(&dst, &sub_array(arr, k, o))?;
    }
    Ok(out)
}

/// Scatters `values` (already of shape `lead + arr.shape()[k..]` and of arr's dtype, with
/// the lead axes flattened in C order) to the sub-arrays at `offsets`; later rows win.
fn scatter_rows(arr: &Array, k: usize, offsets: &[isize], values: &Array) -> Result<()> {
    arr.check_writeable()?;
    let values = if values.is_c_contiguous() && !values.may_overlap(arr) {
        values.clone()
    } else {
        values.copy(Order::C)?
    };
    let isz = arr.itemsize();
    if k == arr.ndim() {
        let (sp, dp) = (values.as_ptr(), arr.as_ptr());
        for (r, &o) in offsets.iter().enumerate() {
            // SAFETY: each offset is an element of arr; values holds offsets.len() elements.
            unsafe { copy_item(sp.add(r * isz), dp.offset(o), isz) };
        }
        return Ok(());
    }
    let lead = values.ndim() + k - arr.ndim();
    let row_len: usize = arr.shape()[k..].iter().product();
    for (r, &o) in offsets.iter().enumerate() {
        let src = sub_array(&values, lead, (r * row_len * isz) as isize);
        crate::cast::copy_into(&sub_array(arr, k, o), &src)?;
    }
    Ok(())
}

/// Casts and broadcasts an assigned value to `shape` and `dtype` as a C-contiguous array.
fn assigned_values(value: &Array, shape: &[usize], dtype: crate::DType) -> Result<Array> {
    let src = crate::broadcast::broadcast_for_assign(value, shape)?;
    let out = Array::empty(shape, dtype, Order::C)?;
    crate::cast::copy_into(&out, &src)?;
    Ok(out)
}

/// `arr[mask]` for a boolean mask over the leading axes: a copy of shape
/// `(count,) + arr.shape()[mask.ndim():]`.
pub fn mask_get(arr: &Array, mask: &Array) -> Result<Array> {
    let offsets = mask_offsets(arr, mask)?;
    gather_rows(arr, mask.ndim(), &offsets, &[offsets.len()])
}

/// `arr[mask] = value`: `value` broadcasts to the shape `arr[mask]` has.
pub fn mask_set(arr: &Array, mask: &Array, value: &Array) -> Result<()> {
    arr.check_writeable()?;
    let offsets = mask_offsets(arr, mask)?;
    let k = mask.ndim();
    let mut shape: Shape = SmallVec::from_slice(&[offsets.len()]);
    shape.extend_from_slice(&arr.shape()[k..]);
    let values = assigned_values(value, &shape, arr.dtype())?;
    scatter_rows(arr, k, &offsets, &values)
}

/// Byte offsets of the rows `arr[i]` for every `i` of the integer array `index` (C order),
/// with negative indices counted from the end.
fn take_offsets(arr: &Array, index: &Array) -> Result<Vec<isize>> {
    let Some(&len) = arr.shape().first() else {
        return Err(Error::index(
            "too many indices for array: array is 0-dimensional, but 1 were indexed",
        ));
    };
    let stride = arr.strides()[0];
    let idx = crate::cast::astype(index, crate::DType::Int64, crate::Casting::Unsafe)?;
    let values = idx.as_slice::<i64>().ok_or_else(|| Error::value("index conversion failed"))?;
    values
        .iter()
        .map(|&i| {
            let i = isize::try_from(i).map_err(|_| Error::index(format!("index {i} is out of bounds for axis 0 with size {len}")))?;
            Ok(normalize_index(i, len, 0)? as isize * stride)
        })
        .collect()
}

/// `arr[index]` for one integer array on axis 0: shape `index.shape() + arr.shape()[1:]`.
pub fn take_axis0(arr: &Array, index: &Array) -> Result<Array> {
    let offsets = take_offsets(arr, index)?;
    gather_rows(arr, 1, &offsets, index.shape())
}

/// `arr[index] = value` for one integer array on axis 0; for repeated indices the last
/// assignment wins, as in NumPy.
pub fn put_axis0(arr: &Array, index: &Array, value: &Array) -> Result<()> {
    arr.check_writeable()?;
    let offsets = take_offsets(arr, index)?;
    let mut shape: Shape = index.shape().into();
    shape.extend_from_slice(&arr.shape()[1..]);
    let values = assigned_values(value, &shape, arr.dtype())?;
    scatter_rows(arr, 1, &offsets, &values)
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
