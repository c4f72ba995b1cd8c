//! The one blocking loop. Every call that may block tries its syscall
//! non-blocking, and on EAGAIN/EINTR lets Ruby wait for the fd (other threads
//! and fibers run, Thread#raise/kill and IO#close from another thread wake it,
//! a fiber scheduler's io_wait hook is used), then tries again.
//!
//! Waits go through `rb_io_maybe_wait`, which answers false on a timeout on
//! every Ruby (its `_readable`/`_writable` wrappers return 0 on 3.3 and raise
//! on 3.4). A wait without a timeout of its own uses the IO's `IO#timeout`
//! (Ruby 3.2+); when that runs out, IO::TimeoutError is raised here.
//!
//! The tries themselves run holding the GVL, except a send's or receive's
//! on Rubies before 3.3 while other threads live (`blocking_io`): there, as
//! in the stdlib, the GVL is let go around each non-blocking syscall.

use magnus::{rb_sys::AsRawValue, Error, Value};
use std::ffi::c_void;
use std::os::fd::RawFd;
use std::time::Duration;

use crate::glue::errors::{self, Direction};
use crate::glue::{ruby_version, sockio};

/// Runs `op` on the socket's current fd until it neither would block nor was
/// interrupted. `op` returns the syscall's result or its errno; other errnos
/// become `Errno::X` with `msg`.
pub fn blocking<T>(
    io: Value,
    dir: Direction,
    msg: &dyn Fn() -> String,
    mut op: impl FnMut(RawFd) -> Result<T, i32>,
) -> Result<T, Error> {
    retry_loop(io, dir, msg, |fd| Ok(op(fd)))
}

/// Whether a send or receive starting now should let go of the GVL around
/// its syscalls: where the Ruby wants it (`ruby_version::SYSCALL_WITHOUT_GVL`)
/// and other threads live to take it (alone, letting it go only costs: about
/// 90 ns a call on 3.1). Decided once per call, before its memory is chosen.
pub fn io_releases_gvl() -> bool {
    ruby_version::SYSCALL_WITHOUT_GVL && unsafe { rb_sys::rb_thread_alone() } == 0
}

/// `blocking` for a send or receive whose `op` makes only the syscall: with
/// `release` (from `io_releases_gvl`, and only when `op` reads and writes
/// memory no other thread can change) each try runs with the GVL let go.
pub fn blocking_io<T>(
    io: Value,
    dir: Direction,
    msg: &dyn Fn() -> String,
    release: bool,
    mut op: impl FnMut(RawFd) -> Result<T, i32>,
) -> Result<T, Error> {
    if !release {
        return blocking(io, dir, msg, op);
    }
    retry_loop(io, dir, msg, |fd| without_gvl(fd, || op(fd)))
}

fn retry_loop<T>(
    io: Value,
    dir: Direction,
    msg: &dyn Fn() -> String,
    mut attempt: impl FnMut(RawFd) -> Result<Result<T, i32>, Error>,
) -> Result<T, Error> {
    loop {
        // Fetch the fd each time: another thread may have closed the IO.
        let fd = sockio::fd(io)?;
        match attempt(fd)? {
            Ok(v) => return Ok(v),
            Err(e) if errors::is_would_block(e) || e == libc::EINTR => wait_for(io, dir, e)?,
            Err(e) => return Err(errors::syserr(e, &msg())),
        }
    }
}

/// Runs `f` (a non-blocking syscall on `fd`) with the GVL let go, the way
/// Ruby's own IO does before 3.3: `fd` is registered as in use, so an
/// IO#close from another thread waits for `f` to return and then raises
/// IOError here, and pending interrupts are handled on the way back. An
/// interrupt that raises nothing (a trap handler) may skip `f`: then it
/// reports EINTR, and the loop tries again.
fn without_gvl<T, F: FnOnce() -> Result<T, i32>>(fd: RawFd, f: F) -> Result<Result<T, i32>, Error> {
    // Exported by libruby (its socket and io code use it) but in no header.
    // This is its signature before 3.3, the only Rubies this runs on.
    extern "C" {
        fn rb_thread_io_blocking_region(
            func: unsafe extern "C" fn(*mut c_void) -> rb_sys::VALUE,
            data: *mut c_void,
            fd: libc::c_int,
        ) -> rb_sys::VALUE;
    }
    struct Call<F, R> {
        f: Option<F>,
        out: Option<R>,
    }
    unsafe extern "C" fn run<F: FnOnce() -> R, R>(data: *mut c_void) -> rb_sys::VALUE {
        let call = &mut *(data as *mut Call<F, R>);
        if let Some(f) = call.f.take() {
            call.out = Some(f());
        }
        rb_sys::Qnil as rb_sys::VALUE
    }
    let mut call = Call {
        f: Some(f),
        out: None,
    };
    let data = &mut call as *mut Call<F, Result<T, i32>> as *mut c_void;
    magnus::rb_sys::protect(|| unsafe {
        rb_thread_io_blocking_region(run::<F, Result<T, i32>>, data, fd)
    })?;
    Ok(call.out.unwrap_or(Err(libc::EINTR)))
}

/// Waits until `io` is ready in `dir` (at once after EINTR, once pending
/// interrupts ran), or raises what Ruby raises: pending interrupts, IOError
/// when closed meanwhile, IO::TimeoutError when `IO#timeout` runs out.
pub fn wait_for(io: Value, dir: Direction, errno: i32) -> Result<(), Error> {
    if wait(io, dir, errno, None)? {
        Ok(())
    } else {
        Err(errors::io_timeout(match dir {
            Direction::Readable => "Timed out waiting for IO to become readable!",
            Direction::Writable => "Timed out waiting for IO to become writable!",
        }))
    }
}

/// Waits until `io` is ready in `dir` or `timeout` passes (None: until
/// `IO#timeout`, if set), the same way as `wait_for`. Ok(false) on timeout.
pub fn wait_until(io: Value, dir: Direction, timeout: Option<Duration>) -> Result<bool, Error> {
    wait(io, dir, libc::EAGAIN, timeout)
}

fn wait(io: Value, dir: Direction, errno: i32, timeout: Option<Duration>) -> Result<bool, Error> {
    let raw = io.as_raw();
    // IO::READABLE and IO::WRITABLE (the enum's Rust name differs per Ruby).
    let events: isize = match dir {
        Direction::Readable => 1,
        Direction::Writable => 4,
    };
    let mut ready = false;
    magnus::rb_sys::protect(|| unsafe {
        let limit = match timeout {
            Some(t) => rb_sys::rb_float_new(t.as_secs_f64()),
            None => rb_sys::Qnil as rb_sys::VALUE,
        };
        let got = rb_sys::rb_io_maybe_wait(errno, raw, rb_sys::rb_int2inum(events), limit);
        ready = got != rb_sys::Qfalse as rb_sys::VALUE && got != rb_sys::Qnil as rb_sys::VALUE;
        rb_sys::Qnil as rb_sys::VALUE
    })?;
    Ok(ready)
}
