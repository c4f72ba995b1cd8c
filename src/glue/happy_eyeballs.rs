//! Connecting to a host and port: Happy Eyeballs v2 (RFC 8305) the way Ruby
//! 3.4's Socket.tcp and TCPSocket.new do it, and the sequential way of Ruby
//! 3.3 (`fast_fallback: false`, numeric hosts).
//!
//! Every connecting socket and the resolvers' wake-up eventfd sit in one
//! epoll set; the epoll fd is wrapped in a Ruby IO and waited on through the
//! one wait loop. So no Ruby thread is made per attempt, the GVL is free while
//! waiting, fibers and interrupts work, and whatever is pending is closed when
//! we return or are interrupted.

use magnus::{prelude::*, rb_sys::AsRawValue, Error, Ruby, Value};
use std::collections::VecDeque;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::glue::errors::{self, Direction};
use crate::glue::resolver::{self, GaiError, Hints, HostArg, Resolved};
use crate::sys::sockaddr::SockAddr;
use crate::{glue::ruby_version, glue::sockio, glue::wait};

/// glibc's "address family for host not supported" (a GNU extension the
/// libc crate doesn't export).
const EAI_ADDRFAMILY: i32 = -9;

/// Wait for IPv6 answers this long after IPv4 answers arrive first.
const RESOLUTION_DELAY: Duration = Duration::from_millis(50);
/// Start the next attempt if the current one hasn't connected by then.
const CONNECTION_ATTEMPT_DELAY: Duration = Duration::from_millis(250);

/// Where to connect, as the caller's arguments give it.
pub struct Target {
    pub host: Value,
    pub port: Value,
    pub host_arg: HostArg,
    pub service: Option<String>,
}

pub struct Options {
    /// Local addresses to bind to (empty: don't bind).
    pub local: Vec<Resolved>,
    pub resolv_timeout: Option<Duration>,
    pub connect_timeout: Option<Duration>,
    pub fast_fallback: bool,
    /// TCPSocket.new's ways (ipsocket.c), which Socket.tcp lacks: SO_REUSEADDR
    /// before bind(2), and when no local address has the remote's family the
    /// sequential way binds the first one anyway, reporting the kernel's error.
    pub tcp_socket: bool,
}

/// Why no connection was made; callers word the message their way.
pub enum Failure {
    /// A system call failed on an address (the last such error seen).
    Sys {
        errno: i32,
        call: &'static str,
        addr: Vec<u8>,
    },
    /// An exception to raise as it is (resolution errors, interrupts).
    Raise(Error),
    /// `connect_timeout`/`resolv_timeout` ran out after `attempts`
    /// connection attempts (0: while resolving).
    TimedOut { attempts: usize },
    /// Local addresses were given but none has a family we resolved.
    NoLocalAddress,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Raise(e)
    }
}

/// A connected, non-blocking, close-on-exec socket and the address it reached.
pub struct Connected {
    pub fd: OwnedFd,
    pub addr: Vec<u8>,
}

/// A timeout keyword: nil for none, else seconds (Integer or Float).
pub fn timeout_arg(v: Value) -> Result<Option<Duration>, Error> {
    if v.is_nil() {
        return Ok(None);
    }
    let secs = f64::try_convert(v)?;
    Ok(Some(Duration::from_secs_f64(secs.max(0.0))))
}

/// Target and options from TCPSocket.new's / Socket.tcp's arguments; the
/// local address, when given, is resolved here.
#[allow(clippy::too_many_arguments)]
pub fn request(
    host: Value,
    port: Value,
    local_host: Value,
    local_port: Value,
    resolv_timeout: Value,
    connect_timeout: Value,
    fast_fallback: Value,
    tcp_socket: bool,
) -> Result<(Target, Options), Error> {
    let resolv_timeout = timeout_arg(resolv_timeout)?;
    let target = Target {
        host,
        port,
        host_arg: resolver::host_arg(host)?,
        service: resolver::port_arg(port)?,
    };
    let local = if local_host.is_nil() && local_port.is_nil() {
        Vec::new()
    } else {
        resolver::lookup(
            local_host,
            local_port,
            libc::AF_UNSPEC,
            libc::SOCK_STREAM,
            0,
            0,
            resolv_timeout,
        )?
    };
    let opts = Options {
        local,
        resolv_timeout,
        connect_timeout: timeout_arg(connect_timeout)?,
        fast_fallback: fast_fallback.to_bool(),
        tcp_socket,
    };
    Ok((target, opts))
}

