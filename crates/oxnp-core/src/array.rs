//! The array: shared storage plus (offset, shape, strides, dtype).

use std::sync::Arc;

use smallvec::SmallVec;

use crate::buffer::Buffer;
use crate::dtype::DType;
use crate::element::Element;
use crate::error::{Error, Result};

pub type Shape = SmallVec<[usize; 4]>;
/// Strides in bytes, as NumPy's `strides`; may be negative or zero (broadcast).
pub type Strides = SmallVec<[isize; 4]>;

/// NumPy's limit on dimensions.
pub const MAX_DIMS: usize = 64;

/// An n-dimensional view of a `Buffer`.
///
/// Invariant (relied on by every unsafe element access): for every index `i` within `shape`,
/// `offset + sum(i[k] * strides[k])` plus `itemsize` lies within `data.len()`. Constructors
/// check it (`Array::from_parts`), and view-producing methods preserve it by construction.
pub struct Array {
    data: Arc<Buffer>,
    offset: usize,
    shape: Shape,
    strides: Strides,
    dtype: DType,
    writeable: bool,
}

/// A copy of shape or strides. Inline ones (up to 4 dimensions) own no heap memory, so a
/// bitwise copy is a clone, and much cheaper than SmallVec's element-by-element one: every
/// view of an array pays for this.
fn clone_dims<T: Copy>(v: &SmallVec<[T; 4]>) -> SmallVec<[T; 4]> {
    if v.spilled() {
        SmallVec::from_slice(v)
    } else {
        // SAFETY: an inline SmallVec of Copy items holds no pointer; the copy shares nothing.
        unsafe { std::ptr::read(v) }
    }
}

impl Clone for Array {
    fn clone(&self) -> Array {
        Array {
            data: self.data.clone(),
            offset: self.offset,
            shape: clone_dims(&self.shape),
            strides: clone_dims(&self.strides),
            dtype: self.dtype,
            writeable: self.writeable,
        }
    }
}

impl std::fmt::Debug for Array {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Array")
            .field("dtype", &self.dtype)
            .field("shape", &self.shape)
            .field("strides", &self.strides)
            .field("offset", &self.offset)
            .finish()
    }
}

/// Number of elements of `shape`, or a ValueError when it does not fit in `isize`.
pub fn checked_size(shape: &[usize]) -> Result<usize> {
    let mut n: usize = 1;
    for &d in shape {
        n = n.checked_mul(d).ok_or_else(too_big)?;
    }
    if n > isize::MAX as usize {
        return Err(too_big());
    }
    Ok(n)
}

fn too_big() -> Error {
    Error::value("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.")
}

/// C-order (row-major) strides in bytes for `shape`. Arrays with no elements get all-zero
/// strides, as NumPy >= 2.4 gives them.
pub fn c_strides(shape: &[usize], itemsize: usize) -> Strides {
    let mut strides: Strides = SmallVec::from_elem(0, shape.len());
    if !shape.contains(&0) {
        fill_c_strides(shape, itemsize, &mut strides);
    }
    strides
}

/// Row-major strides into `out` (as long as `shape`), with axes of length 0 counted as 1:
/// what a reshape gives an empty array (a new empty array gets all-zero strides instead).
pub fn fill_c_strides(shape: &[usize], itemsize: usize, out: &mut [isize]) {
    let mut acc = itemsize as isize;
    for k in (0..shape.len()).rev() {
        out[k] = acc;
        acc *= shape[k].max(1) as isize;
    }
}

/// Column-major `fill_c_strides`.
pub fn fill_f_strides(shape: &[usize], itemsize: usize, out: &mut [isize]) {
    let mut acc = itemsize as isize;
    for k in 0..shape.len() {
        out[k] = acc;
        acc *= shape[k].max(1) as isize;
    }
}

/// Fortran-order (column-major) strides in bytes for `shape` (all zero when empty).
pub fn f_strides(shape: &[usize], itemsize: usize) -> Strides {
    let mut strides: Strides = SmallVec::from_elem(0, shape.len());
    if !shape.contains(&0) {
        fill_f_strides(shape, itemsize, &mut strides);
    }
    strides
}

/// Memory order of a new array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    C,
    F,
}

#[cold]
fn too_many_dims(ndim: usize) -> Error {
    Error::value(format!("maximum supported dimension for an ndarray is currently {MAX_DIMS}, found {ndim}"))
}

