//! The one blocking loop. Every call that may block tries its syscall
//! non-blocking, and on EAGAIN/EINTR lets Ruby wait for the fd (other threads
//! and fibers run, Thread#raise/kill and IO#close from another thread wake it,
//! a fiber scheduler's io_wait hook is used), then tries again.

use magnus::{rb_sys::AsRawValue, Error, Value};
use std::os::fd::RawFd;

use crate::errors::{self, Direction};
use crate::sockio;

/// Runs `op` on the socket's current fd until it neither would block nor was
/// interrupted. `op` returns the syscall's result or its errno; other errnos
/// become `Errno::X` with `msg`.
pub fn blocking<T>(
    io: Value,
    dir: Direction,
    msg: &dyn Fn() -> String,
    mut op: impl FnMut(RawFd) -> Result<T, i32>,
) -> Result<T, Error> {
    loop {
        // Fetch the fd each time: another thread may have closed the IO.
        let fd = sockio::fd(io)?;
        match op(fd) {
            Ok(v) => return Ok(v),
            Err(e) if errors::is_would_block(e) || e == libc::EINTR => wait_for(io, dir, e)?,
            Err(e) => return Err(errors::syserr(e, &msg())),
        }
    }
}

/// Waits (as `rb_io_maybe_wait_*` does) until `io` is ready in `dir`, or
/// raises what Ruby raises: pending interrupts, IOError when closed meanwhile.
pub fn wait_for(io: Value, dir: Direction, errno: i32) -> Result<(), Error> {
    let raw = io.as_raw();
    magnus::rb_sys::protect(|| unsafe {
        let nil = rb_sys::Qnil as rb_sys::VALUE;
        match dir {
            Direction::Readable => rb_sys::rb_io_maybe_wait_readable(errno, raw, nil),
            Direction::Writable => rb_sys::rb_io_maybe_wait_writable(errno, raw, nil),
        };
        nil
    })?;
    Ok(())
}

/// Waits until `io` is ready in `dir` or `timeout` passes (None: no limit),
/// the same way as `wait_for`. Ok(false) on timeout.
pub fn wait_until(
    io: Value,
    dir: Direction,
    timeout: Option<std::time::Duration>,
) -> Result<bool, Error> {
    let raw = io.as_raw();
    let mut ready = 0;
    magnus::rb_sys::protect(|| unsafe {
        let limit = match timeout {
            Some(t) => rb_sys::rb_float_new(t.as_secs_f64()),
            None => rb_sys::Qnil as rb_sys::VALUE,
        };
        ready = match dir {
            Direction::Readable => rb_sys::rb_io_maybe_wait_readable(libc::EAGAIN, raw, limit),
            Direction::Writable => rb_sys::rb_io_maybe_wait_writable(libc::EAGAIN, raw, limit),
        };
        rb_sys::Qnil as rb_sys::VALUE
    })?;
    Ok(ready != 0)
}