/// Connects as `opts.fast_fallback` says and attaches the connected socket
/// to `io` (a TCPSocket being initialized, or a new Socket); the address
/// reached. Numeric hosts skip Happy Eyeballs, as Ruby 3.4 does.
pub fn connect(target: &Target, opts: &Options, io: Value) -> Result<Vec<u8>, Failure> {
    let numeric = target
        .host_arg
        .text
        .as_deref()
        .is_some_and(|h| crate::sys::sockaddr::parse_numeric(h).is_some());
    if opts.fast_fallback && !numeric {
        let c = happy_eyeballs(target, opts)?;
        sockio::attach(io, c.fd)?;
        Ok(c.addr)
    } else {
        sequential(target, opts, io)
    }
}

/// An epoll set wrapped in a Ruby IO so the one wait loop can wait on it.
struct Waiter {
    io: Value,
    epfd: RawFd,
}

impl Waiter {
    fn new() -> Result<Self, Error> {
        let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
        if fd < 0 {
            return Err(errors::last_syserr("epoll_create1(2)"));
        }
        let ruby = Ruby::get().map_err(|_| errors::socket_error("no Ruby VM"))?;
        let io = sockio::wrap(ruby.class_io(), unsafe { OwnedFd::from_raw_fd(fd) })?;
        Ok(Waiter { io, epfd: fd })
    }

    fn add(&self, fd: RawFd, events: u32, token: u64) -> Result<(), Error> {
        let mut ev = libc::epoll_event { events, u64: token };
        if unsafe { libc::epoll_ctl(self.epfd, libc::EPOLL_CTL_ADD, fd, &mut ev) } < 0 {
            return Err(errors::last_syserr("epoll_ctl(2)"));
        }
        Ok(())
    }

    fn remove(&self, fd: RawFd) {
        unsafe { libc::epoll_ctl(self.epfd, libc::EPOLL_CTL_DEL, fd, std::ptr::null_mut()) };
    }

    /// Waits until something is ready or `until` passes; the ready tokens.
    fn wait(&self, until: Option<Instant>) -> Result<Vec<u64>, Error> {
        let timeout = until.map(|t| t.saturating_duration_since(Instant::now()));
        if timeout != Some(Duration::ZERO)
            && !wait::wait_until(self.io, Direction::Readable, timeout)?
        {
            return Ok(Vec::new());
        }
        let mut events = [libc::epoll_event { events: 0, u64: 0 }; 16];
        let n = unsafe { libc::epoll_wait(self.epfd, events.as_mut_ptr(), events.len() as i32, 0) };
        Ok(events[..n.max(0) as usize].iter().map(|e| e.u64).collect())
    }
}

impl Drop for Waiter {
    fn drop(&mut self) {
        let raw = self.io.as_raw();
        let _ = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_io_close(raw) });
    }
}

/// A socket whose non-blocking connect is under way.
struct Attempt {
    fd: OwnedFd,
    addr: Vec<u8>,
}

/// How starting an attempt went.
enum Started {
    Connected(Connected),
    InProgress(Attempt),
}

