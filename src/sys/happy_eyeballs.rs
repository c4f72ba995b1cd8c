//! Happy Eyeballs v2 (RFC 8305) as Ruby 3.4's Socket.tcp and TCPSocket.new
//! do it, without Ruby: a getaddrinfo per family on plain threads, attempts
//! started 250 ms apart (at once after a failure), a 50 ms resolution delay
//! for IPv6 answers, and the timeouts. Every connecting socket and the
//! resolvers' wake-up eventfd sit in one epoll set; the caller (glue/connect.rs)
//! waits on it the way its runtime waits, through `Host`.

use std::collections::VecDeque;
use std::ffi::CString;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::sys::fd;
use crate::sys::lookup::{self, GaiError, Hints, Resolved};
use crate::sys::sockaddr::SockAddr;

/// glibc's "address family for host not supported" (a GNU extension the
/// libc crate doesn't export).
const EAI_ADDRFAMILY: i32 = -9;

/// Wait for IPv6 answers this long after IPv4 answers arrive first.
const RESOLUTION_DELAY: Duration = Duration::from_millis(50);

/// Start the next attempt if the current one hasn't connected by then.
const CONNECTION_ATTEMPT_DELAY: Duration = Duration::from_millis(250);

/// What Happy Eyeballs needs from its caller's runtime.
pub trait Host {
    /// Whatever ends a wait early (an interrupt, a closed IO).
    type Error;
    /// Waits until `epfd` is readable (Ok(true)) or `until` passes (Ok(false)).
    fn wait(&mut self, epfd: RawFd, until: Option<Instant>) -> Result<bool, Self::Error>;
    /// socket(2) for one attempt: non-blocking and close-on-exec, or the errno.
    fn socket(&mut self, family: i32, socktype: i32, protocol: i32) -> Result<OwnedFd, i32>;
}

/// Where to connect and how.
pub struct Request {
    pub node: Option<CString>,
    pub service: Option<CString>,
    /// AI_* flags the host argument implies.
    pub flags: i32,
    /// Answers already looked up for the only family to try (a local address
    /// restricts the families); None: look both families up here.
    pub resolved: Option<(i32, Vec<Resolved>)>,
    /// Local addresses to bind to (empty: don't bind).
    pub local: Vec<Resolved>,
    pub resolv_timeout: Option<Duration>,
    pub connect_timeout: Option<Duration>,
    /// TCPSocket.new's way: SO_REUSEADDR before bind(2).
    pub reuse_address: bool,
}

/// Why no connection was made.
pub enum Failure<E> {
    /// A system call failed on an address (the last such error seen).
    Sys {
        errno: i32,
        call: &'static str,
        addr: Vec<u8>,
    },
    /// A lookup failed, and no connection attempt said more.
    Resolve(GaiError),
    /// `connect_timeout`/`resolv_timeout` ran out after `attempts`
    /// connection attempts (0: while resolving).
    TimedOut { attempts: usize },
    /// Local addresses were given but none has a family we resolved.
    NoLocalAddress,
    /// The caller's wait ended with its own error.
    Host(E),
}

/// A connected, non-blocking, close-on-exec socket and the address it reached.
pub struct Connected {
    pub fd: OwnedFd,
    pub addr: Vec<u8>,
}

/// The epoll set of the attempts and the resolvers' eventfd.
struct Epoll(OwnedFd);