#[cold]
fn no_memory(nbytes: usize, shape: &[usize], dtype: DType) -> Error {
    Error::Memory(format!(
        "Unable to allocate {} for an array with shape {} and data type {}",
        crate::buffer::human_bytes(nbytes),
        shape_repr(shape),
        dtype.name()
    ))
}

impl Array {
    fn alloc(shape: &[usize], dtype: DType, order: Order, zeroed: bool) -> Result<Array> {
        let data = Array::alloc_storage(shape, dtype, zeroed)?;
        let mut out = std::mem::MaybeUninit::<Array>::uninit();
        // SAFETY: storage made for this shape and dtype.
        unsafe {
            Array::write_fresh(out.as_mut_ptr(), data, shape, dtype, order);
            Ok(out.assume_init())
        }
    }

    /// The storage of a new array of `shape` and `dtype` (zero-filled or not), after checking
    /// that the shape is valid and its size fits.
    pub fn alloc_storage(shape: &[usize], dtype: DType, zeroed: bool) -> Result<Arc<Buffer>> {
        if shape.len() > MAX_DIMS {
            return Err(too_many_dims(shape.len()));
        }
        let size = checked_size(shape)?;
        let nbytes = size.checked_mul(dtype.itemsize()).ok_or_else(too_big)?;
        if nbytes > isize::MAX as usize {
            return Err(too_big());
        }
        let buffer = if zeroed { Buffer::zeroed(nbytes) } else { Buffer::uninit(nbytes) };
        buffer.map_err(|_| no_memory(nbytes, shape, dtype))
    }

    /// Writes a clone of the array into `slot`, field by field (see `write_fresh`).
    ///
    /// # Safety
    /// `slot` must be valid for writes.
    #[inline]
    pub unsafe fn write_clone(&self, slot: *mut Array) {
        // SAFETY: every field is written once; inline dims are copied bitwise (`clone_dims`).
        unsafe {
            (&raw mut (*slot).data).write(self.data.clone());
            (&raw mut (*slot).offset).write(self.offset);
            if self.shape.spilled() || self.strides.spilled() {
                (&raw mut (*slot).shape).write(clone_dims(&self.shape));
                (&raw mut (*slot).strides).write(clone_dims(&self.strides));
            } else {
                std::ptr::copy_nonoverlapping(&raw const self.shape, &raw mut (*slot).shape, 1);
                std::ptr::copy_nonoverlapping(&raw const self.strides, &raw mut (*slot).strides, 1);
            }
            (&raw mut (*slot).dtype).write(self.dtype);
            (&raw mut (*slot).writeable).write(self.writeable);
        }
    }

    /// Writes the array over all of `data` with `shape` laid out in `order` into `slot`, field
    /// by field: an array built elsewhere and then moved costs store-forwarding stalls, on
    /// the path of every new array.
    ///
    /// # Safety
    /// `slot` must be valid for writes; `data` must come from `alloc_storage(shape, dtype, _)`.
    pub unsafe fn write_fresh(slot: *mut Array, data: Arc<Buffer>, shape: &[usize], dtype: DType, order: Order) {
        // SAFETY: the caller's promises; every field is written once.
        unsafe {
            (&raw mut (*slot).data).write(data);
            (&raw mut (*slot).offset).write(0);
            (&raw mut (*slot).shape).write(Shape::from_slice(shape));
            (&raw mut (*slot).strides).write(SmallVec::from_elem(0, shape.len()));
            (&raw mut (*slot).dtype).write(dtype);
            (&raw mut (*slot).writeable).write(true);
            if !shape.contains(&0) {
                let strides = &mut (*slot).strides;
                match order {
                    Order::C => fill_c_strides(shape, dtype.itemsize(), strides),
                    Order::F => fill_f_strides(shape, dtype.itemsize(), strides),
                }
            }
        }
    }

    /// A new array whose contents are unspecified (`np.empty`). Every element must be written
    /// before it is read by Rust code that assumes valid values (bools, see `Element`).
    pub fn empty(shape: &[usize], dtype: DType, order: Order) -> Result<Array> {
        Array::alloc(shape, dtype, order, false)
    }

    pub fn zeros(shape: &[usize], dtype: DType, order: Order) -> Result<Array> {
        Array::alloc(shape, dtype, order, true)
    }

