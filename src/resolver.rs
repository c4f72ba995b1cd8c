//! The one place names are resolved. Numeric hosts with numeric ports are
//! answered in Rust, as the stdlib answers them without getaddrinfo; names go
//! to getaddrinfo on a helper thread so that a timeout, Thread#raise or
//! Thread#kill abandons a stuck lookup at once (the helper owns its result and
//! drops it when nobody waits any more). getnameinfo works the same way.

use magnus::{
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    value::Lazy,
    Error, ExceptionClass, RArray, RClass, Ruby, Value,
};
use std::ffi::{c_void, CStr, CString};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::errors;
use crate::sockaddr;

/// One getaddrinfo answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    /// packed sockaddr
    pub addr: Vec<u8>,
    pub canonname: Option<String>,
}

/// `Socket::ResolutionError`, defined by `init`.
pub static RESOLUTION_ERROR: Lazy<ExceptionClass> = Lazy::new(|ruby| {
    let socket: RClass = ruby
        .class_object()
        .const_get("Socket")
        .unwrap_or_else(|_| ruby.class_object());
    socket
        .const_get("ResolutionError")
        .unwrap_or_else(|_| ruby.get_inner(&errors::SOCKET_ERROR))
});

/// Hidden ivar (no "@") holding the EAI_* code, as Ruby 3.4 keeps it.
const ERROR_CODE_IVAR: &str = "error_code";

pub fn init(ruby: &Ruby) -> Result<(), Error> {
    let basic_socket = ruby.define_class("BasicSocket", ruby.class_io())?;
    let socket = ruby.define_class("Socket", basic_socket)?;
    let socket_error: ExceptionClass = ruby.class_object().const_get("SocketError")?;
    let class = socket.define_class("ResolutionError", socket_error.as_r_class())?;
    class.define_method("error_code", magnus::method!(error_code, 0))?;
    Lazy::force(&RESOLUTION_ERROR, ruby);
    Ok(())
}

fn error_code(rb_self: Value) -> Result<Value, Error> {
    match magnus::RObject::from_value(rb_self) {
        Some(obj) => obj.ivar_get(ERROR_CODE_IVAR),
        None => Ok(Ruby::get_with(rb_self).qnil().as_value()),
    }
}

/// A failed lookup: the EAI_* code, and for EAI_SYSTEM the helper's errno.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GaiError {
    pub code: i32,
    pub errno: i32,
}

impl GaiError {
    fn new(code: i32) -> Self {
        GaiError { code, errno: 0 }
    }
}

pub fn gai_message(code: i32) -> String {
    let p = unsafe { libc::gai_strerror(code) };
    if p.is_null() {
        return format!("Unknown error {code}");
    }
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// The stdlib's exception for a failed getaddrinfo/getnameinfo: Errno::X for
/// EAI_SYSTEM, else Socket::ResolutionError "getaddrinfo: <gai_strerror>".
pub fn resolution_error(reason: &str, err: GaiError) -> Error {
    if err.code == libc::EAI_SYSTEM && err.errno != 0 {
        return errors::syserr(err.errno, reason);
    }
    let Some(ruby) = Ruby::get().ok() else {
        return errors::socket_error(format!("{reason}: {}", gai_message(err.code)));
    };
    let class = ruby.get_inner(&RESOLUTION_ERROR);
    let msg = format!("{reason}: {}", gai_message(err.code));
    match class.new_instance((ruby.str_new(&msg),)) {
        Ok(exc) => {
            if let Some(obj) = magnus::RObject::from_value(exc.as_value()) {
                let _ = obj.ivar_set(ERROR_CODE_IVAR, err.code);
            }
            Error::from(exc)
        }
        Err(e) => e,
    }
}

/// Errno::ETIMEDOUT "user specified timeout", as Ruby 3.4 raises for `timeout:`.
pub fn timeout_error() -> Error {
    errors::syserr(libc::ETIMEDOUT, "user specified timeout")
}

const NI_MAXHOST: usize = 1025;
const NI_MAXSERV: usize = 32;

/// A host argument as the stdlib reads it, plus AI_* flags it implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostArg {
    pub text: Option<String>,
    pub flags: i32,
}