impl Epoll {
    fn new<E>() -> Result<Self, Failure<E>> {
        let fd = unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) };
        if fd < 0 {
            return Err(Failure::Sys {
                errno: fd::errno(),
                call: "epoll_create1(2)",
                addr: Vec::new(),
            });
        }
        Ok(Epoll(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    fn add<E>(&self, fd: RawFd, events: u32, token: u64) -> Result<(), Failure<E>> {
        let mut ev = libc::epoll_event { events, u64: token };
        if unsafe { libc::epoll_ctl(self.0.as_raw_fd(), libc::EPOLL_CTL_ADD, fd, &mut ev) } < 0 {
            return Err(Failure::Sys {
                errno: fd::errno(),
                call: "epoll_ctl(2)",
                addr: Vec::new(),
            });
        }
        Ok(())
    }

    fn remove(&self, fd: RawFd) {
        unsafe {
            libc::epoll_ctl(
                self.0.as_raw_fd(),
                libc::EPOLL_CTL_DEL,
                fd,
                std::ptr::null_mut(),
            )
        };
    }

    /// Waits (through the host) until something is ready or `until` passes;
    /// the ready tokens.
    fn wait<H: Host>(
        &self,
        host: &mut H,
        until: Option<Instant>,
    ) -> Result<Vec<u64>, Failure<H::Error>> {
        let expired = until.is_some_and(|t| t <= Instant::now());
        if !expired
            && !host
                .wait(self.0.as_raw_fd(), until)
                .map_err(Failure::Host)?
        {
            return Ok(Vec::new());
        }
        let mut events = [libc::epoll_event { events: 0, u64: 0 }; 16];
        let n = unsafe {
            libc::epoll_wait(
                self.0.as_raw_fd(),
                events.as_mut_ptr(),
                events.len() as i32,
                0,
            )
        };
        Ok(events[..n.max(0) as usize].iter().map(|e| e.u64).collect())
    }
}

/// A socket whose non-blocking connect is under way.
pub struct Attempt {
    pub fd: OwnedFd,
    pub addr: Vec<u8>,
}

/// How starting an attempt went.
pub enum Started {
    Connected(Connected),
    InProgress(Attempt),
}

/// socket(2), bind(2) to `local` if given, and a non-blocking connect(2).
pub fn start<E>(
    host: &mut impl Host<Error = E>,
    ai: &Resolved,
    local: Option<&Resolved>,
    reuse: bool,
) -> Result<Started, Failure<E>> {
    let sys = |errno, call, addr: &[u8]| Failure::Sys {
        errno,
        call,
        addr: addr.to_vec(),
    };
    let fd = host
        .socket(ai.family, ai.socktype, ai.protocol)
        .map_err(|e| sys(e, "socket(2)", &ai.addr))?;
    if let Some(l) = local {
        if reuse {
            // Best effort, as the stdlib: a failure shows up at bind(2) if it matters.
            let _ = fd::set_int_option(fd.as_raw_fd(), libc::SOL_SOCKET, libc::SO_REUSEADDR, 1);
        }
        let sa = sockaddr_of(&l.addr)?;
        if unsafe { libc::bind(fd.as_raw_fd(), sa.as_ptr(), sa.len()) } < 0 {
            return Err(sys(fd::errno(), "bind(2)", &l.addr));
        }
    }
    let sa = sockaddr_of(&ai.addr)?;
    if unsafe { libc::connect(fd.as_raw_fd(), sa.as_ptr(), sa.len()) } == 0 {
        return Ok(Started::Connected(Connected {
            fd,
            addr: ai.addr.clone(),
        }));
    }
    match fd::errno() {
        libc::EINPROGRESS | libc::EINTR => Ok(Started::InProgress(Attempt {
            fd,
            addr: ai.addr.clone(),
        })),
        e => Err(sys(e, "connect(2)", &ai.addr)),
    }
}

fn sockaddr_of<E>(bytes: &[u8]) -> Result<SockAddr, Failure<E>> {
    // Resolver answers always fit; anything else is reported as an invalid address.
    SockAddr::from_bytes(bytes).ok_or(Failure::Sys {
        errno: libc::EINVAL,
        call: "connect(2)",
        addr: bytes.to_vec(),
    })
}

/// The pending error of a socket whose connect finished (0: connected).
pub fn connect_result(fd: RawFd) -> i32 {
    fd::getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_ERROR).unwrap_or_else(|e| e)
}

