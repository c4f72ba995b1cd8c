//! Socket::Constants: every constant the stdlib defines on Linux, in the
//! stdlib's order, plus the reverse lookups inspect texts need. The table and
//! the lookups know no Ruby, so `cargo test` covers them.

/// (name, value) in the order the stdlib defines them, as Ruby 3.1 has them.
/// Values the libc crate lacks are written out (checked against the stdlib
/// by spec/constants).
#[allow(deprecated)]
static RUBY_3_1: &[(&str, i64)] = &[
    ("SOCK_STREAM", libc::SOCK_STREAM as i64),
    ("SOCK_DGRAM", libc::SOCK_DGRAM as i64),
    ("SOCK_RAW", libc::SOCK_RAW as i64),
    ("SOCK_RDM", libc::SOCK_RDM as i64),
    ("SOCK_SEQPACKET", libc::SOCK_SEQPACKET as i64),
    ("SOCK_PACKET", libc::SOCK_PACKET as i64),
    ("SOCK_NONBLOCK", libc::SOCK_NONBLOCK as i64),
    ("SOCK_CLOEXEC", libc::SOCK_CLOEXEC as i64),
    ("AF_UNSPEC", libc::AF_UNSPEC as i64),
    ("PF_UNSPEC", libc::PF_UNSPEC as i64),
    ("PF_INET", libc::PF_INET as i64),
    ("PF_INET6", libc::PF_INET6 as i64),
    ("PF_UNIX", libc::PF_UNIX as i64),
    ("AF_AX25", libc::AF_AX25 as i64),
    ("PF_AX25", libc::PF_AX25 as i64),
    ("AF_IPX", libc::AF_IPX as i64),
    ("PF_IPX", libc::PF_IPX as i64),
    ("AF_APPLETALK", libc::AF_APPLETALK as i64),
    ("PF_APPLETALK", libc::PF_APPLETALK as i64),
    ("AF_LOCAL", libc::AF_LOCAL as i64),
    ("PF_LOCAL", libc::PF_LOCAL as i64),
    ("AF_SNA", libc::AF_SNA as i64),
    ("PF_SNA", libc::PF_SNA as i64),
    ("AF_DECnet", libc::AF_DECnet as i64),
    ("PF_DECnet", libc::PF_DECnet as i64),
    ("AF_ROUTE", libc::AF_ROUTE as i64),
    ("PF_ROUTE", libc::PF_ROUTE as i64),
    ("AF_ISDN", libc::AF_ISDN as i64),
    ("PF_ISDN", libc::PF_ISDN as i64),
    ("AF_MAX", 46),
    ("PF_MAX", 46),
    ("AF_PACKET", libc::AF_PACKET as i64),
    ("PF_PACKET", libc::PF_PACKET as i64),
    ("AF_KEY", libc::AF_KEY as i64),
    ("PF_KEY", libc::PF_KEY as i64),
    ("AF_NETLINK", libc::AF_NETLINK as i64),
    ("PF_NETLINK", libc::PF_NETLINK as i64),
    ("AF_RDS", libc::AF_RDS as i64),
    ("PF_RDS", libc::PF_RDS as i64),
    ("AF_PPPOX", libc::AF_PPPOX as i64),
    ("PF_PPPOX", libc::PF_PPPOX as i64),
    ("AF_LLC", libc::AF_LLC as i64),
    ("PF_LLC", libc::PF_LLC as i64),
    ("AF_IB", libc::AF_IB as i64),
    ("PF_IB", libc::PF_IB as i64),
    ("AF_MPLS", libc::AF_MPLS as i64),
    ("PF_MPLS", libc::PF_MPLS as i64),
    ("AF_CAN", libc::AF_CAN as i64),
    ("PF_CAN", libc::PF_CAN as i64),
    ("AF_TIPC", libc::AF_TIPC as i64),
    ("PF_TIPC", libc::PF_TIPC as i64),
    ("AF_BLUETOOTH", libc::AF_BLUETOOTH as i64),
    ("PF_BLUETOOTH", libc::PF_BLUETOOTH as i64),
    ("AF_ALG", libc::AF_ALG as i64),
    ("PF_ALG", libc::PF_ALG as i64),
    ("AF_VSOCK", libc::AF_VSOCK as i64),
    ("PF_VSOCK", libc::PF_VSOCK as i64),
    ("AF_KCM", 41),
    ("PF_KCM", 41),
    ("AF_XDP", libc::AF_XDP as i64),
    ("PF_XDP", libc::PF_XDP as i64),
    ("MSG_OOB", libc::MSG_OOB as i64),
    ("MSG_PEEK", libc::MSG_PEEK as i64),
    ("MSG_DONTROUTE", libc::MSG_DONTROUTE as i64),
    ("MSG_EOR", libc::MSG_EOR as i64),
    ("MSG_TRUNC", libc::MSG_TRUNC as i64),
    ("MSG_CTRUNC", libc::MSG_CTRUNC as i64),
    ("MSG_WAITALL", libc::MSG_WAITALL as i64),
    ("MSG_PROXY", 16),
    ("MSG_FIN", libc::MSG_FIN as i64),
    ("MSG_SYN", libc::MSG_SYN as i64),
    ("MSG_CONFIRM", libc::MSG_CONFIRM as i64),
    ("MSG_RST", libc::MSG_RST as i64),
    ("MSG_ERRQUEUE", libc::MSG_ERRQUEUE as i64),
    ("MSG_NOSIGNAL", libc::MSG_NOSIGNAL as i64),
    ("MSG_MORE", libc::MSG_MORE as i64),
    ("MSG_FASTOPEN", libc::MSG_FASTOPEN as i64),
    ("SOL_SOCKET", libc::SOL_SOCKET as i64),
    ("SOL_IP", libc::SOL_IP as i64),
    ("SOL_TCP", libc::SOL_TCP as i64),
    ("SOL_UDP", libc::SOL_UDP as i64),
    ("IPPROTO_IP", libc::IPPROTO_IP as i64),
    ("IPPROTO_ICMP", libc::IPPROTO_ICMP as i64),
    ("IPPROTO_IGMP", libc::IPPROTO_IGMP as i64),
    ("IPPROTO_TCP", libc::IPPROTO_TCP as i64),
    ("IPPROTO_EGP", libc::IPPROTO_EGP as i64),
    ("IPPROTO_PUP", libc::IPPROTO_PUP as i64),
    ("IPPROTO_UDP", libc::IPPROTO_UDP as i64),
    ("IPPROTO_IDP", libc::IPPROTO_IDP as i64),
    ("IPPROTO_TP", libc::IPPROTO_TP as i64),
    ("IPPROTO_AH", libc::IPPROTO_AH as i64),
    ("IPPROTO_DSTOPTS", libc::IPPROTO_DSTOPTS as i64),
    ("IPPROTO_ESP", libc::IPPROTO_ESP as i64),
    ("IPPROTO_FRAGMENT", libc::IPPROTO_FRAGMENT as i64),
    ("IPPROTO_HOPOPTS", libc::IPPROTO_HOPOPTS as i64),
    ("IPPROTO_ICMPV6", libc::IPPROTO_ICMPV6 as i64),
    ("IPPROTO_IPV6", libc::IPPROTO_IPV6 as i64),
    ("IPPROTO_NONE", libc::IPPROTO_NONE as i64),
    ("IPPROTO_ROUTING", libc::IPPROTO_ROUTING as i64),
    ("IPPROTO_RAW", libc::IPPROTO_RAW as i64),
    ("IPPORT_RESERVED", 1024),
    ("IPPORT_USERRESERVED", 5000),
    ("INADDR_ANY", libc::INADDR_ANY as i64),
    ("INADDR_BROADCAST", libc::INADDR_BROADCAST as i64),
    ("INADDR_LOOPBACK", libc::INADDR_LOOPBACK as i64),
    ("INADDR_UNSPEC_GROUP", 3758096384),
    ("INADDR_ALLHOSTS_GROUP", 3758096385),
    ("INADDR_MAX_LOCAL_GROUP", 3758096639),
    ("INADDR_NONE", libc::INADDR_NONE as i64),
    ("IP_OPTIONS", libc::IP_OPTIONS as i64),
    ("IP_HDRINCL", libc::IP_HDRINCL as i64),
    ("IP_TOS", libc::IP_TOS as i64),
    ("IP_TTL", libc::IP_TTL as i64),
    ("IP_RECVOPTS", libc::IP_RECVOPTS as i64),
    ("IP_RECVRETOPTS", 7),
    ("IP_RETOPTS", libc::IP_RETOPTS as i64),
    ("IP_MINTTL", libc::IP_MINTTL as i64),
    ("IP_RECVTTL", libc::IP_RECVTTL as i64),
    ("IP_MULTICAST_IF", libc::IP_MULTICAST_IF as i64),
    ("IP_MULTICAST_TTL", libc::IP_MULTICAST_TTL as i64),
    ("IP_MULTICAST_LOOP", libc::IP_MULTICAST_LOOP as i64),
    ("IP_ADD_MEMBERSHIP", libc::IP_ADD_MEMBERSHIP as i64),
    ("IP_DROP_MEMBERSHIP", libc::IP_DROP_MEMBERSHIP as i64),
    (
        "IP_DEFAULT_MULTICAST_TTL",
        libc::IP_DEFAULT_MULTICAST_TTL as i64,
    ),
    (
        "IP_DEFAULT_MULTICAST_LOOP",
        libc::IP_DEFAULT_MULTICAST_LOOP as i64,
    ),
    ("IP_MAX_MEMBERSHIPS", 20),
    ("IP_ROUTER_ALERT", libc::IP_ROUTER_ALERT as i64),
    ("IP_PKTINFO", libc::IP_PKTINFO as i64),
    ("IP_PKTOPTIONS", libc::IP_PKTOPTIONS as i64),
    ("IP_MTU_DISCOVER", libc::IP_MTU_DISCOVER as i64),
    ("IP_RECVERR", libc::IP_RECVERR as i64),
    ("IP_RECVTOS", libc::IP_RECVTOS as i64),
    ("IP_MTU", libc::IP_MTU as i64),
    ("IP_FREEBIND", libc::IP_FREEBIND as i64),
    ("IP_IPSEC_POLICY", libc::IP_IPSEC_POLICY as i64),
    ("IP_XFRM_POLICY", libc::IP_XFRM_POLICY as i64),
    ("IP_PASSSEC", libc::IP_PASSSEC as i64),
    ("IP_TRANSPARENT", libc::IP_TRANSPARENT as i64),
    ("IP_PMTUDISC_DONT", libc::IP_PMTUDISC_DONT as i64),
    ("IP_PMTUDISC_WANT", libc::IP_PMTUDISC_WANT as i64),
    ("IP_PMTUDISC_DO", libc::IP_PMTUDISC_DO as i64),
    ("IP_UNBLOCK_SOURCE", libc::IP_UNBLOCK_SOURCE as i64),
    ("IP_BLOCK_SOURCE", libc::IP_BLOCK_SOURCE as i64),
    (
        "IP_ADD_SOURCE_MEMBERSHIP",
        libc::IP_ADD_SOURCE_MEMBERSHIP as i64,
    ),
    (
        "IP_DROP_SOURCE_MEMBERSHIP",
        libc::IP_DROP_SOURCE_MEMBERSHIP as i64,
    ),
    ("IP_MSFILTER", libc::IP_MSFILTER as i64),
    ("MCAST_JOIN_GROUP", libc::MCAST_JOIN_GROUP as i64),
    ("MCAST_BLOCK_SOURCE", libc::MCAST_BLOCK_SOURCE as i64),
    ("MCAST_UNBLOCK_SOURCE", libc::MCAST_UNBLOCK_SOURCE as i64),
    ("MCAST_LEAVE_GROUP", libc::MCAST_LEAVE_GROUP as i64),
    (
        "MCAST_JOIN_SOURCE_GROUP",
        libc::MCAST_JOIN_SOURCE_GROUP as i64,
    ),
    (
        "MCAST_LEAVE_SOURCE_GROUP",
        libc::MCAST_LEAVE_SOURCE_GROUP as i64,
    ),
    ("MCAST_MSFILTER", libc::MCAST_MSFILTER as i64),
    ("MCAST_EXCLUDE", libc::MCAST_EXCLUDE as i64),
    ("MCAST_INCLUDE", libc::MCAST_INCLUDE as i64),
    ("SO_DEBUG", libc::SO_DEBUG as i64),
    ("SO_REUSEADDR", libc::SO_REUSEADDR as i64),
    ("SO_REUSEPORT", libc::SO_REUSEPORT as i64),
    ("SO_TYPE", libc::SO_TYPE as i64),
    ("SO_ERROR", libc::SO_ERROR as i64),
    ("SO_DONTROUTE", libc::SO_DONTROUTE as i64),
    ("SO_BROADCAST", libc::SO_BROADCAST as i64),
    ("SO_SNDBUF", libc::SO_SNDBUF as i64),
    ("SO_RCVBUF", libc::SO_RCVBUF as i64),
    ("SO_SNDBUFFORCE", libc::SO_SNDBUFFORCE as i64),
    ("SO_RCVBUFFORCE", libc::SO_RCVBUFFORCE as i64),
    ("SO_KEEPALIVE", libc::SO_KEEPALIVE as i64),
    ("SO_OOBINLINE", libc::SO_OOBINLINE as i64),
    ("SO_NO_CHECK", libc::SO_NO_CHECK as i64),
    ("SO_PRIORITY", libc::SO_PRIORITY as i64),
    ("SO_LINGER", libc::SO_LINGER as i64),
    ("SO_PASSCRED", libc::SO_PASSCRED as i64),
    ("SO_PEERCRED", libc::SO_PEERCRED as i64),
    ("SO_RCVLOWAT", libc::SO_RCVLOWAT as i64),
    ("SO_SNDLOWAT", libc::SO_SNDLOWAT as i64),
    ("SO_RCVTIMEO", libc::SO_RCVTIMEO as i64),
    ("SO_SNDTIMEO", libc::SO_SNDTIMEO as i64),
    ("SO_ACCEPTCONN", libc::SO_ACCEPTCONN as i64),
    (
        "SO_SECURITY_AUTHENTICATION",
        libc::SO_SECURITY_AUTHENTICATION as i64,
    ),
    (
        "SO_SECURITY_ENCRYPTION_TRANSPORT",
        libc::SO_SECURITY_ENCRYPTION_TRANSPORT as i64,
    ),
    (
        "SO_SECURITY_ENCRYPTION_NETWORK",
        libc::SO_SECURITY_ENCRYPTION_NETWORK as i64,
    ),
    ("SO_BINDTODEVICE", libc::SO_BINDTODEVICE as i64),
    ("SO_ATTACH_FILTER", libc::SO_ATTACH_FILTER as i64),
    ("SO_DETACH_FILTER", libc::SO_DETACH_FILTER as i64),
    ("SO_GET_FILTER", libc::SO_GET_FILTER as i64),
    ("SO_PEERNAME", libc::SO_PEERNAME as i64),
    ("SO_TIMESTAMP", libc::SO_TIMESTAMP as i64),
    ("SO_TIMESTAMPNS", libc::SO_TIMESTAMPNS as i64),
    ("SO_PEERSEC", libc::SO_PEERSEC as i64),
    ("SO_PASSSEC", libc::SO_PASSSEC as i64),
    ("SO_MARK", libc::SO_MARK as i64),
    ("SO_TIMESTAMPING", libc::SO_TIMESTAMPING as i64),
    ("SO_PROTOCOL", libc::SO_PROTOCOL as i64),
    ("SO_DOMAIN", libc::SO_DOMAIN as i64),
    ("SO_RXQ_OVFL", libc::SO_RXQ_OVFL as i64),
    ("SO_WIFI_STATUS", libc::SO_WIFI_STATUS as i64),
    ("SO_PEEK_OFF", libc::SO_PEEK_OFF as i64),
    ("SO_NOFCS", libc::SO_NOFCS as i64),
    ("SO_LOCK_FILTER", libc::SO_LOCK_FILTER as i64),
    ("SO_SELECT_ERR_QUEUE", libc::SO_SELECT_ERR_QUEUE as i64),
    ("SO_BUSY_POLL", libc::SO_BUSY_POLL as i64),
    ("SO_MAX_PACING_RATE", libc::SO_MAX_PACING_RATE as i64),
    ("SO_BPF_EXTENSIONS", libc::SO_BPF_EXTENSIONS as i64),
    ("TCP_NODELAY", libc::TCP_NODELAY as i64),
    ("TCP_MAXSEG", libc::TCP_MAXSEG as i64),
    ("TCP_CORK", libc::TCP_CORK as i64),
    ("TCP_DEFER_ACCEPT", libc::TCP_DEFER_ACCEPT as i64),
    ("TCP_INFO", libc::TCP_INFO as i64),
    ("TCP_KEEPCNT", libc::TCP_KEEPCNT as i64),
    ("TCP_KEEPIDLE", libc::TCP_KEEPIDLE as i64),
    ("TCP_KEEPINTVL", libc::TCP_KEEPINTVL as i64),
    ("TCP_LINGER2", libc::TCP_LINGER2 as i64),
    ("TCP_MD5SIG", libc::TCP_MD5SIG as i64),
    ("TCP_QUICKACK", libc::TCP_QUICKACK as i64),
    ("TCP_SYNCNT", libc::TCP_SYNCNT as i64),
    ("TCP_WINDOW_CLAMP", libc::TCP_WINDOW_CLAMP as i64),
    ("TCP_FASTOPEN", libc::TCP_FASTOPEN as i64),
    ("TCP_CONGESTION", libc::TCP_CONGESTION as i64),
    (
        "TCP_COOKIE_TRANSACTIONS",
        libc::TCP_COOKIE_TRANSACTIONS as i64,
    ),
    ("TCP_QUEUE_SEQ", libc::TCP_QUEUE_SEQ as i64),
    ("TCP_REPAIR", libc::TCP_REPAIR as i64),
    ("TCP_REPAIR_OPTIONS", libc::TCP_REPAIR_OPTIONS as i64),
    ("TCP_REPAIR_QUEUE", libc::TCP_REPAIR_QUEUE as i64),
    ("TCP_THIN_DUPACK", libc::TCP_THIN_DUPACK as i64),
    (
        "TCP_THIN_LINEAR_TIMEOUTS",
        libc::TCP_THIN_LINEAR_TIMEOUTS as i64,
    ),
    ("TCP_TIMESTAMP", libc::TCP_TIMESTAMP as i64),
    ("TCP_USER_TIMEOUT", libc::TCP_USER_TIMEOUT as i64),
    ("UDP_CORK", libc::UDP_CORK as i64),
    ("EAI_ADDRFAMILY", -9),
    ("EAI_AGAIN", libc::EAI_AGAIN as i64),
    ("EAI_BADFLAGS", libc::EAI_BADFLAGS as i64),
    ("EAI_FAIL", libc::EAI_FAIL as i64),
    ("EAI_FAMILY", libc::EAI_FAMILY as i64),
    ("EAI_MEMORY", libc::EAI_MEMORY as i64),
    ("EAI_NODATA", libc::EAI_NODATA as i64),
    ("EAI_NONAME", libc::EAI_NONAME as i64),
    ("EAI_OVERFLOW", libc::EAI_OVERFLOW as i64),
    ("EAI_SERVICE", libc::EAI_SERVICE as i64),
    ("EAI_SOCKTYPE", libc::EAI_SOCKTYPE as i64),
    ("EAI_SYSTEM", libc::EAI_SYSTEM as i64),
    ("AI_CANONNAME", libc::AI_CANONNAME as i64),
    ("AI_NUMERICHOST", libc::AI_NUMERICHOST as i64),
    ("AI_NUMERICSERV", libc::AI_NUMERICSERV as i64),
    ("AI_ALL", libc::AI_ALL as i64),
    ("AI_ADDRCONFIG", libc::AI_ADDRCONFIG as i64),
    ("AI_V4MAPPED", libc::AI_V4MAPPED as i64),
    ("NI_MAXHOST", libc::NI_MAXHOST as i64),
    ("NI_MAXSERV", 32),
    ("NI_NOFQDN", libc::NI_NOFQDN as i64),
    ("NI_NUMERICHOST", libc::NI_NUMERICHOST as i64),
    ("NI_NAMEREQD", libc::NI_NAMEREQD as i64),
    ("NI_NUMERICSERV", libc::NI_NUMERICSERV as i64),
    ("NI_DGRAM", libc::NI_DGRAM as i64),
    ("SHUT_RD", libc::SHUT_RD as i64),
    ("SHUT_WR", libc::SHUT_WR as i64),
    ("SHUT_RDWR", libc::SHUT_RDWR as i64),
    ("IPV6_JOIN_GROUP", 20),
    ("IPV6_LEAVE_GROUP", 21),
    ("IPV6_MULTICAST_HOPS", libc::IPV6_MULTICAST_HOPS as i64),
    ("IPV6_MULTICAST_IF", libc::IPV6_MULTICAST_IF as i64),
    ("IPV6_MULTICAST_LOOP", libc::IPV6_MULTICAST_LOOP as i64),
    ("IPV6_UNICAST_HOPS", libc::IPV6_UNICAST_HOPS as i64),
    ("IPV6_CHECKSUM", libc::IPV6_CHECKSUM as i64),
    ("IPV6_DONTFRAG", libc::IPV6_DONTFRAG as i64),
    ("IPV6_DSTOPTS", libc::IPV6_DSTOPTS as i64),
    ("IPV6_HOPLIMIT", libc::IPV6_HOPLIMIT as i64),
    ("IPV6_HOPOPTS", libc::IPV6_HOPOPTS as i64),
    ("IPV6_NEXTHOP", libc::IPV6_NEXTHOP as i64),
    ("IPV6_PATHMTU", libc::IPV6_PATHMTU as i64),
    ("IPV6_RECVDSTOPTS", libc::IPV6_RECVDSTOPTS as i64),
    ("IPV6_RECVHOPLIMIT", libc::IPV6_RECVHOPLIMIT as i64),
    ("IPV6_RECVHOPOPTS", libc::IPV6_RECVHOPOPTS as i64),
    ("IPV6_RECVRTHDR", libc::IPV6_RECVRTHDR as i64),
    ("IPV6_RECVTCLASS", libc::IPV6_RECVTCLASS as i64),
    ("IPV6_RTHDR", libc::IPV6_RTHDR as i64),
    ("IPV6_RTHDRDSTOPTS", libc::IPV6_RTHDRDSTOPTS as i64),
    ("IPV6_RTHDR_TYPE_0", 0),
    ("IPV6_RECVPATHMTU", libc::IPV6_RECVPATHMTU as i64),
    ("IPV6_TCLASS", libc::IPV6_TCLASS as i64),
    ("INET_ADDRSTRLEN", 16),
    ("INET6_ADDRSTRLEN", 46),
    ("IFNAMSIZ", libc::IFNAMSIZ as i64),
    ("IF_NAMESIZE", libc::IF_NAMESIZE as i64),
    ("SCM_RIGHTS", libc::SCM_RIGHTS as i64),
    ("SCM_TIMESTAMP", libc::SCM_TIMESTAMP as i64),
    ("SCM_TIMESTAMPNS", libc::SCM_TIMESTAMPNS as i64),
    ("SCM_TIMESTAMPING", libc::SCM_TIMESTAMPING as i64),
    ("SCM_CREDENTIALS", libc::SCM_CREDENTIALS as i64),
    ("SCM_WIFI_STATUS", libc::SCM_WIFI_STATUS as i64),
    ("IFF_ALLMULTI", libc::IFF_ALLMULTI as i64),
    ("IFF_AUTOMEDIA", libc::IFF_AUTOMEDIA as i64),
    ("IFF_BROADCAST", libc::IFF_BROADCAST as i64),
    ("IFF_DEBUG", libc::IFF_DEBUG as i64),
    ("IFF_DYNAMIC", libc::IFF_DYNAMIC as i64),
    ("IFF_LOOPBACK", libc::IFF_LOOPBACK as i64),
    ("IFF_MASTER", libc::IFF_MASTER as i64),
    ("IFF_MULTICAST", libc::IFF_MULTICAST as i64),
    ("IFF_NOARP", libc::IFF_NOARP as i64),
    ("IFF_NOTRAILERS", libc::IFF_NOTRAILERS as i64),
    ("IFF_POINTOPOINT", libc::IFF_POINTOPOINT as i64),
    ("IFF_PORTSEL", libc::IFF_PORTSEL as i64),
    ("IFF_PROMISC", libc::IFF_PROMISC as i64),
    ("IFF_RUNNING", libc::IFF_RUNNING as i64),
    ("IFF_SLAVE", libc::IFF_SLAVE as i64),
    ("IFF_UP", libc::IFF_UP as i64),
    ("SOMAXCONN", libc::SOMAXCONN as i64),
    ("AF_INET", libc::AF_INET as i64),
    ("AF_INET6", libc::AF_INET6 as i64),
    ("AF_UNIX", libc::AF_UNIX as i64),
    ("MSG_DONTWAIT", libc::MSG_DONTWAIT as i64),
    ("IPV6_V6ONLY", libc::IPV6_V6ONLY as i64),
    ("AI_PASSIVE", libc::AI_PASSIVE as i64),
    ("IPV6_RECVPKTINFO", libc::IPV6_RECVPKTINFO as i64),
    ("IPV6_PKTINFO", libc::IPV6_PKTINFO as i64),
];