/// nil, "" / "<any>" (0.0.0.0), "<broadcast>", an Integer (an IPv4 address
/// in host order) or a String; other objects as String conversion fails.
pub fn host_arg(host: Value) -> Result<HostArg, Error> {
    if host.is_nil() {
        return Ok(HostArg {
            text: None,
            flags: 0,
        });
    }
    if host.is_kind_of(Ruby::get_with(host).class_integer()) {
        let raw = host.as_raw();
        let mut n: u64 = 0;
        magnus::rb_sys::protect(|| unsafe {
            n = rb_sys::rb_num2uint(raw) as u64;
            rb_sys::Qnil as rb_sys::VALUE
        })?;
        let ip = std::net::Ipv4Addr::from(n as u32);
        return Ok(HostArg {
            text: Some(ip.to_string()),
            flags: libc::AI_NUMERICHOST,
        });
    }
    let s = cstr_value(host)?;
    let numeric = |t: &str| HostArg {
        text: Some(t.into()),
        flags: libc::AI_NUMERICHOST,
    };
    if s.is_empty() || s == "<any>" {
        return Ok(numeric("0.0.0.0"));
    }
    if s == "<broadcast>" {
        return Ok(numeric("255.255.255.255"));
    }
    if s.len() >= NI_MAXHOST {
        return Err(errors::arg_error(format!(
            "hostname too long ({})",
            s.len()
        )));
    }
    Ok(HostArg {
        text: Some(s),
        flags: 0,
    })
}

/// A port argument: nil, an Integer (printed as a C long; Bignums are not
/// converted) or a String service name.
pub fn port_arg(port: Value) -> Result<Option<String>, Error> {
    if port.is_nil() {
        return Ok(None);
    }
    if port.is_kind_of(Ruby::get_with(port).class_integer()) && rb_sys::FIXNUM_P(port.as_raw()) {
        let raw = port.as_raw();
        // Printed as a C long: getaddrinfo itself keeps the low bits.
        let mut n: i64 = 0;
        magnus::rb_sys::protect(|| unsafe {
            n = rb_sys::rb_num2long(raw) as i64;
            rb_sys::Qnil as rb_sys::VALUE
        })?;
        return Ok(Some(n.to_string()));
    }
    let s = cstr_value(port)?;
    if s.len() >= NI_MAXSERV {
        return Err(errors::arg_error(format!(
            "service name too long ({})",
            s.len()
        )));
    }
    Ok(Some(s))
}

/// StringValueCStr: implicit conversion, and no NUL bytes inside.
fn cstr_value(v: Value) -> Result<String, Error> {
    let mut raw = v.as_raw();
    let mut out = String::new();
    magnus::rb_sys::protect(|| unsafe {
        let p = rb_sys::rb_string_value_cstr(&mut raw);
        out = CStr::from_ptr(p).to_string_lossy().into_owned();
        rb_sys::Qnil as rb_sys::VALUE
    })?;
    Ok(out)
}

/// A port the stdlib takes as numeric without getaddrinfo: nothing, or only
/// digits with a value below 65536.
fn numeric_port(service: Option<&str>) -> Option<u16> {
    match service {
        None => Some(0),
        Some(s) if s.bytes().all(|b| b.is_ascii_digit()) => {
            let digits = s.trim_start_matches('0');
            if digits.len() > 5 {
                return None;
            }
            if digits.is_empty() {
                return Some(0);
            }
            digits
                .parse::<u32>()
                .ok()
                .filter(|&n| n < 0x10000)
                .map(|n| n as u16)
        }
        Some(_) => None,
    }
}