pub fn local_for(local: &[Resolved], family: i32) -> Option<&Resolved> {
    local.iter().find(|l| l.family == family)
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

/// One family's lookup: the family and its answers.
type Answer = (i32, Result<Vec<Resolved>, GaiError>);

/// What the resolver threads hand back, as each finishes.
struct Answers {
    done: Mutex<Vec<Answer>>,
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
fn spawn_resolvers<E>(req: &Request, families: &[i32]) -> Result<Arc<Answers>, Failure<E>> {
    let wake = unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
    if wake < 0 {
        return Err(Failure::Sys {
            errno: fd::errno(),
            call: "eventfd(2)",
            addr: Vec::new(),
        });
    }
    let answers = Arc::new(Answers {
        done: Mutex::new(Vec::new()),
        wake: unsafe { OwnedFd::from_raw_fd(wake) },
    });
    for &family in families {
        let (node, service) = (req.node.clone(), req.service.clone());
        let theirs = Arc::clone(&answers);
        let hints = Hints {
            family,
            socktype: libc::SOCK_STREAM,
            protocol: 0,
            flags: req.flags,
        };
        let work = move || {
            let r = lookup::getaddrinfo(node.as_deref(), service.as_deref(), hints);
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

/// Ruby 3.4's Happy Eyeballs v2 loop: the first attempt to connect wins; the
/// others are closed.
pub fn connect<H: Host>(req: &Request, host: &mut H) -> Result<Connected, Failure<H::Error>> {
    let opts = req;
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
    let waiter = Epoll::new()?;
    let mut store = Store::new(families.clone());
    let mut now = Instant::now();
    let mut answers = None;
    let mut resolv_deadline = Deadline::Unset;
    if let Some((family, list)) = &req.resolved {
        store.add(*family, list.clone());
    } else {
        let a = spawn_resolvers(req, &families)?;
        waiter.add(a.wake.as_raw_fd(), libc::EPOLLIN as u32, WAKE)?;
        answers = Some(a);
        resolv_deadline = Deadline::after(opts.resolv_timeout, now);
    }

    let mut resolution_delay: Option<Instant> = None;
    let mut attempt_delay: Option<Instant> = None;
    let mut connect_deadline = Deadline::Unset;
    let mut connecting: Vec<Attempt> = Vec::new();
    let mut last: Option<Failure<H::Error>> = None;
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
                match start(host, &ai, local, opts.reuse_address) {
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
        let ready = waiter.wait(host, until)?;
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
                                last = Some(Failure::Resolve(e));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Waits with poll(2), as a plain program would.
    struct Poll;

    impl Host for Poll {
        type Error = ();

        fn wait(&mut self, epfd: RawFd, until: Option<Instant>) -> Result<bool, ()> {
            let ms = until.map_or(-1, |t| {
                t.saturating_duration_since(Instant::now()).as_millis() as i32
            });
            let mut p = libc::pollfd {
                fd: epfd,
                events: libc::POLLIN,
                revents: 0,
            };
            Ok(unsafe { libc::poll(&mut p, 1, ms) } > 0)
        }

        fn socket(&mut self, family: i32, socktype: i32, protocol: i32) -> Result<OwnedFd, i32> {
            let fd = unsafe {
                libc::socket(
                    family,
                    socktype | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                    protocol,
                )
            };
            if fd < 0 {
                Err(fd::errno())
            } else {
                Ok(unsafe { OwnedFd::from_raw_fd(fd) })
            }
        }
    }

    fn request(port: u16) -> Request {
        Request {
            node: Some(CString::new("127.0.0.1").unwrap()),
            service: Some(CString::new(port.to_string()).unwrap()),
            flags: libc::AI_NUMERICHOST,
            resolved: None,
            local: Vec::new(),
            resolv_timeout: None,
            connect_timeout: Some(Duration::from_secs(5)),
            reuse_address: false,
        }
    }

    #[test]
    fn connects_to_a_listener_on_loopback() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let c = connect(&request(port), &mut Poll).ok().expect("connected");
        assert_eq!(crate::sys::sockaddr::family(&c.addr), Some(libc::AF_INET));
        assert!(listener.accept().is_ok());
    }

    #[test]
    fn reports_the_refusal_when_nothing_listens() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        match connect(&request(port), &mut Poll) {
            Err(Failure::Sys { errno, call, .. }) => {
                assert_eq!((errno, call), (libc::ECONNREFUSED, "connect(2)"));
            }
            _ => panic!("expected ECONNREFUSED"),
        }
    }
}