/// Constants later Rubies define: (name, value, first Ruby as 30300 for 3.3,
/// the constant it follows in the stdlib's order).
static ADDED: &[(&str, i64, u32, &str)] = &[
    ("SO_INCOMING_CPU", 49, 30300, "SO_BPF_EXTENSIONS"),
    ("SO_INCOMING_NAPI_ID", 56, 30300, "SO_INCOMING_CPU"),
    ("IPV6_MTU_DISCOVER", 23, 30400, "IPV6_LEAVE_GROUP"),
    ("IPV6_RECVERR", 25, 30400, "IPV6_RECVDSTOPTS"),
];

static RUBY_API_VERSION: std::sync::OnceLock<u32> = std::sync::OnceLock::new();

/// Chooses the constants of the Ruby with this API version (30400 for 3.4),
/// once, before the first lookup; without it the newest Ruby's are used.
pub fn use_ruby(api_version: u32) {
    let _ = RUBY_API_VERSION.set(api_version);
}

/// Every constant the chosen Ruby's stdlib defines on Linux, in its order.
pub fn table() -> &'static [(&'static str, i64)] {
    static TABLE: std::sync::OnceLock<Vec<(&'static str, i64)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let api = *RUBY_API_VERSION.get_or_init(|| u32::MAX);
        let mut table = RUBY_3_1.to_vec();
        for &(name, value, since, after) in ADDED {
            if api >= since {
                let at = table
                    .iter()
                    .position(|&(n, _)| n == after)
                    .map_or(table.len(), |i| i + 1);
                table.insert(at, (name, value));
            }
        }
        table
    })
}

