//! The global allocator of the binary: the system's, with the whole 2 MiB pages inside every block of
//! [`MIN_SIZE`] and more backed by transparent huge pages where the kernel offers them on request (its `madvise`
//! mode, Debian's default).
//!
//! Every photo's planes (36-48 MB at 12 MP) are mapped afresh, and its 12 MB masks come and go on the allocator's
//! heaps, which give memory back and take it again from photo to photo (see `map_large_buffers` in main.rs). The
//! kernel faults all of it in 4 KiB at a time: six 12 MP photos took 740 000 page faults and 2.5 s of system time
//! in 15 s with `--jobs 1`; backed by 2 MiB pages, 160 000 faults and 0.9-1.3 s (24 photos side by side: README,
//! Performance). Blocks this large are written whole, so resident memory barely changes (peak +12-17 MB).

use std::alloc::{GlobalAlloc, Layout, System};

/// Size of a transparent huge page on x86-64 (and arm64 with 4 KiB base pages).
const HUGE_PAGE: usize = 2 << 20;

/// Smallest block advised: one that may hold a whole huge page. Advising from 16 MB up (the planes only) left
/// 370 000 of the 740 000 faults; from 2 MB up (the masks too), 160 000.
pub const MIN_SIZE: usize = HUGE_PAGE;

/// [`System`], advising large blocks to use huge pages.
pub struct HugePages;

// SAFETY: every call is forwarded to `System` unchanged; `advise` only gives the kernel a hint about whole pages
// inside the block just returned, which changes no memory's contents, ownership or lifetime.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        advise(p, layout.size());
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        advise(p, layout.size());
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        advise(p, new_size);
        p
    }
}

/// Asks for huge pages over the whole 2 MiB pages inside the block `[p, p + size)`, when it is large enough.
fn advise(p: *mut u8, size: usize) {
    if p.is_null() || size < MIN_SIZE {
        return;
    }
    let start = (p as usize).next_multiple_of(HUGE_PAGE);
    let end = (p as usize + size) & !(HUGE_PAGE - 1);
    if end > start {
        // SAFETY: the range lies inside the block just allocated; MADV_HUGEPAGE is only a hint, and a kernel
        // without transparent huge pages refuses it harmlessly (the result is ignored).
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}
