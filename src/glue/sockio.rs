//! How a socket is a real IO: Ruby's IO object owns the fd, Rust borrows it
//! for each call. Also makes socket objects around fresh fds.

use magnus::{
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    Error, RClass, Ruby, Value,
};
use std::os::fd::{IntoRawFd, OwnedFd, RawFd};

/// Not an IO mode bit: the stdlib keeps a socket's do_not_reverse_lookup here.
pub const FMODE_NOREVLOOKUP: i32 = 0x100;

/// The fd of an open IO; IOError "closed stream" once closed. Checked in
/// Rust (no rb_protect round trip): this runs on every socket call.
pub fn fd(io: Value) -> Result<RawFd, Error> {
    Ok(unsafe { (*fptr(io)?).fd })
}

/// The IO's rb_io_t, checked open (IOError "closed stream" otherwise).
pub fn fptr(io: Value) -> Result<*mut rb_sys::rb_io_t, Error> {
    let raw = io.as_raw();
    let ptr = if unsafe { rb_sys::RB_TYPE_P(raw, rb_sys::ruby_value_type::RUBY_T_FILE) } {
        unsafe { (*(raw as *mut rb_sys::RFile)).fptr }
    } else {
        std::ptr::null_mut()
    };
    let ruby = Ruby::get_with(io);
    if ptr.is_null() {
        return Err(Error::new(
            ruby.exception_io_error(),
            "uninitialized stream",
        ));
    }
    if unsafe { (*ptr).fd } < 0 {
        return Err(Error::new(ruby.exception_io_error(), "closed stream"));
    }
    Ok(ptr)
}

// The only reads and writes of rb_io_t fields. Ruby has functions for some
// reads (rb_io_descriptor, rb_io_mode, rb_io_path), but they raise on a closed
// IO and would need an rb_protect round trip on every socket call; the writes
// (mode bits, path) have no function at all.

/// The path the IO reports (IO#path, IO#inspect), if any.
pub fn path(io: Value) -> Result<Option<Value>, Error> {
    let v = unsafe { Value::from_raw((*fptr(io)?).pathv) };
    Ok((!v.is_nil()).then_some(v))
}

/// Sets the path the IO reports to a frozen copy of `path`.
pub fn set_path(io: Value, path: Value) -> Result<(), Error> {
    let fp = fptr(io)?;
    let raw = path.as_raw();
    let frozen = magnus::rb_sys::protect(|| unsafe {
        let copy = rb_sys::rb_str_dup(raw);
        rb_sys::rb_obj_freeze(copy)
    })?;
    unsafe {
        (*fp).pathv = frozen;
        rb_sys::rb_gc_writebarrier(io.as_raw(), frozen);
    }
    Ok(())
}

/// Writes out what Ruby's write buffer holds (`sync = false`), so bytes sent
/// straight to the fd don't overtake it. Checked in Rust: this runs on every send.
pub fn flush_write_buffer(io: Value) -> Result<(), Error> {
    if unsafe { (*fptr(io)?).wbuf.len } == 0 {
        return Ok(());
    }
    let raw = io.as_raw();
    magnus::rb_sys::protect(|| unsafe { rb_sys::rb_io_flush(raw) })?;
    Ok(())
}

/// Whether Ruby's read buffer holds bytes a direct recv would skip over.
pub fn read_pending(io: Value) -> Result<bool, Error> {
    let ptr = fptr(io)?;
    Ok(unsafe { rb_sys::rb_io_read_pending(ptr) } != 0)
}

/// Makes `obj` (a freshly allocated or initializing socket) own `fd`, as a
/// read-write, binary, synchronous IO.
pub fn attach(obj: Value, fd: OwnedFd) -> Result<(), Error> {
    let raw = obj.as_raw();
    let fd = fd.into_raw_fd();
    let noreverse = crate::glue::sockets::default_do_not_reverse_lookup();
    let res = magnus::rb_sys::protect(|| unsafe {
        rb_sys::rb_update_max_fd(fd);
        let fp = rb_sys::rb_io_make_open_file(raw);
        (*fp).fd = fd;
        (*fp).mode = (rb_sys::FMODE_READWRITE | rb_sys::FMODE_DUPLEX) as i32;
        if noreverse {
            (*fp).mode |= FMODE_NOREVLOOKUP;
        }
        rb_sys::rb_io_ascii8bit_binmode(raw);
        rb_sys::rb_io_synchronized(fp);
        rb_sys::Qnil as rb_sys::VALUE
    });
    if res.is_err() {
        // The IO never took the fd: do not leak it.
        unsafe { libc::close(fd) };
    }
    res.map(|_| ())
}

/// A new, not yet initialized instance of `klass` (its `initialize` is not run).
pub fn alloc(klass: RClass) -> Result<Value, Error> {
    let raw_class = klass.as_raw();
    let obj = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_obj_alloc(raw_class) })?;
    Ok(unsafe { Value::from_raw(obj) })
}

/// A new instance of `klass` owning `fd`, without running `klass#initialize`
/// (accept, for_fd, pair).
pub fn wrap(klass: RClass, fd: OwnedFd) -> Result<Value, Error> {
    let obj = alloc(klass)?;
    attach(obj, fd)?;
    Ok(obj)
}

/// The IO's mode flags (FMODE_*): open halves, do_not_reverse_lookup, the cached family.
pub fn mode(io: Value) -> Result<i32, Error> {
    Ok(unsafe { (*fptr(io)?).mode })
}

/// Sets (`on`) or clears the mode flags `flag`.
pub fn set_mode_flag(io: Value, flag: i32, on: bool) -> Result<(), Error> {
    let fp = fptr(io)?;
    unsafe {
        if on {
            (*fp).mode |= flag;
        } else {
            (*fp).mode &= !flag;
        }
    }
    Ok(())
}

/// Runs Ruby's GC so unreferenced sockets are closed (when out of fds).
pub fn collect_garbage() {
    // A GC run raises nothing we could act on; protect keeps longjmps out of Rust.
    let _ = magnus::rb_sys::protect(|| unsafe {
        rb_sys::rb_gc();
        rb_sys::Qnil as rb_sys::VALUE
    });
}

/// Tells Ruby about an fd handed out as an Integer (sysaccept), so
/// Process.spawn's close_others and friends know of it.
pub fn update_max_fd(fd: RawFd) -> Result<(), Error> {
    magnus::rb_sys::protect(|| unsafe {
        rb_sys::rb_update_max_fd(fd);
        rb_sys::Qnil as rb_sys::VALUE
    })?;
    Ok(())
}