/// socket(2), bind(2) to `local` if given, and a non-blocking connect(2).
fn start(ai: &Resolved, local: Option<&Resolved>, reuse: bool) -> Result<Started, Failure> {
    let sys = |errno, call, addr: &[u8]| Failure::Sys {
        errno,
        call,
        addr: addr.to_vec(),
    };
    let fd = crate::glue::sockets::new_raw_fd(ai.family, ai.socktype, ai.protocol)
        .map_err(|e| sys(e, "socket(2)", &ai.addr))?;
    if let Some(l) = local {
        if reuse {
            // Best effort, as the stdlib: a failure shows up at bind(2) if it matters.
            let _ = crate::sys::fd::set_int_option(
                fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_REUSEADDR,
                1,
            );
        }
        let sa = sockaddr_of(&l.addr)?;
        if unsafe { libc::bind(fd.as_raw_fd(), sa.as_ptr(), sa.len()) } < 0 {
            return Err(sys(errors::errno(), "bind(2)", &l.addr));
        }
    }
    let sa = sockaddr_of(&ai.addr)?;
    if unsafe { libc::connect(fd.as_raw_fd(), sa.as_ptr(), sa.len()) } == 0 {
        return Ok(Started::Connected(Connected {
            fd,
            addr: ai.addr.clone(),
        }));
    }
    match errors::errno() {
        libc::EINPROGRESS | libc::EINTR => Ok(Started::InProgress(Attempt {
            fd,
            addr: ai.addr.clone(),
        })),
        e => Err(sys(e, "connect(2)", &ai.addr)),
    }
}

fn sockaddr_of(bytes: &[u8]) -> Result<SockAddr, Failure> {
    SockAddr::from_bytes(bytes)
        .ok_or_else(|| Failure::Raise(errors::arg_error("sockaddr length too big")))
}

/// The pending error of a socket whose connect finished (0: connected).
fn connect_result(fd: RawFd) -> i32 {
    crate::sys::fd::getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_ERROR).unwrap_or_else(|e| e)
}

fn local_for<'a>(local: &'a [Resolved], family: i32) -> Option<&'a Resolved> {
    local.iter().find(|l| l.family == family)
}

/// Ruby 3.3's way: resolve everything, then try each address in turn, each
/// with the whole `connect_timeout`. Each attempt's socket is attached to
/// `io` and waited on there, through the wait loop (no extra fds).
fn sequential(target: &Target, opts: &Options, io: Value) -> Result<Vec<u8>, Failure> {
    let list = resolver::lookup(
        target.host,
        target.port,
        libc::AF_UNSPEC,
        libc::SOCK_STREAM,
        0,
        0,
        opts.resolv_timeout,
    )?;
    let mut last = None;
    for (i, ai) in list.iter().enumerate() {
        let local = if opts.local.is_empty() {
            None
        } else {
            match local_for(&opts.local, ai.family) {
                Some(l) => Some(l),
                None if i + 1 < list.len() || last.is_some() => continue,
                None if opts.tcp_socket => opts.local.first(),
                None => return Err(Failure::NoLocalAddress),
            }
        };
        let attempt = match start(ai, local, opts.tcp_socket) {
            Ok(Started::Connected(c)) => {
                sockio::attach(io, c.fd)?;
                return Ok(c.addr);
            }
            Ok(Started::InProgress(a)) => a,
            Err(f @ Failure::Sys { .. }) => {
                last = Some(f);
                continue;
            }
            Err(f) => return Err(f),
        };
        sockio::attach(io, attempt.fd)?;
        let outcome = wait_connected(io, opts.connect_timeout).inspect_err(|_| close(io))?;
        match outcome {
            Some(0) => return Ok(attempt.addr),
            Some(e) => {
                last = Some(Failure::Sys {
                    errno: e,
                    call: "connect(2)",
                    addr: attempt.addr,
                })
            }
            None => {
                close(io);
                let timed_out = Failure::TimedOut { attempts: 1 };
                // Ruby 3.4's TCPSocket.new gives up at the first address that times out.
                if opts.tcp_socket && ruby_version::TCP_CONNECT_TIMEOUT.ends_at_first_timeout() {
                    return Err(timed_out);
                }
                last = Some(timed_out);
                continue;
            }
        }
        close(io);
    }
    Err(last.unwrap_or_else(|| {
        Failure::Raise(resolver::resolution_error(
            "getaddrinfo",
            GaiError {
                code: libc::EAI_NONAME,
                errno: 0,
            },
        ))
    }))
}

/// Waits for the connect in progress on `io`: Some(0) connected, Some(errno)
/// failed, None when `timeout` passed first.
fn wait_connected(io: Value, timeout: Option<Duration>) -> Result<Option<i32>, Error> {
    let deadline = timeout.map(|t| Instant::now() + t);
    loop {
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        if left == Some(Duration::ZERO) {
            return Ok(None);
        }
        if wait::wait_until(io, Direction::Writable, left)? {
            return Ok(Some(connect_result(sockio::fd(io)?)));
        }
    }
}