/// The stdlib's resolver-free answer for a numeric host and port: STREAM/TCP,
/// DGRAM/UDP and RAW entries filtered by the hints. None when it does not
/// apply, and getaddrinfo must decide.
pub fn numeric_lookup(
    host: Option<&str>,
    service: Option<&str>,
    family: i32,
    socktype: i32,
    protocol: i32,
) -> Option<Vec<Resolved>> {
    let host = host?;
    let port = numeric_port(service)?;
    const LIST: [(i32, i32); 3] = [
        (libc::SOCK_STREAM, libc::IPPROTO_TCP),
        (libc::SOCK_DGRAM, libc::IPPROTO_UDP),
        (libc::SOCK_RAW, 0),
    ];
    let entries = |fam: i32, addr: Vec<u8>| -> Vec<Resolved> {
        LIST.iter()
            .filter(|(st, pr)| {
                (socktype == 0 || socktype == *st) && (protocol == 0 || *pr == 0 || protocol == *pr)
            })
            .map(|&(st, pr)| Resolved {
                family: fam,
                socktype: st,
                protocol: if protocol != 0 { protocol } else { pr },
                addr: addr.clone(),
                canonname: None,
            })
            .collect()
    };
    let mut out = Vec::new();
    let v6_chars = |b: u8| b.is_ascii_hexdigit() || b == b'.' || b == b':';
    if (family == libc::AF_UNSPEC || family == libc::AF_INET6) && host.bytes().all(v6_chars) {
        if let Ok(a) = host.parse::<std::net::Ipv6Addr>() {
            out.extend(entries(
                libc::AF_INET6,
                sockaddr::pack_v6(port, a, 0, 0).to_vec(),
            ));
        }
    }
    if (family == libc::AF_UNSPEC || family == libc::AF_INET)
        && host.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        if let Ok(a) = host.parse::<std::net::Ipv4Addr>() {
            out.extend(entries(libc::AF_INET, sockaddr::pack_v4(port, a).to_vec()));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Resolves `host`/`port` as the stdlib does (Addrinfo.getaddrinfo,
/// Socket.getaddrinfo, TCPSocket.new ...). `timeout` gives up with
/// Errno::ETIMEDOUT "user specified timeout".
pub fn lookup(
    host: Value,
    port: Value,
    family: i32,
    socktype: i32,
    protocol: i32,
    flags: i32,
    timeout: Option<Duration>,
) -> Result<Vec<Resolved>, Error> {
    let h = host_arg(host)?;
    let service = port_arg(port)?;
    lookup_args(
        host,
        &h,
        service.as_deref(),
        family,
        socktype,
        protocol,
        flags,
        timeout,
    )
}

/// As the stdlib resolves for Socket.sockaddr_in, UDPSocket#bind/connect/send:
/// like `lookup`, but a numeric port with socktype 0 asks for SOCK_DGRAM.
pub fn lookup_for_socket(
    host: Value,
    port: Value,
    family: i32,
    socktype: i32,
    flags: i32,
    timeout: Option<Duration>,
) -> Result<Vec<Resolved>, Error> {
    let h = host_arg(host)?;
    let service = port_arg(port)?;
    let mut socktype = socktype;
    if socktype == 0 && service.as_deref().is_some_and(strtoul_whole) {
        socktype = libc::SOCK_DGRAM;
    }
    lookup_args(
        host,
        &h,
        service.as_deref(),
        family,
        socktype,
        0,
        flags,
        timeout,
    )
}

/// Whether strtoul(s, &end, 10) consumes all of a non-empty `s`.
fn strtoul_whole(s: &str) -> bool {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    !s.is_empty() && !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

#[allow(clippy::too_many_arguments)]
fn lookup_args(
    host_value: Value,
    host: &HostArg,
    service: Option<&str>,
    family: i32,
    socktype: i32,
    protocol: i32,
    flags: i32,
    timeout: Option<Duration>,
) -> Result<Vec<Resolved>, Error> {
    let flags = flags | host.flags;
    let text = host.text.as_deref();
    if let Some(list) = numeric_lookup(text, service, family, socktype, protocol) {
        return Ok(list);
    }
    let mut result = None;
    if text.is_some() && flags & libc::AI_NUMERICHOST == 0 {
        result = scheduler_lookup(host_value, service, family, socktype, protocol)?;
    }
    let result = match result {
        Some(r) => r,
        None => {
            let hints = Hints {
                family,
                socktype,
                protocol,
                flags,
            };
            let node = text.map(c_string).transpose()?;
            let serv = service.map(c_string).transpose()?;
            match off_gvl(
                move || getaddrinfo(node.as_deref(), serv.as_deref(), hints),
                timeout,
            )? {
                Some(r) => r,
                None => return Err(timeout_error()),
            }
        }
    };
    result.map_err(|e| {
        if text.is_some_and(|t| t.ends_with('\n')) {
            errors::socket_error("newline at the end of hostname")
        } else {
            resolution_error("getaddrinfo", e)
        }
    })
}

fn c_string(s: &str) -> Result<CString, Error> {
    CString::new(s).map_err(|_| errors::arg_error("string contains null byte"))
}

/// Under a fiber scheduler with an `address_resolve` hook, asks it (as Ruby
/// 3.1+ does for names) and builds the answers from the addresses it gives.
/// None when there is no scheduler or no hook.
fn scheduler_lookup(
    host: Value,
    service: Option<&str>,
    family: i32,
    socktype: i32,
    protocol: i32,
) -> Result<Option<Result<Vec<Resolved>, GaiError>>, Error> {
    let scheduler = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_fiber_scheduler_current() })?;
    if scheduler == rb_sys::Qnil as rb_sys::VALUE {
        return Ok(None);
    }
    let raw_host = host.as_raw();
    let answer = magnus::rb_sys::protect(|| unsafe {
        rb_sys::rb_fiber_scheduler_address_resolve(scheduler, raw_host)
    })?;
    if answer == rb_sys::Qundef as rb_sys::VALUE {
        return Ok(None);
    }
    let answer = unsafe { Value::from_raw(answer) };
    let mut out = Vec::new();
    if let Some(list) = RArray::from_value(answer) {
        for addr in list.into_iter() {
            let h = host_arg(addr)?;
            if let Some(r) = numeric_lookup(h.text.as_deref(), service, family, socktype, protocol)
            {
                out.extend(r);
            }
        }
    }
    if out.is_empty() {
        return Ok(Some(Err(GaiError::new(libc::EAI_NONAME))));
    }
    Ok(Some(Ok(out)))
}

#[derive(Clone, Copy)]
struct Hints {
    family: i32,
    socktype: i32,
    protocol: i32,
    flags: i32,
}

/// libc's getaddrinfo, copied into Rust values and freed at once. Runs on the
/// helper thread: errno for EAI_SYSTEM is read here, where it was set.
fn getaddrinfo(
    node: Option<&CStr>,
    service: Option<&CStr>,
    h: Hints,
) -> Result<Vec<Resolved>, GaiError> {
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = h.family;
    hints.ai_socktype = h.socktype;
    hints.ai_protocol = h.protocol;
    hints.ai_flags = h.flags;
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    let code = unsafe {
        libc::getaddrinfo(
            node.map_or(std::ptr::null(), |c| c.as_ptr()),
            service.map_or(std::ptr::null(), |c| c.as_ptr()),
            &hints,
            &mut res,
        )
    };
    if code != 0 {
        return Err(GaiError {
            code,
            errno: errors::errno(),
        });
    }
    let mut out = Vec::new();
    let mut p = res;
    while !p.is_null() {
        let ai = unsafe { &*p };
        let addr = if ai.ai_addr.is_null() {
            Vec::new()
        } else {
            unsafe { std::slice::from_raw_parts(ai.ai_addr as *const u8, ai.ai_addrlen as usize) }
                .to_vec()
        };
        let canonname = (!ai.ai_canonname.is_null()).then(|| {
            unsafe { CStr::from_ptr(ai.ai_canonname) }
                .to_string_lossy()
                .into_owned()
        });
        out.push(Resolved {
            family: ai.ai_family,
            socktype: ai.ai_socktype,
            protocol: ai.ai_protocol,
            addr,
            canonname,
        });
        p = ai.ai_next;
    }
    unsafe { libc::freeaddrinfo(res) };
    Ok(out)
}

/// getnameinfo for packed sockaddr bytes: (host, service). Numeric requests
/// for well-formed IP sockaddrs are answered in Rust.
pub fn getnameinfo(sa: &[u8], flags: i32) -> Result<(String, String), Error> {
    if let Some(answer) = numeric_nameinfo(sa, flags) {
        return Ok(answer);
    }
    let bytes = sa.to_vec();
    match off_gvl(move || getnameinfo_libc(&bytes, flags), None)? {
        Some(Ok(r)) => Ok(r),
        Some(Err(e)) => Err(resolution_error("getnameinfo", e)),
        None => Err(timeout_error()),
    }
}

fn numeric_nameinfo(sa: &[u8], flags: i32) -> Option<(String, String)> {
    let numeric = libc::NI_NUMERICHOST | libc::NI_NUMERICSERV;
    let harmless = numeric | libc::NI_DGRAM | libc::NI_NOFQDN;
    if flags & numeric != numeric || flags & !harmless != 0 {
        return None;
    }
    let ip = match sockaddr::family(sa)? {
        libc::AF_INET if sa.len() == sockaddr::SIN_LEN => sockaddr::unpack_ip(sa)?,
        libc::AF_INET6 if sa.len() == sockaddr::SIN6_LEN => sockaddr::unpack_ip(sa)?,
        _ => return None,
    };
    Some((sockaddr::ip_text(&ip), ip.port().to_string()))
}

fn getnameinfo_libc(sa: &[u8], flags: i32) -> Result<(String, String), GaiError> {
    let Some(addr) = sockaddr::SockAddr::from_bytes(sa) else {
        return Err(GaiError::new(libc::EAI_FAMILY));
    };
    let mut host = [0 as libc::c_char; NI_MAXHOST];
    let mut serv = [0 as libc::c_char; NI_MAXSERV];
    let code = unsafe {
        libc::getnameinfo(
            addr.as_ptr(),
            addr.len(),
            host.as_mut_ptr(),
            host.len() as libc::socklen_t,
            serv.as_mut_ptr(),
            serv.len() as libc::socklen_t,
            flags,
        )
    };
    if code != 0 {
        return Err(GaiError {
            code,
            errno: errors::errno(),
        });
    }
    let text = |b: &[libc::c_char]| {
        unsafe { CStr::from_ptr(b.as_ptr()) }
            .to_string_lossy()
            .into_owned()
    };
    Ok((text(&host), text(&serv)))
}

/// What the helper thread and the waiting Ruby thread share.
struct Job<T> {
    slot: Mutex<Slot<T>>,
    cond: Condvar,
}

struct Slot<T> {
    result: Option<T>,
    /// set by Ruby's unblocking function: stop waiting, Ruby has an interrupt
    interrupted: bool,
}

struct WaitCtx<T> {
    job: Arc<Job<T>>,
    deadline: Option<Instant>,
}

/// Runs `work` on a helper thread and waits for it without the GVL, so other
/// Ruby threads run and interrupts are honoured. Ok(None) when `timeout`
/// passed first. An interrupt that raises abandons the helper: it finishes
/// alone and drops its result.
fn off_gvl<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
    timeout: Option<Duration>,
) -> Result<Option<T>, Error> {
    let job = Arc::new(Job {
        slot: Mutex::new(Slot {
            result: None,
            interrupted: false,
        }),
        cond: Condvar::new(),
    });
    let deadline = timeout.map(|t| Instant::now() + t);
    let theirs = Arc::clone(&job);
    // The work is handed over through a slot so it can still run here when
    // no thread can be started.
    let work = Arc::new(Mutex::new(Some(work)));
    let their_work = Arc::clone(&work);
    let spawned = std::thread::Builder::new()
        .name("socket_rs-resolve".into())
        .spawn(move || {
            let w = their_work.lock().ok().and_then(|mut g| g.take());
            if let Some(w) = w {
                let r = w();
                let mut slot = theirs.slot.lock().unwrap_or_else(|e| e.into_inner());
                slot.result = Some(r);
                theirs.cond.notify_all();
            }
        });
    if spawned.is_err() {
        let w = work.lock().ok().and_then(|mut g| g.take());
        return Ok(w.map(|w| w()));
    }
    let mut ctx = WaitCtx { job, deadline };
    loop {
        let ptr = &mut ctx as *mut WaitCtx<T> as *mut c_void;
        magnus::rb_sys::protect(|| unsafe {
            rb_sys::rb_thread_call_without_gvl(
                Some(wait_job::<T>),
                ptr,
                Some(interrupt_job::<T>),
                ptr,
            );
            rb_sys::Qnil as rb_sys::VALUE
        })?;
        let mut slot = ctx.job.slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = slot.result.take() {
            return Ok(Some(r));
        }
        if ctx.deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(None);
        }
        // An interrupt Ruby handled without raising (a trap handler): wait on.
        slot.interrupted = false;
    }
}