/// The full constant name the stdlib prints for `value` among the names
/// starting with `prefix` (e.g. `name("SOCK_", 1) == Some("SOCK_STREAM")`).
/// Where several share a value the first defined wins, except that the
/// LOCAL alias of UNIX is never preferred.
pub fn name(prefix: &str, value: i64) -> Option<&'static str> {
    let mut found = None;
    for n in by_value(value) {
        if n.starts_with(prefix) {
            if !n.ends_with("_LOCAL") {
                return Some(n);
            }
            found.get_or_insert(n);
        }
    }
    found
}

/// The names with `value`, in table order. The index is built once:
/// inspect and Marshal look names up by value on every call.
fn by_value(value: i64) -> impl Iterator<Item = &'static str> {
    static INDEX: std::sync::OnceLock<crate::sys::fast_map::FastMap<i64, Vec<&'static str>>> =
        std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut m: crate::sys::fast_map::FastMap<i64, Vec<&'static str>> = Default::default();
        for &(n, v) in table() {
            m.entry(v).or_default().push(n);
        }
        m
    });
    index.get(&value).into_iter().flatten().copied()
}

/// `name` without the prefix: `short_name("AF_", 2) == Some("INET")`.
pub fn short_name(prefix: &str, value: i64) -> Option<&'static str> {
    name(prefix, value).map(|n| &n[prefix.len()..])
}

