//! The one place where the Rubies socket_rs supports differ in a way a
//! program can see. Each entry is a named behaviour fixed when the library is
//! built: it is built for one Ruby (lib/socket_rs/<minor>/socket_rs.so), so
//! these are constants and every check folds away. Everything not listed
//! behaves the same on every Ruby, and what newer Rubies only add (Happy
//! Eyeballs v2, `fast_fallback:`, `resolv_timeout:`, `connect_timeout:`,
//! Socket::ResolutionError#error_code, IO#timeout honoured by every blocking
//! call) is there on all of them.
//!
//! Not listed because it needs no check: IO#timeout (3.2+) running out raises
//! IO::TimeoutError from every blocking call. 3.3's stdlib raises Errno::EAGAIN
//! from recv/accept there, and ignores it in connect and recv_io; 3.4 fixed
//! the first, and socket_rs does what 3.4 does everywhere.

/// The Ruby this library is built for: 30400 for 3.4.
pub const API_VERSION: u32 = rb_sys::RUBY_API_VERSION_CODE;

const fn since(major: u32, minor: u32) -> bool {
    API_VERSION >= major * 10000 + minor * 100
}

/// recv, recvfrom, recvmsg and recv_nonblock return nil when they read
/// nothing from a stream (its end, or a zero length asked for) from Ruby 3.3
/// on (Feature #19012); before, "" (and recvfrom/recvmsg their usual arrays
/// around it).
pub const NIL_AT_END_OF_STREAM: bool = since(3, 3);

/// How TCPSocket.new reports a connect that ran out of `connect_timeout:`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ConnectTimeout {
    /// 3.1 and 3.2: Errno::ETIMEDOUT "connect(2) for \"host\" port 80",
    /// once every address has had the whole timeout.
    Errno,
    /// 3.3: IO::TimeoutError "connect(2) for \"host\" port 80", likewise.
    IoTimeoutNamed,
    /// 3.4: IO::TimeoutError "Connect timed out!" as soon as one address
    /// times out (one at a time, or Happy Eyeballs with a single address);
    /// Errno::ETIMEDOUT "user specified timeout" when Happy Eyeballs runs
    /// out with several attempts made.
    IoTimeout,
}

impl ConnectTimeout {
    /// Whether the first address to time out ends the connect (3.4), rather
    /// than the next address being tried.
    pub const fn ends_at_first_timeout(self) -> bool {
        matches!(self, ConnectTimeout::IoTimeout)
    }
}

pub const TCP_CONNECT_TIMEOUT: ConnectTimeout = if since(3, 4) {
    ConnectTimeout::IoTimeout
} else if since(3, 3) {
    ConnectTimeout::IoTimeoutNamed
} else {
    ConnectTimeout::Errno
};

/// Whether a blocking send or recv lets go of the GVL around each of its
/// (non-blocking) syscalls, as the stdlib and Ruby's own IO do before 3.3.
/// There threads wait for the GVL while one holds it, and a send on loopback
/// does the receiving side's work too: with the GVL held through it, the
/// 32-client server benchmark on 3.1 serves 39k requests/s, with it let go
/// 54k (the stdlib 53k). 3.3's thread scheduler makes each hand-over dear:
/// let go there, the same benchmark halves (19k to 9k), so from 3.3 on the
/// GVL stays held. Not visible to a program beyond timing.
pub const SYSCALL_WITHOUT_GVL: bool = !since(3, 3);

/// IPSocket#addr and #peeraddr check their reverse-lookup flag before whether
/// the socket is open from 3.4 on (`addr(:bogus)` on a closed socket raises
/// ArgumentError); before, IOError "closed stream" comes first.
pub const ADDR_CHECKS_FLAG_FIRST: bool = since(3, 4);

/// The call named in resolution errors from TCPSocket.new's Happy Eyeballs:
/// 3.4 says "getaddrinfo(3): Name or service not known"; older Rubies say
/// "getaddrinfo: ..." there as everywhere else.
pub const HAPPY_EYEBALLS_GAI_CALL: &str = if since(3, 4) {
    "getaddrinfo(3)"
} else {
    "getaddrinfo"
};