/// Closes the socket attached to `io` (a failed or abandoned attempt).
fn close(io: Value) {
    let raw = io.as_raw();
    let _ = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_io_close(raw) });
}

/// A deadline the caller set: not set, never, or at an instant.
#[derive(Clone, Copy, PartialEq)]
enum Deadline {
    Unset,
    Never,
    At(Instant),
}

impl Deadline {
    fn after(t: Option<Duration>, now: Instant) -> Self {
        t.map_or(Deadline::Never, |t| Deadline::At(now + t))
    }

    fn expired(self, now: Instant) -> bool {
        matches!(self, Deadline::At(t) if now >= t)
    }
}

/// What the resolver threads hand back: (family, answers) as each finishes.
struct Answers {
    done: Mutex<Vec<(i32, Result<Vec<Resolved>, GaiError>)>>,
    wake: OwnedFd,
}

/// Resolution state per family, and the addresses not yet tried.
struct Store {
    families: Vec<i32>,
    resolved: Vec<(i32, bool)>,
    queues: [(i32, VecDeque<Resolved>); 2],
    last_family: Option<i32>,
}

impl Store {
    fn new(families: Vec<i32>) -> Self {
        Store {
            families,
            resolved: Vec::new(),
            queues: [
                (libc::AF_INET6, VecDeque::new()),
                (libc::AF_INET, VecDeque::new()),
            ],
            last_family: None,
        }
    }

    fn add(&mut self, family: i32, list: Vec<Resolved>) {
        for (f, q) in self.queues.iter_mut() {
            if *f == family {
                q.extend(list.iter().filter(|r| r.family == family).cloned());
            }
        }
        self.resolved.push((family, true));
    }

    fn add_error(&mut self, family: i32) {
        self.resolved.push((family, false));
    }

    fn is_resolved(&self, family: i32) -> bool {
        self.resolved.iter().any(|(f, _)| *f == family)
    }

    fn resolved_ok(&self, family: i32) -> bool {
        self.resolved.iter().any(|(f, ok)| *f == family && *ok)
    }

    fn all_resolved(&self) -> bool {
        self.families.iter().all(|f| self.is_resolved(*f))
    }

    fn any_unresolved(&self) -> bool {
        !self.all_resolved()
    }

    fn any(&self) -> bool {
        self.queues.iter().any(|(_, q)| !q.is_empty())
    }

    /// The next address, alternating families and starting with IPv6.
    fn next(&mut self) -> Option<Resolved> {
        let order = match self.last_family {
            Some(libc::AF_INET6) => [libc::AF_INET, libc::AF_INET6],
            _ => [libc::AF_INET6, libc::AF_INET],
        };
        for family in order {
            if let Some((_, q)) = self.queues.iter_mut().find(|(f, _)| *f == family) {
                if let Some(ai) = q.pop_front() {
                    self.last_family = Some(family);
                    return Some(ai);
                }
            }
        }
        None
    }
}

/// Starts a getaddrinfo per family on plain threads; each pushes its answer
/// and bumps the eventfd. Abandoned lookups finish alone and drop their answer.
fn spawn_resolvers(target: &Target, families: &[i32]) -> Result<Arc<Answers>, Error> {
    let wake = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
    if wake < 0 {
        return Err(errors::last_syserr("eventfd(2)"));
    }
    let answers = Arc::new(Answers {
        done: Mutex::new(Vec::new()),
        wake: unsafe { OwnedFd::from_raw_fd(wake) },
    });
    let cstr = |s: &Option<String>| -> Result<Option<std::ffi::CString>, Error> {
        s.as_deref()
            .map(|s| {
                std::ffi::CString::new(s)
                    .map_err(|_| errors::arg_error("string contains null byte"))
            })
            .transpose()
    };
    let node = cstr(&target.host_arg.text)?;
    let service = cstr(&target.service)?;
    for &family in families {
        let (node, service, theirs) = (node.clone(), service.clone(), Arc::clone(&answers));
        let hints = Hints {
            family,
            socktype: libc::SOCK_STREAM,
            protocol: 0,
            flags: target.host_arg.flags,
        };
        let work = move || {
            let r = crate::sys::lookup::getaddrinfo(node.as_deref(), service.as_deref(), hints);
            theirs
                .done
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((family, r));
            let one: u64 = 1;
            unsafe {
                libc::write(
                    theirs.wake.as_raw_fd(),
                    &one as *const u64 as *const libc::c_void,
                    8,
                )
            };
        };
        if let Err(e) = std::thread::Builder::new()
            .name("socket_rs-he".into())
            .spawn(work.clone())
        {
            // No thread to be had: answer here, synchronously.
            let _ = e;
            work();
        }
    }
    Ok(answers)
}