    /// A C-contiguous array holding `values`.
    pub fn from_vec<T: Element>(shape: &[usize], values: Vec<T>) -> Result<Array> {
        let size = checked_size(shape)?;
        if size != values.len() {
            return Err(Error::value(format!(
                "cannot build an array of shape {} from {} values",
                shape_repr(shape),
                values.len()
            )));
        }
        let out = Array::empty(shape, T::DTYPE, Order::C)?;
        // SAFETY: out is a fresh C-contiguous buffer of exactly size elements of T.
        unsafe {
            std::ptr::copy_nonoverlapping(values.as_ptr(), out.data.as_ptr().cast::<T>(), size)
        };
        Ok(out)
    }

    pub fn scalar<T: Element>(value: T) -> Array {
        Array::from_vec(&[], vec![value]).expect("a 0-d array always fits")
    }

    /// Builds a view over existing storage, checking the bounds invariant.
    pub fn from_parts(
        data: Arc<Buffer>,
        offset: usize,
        shape: Shape,
        strides: Strides,
        dtype: DType,
    ) -> Result<Array> {
        if shape.len() != strides.len() {
            return Err(Error::value("shape and strides must have the same length"));
        }
        if shape.len() > MAX_DIMS {
            return Err(Error::value(format!(
                "maximum supported dimension for an ndarray is currently {MAX_DIMS}, found {}",
                shape.len()
            )));
        }
        let (lo, hi) = byte_extent(&shape, &strides, dtype.itemsize());
        if hi > lo {
            let start = offset as isize + lo;
            let end = offset as isize + hi;
            if start < 0 || end as usize > data.len() {
                return Err(Error::value(
                    "strides is incompatible with shape of requested array and size of buffer",
                ));
            }
        }
        let writeable = data.writeable();
        Ok(Array { data, offset, shape, strides, dtype, writeable })
    }

    /// A view with new geometry on the same storage.
    ///
    /// # Safety
    /// The caller guarantees the bounds invariant for the new (offset, shape, strides, dtype).
    /// Narrows axis `axis` in place to `count` elements from `start`, `step` apart: the
    /// view `arr[..., start::step][:count]` of the same memory. An empty result keeps its
    /// offset, as `index::view_at` does.
    ///
    /// # Safety
    /// `start`, `step` and `count` must be a normalised slice of the axis (every selected
    /// index in bounds).
    #[inline]
    pub unsafe fn narrow_axis(&mut self, axis: usize, start: isize, step: isize, count: usize) {
        let stride = self.strides[axis];
        self.shape[axis] = count;
        self.strides[axis] = step * stride;
        if !self.shape.contains(&0) {
            self.offset = (self.offset as isize + start * stride) as usize;
        }
    }

    /// Gives the array a new shape and strides in place.
    ///
    /// # Safety
    /// The new geometry must address only elements of the old one.
    #[inline]
    pub unsafe fn set_geometry_unchecked(&mut self, shape: &[usize], strides: &[isize]) {
        self.shape.clear();
        self.shape.extend_from_slice(shape);
        self.strides.clear();
        self.strides.extend_from_slice(strides);
    }

    /// Reverses the order of the axes in place (the transpose).
    #[inline]
    pub fn reverse_axes(&mut self) {
        self.shape.reverse();
        self.strides.reverse();
    }

    pub unsafe fn view_unchecked(
        &self,
        offset: usize,
        shape: Shape,
        strides: Strides,
        dtype: DType,
    ) -> Array {
        Array {
            data: self.data.clone(),
            offset,
            shape,
            strides,
            dtype,
            writeable: self.writeable,
        }
    }

