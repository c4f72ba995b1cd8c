//! The floor under the Ruby benchmarks: the same syscalls as some rows of
//! bench/*.rb, made directly through libc with no Ruby, timed the way
//! bench/lib/harness.rb times (batches, a warm-up, BENCH_WARMUP and
//! BENCH_DURATION seconds), printing the same JSON lines under the same names.
//!
//!   socket_rs_floor [row name ...]    (no names: every row)

use std::io::Error;
use std::mem::{size_of, zeroed};

/// One operation, ready to run (its sockets set up).
type Op = Box<dyn FnMut()>;
/// A row's name, as in bench/*.rb, and what sets its operation up.
type Row = (&'static str, fn() -> Op);

fn main() {
    let warmup = env_secs("BENCH_WARMUP", 0.3);
    let duration = env_secs("BENCH_DURATION", 1.0);
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    let rows: Vec<Row> = vec![
        ("Socket.new(:INET, :STREAM)+close", socket_close),
        ("getsockopt(:SOCKET, :TYPE)", getsockopt_type),
        ("setsockopt(:SOCKET, :REUSEADDR, true)", setsockopt_reuseaddr),
        ("unix pair 64B send/recv round trip", unix_pair_round_trip),
        ("udp 64B send(host, port) + recvfrom", udp_send_recvfrom),
        ("udp 64B send(sockaddr) + recvfrom_nonblock", udp_send_recvfrom),
        ("tcp connect+accept+close", tcp_connect_accept_close),
        ("TCPServer#accept+close", tcp_connect_accept_close),
    ];
    for (name, setup) in rows {
        if wanted.is_empty() || wanted.iter().any(|w| w == name) {
            measure(name, warmup, duration, setup());
        }
    }
}

fn env_secs(name: &str, default: f64) -> f64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn clock(id: libc::clockid_t) -> f64 {
    let mut ts: libc::timespec = unsafe { zeroed() };
    unsafe { libc::clock_gettime(id, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn now() -> f64 {
    clock(libc::CLOCK_MONOTONIC)
}

/// The harness's loop: grow the batch during the warm-up until one takes
/// 5 ms, then run batches until the duration is up.
fn measure(name: &str, warmup: f64, duration: f64, mut op: Op) {
    let mut batch: u64 = 1;
    let deadline = now() + warmup;
    loop {
        let started = now();
        (0..batch).for_each(|_| op());
        if now() >= deadline {
            break;
        }
        if now() - started < 0.005 {
            batch *= 2;
        }
    }
    let mut ops: u64 = 0;
    let started = now();
    let cpu_started = clock(libc::CLOCK_PROCESS_CPUTIME_ID);
    let deadline = started + duration;
    while now() < deadline {
        (0..batch).for_each(|_| op());
        ops += batch;
    }
    let elapsed = now() - started;
    let cpu = clock(libc::CLOCK_PROCESS_CPUTIME_ID) - cpu_started;
    println!(
        "{{\"name\":\"{}\",\"implementation\":\"floor (Rust, libc)\",\"ops\":{},\"seconds\":{:.6},\
         \"cpu_seconds\":{:.6},\"ops_per_sec\":{:.1},\"cpu_ns_per_op\":{:.1}}}",
        name.replace('\\', "\\\\").replace('"', "\\\""),
        ops,
        elapsed,
        cpu,
        ops as f64 / elapsed,
        cpu * 1e9 / ops as f64
    );
}

/// A syscall's result, or a panic naming the call and errno.
fn check(ret: isize, what: &str) -> isize {
    if ret < 0 {
        panic!("{what}: {}", Error::last_os_error());
    }
    ret
}

/// Waits with poll(2) until the fd is ready for `events`.
fn wait(fd: i32, events: i16) {
    let mut pfd = libc::pollfd { fd, events, revents: 0 };
    check(unsafe { libc::poll(&mut pfd, 1, -1) } as isize, "poll");
}

/// Retries an EAGAIN/EINTR result once poll(2) says the fd is ready, as the
/// Ruby side waits (it rarely has to here: loopback delivers synchronously).
fn retry(fd: i32, events: i16, what: &str, mut call: impl FnMut() -> isize) -> isize {
    loop {
        let ret = call();
        if ret >= 0 {
            return ret;
        }
        let err = Error::last_os_error();
        match err.raw_os_error() {
            Some(libc::EAGAIN) | Some(libc::EINTR) => wait(fd, events),
            _ => panic!("{what}: {err}"),
        }
    }
}

const FLAGS: i32 = libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;

fn new_socket(domain: i32, kind: i32) -> i32 {
    check(unsafe { libc::socket(domain, kind | FLAGS, 0) } as isize, "socket") as i32
}

fn close(fd: i32) {
    check(unsafe { libc::close(fd) } as isize, "close");
}

/// An IPv4 socket bound to 127.0.0.1 on a free port, and its address.
fn bound_loopback(kind: i32) -> (i32, libc::sockaddr_in) {
    let fd = new_socket(libc::AF_INET, kind);
    let one: i32 = 1;
    let len = size_of::<libc::sockaddr_in>() as libc::socklen_t;
    let mut addr: libc::sockaddr_in = unsafe { zeroed() };
    addr.sin_family = libc::AF_INET as libc::sa_family_t;
    addr.sin_addr.s_addr = u32::from_ne_bytes([127, 0, 0, 1]);
    unsafe {
        let one_ptr = &one as *const i32 as *const libc::c_void;
        check(libc::setsockopt(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, one_ptr, 4) as isize, "setsockopt");
        check(libc::bind(fd, &addr as *const _ as *const libc::sockaddr, len) as isize, "bind");
        let mut got = len;
        check(libc::getsockname(fd, &mut addr as *mut _ as *mut libc::sockaddr, &mut got) as isize, "getsockname");
    }
    (fd, addr)
}

fn socket_close() -> Op {
    Box::new(|| close(new_socket(libc::AF_INET, libc::SOCK_STREAM)))
}

fn getsockopt_type() -> Op {
    let fd = new_socket(libc::AF_INET, libc::SOCK_STREAM);
    Box::new(move || {
        let mut value: i32 = 0;
        let mut len = size_of::<i32>() as libc::socklen_t;
        let ptr = &mut value as *mut i32 as *mut libc::c_void;
        check(unsafe { libc::getsockopt(fd, libc::SOL_SOCKET, libc::SO_TYPE, ptr, &mut len) } as isize, "getsockopt");
    })
}

fn setsockopt_reuseaddr() -> Op {
    let fd = new_socket(libc::AF_INET, libc::SOCK_STREAM);
    Box::new(move || {
        let on: i32 = 1;
        let ptr = &on as *const i32 as *const libc::c_void;
        let len = size_of::<i32>() as libc::socklen_t;
        check(unsafe { libc::setsockopt(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, ptr, len) } as isize, "setsockopt");
    })
}

fn send(fd: i32, data: &[u8]) {
    retry(fd, libc::POLLOUT, "send", || unsafe {
        libc::send(fd, data.as_ptr() as *const libc::c_void, data.len(), libc::MSG_DONTWAIT)
    });
}

fn recv(fd: i32, buf: &mut [u8]) -> usize {
    retry(fd, libc::POLLIN, "recv", || unsafe {
        libc::recv(fd, buf.as_mut_ptr() as *mut libc::c_void, buf.len(), libc::MSG_DONTWAIT)
    }) as usize
}

/// a sends 64 bytes, b reads and sends them back, a reads them.
fn unix_pair_round_trip() -> Op {
    let mut fds = [0i32; 2];
    check(unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM | FLAGS, 0, fds.as_mut_ptr()) } as isize, "socketpair");
    let [a, b] = fds;
    let message = [b'x'; 64];
    let mut buf = [0u8; 64];
    Box::new(move || {
        send(a, &message);
        let n = recv(b, &mut buf);
        send(b, &buf[..n]);
        recv(a, &mut buf);
    })
}

/// sendto 127.0.0.1, then recvfrom with the sender's address.
fn udp_send_recvfrom() -> Op {
    let (receiver, dest) = bound_loopback(libc::SOCK_DGRAM);
    let (sender, _) = bound_loopback(libc::SOCK_DGRAM);
    let message = [b'x'; 64];
    let mut buf = [0u8; 64];
    Box::new(move || {
        let dest_ptr = &dest as *const _ as *const libc::sockaddr;
        let dest_len = size_of::<libc::sockaddr_in>() as libc::socklen_t;
        retry(sender, libc::POLLOUT, "sendto", || unsafe {
            libc::sendto(sender, message.as_ptr() as *const libc::c_void, 64, 0, dest_ptr, dest_len)
        });
        let mut from: libc::sockaddr_storage = unsafe { zeroed() };
        let mut from_len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        retry(receiver, libc::POLLIN, "recvfrom", || unsafe {
            let from_ptr = &mut from as *mut _ as *mut libc::sockaddr;
            libc::recvfrom(receiver, buf.as_mut_ptr() as *mut libc::c_void, 64, libc::MSG_DONTWAIT, from_ptr, &mut from_len)
        });
    })
}

/// A client connects to a listener on 127.0.0.1, the listener accepts (with
/// the peer's address), the accepted side closes first, then the client.
fn tcp_connect_accept_close() -> Op {
    let (server, addr) = bound_loopback(libc::SOCK_STREAM);
    check(unsafe { libc::listen(server, 128) } as isize, "listen");
    Box::new(move || {
        let client = new_socket(libc::AF_INET, libc::SOCK_STREAM);
        let addr_ptr = &addr as *const _ as *const libc::sockaddr;
        let addr_len = size_of::<libc::sockaddr_in>() as libc::socklen_t;
        if unsafe { libc::connect(client, addr_ptr, addr_len) } < 0 {
            let err = Error::last_os_error();
            if err.raw_os_error() != Some(libc::EINPROGRESS) {
                panic!("connect: {err}");
            }
            wait(client, libc::POLLOUT); // then SO_ERROR says how it ended
            let mut so_error: i32 = 0;
            let mut len = size_of::<i32>() as libc::socklen_t;
            let ptr = &mut so_error as *mut i32 as *mut libc::c_void;
            check(unsafe { libc::getsockopt(client, libc::SOL_SOCKET, libc::SO_ERROR, ptr, &mut len) } as isize, "getsockopt");
            if so_error != 0 {
                panic!("connect: {}", Error::from_raw_os_error(so_error));
            }
        }
        let mut peer: libc::sockaddr_storage = unsafe { zeroed() };
        let mut peer_len = size_of::<libc::sockaddr_storage>() as libc::socklen_t;
        let conn = retry(server, libc::POLLIN, "accept4", || unsafe {
            libc::accept4(server, &mut peer as *mut _ as *mut libc::sockaddr, &mut peer_len, FLAGS) as isize
        }) as i32;
        close(conn);
        close(client);
    })
}