/// Ruby 3.4's Happy Eyeballs v2 loop.
fn happy_eyeballs(target: &Target, opts: &Options) -> Result<Connected, Failure> {
    const WAKE: u64 = u64::MAX;
    let families: Vec<i32> = if opts.local.is_empty() {
        vec![libc::AF_INET6, libc::AF_INET]
    } else {
        let mut f: Vec<i32> = Vec::new();
        for l in &opts.local {
            if matches!(l.family, libc::AF_INET6 | libc::AF_INET) && !f.contains(&l.family) {
                f.push(l.family);
            }
        }
        f
    };
    let waiter = Waiter::new()?;
    let mut store = Store::new(families.clone());
    let mut now = Instant::now();
    let mut answers = None;
    let mut resolv_deadline = Deadline::Unset;
    if families.len() == 1 {
        let list = resolver::lookup(
            target.host,
            target.port,
            families[0],
            libc::SOCK_STREAM,
            0,
            0,
            opts.resolv_timeout,
        )?;
        store.add(families[0], list);
    } else {
        let a = spawn_resolvers(target, &families)?;
        waiter.add(a.wake.as_raw_fd(), libc::EPOLLIN as u32, WAKE)?;
        answers = Some(a);
        resolv_deadline = Deadline::after(opts.resolv_timeout, now);
    }

    let mut resolution_delay: Option<Instant> = None;
    let mut attempt_delay: Option<Instant> = None;
    let mut connect_deadline = Deadline::Unset;
    let mut connecting: Vec<Attempt> = Vec::new();
    let mut last: Option<Failure> = None;
    let mut attempts = 0;

    loop {
        if store.any() && resolution_delay.is_none() && attempt_delay.is_none() {
            while let Some(ai) = store.next() {
                let local = if opts.local.is_empty() {
                    None
                } else {
                    match local_for(&opts.local, ai.family) {
                        Some(l) => Some(l),
                        None if store.any() => continue,
                        None if !connecting.is_empty() || store.any_unresolved() => break,
                        None => return Err(Failure::NoLocalAddress),
                    }
                };
                attempts += 1;
                match start(&ai, local, opts.tcp_socket) {
                    Ok(Started::Connected(c)) => return Ok(c),
                    Ok(Started::InProgress(a)) => {
                        attempt_delay = Some(now + CONNECTION_ATTEMPT_DELAY);
                        if !store.any() {
                            connect_deadline = Deadline::after(opts.connect_timeout, now);
                        }
                        waiter.add(
                            a.fd.as_raw_fd(),
                            libc::EPOLLOUT as u32,
                            connecting.len() as u64,
                        )?;
                        connecting.push(a);
                        break;
                    }
                    Err(f @ Failure::Sys { .. }) => {
                        last = Some(f);
                        if store.any() {
                            continue;
                        }
                        if !connecting.is_empty() || store.any_unresolved() {
                            break;
                        }
                        return Err(last.take().expect("just set"));
                    }
                    Err(f) => return Err(f),
                }
            }
        }

        let ends_at = if store.any() {
            resolution_delay
                .or(attempt_delay)
                .map(Deadline::At)
                .unwrap_or(Deadline::Unset)
        } else {
            match (resolv_deadline, connect_deadline) {
                (Deadline::Never, _) | (_, Deadline::Never) => Deadline::Never,
                (Deadline::At(a), Deadline::At(b)) => Deadline::At(a.max(b)),
                (Deadline::At(a), Deadline::Unset) | (Deadline::Unset, Deadline::At(a)) => {
                    Deadline::At(a)
                }
                (Deadline::Unset, Deadline::Unset) => Deadline::Unset,
            }
        };
        let until = match ends_at {
            Deadline::At(t) => Some(t),
            _ => None,
        };
        let ready = waiter.wait(until)?;
        now = Instant::now();
        if resolution_delay.is_some_and(|t| now >= t) {
            resolution_delay = None;
        }
        if attempt_delay.is_some_and(|t| now >= t) {
            attempt_delay = None;
        }

        // Finished connects: the first that succeeded wins; the others are
        // closed when `connecting` is dropped.
        let mut finished: Vec<usize> = ready
            .iter()
            .filter(|&&t| t != WAKE)
            .map(|&t| t as usize)
            .collect();
        finished.sort_unstable();
        finished.dedup();
        for idx in finished.into_iter().rev() {
            if idx >= connecting.len() {
                continue;
            }
            let err = connect_result(connecting[idx].fd.as_raw_fd());
            if err == 0 {
                let won = connecting.swap_remove(idx);
                for other in &connecting {
                    waiter.remove(other.fd.as_raw_fd());
                }
                return Ok(Connected {
                    fd: won.fd,
                    addr: won.addr,
                });
            }
            let failed = connecting.swap_remove(idx);
            waiter.remove(failed.fd.as_raw_fd());
            // swap_remove moved the last attempt into `idx`: re-register its token.
            if idx < connecting.len() {
                let moved = connecting[idx].fd.as_raw_fd();
                waiter.remove(moved);
                waiter.add(moved, libc::EPOLLOUT as u32, idx as u64)?;
            }
            last = Some(Failure::Sys {
                errno: err,
                call: "connect(2)",
                addr: failed.addr,
            });
            // A failed attempt hands over to the next address at once (RFC 8305
            // section 5): the Connection Attempt Delay only paces live attempts.
            attempt_delay = None;
            if !(store.any() || !connecting.is_empty() || store.any_unresolved()) {
                return Err(last.take().expect("just set"));
            }
            if connecting.is_empty() {
                connect_deadline = Deadline::Unset;
            }
        }

        if ready.contains(&WAKE) {
            if let Some(a) = &answers {
                let mut counter = 0u64;
                unsafe {
                    libc::read(
                        a.wake.as_raw_fd(),
                        &mut counter as *mut u64 as *mut libc::c_void,
                        8,
                    )
                };
                let done: Vec<_> =
                    std::mem::take(&mut *a.done.lock().unwrap_or_else(|e| e.into_inner()));
                for (family, result) in done {
                    match result {
                        Ok(list) => store.add(family, list),
                        Err(e) => {
                            store.add_error(family);
                            // A family the host simply lacks is not worth reporting,
                            // and a failed connection says more than a lookup of
                            // the other family that found nothing (whichever came last).
                            let connect_failed = matches!(last, Some(Failure::Sys { .. }));
                            if e.code != EAI_ADDRFAMILY && !connect_failed {
                                let call = if opts.tcp_socket {
                                    ruby_version::HAPPY_EYEBALLS_GAI_CALL
                                } else {
                                    "getaddrinfo"
                                };
                                last = Some(Failure::Raise(resolver::resolution_error(call, e)));
                            }
                        }
                    }
                }
            }
            if store.is_resolved(libc::AF_INET) {
                if store.is_resolved(libc::AF_INET6) {
                    if let Some(a) = answers.take() {
                        waiter.remove(a.wake.as_raw_fd());
                    }
                    resolution_delay = None;
                    resolv_deadline = Deadline::Unset;
                } else if store.resolved_ok(libc::AF_INET) {
                    resolution_delay = Some(now + RESOLUTION_DELAY);
                }
            }
        }

        if !store.any() {
            if connecting.is_empty() && store.all_resolved() {
                return Err(last.take().unwrap_or(Failure::TimedOut { attempts }));
            }
            let resolv_done = resolv_deadline.expired(now) || store.all_resolved();
            let connect_done = connect_deadline.expired(now) || connecting.is_empty();
            if resolv_done && connect_done {
                return Err(Failure::TimedOut { attempts });
            }
        }
    }
}
