//! Raw, shared array storage.
//!
//! Safety model: a `Buffer` is a fixed-size block of bytes that never moves or shrinks while it
//! is alive. Arrays hold it through `Arc<Buffer>`; views (and exported Python buffers) clone the
//! Arc, so the memory outlives every view. Writes go through raw pointers: like NumPy, several
//! views may alias the same bytes, so no `&mut [u8]` to the whole buffer is ever handed out for
//! longer than one kernel call, and kernels that read and write overlapping views must copy
//! first (see `Array::overlaps`).

use std::alloc::{Layout, alloc, alloc_zeroed, dealloc};
use std::any::Any;
use std::mem::MaybeUninit;
use std::ptr::NonNull;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};

/// Alignment of the buffers oxnp allocates: one cache line for large ones (SIMD kernels);
/// small ones take malloc's own 16 bytes (enough for every dtype), since an over-aligned
/// request leaves glibc's fast path and costs more than a small array's whole operation.
pub const BUFFER_ALIGN: usize = 64;
const SMALL_ALIGN: usize = 16;
const SMALL_BUFFER: usize = 4096;

enum Owner {
    /// Allocated here with this layout.
    Rust(Layout),
    /// Up to `INLINE_BYTES`, held in the buffer itself (zero-length buffers too).
    Inline(Inline),
    /// Memory owned by someone else (a Python object exporting a buffer, a DLPack tensor),
    /// kept alive by holding this value.
    Foreign(#[allow(dead_code)] Box<dyn Any + Send + Sync>),
}

pub struct Buffer {
    ptr: NonNull<u8>,
    len: usize,
    owner: Owner,
    /// False for read-only foreign memory.
    writeable: bool,
}

// SAFETY: the buffer is plain bytes; synchronisation of concurrent writes is the caller's
// concern exactly as for NumPy arrays shared between threads.
unsafe impl Send for Buffer {}
unsafe impl Sync for Buffer {}

fn too_big(nbytes: usize) -> Error {
    Error::Memory(format!("Unable to allocate {} for an array", human_bytes(nbytes)))
}

/// NumPy's size text in MemoryError messages: three significant digits, "72.8 TiB".
pub fn human_bytes(nbytes: usize) -> String {
    const UNITS: [&str; 7] = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let bits = usize::BITS - nbytes.leading_zeros();
    let mut unit = ((bits.saturating_sub(1)).max(1) / 10) as usize;
    let mut value = nbytes as f64 / (1u128 << (unit * 10)) as f64;
    if value.round() == 1024.0 && unit + 1 < UNITS.len() {
        unit += 1;
        value /= 1024.0;
    }
    if unit == 0 {
        return format!("{nbytes} bytes");
    }
    let decimals = if value.round() >= 100.0 { 0 } else if value.round() >= 10.0 { 1 } else { 2 };
    let text = format!("{value:.decimals$}");
    let text = if decimals == 0 { format!("{text}.") } else { text };
    format!("{text} {}", UNITS[unit])
}

/// Asks Linux to back large buffers with huge pages, as NumPy does for allocations of 4 MiB
/// and more: a fresh multi-megabyte array otherwise takes one page fault per 4 KiB on first
/// touch, which dominates large elementwise operations.
fn advise_huge_pages(ptr: *mut u8, len: usize) {
    #[cfg(target_os = "linux")]
    {
        const MADV_HUGEPAGE: i32 = 14;
        const PAGE: usize = 4096;
        unsafe extern "C" {
            fn madvise(addr: *mut std::ffi::c_void, len: usize, advice: i32) -> i32;
        }
        if len < 1 << 22 {
            return;
        }
        let skip = ptr.align_offset(PAGE);
        // SAFETY: the range lies inside the allocation just made; madvise only changes how
        // the kernel backs it, and a failure (e.g. no THP support) is harmless.
        unsafe { madvise(ptr.add(skip).cast(), len - skip, MADV_HUGEPAGE) };
    }
}

/// Freed blocks of at least this many bytes are kept for the next uninitialised allocation of
/// the same layout: a fresh large block costs a page fault and the kernel's zeroing of every
/// page on first touch, as much as the arithmetic of `c = a + b` that fills it.
const RECYCLE_MIN: usize = 1 << 22;
/// At most this many bytes are held in recycled blocks (the oldest is released first).
const RECYCLE_MAX_BYTES: usize = 1 << 28;

/// Recycled blocks (address, layout), oldest first.
static RECYCLED: Mutex<Vec<(usize, Layout)>> = Mutex::new(Vec::new());

/// A recycled block of exactly `layout`, if one is held.
fn take_recycled(layout: Layout) -> Option<NonNull<u8>> {
    let mut held = RECYCLED.lock().ok()?;
    let at = held.iter().position(|&(_, l)| l == layout)?;
    NonNull::new(held.remove(at).0 as *mut u8)
}

/// Keeps a freed block for reuse, releasing the oldest ones beyond the byte budget.
///
/// # Safety
/// `ptr` must have been allocated with `layout` and be no longer used.
unsafe fn recycle(ptr: *mut u8, layout: Layout) {
    let Ok(mut held) = RECYCLED.lock() else {
        // SAFETY: the caller's promise.
        return unsafe { dealloc(ptr, layout) };
    };
    held.push((ptr as usize, layout));
    let mut total: usize = held.iter().map(|(_, l)| l.size()).sum();
    while total > RECYCLE_MAX_BYTES {
        let (old, old_layout) = held.remove(0);
        total -= old_layout.size();
        // SAFETY: every held block was allocated with its layout and is unused.
        unsafe { dealloc(old as *mut u8, old_layout) };
    }
}

/// Bytes stored inside the buffer's own shared allocation: a small array then costs one
/// malloc (the `Arc`), not two.
const INLINE_BYTES: usize = 128;

#[repr(align(16))]
struct Inline(MaybeUninit<[u8; INLINE_BYTES]>);

impl Buffer {
    /// A new shared buffer of `len` bytes. Only an `Arc` is handed out because the inline
    /// storage of small buffers is addressed by `ptr` and must not move.
    fn allocate(len: usize, zeroed: bool) -> Result<Arc<Buffer>> {
        if len <= INLINE_BYTES {
            // Built in place: a finished Buffer moved into the Arc would copy the whole
            // inline block, which costs more than the allocation it saves.
            let mut shared = Arc::<Buffer>::new_uninit();
            let slot = Arc::get_mut(&mut shared).expect("a new Arc is unique").as_mut_ptr();
            // SAFETY: every field of the slot is written before `assume_init`; the inline
            // bytes are the caller's to initialise (zeroed here when asked).
            unsafe {
                (&raw mut (*slot).owner).write(Owner::Inline(Inline(MaybeUninit::uninit())));
                let Owner::Inline(bytes) = &mut (*slot).owner else { unreachable!() };
                let data = bytes.0.as_mut_ptr().cast::<u8>();
                if zeroed {
                    std::ptr::write_bytes(data, 0, len);
                }
                (&raw mut (*slot).ptr).write(NonNull::new_unchecked(data));
                (&raw mut (*slot).len).write(len);
                (&raw mut (*slot).writeable).write(true);
                return Ok(shared.assume_init());
            }
        }
        let align = if len < SMALL_BUFFER { SMALL_ALIGN } else { BUFFER_ALIGN };
        let layout = Layout::from_size_align(len, align).map_err(|_| too_big(len))?;
        if !zeroed && len >= RECYCLE_MIN {
            if let Some(ptr) = take_recycled(layout) {
                return Ok(Arc::new(Buffer { ptr, len, owner: Owner::Rust(layout), writeable: true }));
            }
        }
        // SAFETY: layout has non-zero size.
        let raw = unsafe { if zeroed { alloc_zeroed(layout) } else { alloc(layout) } };
        let ptr = NonNull::new(raw).ok_or_else(|| too_big(len))?;
        advise_huge_pages(raw, len);
        Ok(Arc::new(Buffer { ptr, len, owner: Owner::Rust(layout), writeable: true }))
    }