/// AF_INET and AF_INET6: the families whose level and option names include
/// the IP protocols.
pub fn is_ip_family(family: i32) -> bool {
    family == libc::AF_INET || family == libc::AF_INET6
}

/// Family as Socket::Option#inspect prints it: "INET", "UNIX", ...
pub fn family_short(family: i32) -> Option<&'static str> {
    short_name("AF_", family as i64)
}

/// Protocol level as inspect prints it for a socket of `family`: "SOCKET",
/// and for IP families "IP", "TCP", "IPV6", ... (IPPROTO_ names).
pub fn level_short(family: i32, level: i32) -> Option<&'static str> {
    if level == libc::SOL_SOCKET {
        return Some("SOCKET");
    }
    if is_ip_family(family) {
        short_name("IPPROTO_", level as i64)
    } else {
        None
    }
}

/// The option-name prefix used at `level` for a socket of `family`.
pub fn optname_prefix(family: i32, level: i32) -> Option<&'static str> {
    if level == libc::SOL_SOCKET {
        return Some("SO_");
    }
    if !is_ip_family(family) {
        return None;
    }
    match level {
        libc::IPPROTO_IP => Some("IP_"),
        libc::IPPROTO_IPV6 => Some("IPV6_"),
        libc::IPPROTO_TCP => Some("TCP_"),
        libc::IPPROTO_UDP => Some("UDP_"),
        _ => None,
    }
}