    #[inline]
    pub fn dtype(&self) -> DType {
        self.dtype
    }
    #[inline]
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }
    #[inline]
    pub fn strides(&self) -> &[isize] {
        &self.strides
    }
    #[inline]
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }
    #[inline]
    pub fn size(&self) -> usize {
        self.shape.iter().product()
    }
    #[inline]
    pub fn itemsize(&self) -> usize {
        self.dtype.itemsize()
    }
    #[inline]
    pub fn nbytes(&self) -> usize {
        self.size() * self.itemsize()
    }
    #[inline]
    pub fn offset(&self) -> usize {
        self.offset
    }
    #[inline]
    pub fn buffer(&self) -> &Arc<Buffer> {
        &self.data
    }
    #[inline]
    pub fn writeable(&self) -> bool {
        self.writeable
    }
    /// Setting true fails when the storage itself is read-only.
    pub fn set_writeable(&mut self, flag: bool) -> Result<()> {
        if flag && !self.data.writeable() {
            return Err(Error::value("cannot set WRITEABLE flag to True of this array"));
        }
        self.writeable = flag;
        Ok(())
    }

    /// Errors as NumPy does when writing to a read-only array.
    pub fn check_writeable(&self) -> Result<()> {
        if self.writeable { Ok(()) } else { Err(Error::value("assignment destination is read-only")) }
    }

    /// Pointer to the first logical element (index all zeros).
    #[inline]
    pub fn as_ptr(&self) -> *mut u8 {
        // SAFETY: offset is within the buffer by the bounds invariant (or 0 for empty).
        unsafe { self.data.as_ptr().add(self.offset) }
    }

    pub fn is_c_contiguous(&self) -> bool {
        is_contiguous(&self.shape, &self.strides, self.itemsize(), Order::C)
    }
    pub fn is_f_contiguous(&self) -> bool {
        is_contiguous(&self.shape, &self.strides, self.itemsize(), Order::F)
    }

    /// C-contiguous contents as a typed slice, or None.
    pub fn as_slice<T: Element>(&self) -> Option<&[T]> {
        if T::DTYPE != self.dtype || !self.is_c_contiguous() {
            return None;
        }
        if (self.as_ptr() as usize) % std::mem::align_of::<T>() != 0 {
            return None;
        }
        // SAFETY: contiguous, aligned, in bounds; aliasing writes are the caller's concern as
        // documented on Buffer.
        Some(unsafe { std::slice::from_raw_parts(self.as_ptr().cast::<T>(), self.size()) })
    }

    /// Mutable C-contiguous contents, or None.
    ///
    /// # Safety
    /// No other live reference may cover these bytes while the slice is used (arrays alias).
    pub unsafe fn as_slice_mut<T: Element>(&self) -> Option<&mut [T]> {
        if T::DTYPE != self.dtype || !self.is_c_contiguous() || !self.writeable {
            return None;
        }
        if (self.as_ptr() as usize) % std::mem::align_of::<T>() != 0 {
            return None;
        }
        // SAFETY: as for as_slice, plus the caller's exclusivity promise.
        Some(unsafe { std::slice::from_raw_parts_mut(self.as_ptr().cast::<T>(), self.size()) })
    }

    /// Byte offset (relative to `as_ptr`) of the element at `index`.
    #[inline]
    pub fn byte_offset(&self, index: &[usize]) -> isize {
        index.iter().zip(self.strides.iter()).map(|(&i, &s)| i as isize * s).sum()
    }

    /// Reads one element by multi-index. Panics on a dtype mismatch or bad index.
    pub fn get<T: Element>(&self, index: &[usize]) -> T {
        assert_eq!(T::DTYPE, self.dtype, "element type does not match the array dtype");
        assert!(index.len() == self.ndim() && index.iter().zip(self.shape.iter()).all(|(i, d)| i < d));
        // SAFETY: index checked against shape; bounds invariant.
        unsafe { self.as_ptr().offset(self.byte_offset(index)).cast::<T>().read_unaligned() }
    }

    /// Visits the byte offset (relative to `as_ptr`) of every element in C (logical) order.
    pub fn for_each_offset(&self, mut f: impl FnMut(isize)) {
        for_each_offset(&self.shape, &self.strides, |o| f(o));
    }

    /// All elements in C order.
    pub fn to_vec<T: Element>(&self) -> Vec<T> {
        assert_eq!(T::DTYPE, self.dtype, "element type does not match the array dtype");
        if let Some(s) = self.as_slice::<T>() {
            return s.to_vec();
        }
        let mut out = Vec::with_capacity(self.size());
        let base = self.as_ptr();
        // SAFETY: offsets produced from shape and strides satisfy the bounds invariant.
        self.for_each_offset(|o| out.push(unsafe { base.offset(o).cast::<T>().read_unaligned() }));
        out
    }

    /// True when the two arrays' byte ranges intersect (NumPy's `may_share_memory`).
    pub fn may_overlap(&self, other: &Array) -> bool {
        if !Arc::ptr_eq(&self.data, &other.data) || self.size() == 0 || other.size() == 0 {
            return false;
        }
        let (a0, a1) = byte_extent(&self.shape, &self.strides, self.itemsize());
        let (b0, b1) = byte_extent(&other.shape, &other.strides, other.itemsize());
        let (a0, a1) = (self.offset as isize + a0, self.offset as isize + a1);
        let (b0, b1) = (other.offset as isize + b0, other.offset as isize + b1);
        a0 < b1 && b0 < a1
    }

    /// A C-contiguous copy with its own storage.
    pub fn copy(&self, order: Order) -> Result<Array> {
        let out = Array::empty(&self.shape, self.dtype, order)?;
        crate::cast::copy_into(&out, self)?;
        Ok(out)
    }

    /// Replaces geometry in place (used by `a.shape = ...` after validation).
    pub fn set_geometry(&mut self, shape: Shape, strides: Strides) -> Result<()> {
        let (lo, hi) = byte_extent(&shape, &strides, self.itemsize());
        if hi > lo && (self.offset as isize + lo < 0 || (self.offset as isize + hi) as usize > self.data.len()) {
            return Err(Error::value("new geometry does not fit the array's storage"));
        }
        self.shape = shape;
        self.strides = strides;
        Ok(())
    }
}

