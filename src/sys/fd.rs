//! Socket syscalls that need no Ruby: errno, int options, O_NONBLOCK for a
//! call that has no MSG_DONTWAIT.

use std::os::fd::RawFd;

/// The errno of the last failed libc call.
pub fn errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Sets errno (restoring it after cleanup calls that may change it).
pub fn set_errno(e: i32) {
    unsafe { *libc::__errno_location() = e };
}

/// An int-sized getsockopt (SO_TYPE and friends).
pub fn getsockopt_int(fd: RawFd, level: i32, optname: i32) -> Result<i32, i32> {
    let mut v: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    let r = unsafe {
        libc::getsockopt(
            fd,
            level,
            optname,
            &mut v as *mut _ as *mut libc::c_void,
            &mut len,
        )
    };
    if r < 0 {
        Err(errno())
    } else {
        Ok(v)
    }
}

/// setsockopt(2) with an int value; the errno on failure.
pub fn set_int_option(fd: RawFd, level: i32, optname: i32, value: i32) -> Result<(), i32> {
    let v: libc::c_int = value;
    let size = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    if unsafe {
        libc::setsockopt(
            fd,
            level,
            optname,
            &v as *const _ as *const libc::c_void,
            size,
        )
    } < 0
    {
        return Err(errno());
    }
    Ok(())
}

/// Runs `op` (a syscall that has no MSG_DONTWAIT: accept4, connect) with the
/// fd non-blocking, so it never blocks holding the GVL. A program may have
/// cleared O_NONBLOCK (`io.nonblock = false`); then the flag is set for the
/// call only, or for good when `keep` (the *_nonblock methods, as the stdlib).
pub fn nonblocking<T>(fd: RawFd, keep: bool, op: impl FnOnce() -> T) -> T {
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 || flags & libc::O_NONBLOCK != 0 {
        return op();
    }
    unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) };
    let out = op();
    if !keep {
        // The caller reads errno after `op`: keep the one `op` left.
        let errno = errno();
        unsafe { libc::fcntl(fd, libc::F_SETFL, flags) };
        set_errno(errno);
    }
    out
}

/// Whether `fd` is writable right now (poll(2) with no timeout). A loopback
/// connect has usually finished by the time connect(2) says EINPROGRESS:
/// checking first saves handing the GVL over for a wait.
pub fn writable_now(fd: RawFd) -> bool {
    let mut p = libc::pollfd {
        fd,
        events: libc::POLLOUT,
        revents: 0,
    };
    unsafe { libc::poll(&mut p, 1, 0) == 1 }
}