/// Option name as inspect prints it: "REUSEADDR", "NODELAY", "TTL", ...
pub fn optname_short(family: i32, level: i32, optname: i32) -> Option<&'static str> {
    optname_prefix(family, level).and_then(|p| short_name(p, optname as i64))
}

/// The control-message type prefix at `level` (SCM_ for SOL_SOCKET).
pub fn cmsg_type_prefix(family: i32, level: i32) -> Option<&'static str> {
    if level == libc::SOL_SOCKET {
        Some("SCM_")
    } else {
        optname_prefix(family, level)
    }
}

/// Control-message type as inspect prints it: "RIGHTS", "PKTINFO", ...
pub fn cmsg_type_short(family: i32, level: i32, ctype: i32) -> Option<&'static str> {
    cmsg_type_prefix(family, level).and_then(|p| short_name(p, ctype as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_every_stdlib_constant_once() {
        assert_eq!(RUBY_3_1.len(), 314);
        // The tests run without a Ruby: the newest Ruby's table (3.4: 318).
        assert_eq!(table().len(), 318);
        let mut names: Vec<_> = table().iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 318);
        for &(name, _, _, after) in ADDED {
            let at = |n| table().iter().position(|&(t, _)| t == n);
            assert_eq!(at(name), at(after).map(|i| i + 1), "{name} follows {after}");
        }
    }

    fn value(name: &str) -> Option<i64> {
        table().iter().find(|(n, _)| *n == name).map(|&(_, v)| v)
    }

    #[test]
    fn values() {
        assert_eq!(value("AF_INET6"), Some(10));
        assert_eq!(value("SO_REUSEPORT"), Some(15));
        assert_eq!(value("INADDR_BROADCAST"), Some(4294967295));
        assert_eq!(value("EAI_ADDRFAMILY"), Some(-9));
        assert_eq!(value("IPV6_JOIN_GROUP"), Some(20));
        assert_eq!(value("SOMAXCONN"), Some(4096));
        assert_eq!(value("NOPE"), None);
    }

    #[test]
    fn reverse_names_match_the_stdlib_choice() {
        assert_eq!(name("SOCK_", 1), Some("SOCK_STREAM"));
        assert_eq!(name("AF_", 1), Some("AF_UNIX"));
        assert_eq!(name("PF_", 1), Some("PF_UNIX"));
        assert_eq!(name("AF_", 16), Some("AF_ROUTE"));
        assert_eq!(name("IPPROTO_", 0), Some("IPPROTO_IP"));
        assert_eq!(name("IP_", 1), Some("IP_TOS"));
        assert_eq!(name("IP_", 7), Some("IP_RECVRETOPTS"));
        assert_eq!(name("SO_", 26), Some("SO_ATTACH_FILTER"));
        assert_eq!(name("SOCK_", 99), None);
        assert_eq!(short_name("AF_", 0), Some("UNSPEC"));
        assert_eq!(short_name("IP_", 0), Some("PMTUDISC_DONT"));
    }

    #[test]
    fn levels_depend_on_family() {
        assert_eq!(level_short(libc::AF_INET6, 1), Some("SOCKET"));
        assert_eq!(level_short(libc::AF_INET, 0), Some("IP"));
        assert_eq!(level_short(libc::AF_UNIX, 0), None);
        assert_eq!(level_short(libc::AF_UNIX, 1), Some("SOCKET"));
        assert_eq!(optname_short(libc::AF_INET, 6, 1), Some("NODELAY"));
        assert_eq!(optname_short(libc::AF_UNIX, 6, 1), None);
        assert_eq!(optname_short(libc::AF_UNIX, 1, 3), Some("TYPE"));
        assert_eq!(cmsg_type_short(libc::AF_UNIX, 1, 1), Some("RIGHTS"));
    }
}