    /// Uninitialised memory; the caller writes every byte it later reads.
    pub fn uninit(len: usize) -> Result<Arc<Buffer>> {
        Buffer::allocate(len, false)
    }

    pub fn zeroed(len: usize) -> Result<Arc<Buffer>> {
        Buffer::allocate(len, true)
    }

    /// Wraps foreign memory.
    ///
    /// # Safety
    /// `ptr..ptr+len` must stay valid (and, if `writeable`, writable) for as long as `owner`
    /// is alive.
    pub unsafe fn foreign(
        ptr: *mut u8,
        len: usize,
        writeable: bool,
        owner: Box<dyn Any + Send + Sync>,
    ) -> Buffer {
        let ptr = NonNull::new(ptr).unwrap_or(NonNull::<u64>::dangling().cast());
        Buffer { ptr, len, owner: Owner::Foreign(owner), writeable }
    }

    #[inline]
    pub fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    #[inline]
    pub fn writeable(&self) -> bool {
        self.writeable
    }
    pub fn is_foreign(&self) -> bool {
        matches!(self.owner, Owner::Foreign(_))
    }
}

impl Drop for Buffer {
    fn drop(&mut self) {
        if let Owner::Rust(layout) = self.owner {
            // SAFETY: allocated in `allocate` with this layout; nothing else refers to it.
            unsafe {
                if layout.size() >= RECYCLE_MIN {
                    recycle(self.ptr.as_ptr(), layout);
                } else {
                    dealloc(self.ptr.as_ptr(), layout);
                }
            }
        }
    }
}