unsafe extern "C" fn wait_job<T>(data: *mut c_void) -> *mut c_void {
    let ctx = &*(data as *const WaitCtx<T>);
    let mut slot = ctx.job.slot.lock().unwrap_or_else(|e| e.into_inner());
    while slot.result.is_none() && !slot.interrupted {
        match ctx.deadline {
            None => slot = ctx.job.cond.wait(slot).unwrap_or_else(|e| e.into_inner()),
            Some(d) => {
                let now = Instant::now();
                if now >= d {
                    break;
                }
                slot = ctx
                    .job
                    .cond
                    .wait_timeout(slot, d - now)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
        }
    }
    std::ptr::null_mut()
}

unsafe extern "C" fn interrupt_job<T>(data: *mut c_void) {
    let ctx = &*(data as *const WaitCtx<T>);
    let mut slot = ctx.job.slot.lock().unwrap_or_else(|e| e.into_inner());
    slot.interrupted = true;
    ctx.job.cond.notify_all();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn libc_lookup(
        host: &str,
        port: Option<&str>,
        family: i32,
        socktype: i32,
        protocol: i32,
    ) -> Option<Vec<Resolved>> {
        let node = CString::new(host).unwrap();
        let serv = port.map(|p| CString::new(p).unwrap());
        let h = Hints {
            family,
            socktype,
            protocol,
            flags: libc::AI_NUMERICHOST | libc::AI_NUMERICSERV,
        };
        getaddrinfo(Some(&node), serv.as_deref(), h).ok()
    }

    #[test]
    fn numeric_answers_match_getaddrinfo() {
        for host in [
            "127.0.0.1",
            "::1",
            "0.0.0.0",
            "::ffff:1.2.3.4",
            "255.255.255.255",
        ] {
            for port in [None, Some("80"), Some("0"), Some("65535")] {
                for family in [libc::AF_UNSPEC, libc::AF_INET, libc::AF_INET6] {
                    for socktype in [0, libc::SOCK_STREAM, libc::SOCK_DGRAM, libc::SOCK_RAW] {
                        for protocol in [0, libc::IPPROTO_TCP, libc::IPPROTO_UDP] {
                            // Here the stdlib adds a RAW entry glibc leaves out
                            // (the specs check that against the stdlib itself).
                            if socktype == 0 && protocol != 0 {
                                continue;
                            }
                            let ours = numeric_lookup(Some(host), port, family, socktype, protocol);
                            let theirs = libc_lookup(host, port, family, socktype, protocol);
                            if let (Some(o), Some(t)) = (&ours, &theirs) {
                                assert_eq!(o, t, "{host} {port:?} {family} {socktype} {protocol}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn numeric_ports_are_digits_below_65536() {
        assert_eq!(numeric_port(None), Some(0));
        assert_eq!(numeric_port(Some("")), Some(0));
        assert_eq!(numeric_port(Some("00080")), Some(80));
        assert_eq!(numeric_port(Some("65536")), None);
        assert_eq!(numeric_port(Some("-1")), None);
        assert_eq!(numeric_port(Some("http")), None);
        assert_eq!(numeric_port(Some("99999999999999999999999")), None);
    }

    #[test]
    fn numeric_hosts_only_in_the_stdlib_forms() {
        assert!(numeric_lookup(Some("127.1"), None, 0, 0, 0).is_none());
        assert!(numeric_lookup(Some("fe80::1%1"), None, 0, 0, 0).is_none());
        assert!(numeric_lookup(Some("127.0.0.1"), None, libc::AF_INET6, 0, 0).is_none());
        assert!(numeric_lookup(
            Some("127.0.0.1"),
            None,
            0,
            libc::SOCK_DGRAM,
            libc::IPPROTO_TCP
        )
        .is_none());
        let raw = numeric_lookup(Some("127.0.0.1"), Some("80"), 0, 0, 132).unwrap();
        assert_eq!(raw.len(), 1);
        assert_eq!((raw[0].socktype, raw[0].protocol), (libc::SOCK_RAW, 132));
    }

    #[test]
    fn numeric_nameinfo_is_text() {
        let sa = sockaddr::pack_v4(80, std::net::Ipv4Addr::LOCALHOST);
        let f = libc::NI_NUMERICHOST | libc::NI_NUMERICSERV;
        assert_eq!(
            numeric_nameinfo(&sa, f),
            Some(("127.0.0.1".into(), "80".into()))
        );
        assert_eq!(numeric_nameinfo(&sa, f), getnameinfo_libc(&sa, f).ok());
        assert_eq!(numeric_nameinfo(&sa[..10], f), None);
        assert_eq!(numeric_nameinfo(&sa, libc::NI_NUMERICHOST), None);
    }

    #[test]
    fn strtoul_whole_like_c() {
        assert!(strtoul_whole("80"));
        assert!(strtoul_whole("-1"));
        assert!(strtoul_whole(" 8"));
        assert!(!strtoul_whole(""));
        assert!(!strtoul_whole("8 "));
        assert!(!strtoul_whole("http"));
    }
}