/// (lowest, one-past-highest) byte offset touched, relative to the first element; (0, 0) if empty.
pub fn byte_extent(shape: &[usize], strides: &[isize], itemsize: usize) -> (isize, isize) {
    if shape.contains(&0) {
        return (0, 0);
    }
    let mut lo = 0isize;
    let mut hi = 0isize;
    for (&d, &s) in shape.iter().zip(strides) {
        let span = (d as isize - 1) * s;
        if span < 0 { lo += span } else { hi += span }
    }
    (lo, hi + itemsize as isize)
}

/// NumPy's contiguity test: axes of length 1 may have any stride.
pub fn is_contiguous(shape: &[usize], strides: &[isize], itemsize: usize, order: Order) -> bool {
    if shape.contains(&0) {
        return true;
    }
    let mut expect = itemsize as isize;
    let mut check = |k: usize| {
        if shape[k] != 1 {
            if strides[k] != expect {
                return false;
            }
            expect *= shape[k] as isize;
        }
        true
    };
    match order {
        Order::C => (0..shape.len()).rev().all(&mut check),
        Order::F => (0..shape.len()).all(&mut check),
    }
}

/// Walks `N` operands of one shape in C order and calls `f(base_offsets, len, inner_strides)`
/// once per innermost row: the kernel then runs a tight loop of `len` steps. Offsets are in
/// bytes relative to each operand's first element.
pub fn for_each_inner<const N: usize>(
    shape: &[usize],
    strides: [&[isize]; N],
    mut f: impl FnMut([isize; N], usize, [isize; N]),
) {
    let nd = shape.len();
    if shape.contains(&0) {
        return;
    }
    if nd == 0 {
        f([0; N], 1, [0; N]);
        return;
    }
    let inner_n = shape[nd - 1];
    let inner_s: [isize; N] = std::array::from_fn(|i| strides[i][nd - 1]);
    let mut index: SmallVec<[usize; 8]> = SmallVec::from_elem(0, nd - 1);
    let mut base = [0isize; N];
    loop {
        f(base, inner_n, inner_s);
        let mut k = nd - 1;
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            index[k] += 1;
            for i in 0..N {
                base[i] += strides[i][k];
            }
            if index[k] < shape[k] {
                break;
            }
            for i in 0..N {
                base[i] -= strides[i][k] * shape[k] as isize;
            }
            index[k] = 0;
        }
    }
}

/// Calls `f` with the byte offset of every element in C order.
pub fn for_each_offset(shape: &[usize], strides: &[isize], mut f: impl FnMut(isize)) {
    for_each_inner(shape, [strides], |[base], n, [step]| {
        let mut o = base;
        for _ in 0..n {
            f(o);
            o += step;
        }
    });
}

/// `(2, 3)` / `(5,)` / `()`, as Python prints a shape tuple.
pub fn shape_repr(shape: &[usize]) -> String {
    match shape.len() {
        0 => "()".to_string(),
        1 => format!("({},)", shape[0]),
        _ => format!(
            "({})",
            shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")
        ),
    }
}
